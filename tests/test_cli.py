"""The CLI: exit codes, the table and JSON outputs, and output that survives CI consoles."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plancheck import app

from .conftest import FIXTURES, REPO, run_cli

CATALOGUE = FIXTURES / "catalogue"
JSON_KEYS = {
    "target_id",
    "plan",
    "indicator",
    "region",
    "year",
    "year_inferred",
    "kind",
    "comparator",
    "target_value",
    "target_value_max",
    "target_unit",
    "actual_value",
    "actual_unit",
    "actual_year",
    "status",
    "gap",
    "achievement",
    "soft",
    "hedge",
    "nature",
    "basis",
    "completed",
    "source",
    "actual_source",
    "flag",
    "progress",
}


def check(*args: str | Path) -> object:
    return run_cli("check", "--targets", CATALOGUE, "-a", FIXTURES / "actuals" / "demo.csv", *args)


def test_table_lists_every_target_and_the_summary() -> None:
    result = check()
    assert result.exit_code == 1  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "demo_plan" in out and "示范规划" in out
    for target in ("demo_forest_2015", "demo_railway_2014", "demo_forest_2016"):
        assert target in out
    assert "✓ met" in out and "✗ not_met" in out and "not_met (soft)" in out
    assert "14 targets (as of 2015): 9 met, 4 not_met, 1 insufficient_data; 3 failing" in out
    assert "completion rate 69.2% (9 of 13 due targets met)" in out


def test_piped_table_has_no_colour_codes_and_is_not_cropped() -> None:
    out = check().stdout  # type: ignore[attr-defined]
    assert "\x1b[" not in out
    widest = max(len(line) for line in out.splitlines())
    assert widest > 80  # not clamped to an 80-column console
    assert "…" not in out.replace("… pending", "")  # no cell was cropped with an ellipsis


def test_colour_always_and_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "\x1b[" in check("--color", "always").stdout  # type: ignore[attr-defined]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in check("--color", "auto").stdout  # type: ignore[attr-defined]


def test_json_keys_and_numbers() -> None:
    result = check("--format", "json")
    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert doc["summary"] == {
        "met": 9,
        "not_met": 4,
        "missing": 0,
        "on_track": 0,
        "off_track": 0,
        "insufficient_data": 1,
        "pending": 0,
        "open": 0,
    }
    assert doc["overview"]["completion_rate"] == 0.6923 and doc["plans"]["demo_plan"]["due"] == 13
    assert doc["as_of"] == 2015 and doc["failing"] == 3
    assert all(set(r) == JSON_KEYS for r in doc["results"])
    forest = next(r for r in doc["results"] if r["target_id"] == "demo_forest_2015")
    assert forest["target_value"] == 51.5 and isinstance(forest["target_value"], float)
    assert forest["actual_value"] == 51.5 and forest["gap"] == 0
    assert forest["source"] == {"section": "一(一)1", "quote": "2015年森林覆蓋率達51.50%"}
    assert forest["actual_source"]["row"] == 1
    assert forest["actual_source"]["file"].endswith("demo.csv")
    broadband = next(r for r in doc["results"] if r["target_id"] == "demo_broadband_2015")
    assert broadband["actual_value"] == 22500000 and isinstance(broadband["actual_value"], int)
    railway = next(r for r in doc["results"] if r["target_id"] == "demo_railway_2014")
    assert railway["actual_value"] == "done" and railway["comparator"] is None


def test_status_plan_and_region_filters() -> None:
    doc = json.loads(check("-f", "json", "--status", "met", "--region", "prd").stdout)  # type: ignore[attr-defined]
    assert {r["target_id"] for r in doc["results"]} == {"demo_forest_2015", "demo_rd_2014"}
    # --status chooses what is listed, not the verdict (issue 12): see test_first_contact.py
    assert check("--status", "met").exit_code == 1  # type: ignore[attr-defined]


def test_unknown_plan_or_region_option_is_a_usage_error() -> None:
    result = check("--plan", "demo_plann")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "did you mean 'demo_plan'" in result.stderr  # type: ignore[attr-defined]


def test_exit_code_zero_when_all_due_targets_are_met(tmp_path: Path) -> None:
    data = tmp_path / "ok.csv"
    data.write_text(
        "indicator,region,year,value,unit\nforest_coverage,prd,2015,52,%\n"
        "rd_share,prd,2014,2.6,%\nrd_share,prd,2015,2.7,%\n",
        encoding="utf-8",
    )
    result = run_cli(
        "check", "--targets", CATALOGUE, "-a", data, "--plan", "demo_plan", "--region", "prd"
    )
    assert result.exit_code == 0, result.stdout


def test_bad_usage_is_exit_two() -> None:
    assert run_cli("check", "--format", "yaml").exit_code == 2
    assert run_cli("check", "--as-of", "soon").exit_code == 2


def test_internal_error_is_exit_two_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated")

    monkeypatch.setattr(app, "evaluate", boom)  # the pipeline's evaluation step
    result = check()
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "internal error" in result.stderr and "--debug" in result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    with pytest.raises(ZeroDivisionError):
        check("--debug")


def test_list_shows_every_target_with_its_source_file() -> None:
    result = run_cli("list", "--targets", CATALOGUE)
    assert result.exit_code == 0
    assert "demo_source.txt" in result.stdout and "14 targets in 1 plans" in result.stdout
    doc = json.loads(run_cli("list", "--targets", CATALOGUE, "-f", "json").stdout)
    assert len(doc["targets"]) == 14
    assert {
        "plan",
        "source_file",
        "indicator",
        "region",
        "year",
        "comparator",
        "value",
        "unit",
        "section",
    } <= set(doc["targets"][0])


def _subprocess(args: list[str], **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PYTHONIOENCODING")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "plancheck", *args],
        capture_output=True,
        env=environment,
        cwd=REPO,
        check=False,
    )


def test_gbk_console_gets_ascii_markers_not_unicode_errors() -> None:
    done = _subprocess(
        ["check", "--targets", str(CATALOGUE), "-a", str(FIXTURES / "actuals" / "demo.csv")],
        PYTHONIOENCODING="gbk",
    )
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")
    assert "x not_met" in text and "+ met" in text and "示范规划" in text
    assert b"UnicodeEncodeError" not in done.stderr


def test_ascii_console_does_not_crash() -> None:
    done = _subprocess(
        ["check", "--targets", str(CATALOGUE), "-a", str(FIXTURES / "actuals" / "demo.csv")],
        PYTHONIOENCODING="ascii",
    )
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr


def test_python_dash_m_and_version() -> None:
    done = _subprocess(["--version"])
    assert done.returncode == 0 and done.stdout.decode().strip() == "plancheck 0.1.0"


def test_bundled_example_runs_from_the_repository_root() -> None:
    done = _subprocess(["check"])
    assert done.returncode in (0, 1), done.stderr.decode()
    assert b"targets (as of" in done.stdout


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"], ["-h"]])
def test_start_up_imports_no_heavy_module(args: list[str]) -> None:
    # --version and --help must stay instant: pandas, pyarrow and pint load only in the
    # commands that use them (help in Chinese included, which reads the locale). pydantic is
    # left out: Typer itself imports it to build a command's help.
    import subprocess
    import sys

    script = (
        "import sys\n"
        f"sys.argv = ['plancheck', *{args!r}]\n"
        "from plancheck import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'pyarrow', 'pint') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert "HEAVY []" in done.stderr, done.stderr


# --- choices and routing come from the core's tables -----------------------------------------


def test_every_choice_is_made_from_the_core_tables() -> None:
    import typing

    from plancheck import cli
    from plancheck.catalogue.models import Target
    from plancheck.choices import LANGS, NATURES, STATUSES
    from plancheck.evaluation.progress import METHODS
    from plancheck.formats import FORMAT_SPECS, FORMATS
    from plancheck.progress_methods import PROGRESS_METHODS
    from plancheck.render.i18n import MESSAGES

    assert [m.value for m in cli.Status] == list(STATUSES)
    assert [m.value for m in cli.Nature] == list(NATURES)
    assert [m.value for m in cli.Lang] == list(LANGS)
    assert [m.value for m in cli.Method] == [*PROGRESS_METHODS, "none"]
    assert [m.value for m in cli.ReportFormat] == list(FORMATS)
    assert [m.value for m in cli.ValidateFormat] == [
        "text",
        *(s.name for s in FORMAT_SPECS if s.problems),
    ]
    # ... and the core itself holds the same lists
    assert tuple(METHODS) == tuple(PROGRESS_METHODS)
    nature = typing.get_args(Target.model_fields["nature"].annotation)[0]
    assert typing.get_args(nature) == NATURES
    assert set(MESSAGES) == set(LANGS)
    assert all(f"status.{s}" in MESSAGES[lang] for s in STATUSES for lang in LANGS)


def test_output_routing_comes_from_each_formats_facts() -> None:
    from plancheck.formats import FORMAT_SPECS
    from plancheck.render.problems import PROBLEM_FORMATS
    from plancheck.suffixes import NOT_WRITTEN, REPORT_SUFFIXES

    for spec in FORMAT_SPECS:
        assert all(spec.name in REPORT_SUFFIXES[s] for s in spec.suffixes)
    assert REPORT_SUFFIXES[".json"] == ("json", "gitlab")  # the first listed is inferred
    assert all(REPORT_SUFFIXES[s] == () for s in NOT_WRITTEN)
    assert tuple(s.name for s in FORMAT_SPECS if s.problems) == PROBLEM_FORMATS
    assert "markdown" not in PROBLEM_FORMATS  # read by people: problems go to stderr


def test_a_github_report_file_holds_the_problems_of_a_failed_run(tmp_path: Path) -> None:
    annotations = tmp_path / "annotations.txt"
    annotations.write_text("old", encoding="utf-8")
    result = run_cli(
        "check",
        "--targets",
        CATALOGUE,
        "-a",
        tmp_path / "missing.csv",
        "--report",
        f"github:{annotations}",
    )
    assert result.exit_code == 2
    assert annotations.read_text(encoding="utf-8").startswith("::error file=")


def test_the_csv_bom_is_dropped_only_on_a_console_that_cannot_show_it() -> None:
    script = (
        "import sys, io\n"
        "sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding='{enc}')\n"
        "from plancheck import cli\n"
        "sys.argv = ['plancheck', 'check', '--targets', {cat!r}, '-a', {demo!r}, '-f', 'csv']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "print(sys.stdout.buffer.getvalue()[:3].hex(), file=sys.stderr)\n"
    )
    demo = str(FIXTURES / "actuals" / "demo.csv")
    starts = {}
    for encoding in ("utf-8", "ascii"):
        code = script.format(enc=encoding, cat=str(CATALOGUE), demo=demo)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        starts[encoding] = done.stderr.split()[-1]
    assert starts["utf-8"] == "efbbbf"  # the BOM, for Excel
    assert starts["ascii"] == b"tar".hex()  # the header, without it


# --- reports are written as they are rendered ----------------------------------------------------


def test_an_atomic_write_takes_text_chunks_and_writes_them_as_they_come(tmp_path: Path) -> None:
    from plancheck.output import write_atomically

    target = tmp_path / "r.json"
    seen_on_disk: list[bytes] = []

    big = "第一" * 50_000  # over the file buffer: written through at once

    def chunks() -> object:
        yield big
        # the first chunk is in the temporary file before the second is made
        (staged,) = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        seen_on_disk.append(staged.read_bytes())
        yield "second\n"

    write_atomically([(target, chunks())])  # type: ignore[list-item]
    assert target.read_text(encoding="utf-8") == big + "second\n"
    assert seen_on_disk == [big.encode()]
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_renderer_failing_midway_leaves_every_old_report(tmp_path: Path) -> None:
    from plancheck.output import write_atomically

    first, second = tmp_path / "a.json", tmp_path / "b.csv"
    first.write_text("old a", encoding="utf-8")
    second.write_text("old b", encoding="utf-8")

    def broken() -> object:
        yield "half of it"
        raise ZeroDivisionError("the renderer broke")

    with pytest.raises(ZeroDivisionError):
        write_atomically([(first, ["new a"]), (second, broken())])  # type: ignore[list-item]
    assert first.read_text(encoding="utf-8") == "old a"
    assert second.read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv"]


def test_stdout_is_written_chunk_by_chunk_in_its_encoding() -> None:
    from plancheck.output import _write_chunks

    raw = io.BytesIO()
    gbk = io.TextIOWrapper(raw, encoding="gbk")
    _write_chunks(gbk, ["广东 ✓ ", "done\n"])
    assert raw.getvalue().decode("gbk") == "广东 ? done\n"  # what GBK cannot hold is replaced
    raw = io.BytesIO()
    utf8 = io.TextIOWrapper(raw, encoding="utf-8")
    utf8.write("before ")
    _write_chunks(utf8, (c for c in ["广东 ✓ ", "bad \udc80\n"]))
    assert raw.getvalue() == "before 广东 ✓ bad ?\n".encode()


def test_chunks_made_as_utf8_go_to_a_utf8_stdout_as_those_bytes() -> None:
    from plancheck.output import _write_chunks
    from plancheck.render.columns import Utf8Chunks

    whole = "广东 ✓\n".encode()
    # Split inside a character: read as text, the first chunk would not decode.
    made = Utf8Chunks(iter([memoryview(whole)[:2], whole[2:]]))
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")  # kept: closing it would close raw
    _write_chunks(stream, made)
    assert raw.getvalue() == whole


def test_a_json_report_on_stdout_is_the_file_written_with_output(
    tmp_path: Path, demo_actuals: Path
) -> None:
    written = tmp_path / "report.json"
    args = ["check", "--targets", str(FIXTURES / "catalogue"), "--actuals", str(demo_actuals)]
    command = [sys.executable, "-m", "plancheck", *args, "--as-of", "2015", "-f", "json"]
    env = {**os.environ, "PLANCHECK_CACHE_DIR": str(tmp_path / "cache")}
    printed = subprocess.run(command, capture_output=True, env=env, check=False)
    subprocess.run([*command, "-o", str(written)], env=env, check=False)
    assert printed.stdout == written.read_bytes()
    assert printed.stdout.startswith(b"{")


def test_a_signal_while_a_report_streams_stops_it_at_the_next_chunk(tmp_path: Path) -> None:
    import signal

    from plancheck.output import write_atomically

    if not hasattr(signal, "SIGTERM"):
        pytest.skip("no SIGTERM here")
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    made: list[int] = []

    def chunks() -> object:
        for number in range(1000):
            made.append(number)
            if number == 1:
                os.kill(os.getpid(), signal.SIGTERM)  # noted, acted on when staging stops
            yield "chunk\n"

    with pytest.raises(SystemExit) as stopped:
        write_atomically([(target, chunks())])  # type: ignore[list-item]
    assert stopped.value.code == 128 + signal.SIGTERM
    assert len(made) == 2  # nothing more was rendered once the signal came
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
