"""National-scale benchmark of ``plancheck check``, with a differential check of its statuses.

Generates, deterministically from a seed, a catalogue of ~2,850 county-level regions × 100
indicators (one target per region and indicator, due in 2016, 2018, 2020 or 2022) as ordinary
plancheck YAML, and actuals (CSV and Parquet) of 10^4 … 10^7 rows. Then, for each size, times:

1. ``plancheck check --format json`` on the CSV, as a whole process (wall time, peak RSS);
2. the reference (bench/reference.py, needs duckdb): the same comparisons in DuckDB SQL on the
   same CSV, as a whole process, run in alternation with (1) so both see the same load;
3. the floor: a process that only runs ``pyarrow.csv.read_csv`` on the same file (also timed
   in-process, the read alone);
4. the naive baseline: a per-row Python loop (``csv`` module, ``Fraction`` arithmetic) that
   judges every target;

and checks that plancheck's status for every target equals the naive loop's and the
reference's. Then, at one size, ``plancheck check -f F -o FILE`` for every output format, and
once each: the first check on a new catalogue (an empty cache folder), ``plancheck --version``
and the bundled ``plancheck check``.

    python bench/run.py            # every size (several minutes, ~3 GB of data under bench/data)
    python bench/run.py --quick    # 10^4 and 10^5 rows, 285 regions; asserts the statuses
    python bench/run.py --sizes 10000 3000000 --repeat 3 --format-size 3000000

Nothing is asserted about time: the figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.feather as feather
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SIZES = (10_000, 100_000, 1_000_000, 3_000_000, 10_000_000)
QUICK_SIZES = (10_000, 100_000)
N_REGIONS = 2850
QUICK_REGIONS = 285  # --quick: a catalogue of 28,500 targets, so that CI runs it in seconds
N_PROVINCES = 31
AS_OF = 2024
LAST_YEAR = 2024
TARGET_YEARS = (2016, 2018, 2020, 2022)
# Indicator kinds by index: 0-69 level (亿元, %, 个 in turn), 70-84 year-on-year growth of
# level 0..14, 85-99 milestones.
N_INDICATORS = 100
LEVEL, GROWTH, MILESTONE = range(70), range(70, 85), range(85, 100)
LEVEL_UNITS = ("亿元", "%", "个")
UNIT_FACTORS = {("亿元", "亿元"): Fraction(1), ("万元", "亿元"): Fraction(1, 10000)}


# ---------------------------------------------------------------------------------------------
# The synthetic world: every figure is a pure function of (seed, region, indicator, year).


@dataclass(frozen=True)
class World:
    seed: int
    regions: int = N_REGIONS  # --quick: a tenth of the country

    def _rng(self, salt: int) -> np.random.Generator:
        return np.random.default_rng([self.seed, salt])

    def grid(self) -> dict[str, np.ndarray]:
        """Per (region, indicator) parameters, arrays of shape (N_REGIONS, N_INDICATORS)."""
        rng = self._rng(1)
        shape = (self.regions, N_INDICATORS)
        return {
            "base": rng.integers(1_000, 5_000_000, size=shape),  # hundredths, in 2015
            "growth": rng.integers(-200, 1200, size=shape),  # basis points a year
            "done_year": rng.integers(2012, 2027, size=shape),  # milestones
            "target_pick": rng.integers(0, 1000, size=shape),
        }

    def level_cents(self, g: dict[str, np.ndarray], r: Any, i: Any, year: Any) -> np.ndarray:
        """A level indicator's value in hundredths of its unit (an integer, so exact)."""
        rate = 1 + g["growth"][r, i] / 10_000
        return np.round(g["base"][r, i] * rate ** (np.asarray(year) - 2015)).astype(np.int64)


def region_id(r: int) -> str:
    return f"c{r + 1:05d}"


def region_code(r: int) -> str:
    return str(100001 + r)


def region_name(r: int) -> str:
    return f"第{r + 1}县"


def indicator_id(i: int) -> str:
    return f"ind{i:03d}"


def indicator_unit(i: int) -> str | None:
    if i in MILESTONE:
        return None
    if i in GROWTH:
        return "%"
    return LEVEL_UNITS[i % 3]


def province_of(r: int, regions: int) -> int:
    return r * N_PROVINCES // regions


