"""The commands whose output must stay byte-identical across refactors (tests/test_golden.py).

Each case is a name and plancheck's arguments, run from the repository root on the bundled
catalogue and actuals (and the yearbook example). ``python tests/golden_cases.py`` rewrites
tests/golden/ from the current code: run it only when a change of output is intended, and
read the diff.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("table", "json", "csv", "markdown", "junit", "github", "gitlab", "html")
AS_OF = ("2013", "2015", "2020")
YEARBOOK = "tests/data/yearbook/yearbook_2015.xlsx"


def cases() -> dict[str, list[str]]:
    runs: dict[str, list[str]] = {}
    for year in AS_OF:
        for fmt in FORMATS:
            runs[f"check-{fmt}-{year}"] = ["check", "--as-of", year, "-f", fmt, "--lang", "en"]
    for fmt in ("table", "markdown", "html", "csv"):
        runs[f"check-{fmt}-2015-zh"] = ["check", "--as-of", "2015", "-f", fmt, "--lang", "zh"]
    for method in ("linear", "eurostat", "unsd", "none"):  # progress of targets not yet due
        runs[f"check-json-2013-{method}"] = [
            "check",
            "--as-of",
            "2013",
            "-f",
            "json",
            "--method",
            method,
        ]
    runs["check-table-status"] = [
        "check",
        "--as-of",
        "2015",
        "--status",
        "not_met",
        "--status",
        "missing",
    ]
    runs["check-quiet"] = ["check", "--quiet"]
    runs["check-strict-json"] = ["check", "--as-of", "2015", "--strict", "-f", "json"]
    runs["check-yearbook"] = [
        "check",
        "--actuals",
        YEARBOOK,
        "--skip-unknown",
        "--as-of",
        "2015",
        "-f",
        "json",
    ]
    runs["list"] = ["list"]
    runs["list-plan"] = ["list", "--plan", "gd_pan_prd_cooperation_2017"]
    runs["validate"] = ["validate"]
    runs["validate-yearbook"] = ["validate", YEARBOOK, "--skip-unknown"]
    runs["report-html-2015-zh"] = ["report", "-o", "-", "--as-of", "2015", "--lang", "zh"]
    return runs


ENV = {
    "NO_COLOR": "1",
    "COLUMNS": "120",
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": "C.UTF-8",
    "PLANCHECK_FORMAT": None,
    "GITHUB_STEP_SUMMARY": None,
}


def run(args: list[str]) -> bytes:
    """Exit code, stdout and stderr of one run, as the bytes a golden file holds."""
    from typer.testing import CliRunner

    from plancheck.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=False, env=ENV)
    return (
        f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    ).encode()


GOLDEN = Path(__file__).parent / "golden"

if __name__ == "__main__":
    import os

    os.chdir(Path(__file__).parent.parent)
    GOLDEN.mkdir(exist_ok=True)
    for name, args in cases().items():
        (GOLDEN / f"{name}.out").write_bytes(run(args))
    print(f"{len(cases())} golden outputs written to {GOLDEN}")
