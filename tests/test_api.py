"""The Python API: plancheck.check → an outcome whose report and renderings are the CLI's own."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import plancheck
from plancheck import app
from plancheck.problems import Problem

from .conftest import FIXTURES, REPO, run_cli

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"
YEARBOOK = REPO / "tests" / "data" / "yearbook" / "yearbook_2015.xlsx"


def test_the_readme_example_prints_what_the_readme_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    code, shown = re.findall(r"```(?:python|text)\n(.*?)```", section, re.S)[:2]
    monkeypatch.chdir(REPO)  # the example names the repository's targets/ and actuals/
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {})
    assert printed.getvalue() == shown


def test_import_plancheck_stays_light_until_the_api_is_used() -> None:
    script = (
        "import sys\n"
        "import plancheck\n"
        "light = not any(m in sys.modules for m in ('pandas', 'pyarrow', 'pint', 'plancheck.app'))\n"
        "plancheck.check\n"
        "print(light, 'pandas' in sys.modules, plancheck.__version__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True", plancheck.__version__]


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        plancheck.no_such_thing  # noqa: B018


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "junit", "table"])
def test_a_rendering_by_name_is_the_cli_output(fmt: str) -> None:
    outcome = plancheck.check(CATALOGUE, DEMO, as_of=2015)
    cli = run_cli("check", "--targets", CATALOGUE, "-a", DEMO, "--as-of", "2015", "-f", fmt)
    assert outcome.exit_code == cli.exit_code == 1
    assert outcome.render(fmt) == cli.stdout
    assert "".join(outcome.render_chunks(fmt)) == outcome.render(fmt)


def test_a_page_with_charts_needs_its_series_and_never_comes_without_them() -> None:
    bare = plancheck.check(CATALOGUE, DEMO, as_of=2015)
    with pytest.raises(ValueError, match="chart_series=True"):
        bare.render("html")
    page = plancheck.check(CATALOGUE, DEMO, as_of=2015, chart_series=True).render("html")
    cli = run_cli("report", "--targets", CATALOGUE, "-a", DEMO, "--as-of", "2015", "-o", "-")
    assert page == cli.stdout and "<svg" in page


def test_the_options_are_the_cli_options() -> None:
    every = plancheck.check(CATALOGUE, [DEMO], as_of=2015)
    listed = plancheck.check(CATALOGUE, [DEMO], as_of=2015, statuses=["not_met"])
    assert set(listed.report.results["status"]) == {"not_met"}
    assert listed.report.summary() == every.report.summary()  # --status lists, never judges
    never = plancheck.check(CATALOGUE, DEMO, as_of=2015, fail_on=())
    assert never.exit_code == 0
    pending = plancheck.check(CATALOGUE, DEMO, as_of=2013, method=None)
    assert pending.report.results["progress_method"].isna().all()


def test_what_was_read_comes_back_with_the_report() -> None:
    outcome = plancheck.check(REPO / "targets", YEARBOOK, as_of=2015, skip_unknown=True)
    assert outcome.actuals.files and outcome.actuals.details
    assert any(n.type == "skipped-unknown-indicator" for n in outcome.actuals.notices)
    assert outcome.catalogue.plans


def test_bad_input_raises_every_problem_as_values(tmp_path: Path) -> None:
    with pytest.raises(plancheck.InputError) as err:
        plancheck.check(CATALOGUE, tmp_path / "missing.csv")
    assert [p.type for p in err.value.problems] == ["missing-file"]
    with pytest.raises(plancheck.InputError) as err:
        plancheck.check(CATALOGUE, DEMO, plans=["demo_plam"])
    (problem,) = err.value.problems
    assert problem.type == "usage-error" and "demo_plan" in (problem.hint or "")


def test_the_observer_hears_the_reading_and_what_was_read() -> None:
    heard: list[object] = []

    class Listener:
        def reading(self, path: str, done: int, total: int) -> None:
            heard.append((done, total))

        def read(self, summary: app.ReadSummary) -> None:
            heard.append(summary)

    outcome = plancheck.run(plancheck.Request(CATALOGUE, (DEMO,)), Listener())
    assert (1, 1) in heard
    assert heard[-1] == outcome.actuals  # told once, after every file is read


def test_a_request_defaults_to_the_folders_the_cli_uses() -> None:
    request = plancheck.Request()
    assert request.actuals_paths == [Path("actuals")]
    assert (request.catalogue_dir / "plans").is_dir()
    assert isinstance(plancheck.Problem("usage-error", "x"), Problem)
    assert "json" in plancheck.FORMATS


# --- docs/extending.md: its two worked examples work as the document says ----------------------

EXTENDING = REPO / "docs" / "extending.md"


def _examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", EXTENDING.read_text(encoding="utf-8"), re.S)


def _module(name: str, code: str) -> types.ModuleType:
    """The document's module as if it were the file it names (its relative imports work)."""
    module = types.ModuleType(name)
    module.__package__ = name.rpartition(".")[0]
    exec(compile(code, str(EXTENDING), "exec"), module.__dict__)
    return module


