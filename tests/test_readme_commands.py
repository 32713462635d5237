"""README's two commands are the ones CI runs, and the long tests run only when asked for."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import REPO


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_ci_runs_exactly_readmes_test_command() -> None:
    install, tests = _readme_commands()
    assert "plancheck check" in install
    assert tests.endswith("pytest --slow")
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in script.splitlines()


def test_slow_tests_are_deselected_unless_asked_for() -> None:
    def collected(*extra: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
             "tests/test_fuzz.py", *extra],
            cwd=REPO, capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip

    default, everything = collected(), collected("--slow")
    assert re.search(r"no tests collected \(\d+ deselected\)|\d+ deselected", default), default
    assert "test_fuzz.py::" not in default
    assert "test_fuzz.py::" in everything and "deselected" not in everything
