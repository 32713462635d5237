"""The Python API: plancheck.check → an outcome whose report and renderings are the CLI's own."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
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