def _cents_text(cents: np.ndarray) -> pa.Array:
    """Integer hundredths → decimal text with two decimals ("-12.05"), in Arrow."""
    cents = np.asarray(cents, dtype=np.int64)
    sign = pc.if_else(pa.array(cents < 0), "-", "")
    magnitude = np.abs(cents)
    whole = pc.cast(pa.array(magnitude // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(magnitude % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(sign, pc.binary_join_element_wise(whole, frac, "."), "")


def _fmt_cents(c: int) -> str:
    return ("-" if c < 0 else "") + f"{abs(c) // 100}.{abs(c) % 100:02d}"


# ---------------------------------------------------------------------------------------------
# Catalogue: ordinary plancheck YAML, one plan per province.


@dataclass(frozen=True)
class Target:
    id: str
    indicator: str
    region: str
    year: int
    comparator: str
    value: str | None  # decimal text, None for milestones
    value_max: str | None


def targets(world: World) -> list[Target]:
    g = world.grid()
    out: list[Target] = []
    for r in range(world.regions):
        for i in range(N_INDICATORS):
            year = TARGET_YEARS[(r + i) % len(TARGET_YEARS)]
            pick = int(g["target_pick"][r, i])
            tid = f"t_{region_id(r)}_{indicator_id(i)}_{year}"
            if i in MILESTONE:
                out.append(Target(tid, indicator_id(i), region_id(r), year, "", None, None))
                continue
            if i in GROWTH:
                # Targets around the level's own growth rate; a tenth exactly on it.
                rate = int(g["growth"][r, i - 70])  # basis points
                cents = rate // 100 if pick < 100 else rate // 100 + (pick % 7) - 3
                comparator = ">=" if pick % 5 else ">"
                out.append(
                    Target(
                        tid,
                        indicator_id(i),
                        region_id(r),
                        year,
                        comparator,
                        _fmt_cents(cents * 100)[:-3],
                        None,
                    )
                )
                continue
            actual = int(world.level_cents(g, r, i, year))
            # A sixth exactly on the bound, where the exact comparison decides.
            step = (pick % 201 - 100) * max(actual // 1000, 1)
            bound = actual if pick < 150 else actual + step
            lower_is_better = i % 10 == 9
            if i % 3 == 1 and pick % 4 == 0:
                hi = bound + max(abs(bound) // 20, 1)
                out.append(
                    Target(
                        tid,
                        indicator_id(i),
                        region_id(r),
                        year,
                        "between",
                        _fmt_cents(bound),
                        _fmt_cents(hi),
                    )
                )
                continue
            comparator = (
                ("<=" if pick % 3 else "<") if lower_is_better else (">=" if pick % 3 else ">")
            )
            out.append(
                Target(
                    tid, indicator_id(i), region_id(r), year, comparator, _fmt_cents(bound), None
                )
            )
    return out


def write_catalogue(world: World, root: Path) -> list[Target]:
    all_targets = targets(world)
    (root / "plans").mkdir(parents=True, exist_ok=True)
    lines = ["# Synthetic national-scale indicators (bench/run.py)."]
    for i in range(N_INDICATORS):
        lines += [f"{indicator_id(i)}:", f"  name_zh: 指标{i}", f"  name_en: Indicator {i}"]
        if i in MILESTONE:
            lines.append("  type: milestone")
        else:
            unit = indicator_unit(i)
            lines.append(f'  unit: "{unit}"')
            lines.append(
                f"  direction: {'lower_is_better' if i % 10 == 9 and i in LEVEL else 'higher_is_better'}"
            )
        if i in GROWTH:
            lines.append(f"  growth_of: {{indicator: {indicator_id(i - 70)}, basis: year_on_year}}")
    (root / "indicators.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["# Synthetic county-level regions (bench/run.py)."]
    for p in range(N_PROVINCES):
        lines += [
            f"p{p:02d}:",
            f"  name_zh: 第{p}省",
            f"  name_en: Province {p}",
            "  level: province",
        ]
    for r in range(world.regions):
        lines += [
            f"{region_id(r)}:",
            f"  name_zh: {region_name(r)}",
            f"  name_en: County {r + 1}",
            f'  code: "{region_code(r)}"',
            "  level: county",
            f"  parent: p{province_of(r, world.regions):02d}",
        ]
    (root / "regions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_province: dict[int, list[Target]] = {}
    for t in all_targets:
        by_province.setdefault(province_of(int(t.region[1:]) - 1, world.regions), []).append(t)
    for p, items in by_province.items():
        lines = [
            "plan:",
            f"  id: p{p:02d}_county_plan",
            f"  title_zh: 第{p}省县域发展规划",
            f"  title_en: County development plan of province {p}",
            "  period: {start: 2016, end: 2022}",
            "  base_year: 2015",
            f"  source_file: p{p:02d}.txt",
            "targets:",
        ]
        for t in items:
            lines += [
                f"  - id: {t.id}",
                f"    indicator: {t.indicator}",
                f"    region: {t.region}",
                f"    year: {t.year}",
            ]
            if t.value is not None:
                unit = indicator_unit(int(t.indicator[3:]))
                lines += [f'    comparator: "{t.comparator}"', f"    value: {t.value}"]
                if t.value_max is not None:
                    lines.append(f"    value_max: {t.value_max}")
                lines.append(f'    unit: "{unit}"')
            lines += [
                "    source:",
                f"      section: 第{t.year - 2015}条",
                f"      quote: {t.year}年{t.indicator}达到目标",
            ]
        (root / "plans" / f"p{p:02d}_county_plan.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    return all_targets


# ---------------------------------------------------------------------------------------------
# Actuals: the first `rows` rows of the grid region → indicator → year (so that a small file
# holds whole regions), shuffled.


def years_for(rows: int, regions: int) -> np.ndarray:
    per_year = regions * N_INDICATORS
    span = max(10, math.ceil(rows / per_year))
    return np.arange(LAST_YEAR - span + 1, LAST_YEAR + 1)


def actuals_table(world: World, rows: int) -> pa.Table:
    g = world.grid()
    years = years_for(rows, world.regions)
    ny = len(years)
    k = np.arange(rows, dtype=np.int64)
    r, rest = np.divmod(k, N_INDICATORS * ny)
    i, y_idx = np.divmod(rest, ny)
    y = years[y_idx]
    rng = world._rng(2)
    noise = rng.integers(0, 1000, size=rows)
    kind = np.where(i >= 85, 2, np.where(i >= 70, 1, 0))
    # Level values; 亿元 indicators are written in 万元 for a tenth of the rows.
    level_i = np.where(kind == 1, i - 70, i)
    level = world.level_cents(g, r, level_i, y)
    in_wan = (kind == 0) & (i % 3 == 0) & (noise < 100)
    value = _cents_text(np.where(in_wan, level * 10_000, level))
    unit_text = np.array([indicator_unit(j) or "" for j in range(N_INDICATORS)], dtype=object)[i]
    unit_text = np.where(in_wan, "万元", unit_text)
    unit_text = np.where((kind == 0) & (i % 3 == 1) & (noise >= 900), "", unit_text)  # blank: %
    # Growth: the submitted figure rounded to hundredths of a percent; a third left out (the
    # check computes it from the levels).
    previous = world.level_cents(g, r, level_i, y - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.round((level / np.maximum(previous, 1) - 1) * 10_000).astype(np.int64)
    growth_text = _cents_text(growth)
    # Milestones: done from done_year on; a completion date on half of the done rows.
    done = y >= g["done_year"][r, i]
    milestone_text = pa.array(np.where(done, "是", "否"))
    value = pc.if_else(pa.array(kind == 1), growth_text, value)
    value = pc.if_else(pa.array(kind == 2), milestone_text, value)
    date = np.where(
        (kind == 2) & done & (noise < 500),
        np.char.add(g["done_year"][r, i].astype(str), "-06-30"),
        "",
    )
    n_regions = world.regions
    region_ids = np.array([region_id(j) for j in range(n_regions)], dtype=object)
    region_text = region_ids[r]
    by_code = noise % 10 == 3
    by_name = noise % 10 == 7
    region_text = np.where(
        by_code, np.array([region_code(j) for j in range(n_regions)])[r], region_text
    )
    region_text = np.where(
        by_name, np.array([region_name(j) for j in range(n_regions)])[r], region_text
    )
    keep = ~((kind == 1) & (noise % 3 == 0))
    table = pa.table(
        {
            "indicator": pa.array(np.array([indicator_id(j) for j in range(N_INDICATORS)])[i]),
            "region": pa.array(region_text.astype(str)),
            "year": pa.array(y.astype(str)),
            "value": value,
            "unit": pa.array(unit_text.astype(str)),
            "date": pa.array(date.astype(str)),
        }
    ).filter(pa.array(keep))
    order = rng.permutation(len(table))
    return table.take(pa.array(order))


def write_actuals(world: World, rows: int, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, parquet_path = folder / f"actuals-{rows}.csv", folder / f"actuals-{rows}.parquet"
    if csv_path.exists() and parquet_path.exists():
        return csv_path, parquet_path
    table = actuals_table(world, rows)
    pacsv.write_csv(table, csv_path, pacsv.WriteOptions(quoting_style="none"))
    pq.write_table(table, parquet_path)
    return csv_path, parquet_path


# ---------------------------------------------------------------------------------------------
# The naive baseline: one Python loop over the rows, then one over the targets.


def naive_check(
    world: World, catalogue: list[Target], actuals_csv: Path, as_of: int = AS_OF
) -> dict[str, str]:
    """Every target's status, judged by a straightforward per-row loop (exact, with Fraction)."""
    regions = {}
    for r in range(world.regions):
        for name in (region_id(r), region_code(r), region_name(r)):
            regions[name] = region_id(r)
    numeric: dict[tuple[str, str, int], Fraction] = {}
    milestones: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (row year, completion year)
    with actuals_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iid, rid, year = row["indicator"], regions[row["region"]], int(row["year"])
            index = int(iid[3:])
            if index in MILESTONE:
                if year <= as_of:
                    done = row["value"] == "是"
                    when = int(row["date"][:4]) if done and row["date"] else year
                    milestones.setdefault((iid, rid), []).append((year, when if done else -1))
                continue
            unit = row["unit"] or indicator_unit(index) or ""
            target_unit = indicator_unit(index) or ""
            factor = Fraction(1) if unit == target_unit else UNIT_FACTORS[(unit, target_unit)]
            numeric[(iid, rid, year)] = Fraction(Decimal(row["value"])) * factor
    ops = {
        ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b,
    }
    statuses: dict[str, str] = {}
    for t in catalogue:
        index = int(t.indicator[3:])
        if index in MILESTONE:
            reports = milestones.get((t.indicator, t.region), [])
            done_years = [w for _, w in reports if 0 <= w <= as_of]
            if done_years:
                statuses[t.id] = "not_met" if min(done_years) > t.year else "met"
            elif t.year > as_of:
                statuses[t.id] = "pending"
            else:
                statuses[t.id] = "not_met" if reports else "missing"
            continue
        assert t.value is not None
        bound = Fraction(Decimal(t.value))
        actual = numeric.get((t.indicator, t.region, t.year)) if t.year <= as_of else None
        if index in GROWTH and actual is None and t.year <= as_of:
            level = indicator_id(index - 70)
            now = numeric.get((level, t.region, t.year))
            before = numeric.get((level, t.region, t.year - 1))
            if now is not None and before is not None and before > 0 and now >= 0:
                met = ops[t.comparator](now / before, 1 + bound / 100)
                statuses[t.id] = "met" if met else "not_met"
                continue
        if t.year > as_of:
            statuses[t.id] = "pending"
        elif actual is None:
            statuses[t.id] = "missing"
        elif t.comparator == "between":
            assert t.value_max is not None
            statuses[t.id] = (
                "met" if bound <= actual <= Fraction(Decimal(t.value_max)) else "not_met"
            )
        else:
            statuses[t.id] = "met" if ops[t.comparator](actual, bound) else "not_met"
    return statuses


# ---------------------------------------------------------------------------------------------
# The reference's inputs (bench/reference.py): the catalogue as four small tables, built from
# the generator's memory rather than the YAML, as a data engineer's warehouse would hold it.


def reference_tables(world: World, catalogue: list[Target]) -> Path:
    """Write indicators, region spellings, unit factors and targets as Arrow IPC; their folder."""
    root = folder(world) / "reference-tables"
    if (root / "targets.arrow").exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    indicators = pa.table(
        {
            "indicator": [indicator_id(i) for i in range(N_INDICATORS)],
            "kind": [
                "milestone" if i in MILESTONE else "growth" if i in GROWTH else "level"
                for i in range(N_INDICATORS)
            ],
            "unit": [indicator_unit(i) for i in range(N_INDICATORS)],
            "level_of": [
                indicator_id(i - 70) if i in GROWTH else None for i in range(N_INDICATORS)
            ],
        }
    )
    spellings = [
        (name, region_id(r))
        for r in range(world.regions)
        for name in (region_id(r), region_code(r), region_name(r))
    ]
    region_names = pa.table(
        {"spelling": [s for s, _ in spellings], "region": [r for _, r in spellings]}
    )
    identity = [
        (u, u, "1") for u in sorted({u for u in map(indicator_unit, range(N_INDICATORS)) if u})
    ]
    conversions = identity + [
        (u, t, str(Decimal(f.numerator) / f.denominator))
        for (u, t), f in UNIT_FACTORS.items()
        if u != t
    ]
    units = pa.table(
        {
            "unit": [u for u, _, _ in conversions],
            "target_unit": [t for _, t, _ in conversions],
            "factor": [f for _, _, f in conversions],
        }
    )
    targets_table = pa.table(
        {
            "seq": pa.array(range(len(catalogue)), pa.int32()),
            "target_id": [t.id for t in catalogue],
            "indicator": [t.indicator for t in catalogue],
            "region": [t.region for t in catalogue],
            "year": pa.array([t.year for t in catalogue], pa.int32()),
            "comparator": [t.comparator or None for t in catalogue],
            "value": pa.array([t.value for t in catalogue], pa.string()),
            "value_max": pa.array([t.value_max for t in catalogue], pa.string()),
        }
    )
    for name, table in (
        ("indicators", indicators),
        ("region_names", region_names),
        ("units", units),
        ("targets", targets_table),
    ):
        feather.write_feather(table, root / f"{name}.arrow", compression="uncompressed")
    return root


# ---------------------------------------------------------------------------------------------
# Timing.


@dataclass
class Run:
    seconds: float
    peak_rss_mib: float
    returncode: int
    timed_out: bool = False


class ProcessFailed(RuntimeError):
    def __init__(self, argv: list[str], code: int, stderr: str) -> None:
        super().__init__(f"{' '.join(argv)} exited {code}: {stderr[-2000:]}")
        # What the process said, in one line (the first with "error" in it, else the last).
        lines = [line for line in stderr.strip().splitlines() if line.strip()] or ["(nothing)"]
        self.said = next((line for line in lines if "error" in line.lower()), lines[-1])[-300:]


def run_process(argv: list[str], stdout: Path | None = None, timeout: float | None = None) -> Run:
    """Run a process to completion: wall time and its own peak RSS.

    Through bench/spawn.py, so that the peak RSS is the process's own and not this one's (see
    there). A process still running after `timeout` seconds is killed and reported as timed
    out.
    """
    # No GitHub step summary for the timed processes to append to, whoever runs this.
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "run.json"
        spawn = [sys.executable, str(HERE / "spawn.py"), str(report), str(timeout or 0), *argv]
        with open(stdout if stdout else os.devnull, "wb") as out:
            process = subprocess.run(
                spawn, stdout=out, stderr=subprocess.PIPE, env=env, check=False
            )
        if process.returncode != 0 or not report.exists():
            raise ProcessFailed(spawn, process.returncode, process.stderr.decode(errors="replace"))
        figures = json.loads(report.read_text(encoding="utf-8"))
    run = Run(
        figures["seconds"], figures["peak_rss_mib"], figures["returncode"], figures["timed_out"]
    )
    if not run.timed_out and run.returncode not in (0, 1):
        raise ProcessFailed(argv, run.returncode, process.stderr.decode(errors="replace"))
    return run


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (the upper one of an even count)."""
    return sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]


def plancheck_argv(targets: Path, actuals: Path, fmt: str = "json") -> list[str]:
    return [
        sys.executable,
        "-m",
        "plancheck",
        "check",
        "--targets",
        str(targets),
        "--actuals",
        str(actuals),
        "--as-of",
        str(AS_OF),
        "--format",
        fmt,
    ]


def reference_argv(tables: Path, actuals: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        str(HERE / "reference.py"),
        str(tables),
        str(actuals),
        str(out),
        "--as-of",
        str(AS_OF),
    ]


def have_reference() -> bool:
    """The reference needs duckdb (in plancheck's dev extra); without it the run goes on."""
    return importlib.util.find_spec("duckdb") is not None


FLOOR_SCRIPT = "import sys, pyarrow.csv as c; c.read_csv(sys.argv[1])"


def floor_in_process(path: Path) -> float:
    started = time.perf_counter()
    pacsv.read_csv(path)
    return time.perf_counter() - started


def statuses_from_json(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        document = json.load(handle)
    return {r["target_id"]: r["status"] for r in document["results"]}


def statuses_from_reference(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        return {r["target_id"]: r["status"] for r in json.load(handle)}


def compare_statuses(
    plancheck: dict[str, str],
    naive: dict[str, str],
    names: tuple[str, str] = ("plancheck", "naive"),
) -> list[str]:
    """Differences, as readable lines (empty when the two agree on every target)."""
    problems = []
    if set(plancheck) != set(naive):
        missing = sorted(set(naive) - set(plancheck))[:5]
        extra = sorted(set(plancheck) - set(naive))[:5]
        problems.append(f"target sets differ: missing {missing}, extra {extra}")
    for tid in sorted(set(plancheck) & set(naive)):
        if plancheck[tid] != naive[tid]:
            problems.append(f"{tid}: {names[0]} {plancheck[tid]}, {names[1]} {naive[tid]}")
    return problems


@dataclass
class Row:
    rows: int
    plancheck: Run
    plancheck_parquet: Run | None  # None: a short run
    floor: Run
    floor_read: float
    naive: float | None  # None: a short run
    statuses: dict[str, int]
    reference: Run | None = None  # None: duckdb is not installed
    reference_phases: dict[str, float] | None = None


def folder(world: World) -> Path:
    return DATA / f"seed{world.seed}-regions{world.regions}"


def measure(
    world: World,
    catalogue_dir: Path,
    catalogue: list[Target],
    rows: int,
    repeat: int = 1,
    short: bool = False,
) -> Row:
    """Time one size and check that plancheck, the reference and the naive loop agree.

    plancheck (JSON) and the reference run in alternation, `repeat` times each, so that both
    see the same load on a shared machine; the medians are kept. `short` (with the reference
    only) leaves out the Parquet run and the naive loop: plancheck is then checked against the
    reference alone.
    """
    csv_path, parquet_path = write_actuals(world, rows, folder(world))
    out = folder(world) / f"report-{rows}.json"
    out_parquet = folder(world) / f"report-{rows}-parquet.json"
    out_reference = folder(world) / f"reference-{rows}.json"
    phases_file = folder(world) / f"reference-{rows}-phases.json"
    tables = reference_tables(world, catalogue) if have_reference() else None
    checked, referenced = [], []
    for _ in range(repeat):
        checked.append(run_process(plancheck_argv(catalogue_dir, csv_path), out))
        if tables:
            referenced.append(
                run_process(reference_argv(tables, csv_path, out_reference), phases_file)
            )
    short = short and tables is not None
    parquet = (
        None if short else run_process(plancheck_argv(catalogue_dir, parquet_path), out_parquet)
    )
    floor = run_process([sys.executable, "-c", FLOOR_SCRIPT, str(csv_path)])
    floor_read = floor_in_process(csv_path)
    found = statuses_from_json(out)
    differences = []
    naive_seconds = None
    if not short:
        started = time.perf_counter()
        naive = naive_check(world, catalogue, csv_path)
        naive_seconds = time.perf_counter() - started
        differences += compare_statuses(found, naive)
        differences += [
            f"(Parquet) {d}" for d in compare_statuses(statuses_from_json(out_parquet), naive)
        ]
    if tables:
        reference = statuses_from_reference(out_reference)
        differences += compare_statuses(found, reference, ("plancheck", "reference"))
        if not short:
            differences += compare_statuses(reference, naive, ("reference", "naive"))
    if differences:
        raise AssertionError(
            f"{rows} rows: plancheck, the reference and the naive loop disagree on"
            f" {len(differences)} targets:\n" + "\n".join(differences[:20])
        )
    counts: dict[str, int] = {}
    for status in found.values():
        counts[status] = counts.get(status, 0) + 1
    return Row(
        rows,
        median_run(checked),
        parquet,
        floor,
        floor_read,
        naive_seconds,
        counts,
        median_run(referenced) if referenced else None,
        json.loads(phases_file.read_text()) if tables else None,
    )


# Every output format, with an --output suffix plancheck accepts for it.
FORMATS = {
    "json": ".json",
    "table": ".txt",
    "csv": ".csv",
    "markdown": ".md",
    "junit": ".xml",
    "github": ".txt",
    "gitlab": ".json",
    "html": ".html",
}


@dataclass
class FormatRun:
    fmt: str
    run: Run
    output_mib: float
    error: str | None = None  # a format that fails (exit 2) is reported, not fatal


def measure_formats(
    world: World, catalogue_dir: Path, rows: int, timeout: float
) -> tuple[list[FormatRun], Run]:
    """`plancheck check -f F -o FILE` for every format at one size, as whole processes.

    JSON runs first and again last; the second JSON run is returned on its own, so the
    ratios can be taken to the mean of the two (the load of a shared machine drifts).
    """
    csv_path, _ = write_actuals(world, rows, folder(world))
    runs = []
    for fmt, suffix in FORMATS.items():
        out = folder(world) / f"format-{rows}-{fmt}{suffix}"
        out.unlink(missing_ok=True)
        argv = [*plancheck_argv(catalogue_dir, csv_path, fmt), "--output", str(out)]
        try:
            run = run_process(argv, timeout=timeout)
        except ProcessFailed as error:
            failed = Run(float("nan"), float("nan"), 2)
            runs.append(FormatRun(fmt, failed, float("nan"), error.said))
            print(f"  -f {fmt:<8} failed: {runs[-1].error}", flush=True)
            continue
        size = out.stat().st_size / 2**20 if out.exists() else float("nan")
        runs.append(FormatRun(fmt, run, size))
        print(f"  -f {fmt:<8} {_seconds(run)}, {run.peak_rss_mib:.0f} MiB", flush=True)
    again = run_process(
        [
            *plancheck_argv(catalogue_dir, csv_path),
            "--output",
            str(folder(world) / "format-again.json"),
        ]
    )
    return runs, again


def _size(mib: float) -> str:
    return f"{mib:.1f} MiB" if mib >= 1 else f"{mib * 1024:.1f} KiB"


def _seconds(run: Run) -> str:
    return f">{run.seconds:.0f} s (stopped)" if run.timed_out else f"{run.seconds:.2f} s"


def format_table(runs: list[FormatRun], json_again: Run) -> Iterator[str]:
    json_seconds = (runs[0].run.seconds + json_again.seconds) / 2
    yield f"{'format':<10}  {'seconds':>18}  {'peak RSS':>9}  {'output':>10}  {'÷ json':>7}"
    for r in runs:
        if r.error:
            yield f"{r.fmt:<10}  failed: {r.error}"
            continue
        ratio = r.run.seconds / json_seconds
        yield (
            f"{r.fmt:<10}  {_seconds(r.run):>18}  {r.run.peak_rss_mib:>5.0f} MiB"
            f"  {_size(r.output_mib):>10}  {'>' if r.run.timed_out else ''}{ratio:>6.2f}"
        )
    yield (
        f"(json ran first and again last: {runs[0].run.seconds:.2f} s and"
        f" {json_again.seconds:.2f} s; ratios are to their mean {json_seconds:.2f} s)"
    )


def prepare(seed: int, regions: int = N_REGIONS) -> tuple[World, Path, list[Target]]:
    world = World(seed, regions)
    root = folder(world) / "targets"
    catalogue = targets(world) if (root / "regions.yaml").exists() else write_catalogue(world, root)
    return world, root, catalogue


def slope(xs: list[int], ys: list[float]) -> float:
    if len(xs) < 2:
        return float("nan")
    fit = np.polyfit(np.log(np.asarray(xs, dtype=float)), np.log(np.asarray(ys)), 1)
    return float(fit[0])


def table(results: list[Row]) -> Iterator[str]:
    yield (
        f"{'rows':>10}  {'plancheck s':>11}  {'peak RSS':>9}  {'reference s':>11}  {'ref RSS':>8}"
        f"  {'pc/ref':>6}  {'parquet s':>9}  {'floor s':>7}  {'read s':>6}  {'naive s':>8}"
        f"  {'pc/floor':>8}  {'naive/pc':>8}"
    )
    for r in results:
        ref = r.reference
        yield (
            f"{r.rows:>10,}  {r.plancheck.seconds:>11.2f}  {r.plancheck.peak_rss_mib:>5.0f} MiB"
            + (
                f"  {ref.seconds:>11.2f}  {ref.peak_rss_mib:>4.0f} MiB"
                f"  {r.plancheck.seconds / ref.seconds:>6.2f}"
                if ref
                else f"  {'-':>11}  {'-':>8}  {'-':>6}"
            )
            + f"  {_optional(r.plancheck_parquet.seconds if r.plancheck_parquet else None, 9)}"
            f"  {r.floor.seconds:>7.2f}  {r.floor_read:>6.2f}  {_optional(r.naive, 8)}"
            f"  {r.plancheck.seconds / r.floor.seconds:>8.2f}"
            f"  {_optional(r.naive / r.plancheck.seconds if r.naive else None, 8)}"
        )
    xs = [r.rows for r in results]
    yield ""
    yield "log-log slope of time vs rows:"
    series = [
        ("plancheck (CSV)", [r.plancheck.seconds for r in results]),
        ("floor", [r.floor.seconds for r in results]),
    ]
    if all(r.plancheck_parquet for r in results):
        series.append(
            (
                "plancheck (Parquet)",
                [r.plancheck_parquet.seconds for r in results if r.plancheck_parquet],
            )
        )
    if all(r.naive for r in results):
        series.append(("naive", [r.naive for r in results if r.naive]))
    if all(r.reference for r in results):
        series.append(("reference", [r.reference.seconds for r in results if r.reference]))
    for name, ys in series:
        yield f"  {name:<20} {slope(xs, ys):.2f} over all sizes, {slope(xs[-3:], ys[-3:]):.2f} over the largest three"
    phases = [r for r in results if r.reference_phases]
    if phases:
        yield ""
        yield "reference phases, in its process (seconds):"
        for r in phases:
            assert r.reference_phases is not None
            parts = ", ".join(f"{k} {v:.2f}" for k, v in r.reference_phases.items())
            yield f"  {r.rows:>10,} rows: {parts}"


def _optional(figure: float | None, width: int) -> str:
    return f"{figure:>{width}.2f}" if figure is not None else f"{'-':>{width}}"


def startup(targets: Path | None = None, runs: int = 10) -> dict[str, float]:
    """Best-of and mean wall time of `plancheck --version` and `plancheck check` on the bundled data."""
    repo = HERE.parent
    figures = {}
    for name, argv in (
        ("plancheck --version", [sys.executable, "-m", "plancheck", "--version"]),
        ("plancheck check (bundled)", [sys.executable, "-m", "plancheck", "check", "--quiet"]),
    ):
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                argv, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            times.append(time.perf_counter() - started)
        figures[name] = min(times)
        figures[name + " (mean)"] = sum(times) / len(times)
    return figures


def compiled() -> None:
    """Write plancheck's bytecode first. An installed tool runs from its .pyc files; with
    PYTHONDONTWRITEBYTECODE set (as on some CI runners) an edited module would be compiled
    again in every timed process (0.3 s of a 0.9 s check was that once)."""
    import compileall

    compileall.compile_dir(HERE.parent / "src", quiet=1)


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        ram = f"{int(mem) / 1024**2:.1f} GiB"
    except OSError:
        ram = "?"
    import pandas

    commit = subprocess.run(
        ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return [
        f"commit {commit or '?'}; uncommitted changes in {len(changed)} files under src/",
        f"CPU: {cpu}, {os.cpu_count()} logical CPUs; RAM {ram}",
        f"Python {platform.python_version()}, pandas {pandas.__version__}, pyarrow {pa.__version__},"
        f" numpy {np.__version__}, duckdb {_version('duckdb')}",
    ]


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the small sizes (CI)")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--sizes", type=int, nargs="*", help="row counts (default: all)")
    parser.add_argument("--regions", type=int, help="regions in the catalogue (default: 2850)")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="paired runs of plancheck and the reference at each size (medians; default 1)",
    )
    parser.add_argument(
        "--format-size",
        type=int,
        help="rows for the per-format timings (default: 3,000,000; --quick: 100,000; 0: none)",
    )
    parser.add_argument(
        "--format-timeout",
        type=float,
        default=900,
        help="stop a per-format run after this many seconds (default 900)",
    )
    parser.add_argument(
        "--short-above",
        type=int,
        metavar="ROWS",
        help="above this many rows, time plancheck and the reference only (no Parquet run, no"
        " naive loop; plancheck is checked against the reference alone), to save time",
    )
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache first run")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    format_size = args.format_size
    if format_size is None:
        format_size = QUICK_SIZES[-1] if args.quick else 3_000_000
    started = time.perf_counter()
    regions = args.regions or (QUICK_REGIONS if args.quick else N_REGIONS)
    world, root, catalogue = prepare(args.seed, regions)
    print(f"catalogue: {len(catalogue):,} targets, {regions} regions, {N_INDICATORS} indicators")
    for line in machine():
        print(line)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    compiled()
    # The first check on a new catalogue loads and validates the YAML and fills plancheck's
    # catalogue cache; it is timed on its own, and the sizes below measure the warm cache.
    smallest, _ = write_actuals(world, min(*sizes, 10_000), folder(world))
    if not args.no_cold:
        users_cache = os.environ.get("PLANCHECK_CACHE_DIR")
        with tempfile.TemporaryDirectory() as empty_cache:  # cold for certain: a new folder
            os.environ["PLANCHECK_CACHE_DIR"] = empty_cache
            cold = run_process(plancheck_argv(root, smallest))
        if users_cache is None:
            del os.environ["PLANCHECK_CACHE_DIR"]
        else:
            os.environ["PLANCHECK_CACHE_DIR"] = users_cache
    # Fills the usual cache, so that the sizes below run warm (timed, for comparison).
    warm = run_process(plancheck_argv(root, smallest))
    if not args.no_cold:
        print(
            f"first check, cold catalogue cache: {cold.seconds:.2f} s,"
            f" {cold.peak_rss_mib:.0f} MiB (the same check then, warm: {warm.seconds:.2f} s)"
        )
    results = []
    for rows in sizes:
        short = args.short_above is not None and rows > args.short_above
        result = measure(world, root, catalogue, rows, args.repeat, short)
        results.append(result)
        ref = result.reference
        if ref and result.naive is None:
            agree = "the reference's"
        else:
            agree = "the naive loop's" + (" and the reference's" if ref else " (no duckdb)")
        ratio = (
            f", reference {ref.seconds:.2f} s (pc/ref {result.plancheck.seconds / ref.seconds:.2f})"
            if ref
            else ""
        )
        print(
            f"  {rows:,} rows: plancheck {result.plancheck.seconds:.2f} s"
            f" {result.plancheck.peak_rss_mib:.0f} MiB{ratio}; statuses equal"
            f" {agree} on all {len(catalogue):,} targets {result.statuses}",
            flush=True,
        )
    print()
    for line in table(results):
        print(line)
    if format_size:
        print(f"\nevery format at {format_size:,} rows (`plancheck check -f F -o FILE`):")
        runs, json_again = measure_formats(world, root, format_size, args.format_timeout)
        for line in format_table(runs, json_again):
            print(line)
    if not args.quick and not args.no_startup:
        print()
        for name, seconds in startup().items():
            print(f"{name:<35} {seconds:.3f} s")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
