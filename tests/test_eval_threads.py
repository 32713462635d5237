"""The evaluation's kinds judged two at a time (a worker thread) equal them judged one by one,
and each comparison method judges the same on the target columns it declares (``reads``) as on
all of them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

import plancheck.evaluation as evaluation
from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.catalogue.targets_table import targets_table
from plancheck.evaluation import EvaluationOptions, evaluate
from plancheck.evaluation.lookup import ActualsIndex
from plancheck.evaluation.methods import TARGET_COLUMNS, Context, registry
from plancheck.evaluation.methods.base import PAIR

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plancheck_bench_run_threads", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small synthetic country (bench/run.py's world): levels, growths and milestones, with
    submitted figures, growths computed from levels, reports of completion and gaps."""
    bench = _bench()
    root = tmp_path_factory.mktemp("world")
    world = bench.World(seed=7, regions=12)
    bench.write_catalogue(world, root / "targets")
    csv_path, _ = bench.write_actuals(world, 9_000, root / "actuals")
    return root / "targets", csv_path


def _both_ways(
    monkeypatch: pytest.MonkeyPatch, targets: Path, actuals: Path, **options: object
) -> tuple[pd.DataFrame, pd.DataFrame]:
    catalogue = load_catalogue(targets)
    table = read_actuals([actuals], catalogue)
    chosen = EvaluationOptions(**options)  # type: ignore[arg-type]
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 10**12)
    one_by_one = evaluate(catalogue, table, chosen).results
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 0)
    monkeypatch.setattr(evaluation, "_cpus", lambda: 2)
    used: list[str] = []
    checked = evaluation._checked

    def spying(*args: object) -> list[pd.DataFrame]:
        used.append("threads")
        return checked(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluation, "_checked", spying)
    side_by_side = evaluate(catalogue, table, chosen).results
    assert used == ["threads"]
    return one_by_one, side_by_side


@pytest.mark.parametrize("as_of", [2016, 2020, 2024])
def test_kinds_judged_in_two_threads_equal_them_judged_one_by_one(
    world: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, as_of: int
) -> None:
    one_by_one, side_by_side = _both_ways(monkeypatch, *world, as_of=as_of)
    assert len(one_by_one) > 1000
    assert set(one_by_one["kind"]) == {"level", "growth", "milestone"}
    assert one_by_one["status"].nunique() >= 3  # met, not met, missing …: the verdicts differ
    pd.testing.assert_frame_equal(side_by_side, one_by_one, check_exact=True)


def test_a_method_raising_in_the_worker_thread_raises_here(
    world: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = load_catalogue(world[0])
    table = read_actuals([world[1]], catalogue)
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 0)
    monkeypatch.setattr(evaluation, "_cpus", lambda: 2)
    growth = type(registry()["growth"])

    def broken(*args: object) -> pd.DataFrame:
        raise RuntimeError("growth failed")

    monkeypatch.setattr(growth, "check", broken)
    with pytest.raises(RuntimeError, match="growth failed"):
        evaluate(catalogue, table, EvaluationOptions(as_of=2024))


@pytest.mark.parametrize(("source", "as_of", "least"), [("bench", 2024, 100), ("fixture", 2020, 1)])
def test_each_method_judges_the_same_on_the_columns_it_reads(
    world: tuple[Path, Path], tmp_path: Path, source: str, as_of: int, least: int
) -> None:
    from .conftest import FIXTURES

    if source == "fixture":  # a milestone asking to be completed, a report of a start (开工)
        reports = tmp_path / "reports.csv"
        reports.write_text(
            "indicator,region,year,value,unit,source,note\n"
            "railway_opened,guangdong,2013,开工,,test,\nforest_coverage,prd,2015,51.50,%,test,\n",
            encoding="utf-8",
        )
        world = (FIXTURES / "catalogue", reports)
    catalogue = load_catalogue(world[0])
    table = read_actuals([world[1]], catalogue)
    targets = targets_table(catalogue, [], [], [])
    if source == "fixture":
        stage = np.full(len(targets), None, dtype=object)
        stage[(targets["kind"] == "milestone").to_numpy(dtype=bool)] = "completed"
        targets = targets.assign(stage=pd.Series(stage, index=targets.index, dtype=object))
    ctx = Context(catalogue, as_of, ActualsIndex(table.table, catalogue))
    every = targets[[c for c in TARGET_COLUMNS if c in targets.columns]]
    every = every.assign(**{PAIR: ctx.actuals.pair_keys(targets["indicator"], targets["region"])})
    for kind, method in registry().items():
        assert set(method.reads) <= set(TARGET_COLUMNS)
        mine = every[(every["kind"] == kind).to_numpy()]
        assert len(mine) >= least
        read = mine[[c for c in mine.columns if c in method.reads or c == PAIR]]
        assert len(read.columns) < len(mine.columns)
        full = method.check(mine, table.table, ctx)
        pd.testing.assert_frame_equal(method.check(read, table.table, ctx), full, check_exact=True)
        assert source == "fixture" or (full["status"] != "missing").any()
        if source == "fixture" and kind == "milestone":  # started, not completed
            assert full["status"].tolist() == ["not_met"]


def test_the_fixture_catalogue_judged_in_two_threads_equals_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .conftest import FIXTURES

    actuals = sorted((FIXTURES / "actuals").glob("*.csv"))
    assert actuals
    one_by_one, side_by_side = _both_ways(
        monkeypatch, FIXTURES / "catalogue", actuals[0], as_of=2020
    )
    pd.testing.assert_frame_equal(side_by_side, one_by_one, check_exact=True)
    assert np.isin(one_by_one["status"].unique(), ["met", "not_met"]).any()


def test_one_thread_when_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(evaluation.THREADS_ENV, raising=False)
    assert evaluation._cpus() >= 1
    monkeypatch.setenv(evaluation.THREADS_ENV, "1")
    assert evaluation._cpus() == 1
    started: list[object] = []
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 0)
    monkeypatch.setattr(evaluation, "ThreadPoolExecutor", lambda *a, **k: started.append(a))
    from .conftest import FIXTURES

    catalogue = load_catalogue(FIXTURES / "catalogue")
    table = read_actuals([FIXTURES / "actuals" / "demo.csv"], catalogue)
    results = evaluate(catalogue, table, EvaluationOptions(as_of=2020)).results
    assert started == [] and len(results) > 1  # judged, and no thread started
