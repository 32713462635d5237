"""The comparison and progress methods: one declared interface each, and registries that agree
with the light name table the CLI reads at start-up."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from plancheck import progress_methods
from plancheck.evaluation import METHODS
from plancheck.evaluation.methods import ComparisonMethod, registry
from plancheck.evaluation.progress import ProgressMethod, method
from plancheck.evaluation.progress import registry as progress_registry
from plancheck.evaluation.progress.base import OUTPUT

from .conftest import FIXTURES


def test_progress_registry_holds_exactly_the_light_table() -> None:
    methods = progress_registry()
    assert list(methods) == list(progress_methods.PROGRESS_METHODS)
    assert tuple(progress_methods.PROGRESS_METHODS) == METHODS
    assert progress_methods.DEFAULT_PROGRESS_METHOD in methods
    for name, found in methods.items():
        assert isinstance(found, ProgressMethod)
        assert found.name == name and found.title == progress_methods.PROGRESS_METHODS[name]
        assert found.id == f"{name}/{found.version}" and found.source
    compounding = {name for name, found in methods.items() if found.compounds}
    assert compounding == progress_methods.COMPOUNDING_PROGRESS_METHODS


def test_an_unknown_progress_method_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        method("median")


def test_the_light_table_imports_nothing_heavy() -> None:
    code = (
        "import sys, plancheck.progress_methods as p\n"
        "heavy = [m for m in ('pandas', 'numpy', 'plancheck.evaluation') if m in sys.modules]\n"
        "print(heavy, sorted(p.PROGRESS_METHODS))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] ['eurostat', 'linear', 'ndrc', 'unsd']"


def test_every_progress_method_answers_in_the_declared_columns() -> None:
    frame = pd.DataFrame(
        {
            "t0": [2015.0],
            "x0": [10.0],
            "tk": [2018.0],
            "xk": [13.0],
            "T": [2020.0],
            "xT": [15.0],
            "higher": [True],
            "growth": [float("nan")],
            "n": [2.0],
            "st": [3.0],
            "sy": [23.0],
            "stt": [9.0],
            "sty": [39.0],
        }
    )
    for found in progress_registry().values():
        out = found.assess(frame)
        assert list(out.columns) == list(OUTPUT), found.name
        assert bool(out["on_track"].iloc[0]), found.name  # 60 % of the change in 60 % of the time


def test_comparison_registry_covers_every_kind_of_target() -> None:
    from plancheck.catalogue import load_catalogue

    catalogue = load_catalogue(FIXTURES / "catalogue")
    kinds = {
        "milestone" if ind.type == "milestone" else "growth" if ind.growth_of else "level"
        for ind in catalogue.indicators.values()
    }
    methods = registry()
    assert set(methods) == kinds == {"level", "growth", "milestone"}
    for kind, found in methods.items():
        assert isinstance(found, ComparisonMethod) and found.kind == kind and found.description


def test_a_method_without_its_judgement_cannot_be_made() -> None:
    class Unfinished(ComparisonMethod):
        kind = "level"
        description = "forgets check()"

    with pytest.raises(TypeError):
        Unfinished()  # type: ignore[abstract]