def test_a_new_output_format_is_one_module_and_one_registry_line(tmp_path: Path) -> None:
    renderer, line = _examples()[:2]
    # A fresh interpreter: the registry line is added before the CLI is built from the registry.
    script = (
        "import sys, types\n"
        "from plancheck import formats\n"
        f"spec = eval({line.strip().rstrip(',')!r}, {{'FormatSpec': formats.FormatSpec}})\n"
        "formats.FORMAT_SPECS = (*formats.FORMAT_SPECS, spec)\n"
        "formats.SPECS[spec.name] = spec\n"
        "formats.FORMATS[spec.name] = spec.module\n"
        "module = types.ModuleType('plancheck.render.tsv')\n"
        "module.__package__ = 'plancheck.render'\n"
        "sys.modules[module.__name__] = module\n"
        f"exec({renderer!r}, module.__dict__)\n"
        "from plancheck import cli\n"
        "cli.main()\n"
    )
    out = tmp_path / "results.tsv"
    command = [sys.executable, "-c", script, "check", "--targets", str(CATALOGUE), "-a", str(DEMO)]
    done = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr  # the suffix chose the format: no --format given
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "target_id\tregion\tyear\tstatus\tactual_value"
    outcome = plancheck.check(CATALOGUE, DEMO)
    assert len(lines) == 1 + len(outcome.report.results)
    assert [row.split("\t")[3] for row in lines[1:]] == list(outcome.report.results["status"])
    helped = subprocess.run(
        [*command[:3], "check", "--help"], capture_output=True, text=True, check=True
    )
    assert "tsv" in helped.stdout


def test_a_new_reader_is_one_module_and_one_registry_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import json

    from plancheck.readers import READERS

    code, line = _examples()[2:4]
    module = _module("plancheck.readers.jsonl_reader", code)
    assert "JsonLinesReader()" in line
    monkeypatch.setitem(READERS, "jsonl", module.JsonLinesReader())
    with DEMO.open(encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream))
    figures = tmp_path / "figures.jsonl"
    figures.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    from_jsonl = plancheck.check(CATALOGUE, figures, as_of=2015).report.results
    from_csv = plancheck.check(CATALOGUE, DEMO, as_of=2015).report.results
    assert list(from_jsonl["status"]) == list(from_csv["status"])
    assert list(from_jsonl["actual_value"]) == list(from_csv["actual_value"])
    # a cell that is not a number is refused with its line, as in any other format
    records[2]["value"] = "lots"
    figures.write_text("\n".join(json.dumps(r) for r in records) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(plancheck.InputError) as err:
        plancheck.check(CATALOGUE, figures)
    assert [(p.type, p.line) for p in err.value.problems] == [("invalid-json", 15)]
    figures.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with pytest.raises(plancheck.InputError) as err:
        plancheck.check(CATALOGUE, figures)
    assert [(p.type, p.line) for p in err.value.problems] == [("type-error", 3)]
