"""Report formats for people and CI (csv, markdown, junit, github, gitlab), where reports go
(--output, --report, PLANCHECK_FORMAT, GITHUB_STEP_SUMMARY), --fail-on and --lang.

Every format is read back with a real parser: json, the csv module, xmlschema against the JUnit
schema Jenkins reads, a Markdown table-shape check and the workflow-command syntax.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema

from plancheck.render import FORMATS
from plancheck.render.github import escape_data, escape_property
from plancheck.render.i18n import default_lang
from plancheck.result_schema import CSV_HEADER

from .conftest import FIXTURES, Run, run_cli

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"
PLAN_FILE = CATALOGUE / "plans" / "demo_plan.yaml"
JUNIT_XSD = Path(__file__).parent / "schemas" / "junit.xsd"
FAILING = {"demo_rd_2015", "demo_broadband_2015", "demo_gdp_growth_2015"}


def check(*args: str | Path, actuals: Path = DEMO, catalogue: Path = CATALOGUE) -> Run:
    return run_cli("check", "--targets", catalogue, "-a", actuals, *args)


def plan_line(target_id: str) -> int:
    for number, line in enumerate(PLAN_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() == f"- id: {target_id}":
            return number
    raise AssertionError(target_id)


def only_first_row(tmp_path: Path) -> Path:
    """Actuals with a single 2015 figure: at --as-of 2016 nearly every target is missing."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "one.csv"
    path.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    return path


# --- csv ------------------------------------------------------------------------------------


def test_csv_has_a_bom_and_one_row_per_result_with_the_json_fields() -> None:
    result = check("-f", "csv")
    assert result.exit_code == 1
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    doc = json.loads(check("-f", "json").stdout)
    assert len(rows) == len(doc["results"]) == 14
    assert tuple(rows[0]) == CSV_HEADER
    for row, record in zip(rows, doc["results"], strict=True):
        assert row["target_id"] == record["target_id"] and row["status"] == record["status"]
        assert row["source_quote"] == record["source"]["quote"]
        assert row["source_section"] == record["source"]["section"]
        if record["actual_source"]:
            assert row["actual_source_file"] == record["actual_source"]["file"]
            assert int(row["actual_source_row"]) == record["actual_source"]["row"]
        else:
            assert row["actual_source_file"] == row["actual_source_row"] == ""
    by_id = {r["target_id"]: r for r in rows}
    assert by_id["demo_forest_2015"]["indicator_name"] == "Forest coverage rate"
    assert by_id["demo_unemployment_2015"]["soft"] == "true"
    assert by_id["demo_pilots_2015"]["target_value_max"] == "2"
    # a quoted comma survives: basis text has one
    assert by_id["demo_gdp_growth_2015"]["basis"].startswith("computed from gdp levels, 2013→2015")


def test_csv_in_chinese_keeps_the_header_and_translates_only_the_names() -> None:
    out = check("-f", "csv", "--lang", "zh").stdout.removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    english = check("-f", "csv", "--lang", "en").stdout.removeprefix("\ufeff")
    assert out.splitlines()[0] == english.splitlines()[0]  # stable keys, like JSON's (issue 12)
    by_id = {r["target_id"]: r for r in rows}
    assert by_id["demo_rd_2015"]["status"] == "not_met"
    assert by_id["demo_forest_2015"]["indicator_name"] == "森林覆盖率"
    assert by_id["demo_forest_2015"]["region_name"] == "珠江三角洲地区"


# --- markdown -------------------------------------------------------------------------------

_PIPE = re.compile(r"(?<!\\)\|")


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each table as rows of cells, split on unescaped pipes; asserts a well-formed GFM table."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            assert line.endswith("|"), line
            current.append([c.strip() for c in _PIPE.split(line)[1:-1]])
        elif current:
            header, separator, *body = current
            assert all(re.fullmatch(r":?-{3,}:?", c) for c in separator), separator
            assert len(separator) == len(header)
            assert all(len(r) == len(header) for r in body), [len(r) for r in body]
            tables.append(current)
            current = []
    return tables


