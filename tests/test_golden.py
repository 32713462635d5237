"""Outputs stay byte-identical: every command in golden_cases.py prints what tests/golden/ holds.

A refactor must not change a byte of any format, at any as-of year, in either language. When a
change of output is intended, regenerate with ``python tests/golden_cases.py`` and review the diff.
"""

from __future__ import annotations

import difflib

import pytest

from .conftest import REPO
from .golden_cases import GOLDEN, cases, run

CASES = cases()


def test_every_case_has_a_golden_file_and_every_golden_file_a_case() -> None:
    assert {p.stem for p in GOLDEN.glob("*.out")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_byte_identical(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    expected = (GOLDEN / f"{name}.out").read_bytes()
    actual = run(CASES[name])
    if actual != expected:
        diff = difflib.unified_diff(
            expected.decode().splitlines(), actual.decode().splitlines(), "golden", "now", n=1
        )
        pytest.fail(f"{name} changed:\n" + "\n".join(list(diff)[:40]))
