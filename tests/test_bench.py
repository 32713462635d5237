"""The benchmark's differential check at small sizes: plancheck's status for every generated
target equals a straightforward per-row Python loop's (bench/run.py --quick)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("plancheck_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_benchmark_statuses_equal_the_naive_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    # main() raises AssertionError naming the targets where the two disagree.
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.count("statuses equal the naive loop's on all 28,500 targets") == 2
    assert list((tmp_path / "cache").glob("catalogue-*.arrow"))  # the cached path was used too


def test_naive_loop_judges_the_boundary_exactly(tmp_path: Path) -> None:
    bench = _bench()
    world = bench.World(1, regions=1)
    target = bench.Target("t", "ind000", "c00001", 2020, ">=", "51.50", None)
    below = bench.Target("u", "ind000", "c00001", 2020, ">", "51.50", None)
    path = tmp_path / "a.csv"
    path.write_text(
        "indicator,region,year,value,unit,date\nind000,c00001,2020,515000.00,万元,\n",
        encoding="utf-8",
    )
    assert bench.naive_check(world, [target, below], path) == {"t": "met", "u": "not_met"}