def test_markdown_is_a_summary_and_a_well_formed_table(catalogue_dir: Path) -> None:
    indicators = catalogue_dir / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(
        text.replace("name_en: R&D expenditure as a share of GDP", "name_en: R&D | share *of* GDP"),
        encoding="utf-8",
    )
    result = check("-f", "markdown", catalogue=catalogue_dir)
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("### ❌ plancheck report")
    assert "14 targets (as of 2015): 9 met, 4 not\\_met, 1 insufficient\\_data; 3 failing" in out
    (table,) = markdown_tables(out)
    header, _, *body = table
    assert header == [
        "target",
        "indicator",
        "region",
        "year",
        "target value",
        "actual",
        "status",
        "gap",
    ]
    assert len(body) == 14
    rd = next(r for r in body if r[0] == "demo\\_rd\\_2015")
    assert rd[1] == "R&D \\| share \\*of\\* GDP"  # the pipe cannot split the cell
    assert rd[6] == "❌ not\\_met"
    soft = next(r for r in body if r[0] == "demo\\_unemployment\\_2015")
    assert soft[6] == "⚠️ not\\_met (soft)"


def test_markdown_quiet_and_chinese() -> None:
    quiet = check("-f", "markdown", "--quiet").stdout
    assert markdown_tables(quiet) == [] and "3 failing" in quiet
    zh = check("-f", "markdown", "--lang", "zh").stdout
    (table,) = markdown_tables(zh)
    assert table[0] == ["目标", "指标", "地区", "年份", "目标值", "实际值", "状态", "差距"]
    assert "共 14 项目标（截至 2015 年）" in zh and "森林覆盖率" in zh


# --- junit ----------------------------------------------------------------------------------


def junit(*args: str | Path, actuals: Path = DEMO) -> xmlschema.XMLResource:
    result = check("-f", "junit", *args, actuals=actuals)
    assert result.exit_code in (0, 1), result.stderr
    schema = xmlschema.XMLSchema(JUNIT_XSD)
    schema.validate(result.stdout)  # raises with the reason when the document is not valid
    return xmlschema.XMLResource(result.stdout)


def cases(resource: xmlschema.XMLResource) -> dict[str, object]:
    return {case.get("name"): case for case in resource.root.iter("testcase")}


def test_junit_validates_and_has_a_failure_per_failing_target() -> None:
    resource = junit()
    root = resource.root
    assert root.tag == "testsuites" and root.get("tests") == "14" and root.get("failures") == "3"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "demo_plan" and suite.get("skipped") == "2"  # + the soft miss
    by_name = cases(resource)
    assert len(by_name) == 14
    failed = {name for name, case in by_name.items() if case.find("failure") is not None}  # type: ignore[attr-defined]
    assert failed == FAILING
    failure = by_name["demo_rd_2015"].find("failure")  # type: ignore[attr-defined]
    assert failure.get("type") == "not_met"
    assert (
        failure.get("message") == "demo_rd_2015: not_met: target >= 2.7 %, actual 2.69 %, gap -0.01"
    )
    assert "2015年達2.7%" in failure.text and "demo.csv, row 3" in failure.text
    assert by_name["demo_forest_2016"].find("skipped") is not None  # type: ignore[attr-defined]
    soft = by_name["demo_unemployment_2015"]
    assert soft.find("failure") is None  # type: ignore[attr-defined]
    assert "without --strict" in soft.find("skipped").get("message")  # type: ignore[attr-defined]


def test_junit_soft_targets_fail_with_strict_and_missing_targets_fail(tmp_path: Path) -> None:
    strict = cases(junit("--strict"))
    assert strict["demo_unemployment_2015"].find("failure") is not None  # type: ignore[attr-defined]
    missing = cases(junit("--as-of", "2016", actuals=only_first_row(tmp_path)))
    failure = missing["demo_rd_2015"].find("failure")  # type: ignore[attr-defined]
    assert failure.get("type") == "missing"
    assert "no figure submitted" in failure.get("message") and ">= 2.7 %" in failure.get("message")


# --- github ---------------------------------------------------------------------------------

_COMMAND = re.compile(
    r"::(error|warning|notice)(?: ([a-z]+=[^,:]*(?:,[a-z]+=[^,:]*)*))?::([^\r\n]*)"
)


def annotations(text: str) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for line in text.splitlines():
        match = _COMMAND.fullmatch(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in match.group(2).split(",")) if match.group(2) else {}
        found.append((match.group(1), props, match.group(3)))
    return found


