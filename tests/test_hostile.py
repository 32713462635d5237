"""Hostile text from submissions and catalogue edits never reaches an output raw (issue 11).

Random strings full of control characters, terminal escapes (OSC 52 clipboard writes), forged
GitHub workflow commands, spreadsheet formula prefixes, bidi overrides and invisible characters
go into region, indicator and plan names, quotes, sections, observation flags and the actuals
file's own name; the report is built by the normal pipeline and rendered in every format. No
output may carry a raw control character (only its own newlines), a live formula, or extra
lines, and every output must still parse (XML, JSON, CSV).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from plancheck.app import Request, run
from plancheck.evaluation import EvaluationOptions
from plancheck.formats import FORMATS
from plancheck.problems import InputError
from plancheck.readers import ReadOptions
from plancheck.render import Names, RenderOptions, renderer
from plancheck.text import HIDDEN_CLASS, is_formula

from .conftest import FIXTURES, run_cli

HIDDEN_BUT_NEWLINE = re.compile(f"(?!\n)[{HIDDEN_CLASS}]")
PAYLOADS = (
    "x\n::error file=README.md,line=1::FAKE",
    "\n::stop-commands::pwned\n",
    "\r\n::add-mask::secret",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "\x1b[2J\x1b]0;title\x07\x1b[8mhidden",
    "\x9b31mC1",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "txt.\u202eexe",
    "zero\u200bwidth\ufeff",
    "[link=http://evil.example]markup[/link]",
    "<script>alert(1)</script>&amp;",
    "%0A::error::escaped %25",
)
# Characters a YAML double-quoted string (and a UTF-8 CSV) can hold: no surrogates.
ANY_CHAR = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00", max_codepoint=0xE007F
)
HOSTILE = st.lists(
    st.one_of(st.sampled_from(PAYLOADS), st.text(ANY_CHAR, min_size=1, max_size=12)),
    min_size=1,
    max_size=3,
).map("".join)
FILE_NAME = "a\n::error::x\x1b]52;c;QQ==\x07\u202e=1+1.csv"
WORK = Path(tempfile.mkdtemp(prefix="plancheck-hostile-"))
TEXT_FORMATS = ("table", "markdown", "github", "csv", "junit", "gitlab", "json", "html")


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar in ASCII: every other character as a \\u or \\U escape."""
    return (
        '"'
        + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text)
        + '"'
    )


def hostile_catalogue(folder: Path, text: str) -> Path:
    """The fixture catalogue with ``text`` as names, a title, a quote and a section."""
    shutil.copytree(FIXTURES / "catalogue", folder)
    quoted = yaml_quoted(text)
    for name, old, new in (
        ("regions.yaml", "name_en: Guangdong", f"name_en: {quoted}"),
        ("regions.yaml", "name_zh: 广东省", f"name_zh: {quoted}"),
        ("indicators.yaml", "name_en: Forest coverage rate", f"name_en: {quoted}"),
        ("plans/demo_plan.yaml", "title_en: Demonstration plan", f"title_en: {quoted}"),
        ("plans/demo_plan.yaml", "quote: 2014年達2.6%", f"quote: {quoted}"),
        (
            "plans/demo_plan.yaml",
            "section: 一(二)1, quote: 2015年達2.7%",
            f"section: {quoted}, quote: 2015年達2.7%",
        ),
    ):
        path = folder / name
        content = path.read_text(encoding="utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return folder


def hostile_actuals(folder: Path, text: str, region: str = "prd") -> Path:
    folder.mkdir(parents=True)
    with (folder / FILE_NAME).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["indicator", "region", "year", "value", "unit", "flag", "note"])
        writer.writerow(["forest_coverage", "prd", "2015", "51", "%", text, text])
        writer.writerow(["rd_share", region, "2015", "2.69", "%", text, ""])
        writer.writerow(["railway_opened", "guangdong", "2014", "done", "", "", text])
    return folder


def render_all(catalogue_dir: Path, actuals_dir: Path) -> dict[str, str]:
    outcome = run(
        Request(catalogue_dir, (actuals_dir,), ReadOptions(), EvaluationOptions(chart_series=True))
    )
    catalogue, report = outcome.catalogue, outcome.report
    options = RenderOptions(names=Names.from_catalogue(catalogue))
    return {fmt: renderer(fmt)(report, options) for fmt in TEXT_FORMATS}


def assert_clean(output: str, where: str) -> None:
    raw = HIDDEN_BUT_NEWLINE.search(output.removeprefix("\ufeff"))
    assert raw is None, f"{where}: raw {raw.group()!r} at {raw.start()}"  # type: ignore[union-attr]


def _baseline() -> dict[str, str]:
    folder = WORK / "baseline"
    actuals = hostile_actuals(folder / "actuals", "p")
    return render_all(FIXTURES / "catalogue", actuals)


BASELINE = _baseline()


def test_every_format_is_in_the_hostile_test() -> None:
    assert set(TEXT_FORMATS) == set(FORMATS)


