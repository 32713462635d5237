"""Issue 12: the documented paths work as a new user and a CI engineer find them.

Usage conventions (-h, metavars, completion, FORCE_COLOR, singular counts), file names that
say the format, zero selected targets, display filters that leave the verdict alone, and the
CI formats (annotation order and lines, JUnit soft misses).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.evaluation import EvaluationOptions, evaluate
from plancheck.render import RenderOptions, renderer

from .conftest import FIXTURES, REPO, run_cli
from .test_reports import annotations

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"
FORMATS = ("table", "json", "csv", "markdown", "junit", "github", "gitlab", "html")


def check(*args: str | Path):  # type: ignore[no-untyped-def]
    return run_cli("check", "--targets", CATALOGUE, "-a", DEMO, *args)


# --- usage conventions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["", "check", "report", "list", "validate", "template", "schema", "coverage"]
)
def test_dash_h_is_help_and_metavars_are_plain_words(command: str) -> None:
    result = run_cli(*([command] if command else []), "-h")
    assert result.exit_code == 0 and "Usage:" in result.stdout
    # Typer's "<list[Path]>" / "<int>" type names are not metavars a user can read
    assert not re.search(r"<[a-z][\w\[\]|., ]*>", result.stdout), result.stdout


def test_shell_completion_is_offered() -> None:
    assert "--install-completion" in run_cli("--help").stdout


def test_force_color_colours_a_piped_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\x1b[" not in check().stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in check().stdout
    assert "\x1b[" not in check("--color", "never").stdout
    monkeypatch.setenv("NO_COLOR", "1")  # no-color.org wins over FORCE_COLOR
    assert "\x1b[" not in check().stdout


def test_one_target_is_singular(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    doc = json.loads(run_cli("check", "-f", "json").stdout)
    counts: dict[tuple[str, str], int] = {}
    for result in doc["results"]:
        key = (result["plan"], result["region"])
        counts[key] = counts.get(key, 0) + 1
    plan, region = next(key for key, n in counts.items() if n == 1)
    out = run_cli("check", "--plan", plan, "--region", region, "-q", "--lang", "en").stdout
    assert out.startswith("1 target (as of"), out


# --- output file names say the format ---------------------------------------------------------


def test_output_suffix_gives_the_format(tmp_path: Path) -> None:
    for name, parse in (
        ("r.json", lambda t: json.loads(t)["results"]),
        ("r.csv", lambda t: t.startswith("\ufefftarget_id,")),
        ("r.xml", lambda t: t.startswith("<?xml")),
        ("r.md", lambda t: t.startswith("### ")),
        ("r.html", lambda t: "<html" in t),
    ):
        path = tmp_path / name
        assert check("-o", path).exit_code == 1
        assert parse(path.read_text(encoding="utf-8")), name
    # gitlab's Code Quality report is JSON too
    assert check("-f", "gitlab", "-o", tmp_path / "gl.json").exit_code == 1


def test_output_suffix_contradicting_the_format_is_refused(tmp_path: Path) -> None:
    result = check("-f", "table", "-o", tmp_path / "r.json")
    assert result.exit_code == 2 and "usage-error" in result.stderr and "r.json" in result.stderr
    assert not (tmp_path / "r.json").exists()
    result = check("--report", f"csv:{tmp_path / 'r.xml'}")
    assert result.exit_code == 2 and "--report 'r.xml'" in result.stderr
    assert check("-o", tmp_path / "r.xlsx").exit_code == 2


def test_template_suffix_gives_the_format_and_xls_is_refused(tmp_path: Path) -> None:
    xlsx = tmp_path / "t.xlsx"
    assert run_cli("template", "--targets", CATALOGUE, "-o", xlsx).exit_code == 0
    assert xlsx.read_bytes()[:2] == b"PK"
    xls = tmp_path / "t.xls"
    result = run_cli("template", "--targets", CATALOGUE, "-o", xls)
    assert result.exit_code == 2 and ".xls" in result.stderr and ".xlsx" in result.stderr
    assert not xls.exists()
    wrong = run_cli("template", "--targets", CATALOGUE, "-f", "xlsx", "-o", tmp_path / "t.csv")
    assert wrong.exit_code == 2


# --- selections -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_filter_selecting_no_target_is_reported_not_a_crash(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", "--nature", "binding", "-f", fmt, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    if fmt in ("table", "markdown", "github"):
        assert "no targets selected" in result.stdout and "--nature binding" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["overview"]["total"] == 0


def test_status_lists_but_does_not_change_the_verdict() -> None:
    full = check("-q").stdout
    for statuses in (["met"], ["not_met"], ["pending", "open"]):
        args = [a for s in statuses for a in ("--status", s)]
        listed = check(*args)
        assert listed.exit_code == 1  # the fixture's run fails, whatever is listed
        assert listed.stdout.splitlines()[-1] == full.splitlines()[-1]  # same summary line
        assert "list filtered by --status" in listed.stdout
        doc = json.loads(check("-f", "json", *args).stdout)
        assert doc["listed"]["statuses"] == statuses
        assert {r["status"] for r in doc["results"]} <= set(statuses)
        assert doc["overview"]["total"] == doc["listed"]["of"] > doc["listed"]["count"]
        markdown = check("-f", "markdown", *args).stdout
        assert (
            "list filtered by \\-\\-status" in markdown or "list filtered by --status" in markdown
        )
    assert json.loads(check("-f", "json").stdout)["listed"] is None


# --- GitHub annotations -----------------------------------------------------------------------


def test_annotations_most_severe_first_and_counted_when_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    found = annotations(run_cli("check", "-f", "github", "--lang", "en").stdout)
    errors = [a for a in found if a[0] == "error"]
    assert len(errors) == 10
    statuses = [a[1]["title"].split()[1] for a in errors[:-1]]
    assert statuses[0] == "not_met"  # the bundled data's 6 misses are not crowded out
    assert statuses.count("not_met") == 6
    order = {"not_met": 0, "off_track": 1, "missing": 2}
    assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)
    assert re.fullmatch(
        r"… and \d+ more failing targets not annotated \(\d+ missing\): see the full report",
        errors[-1][2],
    )
    warnings = [a for a in found if a[0] == "warning"]
    assert warnings[0][1]["title"].endswith("off_track")


def test_quiet_github_keeps_the_annotations() -> None:
    loud = annotations(check("-f", "github").stdout)
    quiet = annotations(check("-f", "github", "-q").stdout)
    assert quiet == loud and any(a[0] == "error" for a in quiet)


def test_annotations_use_the_physical_line_when_the_actuals_carry_it() -> None:
    catalogue = load_catalogue(CATALOGUE)
    data = read_actuals([DEMO], catalogue)
    # As after a quoted two-line cell above: every row sits two lines lower than row + 1.
    data.table["line"] = data.table["row"] + 3
    data.table["cell"] = None
    report = evaluate(catalogue, data, EvaluationOptions(as_of=2015))
    rd = report.results[report.results["target_id"] == "demo_rd_2015"].iloc[0]
    assert int(rd["actual_row"]) == 3 and int(rd["actual_line"]) == 6
    text = renderer("github")(report, RenderOptions())
    assert "line=6,title=demo_rd_2015 not_met" in text
    gitlab = json.loads(renderer("gitlab")(report, RenderOptions()))
    issue = next(i for i in gitlab if "demo_rd_2015" in i["description"])
    assert issue["location"]["lines"]["begin"] == 6
    doc = json.loads(renderer("json")(report, RenderOptions()))
    source = next(r for r in doc["results"] if r["target_id"] == "demo_rd_2015")["actual_source"]
    assert source == {"file": str(DEMO), "row": 3, "line": 6, "cell": None}
    assert "row 3 (line 6)" in renderer("junit")(report, RenderOptions())
    import csv
    import io

    rows = csv.DictReader(io.StringIO(renderer("csv")(report, RenderOptions()).lstrip("\ufeff")))
    rd = next(r for r in rows if r["target_id"] == "demo_rd_2015")
    assert (rd["actual_source_row"], rd["actual_source_line"]) == ("3", "6")
    # read as it is, the demo file has no blank line and no multi-line cell: row + 1
    plain = evaluate(catalogue, read_actuals([DEMO], catalogue), EvaluationOptions(as_of=2015))
    assert "line=4,title=demo_rd_2015 not_met" in renderer("github")(plain, RenderOptions())
    judged = plain.results.dropna(subset=["actual_row"])
    assert (judged["actual_line"] == judged["actual_row"].astype("int64") + 1).all()


# --- bad input where CI looks -----------------------------------------------------------------


def bad_actuals(tmp_path: Path) -> Path:
    """The demo figures and a row whose value is not a number."""
    path = tmp_path / "bad.csv"
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    header = lines[0]
    assert header.startswith("indicator,region,year,value")
    path.write_text(
        "\n".join([*lines, "forest_coverage,prd,2016,六十,%,,"]) + "\n", encoding="utf-8"
    )
    return path


def test_input_problems_are_annotations_with_github_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("PLANCHECK_FORMAT", "github")
    bad = bad_actuals(tmp_path)
    junit, gitlab = tmp_path / "j.xml", tmp_path / "gl.json"
    result = run_cli(
        "check", "--targets", CATALOGUE, "-a", bad,
        "--report", f"junit:{junit}", "--report", f"gitlab:{gitlab}", "--report", f"csv:{tmp_path / 'r.csv'}",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "type-error" in result.stderr  # the human list stays on stderr
    found = annotations(result.stdout)
    error = next(a for a in found if a[0] == "error")
    line = len(DEMO.read_text(encoding="utf-8").splitlines()) + 1
    assert error[1] == {"file": str(bad), "line": str(line), "title": "plancheck type-error"}
    assert "'六十' is not a number" in error[2] and "hint: expected a number" in error[2]
    assert found[-1][0] == "notice" and "1 problems in the input" not in found[-1][2]
    assert "type-error" in summary.read_text(encoding="utf-8")
    # the machine-read report files carry the problem; the others are not written
    import xml.etree.ElementTree as ET

    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type") == "type-error"
    (issue,) = json.loads(gitlab.read_text(encoding="utf-8"))
    assert issue["check_name"] == "plancheck/type-error" and issue["severity"] == "blocker"
    assert issue["location"] == {"path": str(bad), "lines": {"begin": line}}
    assert not (tmp_path / "r.csv").exists()


def test_input_problems_as_json_and_validate_formats(tmp_path: Path) -> None:
    bad = bad_actuals(tmp_path)
    result = run_cli("check", "--targets", CATALOGUE, "-a", bad, "-f", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 2 and doc["problems"][0]["type"] == "type-error"
    assert doc["problems"][0]["row"] == len(DEMO.read_text(encoding="utf-8").splitlines())
    for fmt in ("json", "github", "gitlab", "junit"):
        refused = run_cli("validate", "--targets", CATALOGUE, bad, "-f", fmt)
        assert refused.exit_code == 2 and "type-error" in refused.stdout, fmt
        clean = run_cli("validate", "--targets", CATALOGUE, DEMO, "-f", fmt)
        assert clean.exit_code == 0, clean.stderr
    assert (
        json.loads(run_cli("validate", "--targets", CATALOGUE, DEMO, "-f", "json").stdout)[
            "problems"
        ]
        == []
    )


def test_step_summary_is_capped_with_a_pointer_to_the_artifact() -> None:
    from plancheck.render.markdown import STEP_SUMMARY_LIMIT, capped_summary

    row = "| x | " + "森" * 200 + " |\n"
    text = "### report\n\n" + row * 3000  # ~1.8 MB
    capped = capped_summary(text, "en")
    assert len(capped.encode("utf-8")) <= STEP_SUMMARY_LIMIT
    assert capped.startswith("### report") and "artifacts" in capped and "1 MiB" in capped
    body = capped[: capped.index("\n> ")]
    assert body.endswith(row.rstrip("\n")) or body.endswith(row)  # cut at a line
    assert capped_summary("short\n", "en") == "short\n"


def test_problems_in_chinese(tmp_path: Path) -> None:
    bad = bad_actuals(tmp_path)
    result = run_cli("check", "--targets", CATALOGUE, "-a", bad, "--lang", "zh")
    assert result.exit_code == 2
    assert "输入中有 1 个问题" in result.stderr
    assert "'六十' 不是数字" in result.stderr and "提示: 应为数字" in result.stderr
    assert "type-error" in result.stderr  # the type stays the stable key
    assert "is not a number" not in result.stderr


def test_pre_commit_data_hook_reads_the_changed_file_with_the_unchanged_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex
    import shutil

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "plancheck-data")
    shutil.copytree(CATALOGUE, tmp_path / "targets")
    (tmp_path / "actuals").mkdir()
    header = "indicator,region,year,value,unit\n"
    (tmp_path / "actuals" / "old.csv").write_text(header + "forest_coverage,prd,2015,51.6,%\n")
    changed = tmp_path / "actuals" / "new.csv"
    changed.write_text(header + "forest_coverage,prd,2015,52,%\n")  # conflicts with old.csv
    monkeypatch.chdir(tmp_path)
    assert re.search(hook["files"], "actuals/new.csv")
    # as pre-commit runs it: the entry, the hook's args, and the changed files if it takes them
    command = [*shlex.split(hook["entry"])[1:], *hook.get("args", [])]
    if hook.get("pass_filenames", True):
        command.append("actuals/new.csv")
    result = run_cli(*command)
    assert result.exit_code == 2 and "conflicting-actuals" in result.stderr
    assert "actuals/old.csv" in result.stderr
    (tmp_path / "actuals" / "old.csv").write_text(header + "forest_coverage,prd,2015,52,%\n")
    assert run_cli(*command).exit_code == 0


# --- illustrative figures and colours ---------------------------------------------------------


def test_bundled_illustrative_rows_carry_the_flag_not_a_note() -> None:
    import csv

    flagged = 0
    for path in sorted((REPO / "actuals").glob("*.csv")):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            assert not (row.get("note") or "").startswith("illustrative"), path.name
            flagged += "illustrative" in (row.get("flag") or "").split(",")
    prd = (REPO / "actuals" / "prd-integration-2014-2015.csv").read_text(encoding="utf-8")
    assert prd.count(",illustrative,") == 18
    assert flagged >= 18


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_an_illustrative_figure(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    out = run_cli(
        "check", "--plan", "prd_integration_2014_2015", "--as-of", "2015", "-f", fmt, "--lang", "en"
    ).stdout
    if fmt == "json":
        doc = json.loads(out)
        rd = next(
            r for r in doc["results"] if r["target_id"] == "prd1415_rd_expenditure_gdp_ratio_2015"
        )
        assert rd["flag"] == "illustrative"
        forest = next(r for r in doc["results"] if r["target_id"] == "prd1415_forest_coverage_2015")
        assert forest["flag"] is None  # a published figure
    elif fmt == "html":
        assert '<tr class="illustrative"' in out or 'class="illustrative"' in out
        assert "badge-illustrative" in out
    else:
        assert "illustrative" in out, fmt
    if fmt in ("table", "markdown"):
        assert "the figure is illustrative, not a published or submitted one" in out


def test_missing_has_its_own_colour_in_html() -> None:
    from plancheck.render.html_report import STATUS_COLORS

    assert STATUS_COLORS["missing"] not in {
        STATUS_COLORS[s] for s in ("pending", "open", "insufficient_data", "met", "not_met")
    }


# --- help in Chinese --------------------------------------------------------------------------


def test_help_in_chinese_with_lang_or_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    zh = run_cli("check", "--lang", "zh", "--help").stdout
    assert "将目录中的目标与实际数据比较" in zh and "只列出该状态的结果" in zh
    assert "--status STATUS" in zh  # option names and metavars stay as typed
    assert "Compare the catalogue's targets" in run_cli("check", "--help").stdout
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "对照报送的实际数据检查政府规划目标" in run_cli("--help").stdout
    assert "Compare the catalogue's targets" in run_cli("check", "--lang", "en", "-h").stdout


def test_every_help_text_has_a_chinese_translation() -> None:
    import typer.main

    from plancheck.cli import app
    from plancheck.help_zh import translate

    assert translate(typer.main.get_command(app)) == []