def test_github_annotations_point_at_the_actuals_row_or_the_plan_line(tmp_path: Path) -> None:
    found = annotations(check("-f", "github").stdout)
    errors = [a for a in found if a[0] == "error"]
    assert {p["title"].split(" ")[0] for _, p, _ in errors} == FAILING
    rd = next(a for a in errors if a[1]["title"].startswith("demo_rd_2015"))
    assert rd[1]["file"] == str(DEMO) and rd[1]["line"] == "4"  # data row 3 + the header line
    assert rd[2] == "demo_rd_2015: not_met: target >= 2.7 %25, actual 2.69 %25, gap -0.01"
    assert [a[1]["title"] for a in found if a[0] == "warning"] == [
        "demo_unemployment_2015 not_met (soft)"
    ]
    assert found[-1][0] == "notice" and "3 failing" in found[-1][2]
    # no figure: the annotation points at the target in its plan file
    missing = annotations(check("-f", "github", "--as-of", "2016").stdout)
    forest = next(a for a in missing if a[1].get("title", "").startswith("demo_forest_2016"))
    assert forest[0] == "error" and Path(forest[1]["file"]).resolve() == PLAN_FILE.resolve()
    assert forest[1]["line"] == str(plan_line("demo_forest_2016"))


def test_github_prints_at_most_ten_errors(tmp_path: Path) -> None:
    found = annotations(
        check("-f", "github", "--as-of", "2016", actuals=only_first_row(tmp_path)).stdout
    )
    errors = [a for a in found if a[0] == "error"]
    json_doc = json.loads(
        check("-f", "json", "--as-of", "2016", actuals=only_first_row(tmp_path)).stdout
    )
    failing = json_doc["failing"]
    assert failing > 10
    assert len(errors) == 10
    assert errors[-1][1] == {} and errors[-1][2].startswith(
        f"… and {failing - 9} more failing targets not annotated ("
    )