def check_outputs(outputs: dict[str, str], text: str) -> None:
    for fmt, output in outputs.items():
        assert_clean(output, fmt)
        if fmt in ("table", "markdown", "github", "csv"):  # no value adds or removes a line
            assert output.count("\n") == BASELINE[fmt].count("\n"), fmt
    for line in outputs["github"].splitlines():
        assert re.match(r"::(error|warning|notice)( [^:]*)?::", line), line
    rows = list(csv.reader(io.StringIO(outputs["csv"].removeprefix("\ufeff"))))
    assert len(rows) == len(list(csv.reader(io.StringIO(BASELINE["csv"]))))
    assert all(len(row) == len(rows[0]) for row in rows)
    formulas = [cell for row in rows[1:] for cell in row if is_formula(cell)]
    assert formulas == []
    ET.fromstring(outputs["junit"])
    json.loads(outputs["gitlab"])
    document = json.loads(outputs["json"])
    # JSON stays exact: the flag comes back as it was read (the reader strips padding).
    flags = [r["flag"] for r in document["results"] if r["target_id"] == "demo_forest_2015"]
    assert flags in ([text], [text.strip()], [None])
    assert flags != [None] or not text.strip()
    assert outputs["html"].count("<script") == BASELINE["html"].count("<script")


@settings(
    max_examples=int(os.environ.get("PLANCHECK_HOSTILE_EXAMPLES", "25")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking rebuilds whole reports
)
@given(text=HOSTILE)
def test_hostile_text_never_reaches_an_output_raw(text: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=WORK))
    catalogue_dir = hostile_catalogue(folder / "catalogue", text)
    actuals_dir = hostile_actuals(folder / "actuals", text)
    try:
        outputs = render_all(catalogue_dir, actuals_dir)
    except InputError:  # the catalogue refused a name: then the problems are the output
        result = run_cli("check", "--targets", catalogue_dir, "-a", actuals_dir)
        assert result.exit_code == 2
        assert_clean(result.stderr, "problems")
        assert not any(line.startswith("::") for line in result.stderr.splitlines())
        return
    check_outputs(outputs, text)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_known_payload_through_every_format(payload: str, tmp_path: Path) -> None:
    catalogue_dir = hostile_catalogue(tmp_path / "catalogue", payload)
    actuals_dir = hostile_actuals(tmp_path / "actuals", payload)
    check_outputs(render_all(catalogue_dir, actuals_dir), payload)


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_problem_messages_show_hostile_cells_visibly(payload: str, tmp_path: Path) -> None:
    """A hostile region cell is a problem; the message quotes it on one line, escapes shown."""
    actuals_dir = hostile_actuals(tmp_path / "actuals", "p", region=payload)
    for command in ("check", "validate"):
        args = ["--targets", FIXTURES / "catalogue"] if command == "check" else []
        target = (
            ["-a", actuals_dir] if command == "check" else [FIXTURES / "catalogue", actuals_dir]
        )
        result = run_cli(command, *args, *target)
        assert result.exit_code == 2, result.stderr
        assert_clean(result.stderr, command)
        assert "unknown" in result.stderr
        assert not any(line.startswith("::") for line in result.stderr.splitlines())


def test_validate_and_list_show_hostile_names_visibly(tmp_path: Path) -> None:
    catalogue_dir = hostile_catalogue(tmp_path / "catalogue", "\x1b]52;c;QQ==\x07[b]x[/b]\u202e")
    actuals_dir = hostile_actuals(tmp_path / "actuals", "p")
    validated = run_cli("validate", catalogue_dir, actuals_dir)
    assert validated.exit_code == 0, validated.stderr
    assert_clean(validated.stdout, "validate")
    assert "a\\n::error::x\\x1b]52;c;QQ==\\x07\\u202e=1+1.csv" in validated.stdout
    listed = run_cli("list", "--targets", catalogue_dir)
    assert listed.exit_code == 0
    assert_clean(listed.stdout, "list")
    assert "\\x1b]52;c;QQ==\\x07[b]x[/b]\\u202e" in listed.stdout  # not read as Rich markup


def test_lone_surrogates_in_results_are_shown_and_every_output_encodes(tmp_path: Path) -> None:
    """Undecodable bytes kept as lone surrogates must not make a report unwritable."""
    actuals_dir = hostile_actuals(tmp_path / "actuals", "p")
    outcome = run(
        Request(
            FIXTURES / "catalogue",
            (actuals_dir,),
            ReadOptions(),
            EvaluationOptions(chart_series=True),
        )
    )
    catalogue, report = outcome.catalogue, outcome.report
    results = report.results.copy()
    results["flag"] = results["flag"].astype(object)
    results.loc[results.index[0], "flag"] = "bad\udc80\udcff"
    results["actual_file"] = (
        results["actual_file"].astype(object).where(results["actual_file"].isna(), "file\udc9b.csv")
    )
    report = dataclasses.replace(report, results=results)
    names = Names(
        {k: ("指标\udc80", "indicator\udc80") for k in catalogue.indicators},
        {k: ("地区\udcff", "region\udcff") for k in catalogue.regions},
    )
    for fmt in TEXT_FORMATS:
        output = renderer(fmt)(report, RenderOptions(names=names))
        output.encode("utf-8")  # strict: a lone surrogate would raise here
        assert_clean(output, fmt)
    document = json.loads(renderer("json")(report, RenderOptions(names=names)))
    assert document["results"][0]["flag"] == "bad\udc80\udcff"
