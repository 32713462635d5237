"""Chart series chosen column-wise (evaluation/series.py) equal a plain row-by-row reading.

The reference below walks the targets and actual rows one at a time, as the rule reads: the
pairs a chart may show (each numeric target's own, in the targets' order, then the level series
of each average-growth target not yet due), each once; of those with a value up to as-of, the first
``limit``, each with its finite values by year. Actual rows of an indicator or region the
catalogue does not know (key -1) are there too, and never drawn.
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck import keys
from plancheck.evaluation import series as chart_data
from plancheck.evaluation.report import Series

INDICATORS = ["gdp", "pop", "gdp_growth", "forest"]
REGIONS = ["CN", "BJ", "SH"]
CATALOGUE = SimpleNamespace(
    indicators={i: SimpleNamespace(unit=f"u-{i}") for i in INDICATORS},
    regions={r: None for r in REGIONS},
)


def reference(targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int, limit: int) -> Any:
    own: list[tuple[str, str]] = []
    levels: list[tuple[str, str]] = []
    for row in targets.to_dict("records"):
        if row["kind"] not in ("level", "growth"):
            continue
        own.append((row["indicator"], row["region"]))
        year = row["year"]
        later = row["kind"] == "growth" and not pd.isna(year) and year > as_of
        if later and isinstance(row["level_indicator"], str):
            levels.append((row["level_indicator"], row["region"]))
    wanted = list(dict.fromkeys(own + levels))
    values: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in actuals.to_dict("records"):
        if row["year"] <= as_of and not math.isnan(row["value"]):
            values.setdefault((row["indicator"], row["region"]), []).append(
                (row["year"], row["value"])
            )
    with_values = [pair for pair in wanted if pair in values]
    made = {}
    for pair in with_values[:limit]:
        points = tuple(
            (int(y), float(v))
            for y, v in sorted(values[pair], key=lambda p: p[0])
            if math.isfinite(v)
        )
        if points:
            made[pair] = Series(unit=f"u-{pair[0]}", points=points)
    return made, len(with_values)


def frames(draw: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = st.sampled_from([*INDICATORS, "unknown"])
    regions = st.sampled_from([*REGIONS, "XX"])
    n = draw(st.integers(min_value=0, max_value=25))
    targets = pd.DataFrame(
        {
            "target_id": [f"t{i}" for i in range(n)],
            "kind": draw(st.lists(st.sampled_from(["level", "growth", "milestone"]), min_size=n, max_size=n)),
            "indicator": draw(st.lists(st.sampled_from(INDICATORS), min_size=n, max_size=n)),
            "region": draw(st.lists(st.sampled_from(REGIONS), min_size=n, max_size=n)),
            "year": pd.array(draw(st.lists(st.one_of(st.none(), st.integers(2018, 2026)), min_size=n, max_size=n)), dtype="Int64"),
            # the catalogue checks that a growth indicator's level indicator is one of its own
            "level_indicator": draw(st.lists(st.one_of(st.none(), st.sampled_from(INDICATORS)), min_size=n, max_size=n)),
            "lo": draw(st.lists(st.one_of(st.just(math.nan), st.floats(-5, 5)), min_size=n, max_size=n)),
            "hi": [math.nan] * n,
        }
    )  # fmt: skip
    m = draw(st.integers(min_value=0, max_value=40))
    rows = draw(
        st.lists(
            st.tuples(
                names,
                regions,
                st.integers(2015, 2026),
                st.sampled_from([1.5, -2.0, 0.0, math.nan, math.inf, 7.25]),
            ),
            min_size=m,
            max_size=m,
            unique_by=lambda r: r[:3],  # the readers keep one row per (indicator, region, year)
        )
    )
    actuals = pd.DataFrame(rows, columns=["indicator", "region", "year", "value"])
    actuals = actuals.astype({"year": "int64", "value": "float64"})
    number_of = {
        **{i: n for n, i in enumerate(INDICATORS)},
        **{r: n for n, r in enumerate(REGIONS)},
    }
    actuals["key"] = keys.row_keys(
        np.array([number_of.get(i, -1) for i in actuals["indicator"]], dtype="int64"),
        np.array([number_of.get(r, -1) for r in actuals["region"]], dtype="int64"),
        actuals["year"].to_numpy(),
        len(REGIONS),
    )
    return targets, actuals


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(2017, 2025), st.integers(0, 6))
def test_chart_series_equal_a_row_by_row_reading(data: Any, as_of: int, limit: int) -> None:
    targets, actuals = frames(data.draw)
    got = chart_data.chart_series(CATALOGUE, targets, actuals, as_of, limit)
    assert got == reference(targets, actuals, as_of, limit)
    assert list(got[0]) == list(reference(targets, actuals, as_of, limit)[0])  # order too


def test_failing_targets_series_come_first_and_levels_are_those_drawn() -> None:
    targets = pd.DataFrame(
        {
            "target_id": ["a", "b", "c", "d"],
            "kind": ["level", "level", "level", "milestone"],
            "indicator": ["gdp", "pop", "forest", "gdp"],
            "region": ["CN", "CN", "BJ", "SH"],
            "year": pd.array([2020, 2020, 2020, 2020], dtype="Int64"),
            "level_indicator": [None, None, None, None],
            "lo": [1.0, 2.0, math.nan, 4.0],
            "hi": [math.nan, 3.0, math.nan, math.nan],
        }
    )
    actuals = pd.DataFrame(
        {"indicator": ["gdp", "pop", "forest"], "region": ["CN", "CN", "BJ"], "year": [2019] * 3}
    ).assign(value=[1.0, 2.0, 3.0])
    actuals["key"] = keys.row_keys(
        np.array([0, 1, 3]), np.array([0, 0, 1]), actuals["year"].to_numpy(), len(REGIONS)
    )
    shown = pd.Series(["a", "b", "c", "d"])
    series, total, levels = chart_data.report_series(
        CATALOGUE, targets, shown, pd.Series(["c", "b"]), actuals, 2020
    )
    assert list(series) == [("pop", "CN"), ("forest", "BJ"), ("gdp", "CN")] and total == 3
    assert levels == {"a": (1.0, None), "b": (2.0, 3.0), "c": (None, None)}
    # Only b listed (a --status filter): its series alone, and its level.
    series, total, levels = chart_data.report_series(
        CATALOGUE, targets, pd.Series(["b"]), pd.Series([], dtype=object), actuals, 2020
    )
    assert list(series) == [("pop", "CN")] and total == 1 and levels == {"b": (2.0, 3.0)}
    # With a cap of one series, only the first failing target's is drawn, and levels follow.
    original = chart_data.MAX_CHART_SERIES
    try:
        chart_data.MAX_CHART_SERIES = 1
        series, total, levels = chart_data.report_series(
            CATALOGUE, targets, shown, pd.Series(["c"]), actuals, 2020
        )
    finally:
        chart_data.MAX_CHART_SERIES = original
    assert list(series) == [("forest", "BJ")] and total == 3 and levels == {"c": (None, None)}


def test_target_levels_keep_a_repeated_ids_first_row() -> None:
    targets = pd.DataFrame(
        {"target_id": ["a", "b", "a"], "lo": [1.0, math.nan, 9.0], "hi": [math.nan] * 3}
    )
    assert chart_data.target_levels(targets) == {"a": (1.0, None), "b": (None, None)}