def test_github_escapes_properties_and_data(tmp_path: Path) -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    odd = tmp_path / "x,y: z.csv"
    shutil.copy(DEMO, odd)
    found = annotations(check("-f", "github", actuals=odd).stdout)
    files = {p["file"] for _, p, _ in found if "file" in p}
    assert files == {str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")}


def test_github_step_summary_gets_the_markdown_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    check("-f", "table")
    assert (
        summary.read_text(encoding="utf-8") == "earlier step\n"
    )  # only the github format writes it
    check("-f", "github")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### ❌ plancheck report")
    assert len(markdown_tables(text)) == 1


# --- gitlab ---------------------------------------------------------------------------------


def test_gitlab_code_quality_report() -> None:
    issues = json.loads(check("-f", "gitlab").stdout)
    assert isinstance(issues, list) and len(issues) == 4
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert (
            set(issue["location"]) == {"path", "lines"} and issue["location"]["lines"]["begin"] >= 1
        )
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert {i["severity"] for i in issues if "unemployment" in i["description"]} == {"minor"}
    assert sum(i["severity"] == "major" for i in issues) == 3
    assert len({i["fingerprint"] for i in issues}) == 4
    again = json.loads(check("-f", "gitlab", "--lang", "zh").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # stable


# --- where reports go -----------------------------------------------------------------------


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = check("-f", "json", "--output", target)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(check("-f", "json").stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


def test_nothing_is_written_when_the_run_fails(tmp_path: Path) -> None:
    kept = tmp_path / "kept.xml"
    kept.write_text("previous report", encoding="utf-8")
    fresh = tmp_path / "fresh.csv"
    result = check(
        "-f", "junit", "-o", kept, "--report", f"csv:{fresh}", actuals=tmp_path / "no-such.csv"
    )
    assert result.exit_code == 2 and "file not found" in result.stderr
    # no results are written; the JUnit report holds the input problem instead, so that CI's
    # test view says why the run stopped (issue 12)
    import xml.etree.ElementTree as ET

    failure = ET.fromstring(kept.read_text(encoding="utf-8")).find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type") == "missing-file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.xml"]
    # a report for people (CSV, Markdown, table, HTML) is left as it was
    kept_csv = tmp_path / "kept.csv"
    kept_csv.write_text("previous report", encoding="utf-8")
    result = check("-o", kept_csv, actuals=tmp_path / "no-such.csv")
    assert result.exit_code == 2 and kept_csv.read_text(encoding="utf-8") == "previous report"


def test_output_into_a_missing_folder_is_a_problem(tmp_path: Path) -> None:
    result = check("-o", tmp_path / "nowhere" / "r.json")
    assert result.exit_code == 2 and "folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_several_reports_in_one_run(tmp_path: Path) -> None:
    paths = {name: tmp_path / f"r.{name}" for name in ("junit", "csv", "gitlab", "markdown")}
    result = check(
        "-f", "json", "-q", *[a for n, p in paths.items() for a in ("--report", f"{n}:{p}")]
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # stdout keeps its own format, and --quiet applies to it only
    assert doc["failing"] == 3 and doc["results"] == []
    xmlschema.XMLSchema(JUNIT_XSD).validate(str(paths["junit"]))
    assert paths["csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert (
        len(list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8-sig"))))) == 14
    )
    assert len(json.loads(paths["gitlab"].read_text(encoding="utf-8"))) == 4
    assert len(markdown_tables(paths["markdown"].read_text(encoding="utf-8"))) == 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("junit", "is not FORMAT:FILE"),
        ("pdf:r.pdf", "format 'pdf' is unknown"),
        (":r.xml", "is not FORMAT:FILE"),
    ],
)
def test_bad_report_option_is_a_usage_problem(spec: str, message: str) -> None:
    result = check("--report", spec)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_plancheck_format_sets_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANCHECK_FORMAT", "json")
    assert json.loads(check().stdout)["as_of"] == 2015
    assert check("-f", "csv").stdout.startswith("\ufeff")  # --format wins
    monkeypatch.setenv("PLANCHECK_FORMAT", "yaml")
    bad = check()
    assert bad.exit_code == 2 and "PLANCHECK_FORMAT='yaml' is not an output format" in bad.stderr


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {
        "table",
        "json",
        "csv",
        "markdown",
        "junit",
        "github",
        "gitlab",
        "html",
    }


# --- --fail-on, --quiet, --lang -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        (None, 1),
        ("missing", 0),
        ("not_met", 1),
        ("insufficient_data", 1),
        ("none", 0),
        ("met,missing", 1),
    ],
)
def test_fail_on_decides_the_exit_code(fail_on: str | None, code: int) -> None:
    args = () if fail_on is None else ("--fail-on", fail_on)
    assert check("-q", *args).exit_code == code


def test_fail_on_shapes_the_ci_reports_too() -> None:
    resource = junit("--fail-on", "insufficient_data")
    failed = {n for n, c in cases(resource).items() if c.find("failure") is not None}  # type: ignore[attr-defined]
    assert failed == {"demo_forest_2016"}
    errors = [
        a
        for a in annotations(check("-f", "github", "--fail-on", "insufficient_data").stdout)
        if a[0] == "error"
    ]
    assert [a[1]["title"] for a in errors] == ["demo_forest_2016 insufficient_data"]


def test_unknown_fail_on_status_is_a_usage_problem() -> None:
    result = check("--fail-on", "not_met,late")
    assert result.exit_code == 2 and "unknown status 'late'" in result.stderr


def test_quiet_prints_only_the_summary() -> None:
    out = check("--quiet").stdout
    assert out.strip() == (
        "14 targets (as of 2015): 9 met, 4 not_met, 1 insufficient_data; 3 failing; "
        "completion rate 69.2% (9 of 13 due targets met)"
    )


def test_lang_zh_translates_headings_statuses_and_names_but_not_json() -> None:
    zh = check("--lang", "zh").stdout
    assert "目标值" in zh and "✗ 未达成" in zh and "森林覆盖率" in zh and "珠江三角洲地区" in zh
    assert (
        "共 14 项目标（截至 2015 年）：达成 9，未达成 4，数据不足 1；3 项不通过；指标完成率 69.2%（到期 13 项中达成 9 项）"
        in zh
    )
    en = check("--lang", "en").stdout
    assert "target value" in en and "Forest coverage rate" in en and "Pearl River Delta" in en
    assert json.loads(check("-f", "json", "--lang", "zh").stdout) == json.loads(
        check("-f", "json").stdout
    )


def test_language_defaults_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "未达成" in check().stdout
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL outranks LANG
    assert "not_met" in check().stdout
    assert default_lang({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert default_lang({}) == "en"


def test_csv_on_a_legacy_console_drops_the_bom_instead_of_a_question_mark() -> None:
    environment = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "plancheck",
            "check",
            "--targets",
            str(CATALOGUE),
            "-a",
            str(DEMO),
            "-f",
            "csv",
        ],
        capture_output=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 1
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("gbk"))))
    assert (
        rows[0]["target_id"] == "demo_forest_2015"
        and rows[0]["indicator_name"] == "Forest coverage rate"
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_registered_format_is_a_choice_of_check(name: str) -> None:
    # The --format choices are made from the renderer registry; html had once been left out.
    result = check("-f", name)
    assert result.exit_code == 1, result.stderr  # the demo data has failing targets
    assert result.stdout.strip()
