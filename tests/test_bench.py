"""The benchmark's differential check at small sizes: plancheck's status for every generated
target equals a straightforward per-row Python loop's and the DuckDB SQL reference's
(bench/run.py --quick), and the reference itself decides boundaries exactly."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"plancheck_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow  # the quick benchmark: a 28,500-target catalogue, ~20 processes; run with --slow
def test_quick_benchmark_statuses_equal_the_naive_loop_and_the_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("duckdb", reason="the reference needs duckdb (pip install -e '.[dev]')")
    bench = _load("run")
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    # main() raises AssertionError naming the targets where plancheck, the reference and the
    # naive loop disagree. The per-format timings have a test of their own below.
    assert bench.main(["--quick", "--format-size", "0"]) == 0
    out = capsys.readouterr().out
    agreed = "statuses equal the naive loop's and the reference's on all 28,500 targets"
    assert out.count(agreed) == 2
    rows = [line.split() for line in out.splitlines() if line.endswith(tuple("0123456789"))]
    table = [row for row in rows if row[0] in ("10,000", "100,000") and row[3] == "MiB"]
    assert len(table) == 2 and all(float(row[7]) > 0 for row in table)  # pc/ref at each size
    assert list((tmp_path / "cache").glob("catalogue-*.arrow"))  # the cached path was used too


def test_naive_loop_judges_the_boundary_exactly(tmp_path: Path) -> None:
    bench = _load("run")
    world = bench.World(1, regions=1)
    target = bench.Target("t", "ind000", "c00001", 2020, ">=", "51.50", None)
    below = bench.Target("u", "ind000", "c00001", 2020, ">", "51.50", None)
    path = tmp_path / "a.csv"
    path.write_text(
        "indicator,region,year,value,unit,date\nind000,c00001,2020,515000.00,万元,\n",
        encoding="utf-8",
    )
    assert bench.naive_check(world, [target, below], path) == {"t": "met", "u": "not_met"}


# Rows that catch inexact arithmetic: 3000.00 万元 is exactly 0.30 亿元, and 0.30 / 0.10 is
# exactly 3 (a float division gives 2.9999999999999996, which would miss growth >= 200 %).
ACTUALS = """indicator,region,year,value,unit,date
ind000,c00001,2019,0.10,亿元,
ind000,100001,2020,3000.00,万元,
ind071,c00001,2018,5.00,%,
ind001,第1县,2018,12.50,,
ind085,c00001,2021,是,,2019-06-30
ind088,c00001,2020,否,,
"""

EXPECTED = {
    "wan_on_bound": "met",
    "wan_strictly_above": "not_met",
    "growth_from_levels_on_bound": "met",
    "growth_from_levels_strictly_above": "not_met",
    "growth_submitted": "met",
    "between_upper_bound_blank_unit": "met",
    "milestone_done_late": "not_met",
    "milestone_done_in_time": "met",
    "milestone_not_yet_due": "pending",
    "milestone_unreported": "missing",
    "milestone_reported_not_done": "not_met",
    "level_not_yet_due": "pending",
    "level_unreported": "missing",
}


def _targets(bench: ModuleType) -> list[object]:
    t = bench.Target
    return [
        t("wan_on_bound", "ind000", "c00001", 2020, ">=", "0.30", None),
        t("wan_strictly_above", "ind000", "c00001", 2020, ">", "0.30", None),
        t("growth_from_levels_on_bound", "ind070", "c00001", 2020, ">=", "200", None),
        t("growth_from_levels_strictly_above", "ind070", "c00001", 2020, ">", "200", None),
        t("growth_submitted", "ind071", "c00001", 2018, ">=", "5", None),
        t("between_upper_bound_blank_unit", "ind001", "c00001", 2018, "between", "10.00", "12.50"),
        t("milestone_done_late", "ind085", "c00001", 2018, "", None, None),
        t("milestone_done_in_time", "ind085", "c00001", 2020, "", None, None),
        t("milestone_not_yet_due", "ind086", "c00001", 2030, "", None, None),
        t("milestone_unreported", "ind087", "c00001", 2020, "", None, None),
        t("milestone_reported_not_done", "ind088", "c00001", 2020, "", None, None),
        t("level_not_yet_due", "ind002", "c00001", 2030, ">=", "1", None),
        t("level_unreported", "ind003", "c00001", 2020, ">=", "1", None),
    ]


def test_reference_judges_units_growth_and_milestones_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("duckdb", reason="the reference needs duckdb (pip install -e '.[dev]')")
    bench = _load("run")
    reference = _load("reference")
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    world = bench.World(1, regions=1)
    catalogue = _targets(bench)
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(ACTUALS, encoding="utf-8")
    tables = bench.reference_tables(world, catalogue)
    out = tmp_path / "reference.json"
    phases = reference.check(tables, actuals, out, 2024)
    assert set(phases) == {"tables", "read, join and judge", "write JSON"}
    found = reference.statuses(out)
    assert found == EXPECTED
    assert bench.naive_check(world, catalogue, actuals) == EXPECTED


@pytest.mark.slow  # nine plancheck processes; run with --slow
def test_per_format_timings_run_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _load("run")
    monkeypatch.setattr(bench, "DATA", tmp_path / "data")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    world, root, _ = bench.prepare(7, regions=2)
    runs, json_again = bench.measure_formats(world, root, 1000, timeout=120)
    assert [r.fmt for r in runs] == list(bench.FORMATS)
    failed = [(r.fmt, r.error) for r in runs if r.error or r.run.timed_out]
    assert not failed
    assert all(r.output_mib > 0 for r in runs)
    lines = list(bench.format_table(runs, json_again))
    for fmt in bench.FORMATS:
        row = next(line for line in lines if line.startswith(fmt + " "))
        assert float(row.split()[-1]) > 0  # its time ÷ json's
