"""The benchmark's reference: plancheck's comparisons as a data engineer would write them in SQL.

DuckDB reads the same actuals CSV that plancheck reads, joins it to four small tables that
bench/run.py builds from its generator's memory (indicators, region spellings, unit factors,
targets — the stand-in for plancheck's warm catalogue cache), judges every target and writes
one JSON record per target. Numbers are DECIMAL throughout, so 万元 → 亿元 and the boundary
comparisons are exact, as in plancheck; a growth target without a submitted growth figure is
judged from the two years' levels by cross-multiplying (no division, so no rounding).

    python bench/reference.py TABLES_DIR ACTUALS_CSV OUT_JSON [--as-of 2024] [--threads N]

prints the phase timings as one JSON line. An optional benchmark aid: plancheck never imports
duckdb.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.feather as feather

# The tables bench/run.py writes (Arrow IPC, all text but the year) and what they hold:
#   indicators:   indicator, kind (level | growth | milestone), unit, level_of (growth only)
#   region_names: spelling (id, code or Chinese name), region
#   units:        unit, target_unit, factor (decimal text: "1", "0.0001")
#   targets:      seq, target_id, indicator, region, year, comparator, value, value_max
TABLES = ("indicators", "region_names", "units", "targets")

# Submitted figures have two decimals; DECIMAL(38, 8) holds them with room to spare, and
# DuckDB raises on an overflow instead of wrapping. Products keep their full scale.
SQL = """
CREATE MACRO passes(x, op, lo, hi) AS CASE op
    WHEN '>=' THEN x >= lo WHEN '>' THEN x > lo
    WHEN '<=' THEN x <= lo WHEN '<' THEN x < lo
    WHEN 'between' THEN x BETWEEN lo AND hi END;

CREATE TEMP TABLE submitted AS
SELECT r.indicator, n.region, CAST(r.year AS INTEGER) AS year, r.value,
       NULLIF(r.unit, '') AS unit, NULLIF(r.date, '') AS date, i.kind, i.unit AS indicator_unit
FROM read_csv($actuals, header = true, delim = ',', quote = '"', all_varchar = true) AS r
JOIN region_names AS n ON n.spelling = r.region
JOIN indicators AS i ON i.indicator = r.indicator
WHERE CAST(r.year AS INTEGER) <= $as_of;

CREATE TEMP TABLE amounts AS
SELECT s.indicator, s.region, s.year,
       CAST(s.value AS DECIMAL(38, 8)) * CAST(u.factor AS DECIMAL(18, 4)) AS amount
FROM submitted AS s
JOIN units AS u ON u.unit = COALESCE(s.unit, s.indicator_unit) AND u.target_unit = s.indicator_unit
WHERE s.kind <> 'milestone';

CREATE TEMP TABLE milestone_reports AS
SELECT indicator, region, count(*) AS reports,
       min(done_in) FILTER (WHERE done_in <= $as_of) AS first_done
FROM (
    SELECT indicator, region,
           CASE WHEN value = '是'
                THEN COALESCE(CAST(substr(date, 1, 4) AS INTEGER), year) END AS done_in
    FROM submitted WHERE kind = 'milestone'
)
GROUP BY ALL;

CREATE TEMP TABLE results AS
SELECT t.seq, t.target_id, t.indicator, t.region, t.year, t.comparator,
       CAST(t.value AS DECIMAL(38, 8)) AS target_value,
       CAST(t.value_max AS DECIMAL(38, 8)) AS target_value_max,
       i.unit, i.kind, a.amount AS actual, now.amount AS level, before.amount AS level_before,
       m.reports, m.first_done,
       CASE
         WHEN i.kind = 'milestone' THEN CASE
           WHEN m.first_done IS NOT NULL THEN
             CASE WHEN m.first_done > t.year THEN 'not_met' ELSE 'met' END
           WHEN t.year > $as_of THEN 'pending'
           WHEN m.reports > 0 THEN 'not_met'
           ELSE 'missing' END
         WHEN t.year > $as_of THEN 'pending'
         WHEN a.amount IS NOT NULL THEN
           CASE WHEN passes(a.amount, t.comparator, target_value, target_value_max)
                THEN 'met' ELSE 'not_met' END
         -- growth from the levels: now / before (op) 1 + bound / 100, cross-multiplied
         WHEN i.kind = 'growth' AND before.amount > 0 AND now.amount >= 0 THEN
           CASE WHEN passes(now.amount * 100, t.comparator,
                            before.amount * (100 + target_value),
                            before.amount * (100 + target_value_max))
                THEN 'met' ELSE 'not_met' END
         ELSE 'missing'
       END AS status
FROM targets AS t
JOIN indicators AS i USING (indicator)
LEFT JOIN amounts AS a
  ON a.indicator = t.indicator AND a.region = t.region AND a.year = t.year
LEFT JOIN amounts AS now
  ON i.kind = 'growth' AND now.indicator = i.level_of AND now.region = t.region
  AND now.year = t.year
LEFT JOIN amounts AS before
  ON i.kind = 'growth' AND before.indicator = i.level_of AND before.region = t.region
  AND before.year = t.year - 1
LEFT JOIN milestone_reports AS m
  ON i.kind = 'milestone' AND m.indicator = t.indicator AND m.region = t.region;
"""

# One record per target, in catalogue order; the growth computed from levels is shown (as a
# float, for reading only: the status above was decided exactly).
REPORT = """
COPY (
  SELECT target_id, indicator, region, year, comparator, target_value, target_value_max, unit,
         actual, CASE WHEN actual IS NULL AND kind = 'growth' AND level_before > 0
                      THEN (level / level_before - 1) * 100 END AS growth_from_levels,
         first_done, status
  FROM results ORDER BY seq
) TO $out (FORMAT json, ARRAY true)
"""


def _literal(text: str) -> str:
    """A SQL string literal (DuckDB takes a file name in read_csv and COPY only as a constant)."""
    return "'" + text.replace("'", "''") + "'"


def check(
    tables: Path, actuals: Path, out: Path, as_of: int, threads: int | None = None
) -> dict[str, float]:
    """Judge every target of `tables` against `actuals`, write `out`; phase timings in seconds.

    `threads` limits DuckDB's worker threads (default: one per CPU).
    """
    started = time.perf_counter()
    connection = duckdb.connect()
    if threads:
        connection.execute(f"SET threads = {int(threads)}")
    for name in TABLES:
        connection.register(name, feather.read_table(tables / f"{name}.arrow"))
    loaded = time.perf_counter()
    connection.execute(
        SQL.replace("$actuals", _literal(str(actuals))).replace("$as_of", str(int(as_of)))
    )
    judged = time.perf_counter()
    connection.execute(REPORT.replace("$out", _literal(str(out))))
    written = time.perf_counter()
    return {
        "tables": loaded - started,
        "read, join and judge": judged - loaded,
        "write JSON": written - judged,
    }


def statuses(out: Path) -> dict[str, str]:
    """target id → status, from a report written by `check`."""
    with out.open(encoding="utf-8") as handle:
        return {record["target_id"]: record["status"] for record in json.load(handle)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", type=Path)
    parser.add_argument("actuals", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--as-of", type=int, default=2024)
    parser.add_argument("--threads", type=int, help="DuckDB's threads (default: one per CPU)")
    args = parser.parse_args(argv)
    print(json.dumps(check(args.tables, args.actuals, args.out, args.as_of, args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
