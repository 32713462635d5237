"""The data behind charts: each shown indicator's series of actuals, and targets in canonical units.

Renderers draw from these and never read files or convert units themselves. Everything here is
column-wise: a national run has 285,000 targets and millions of actual rows, of which a page
draws at most :data:`MAX_CHART_SERIES` series.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from .. import keys
from ..catalogue import Catalogue
from .report import Series

# A page of charts is read by a person: beyond this many series (a national run has 200,000)
# the page would weigh gigabytes. The targets that fail come first; the page says how many
# series were left out, and the table still lists every target.
MAX_CHART_SERIES = 1000

Levels = dict[str, tuple[float | None, float | None]]


def report_series(
    catalogue: Catalogue,
    targets: pd.DataFrame,
    shown_ids: pd.Series,
    failing_ids: pd.Series,
    actuals: pd.DataFrame,
    as_of: int,
) -> tuple[dict[tuple[str, str], Series], int, Levels]:
    """What an HTML report draws for the targets listed (``shown_ids``): their series, those of
    ``failing_ids`` first (see :func:`chart_series`), how many pairs have values, and the
    canonical levels (:func:`target_levels`) of the targets whose own series is drawn."""
    table = targets[[c for c in _READ if c in targets]]
    ids = table["target_id"]
    shown = table if _same(ids, shown_ids) else table[_among(ids, shown_ids)]
    first = _among(shown["target_id"], failing_ids)
    ordered = shown.take(np.concatenate([np.flatnonzero(first), np.flatnonzero(~first)]))
    series, total = chart_series(catalogue, ordered, actuals, as_of)
    # Levels are read for the targets drawn on a chart: those of the series drawn.
    drawn = np.isin(
        _pair_numbers(catalogue, shown["indicator"], shown["region"]),
        _pair_numbers(catalogue, [i for i, _ in series], [r for _, r in series]),
    )
    return series, total, target_levels(shown[drawn])


# The targets' columns read here.
_READ = ("target_id", "kind", "indicator", "region", "year", "level_indicator", "lo", "hi")


def _same(values: pd.Series, others: pd.Series) -> bool:
    """Whether the two hold the same values in the same order (every target is listed)."""
    return len(values) == len(others) and values.reset_index(drop=True).equals(
        others.reset_index(drop=True)
    )


def _among(values: pd.Series, wanted: pd.Series) -> Any:
    """Whether each value is one of ``wanted``, as a boolean array. (pandas' ``isin`` of one
    Arrow string column in another makes a Python object of each wanted value: seconds here.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    given = pa.array(values, from_pandas=True)
    found = pc.is_in(given, value_set=pa.array(wanted, from_pandas=True).cast(given.type))
    return found.to_numpy(zero_copy_only=False).astype(bool)


def chart_series(
    catalogue: Catalogue,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    as_of: int,
    limit: int | None = None,  # default MAX_CHART_SERIES
) -> tuple[dict[tuple[str, str], Series], int]:
    """(indicator, region) → its actual values up to ``as_of``, in the indicator's canonical unit,
    for at most ``limit`` pairs in the order of ``targets``; and how many pairs have values.

    For every numeric target shown: its own indicator and region, and for an average-growth target
    not yet due also the level indicator its progress is assessed on. Pairs with no value are left out.
    """
    indicators, regions = _wanted_pairs(targets, as_of)
    if not len(indicators) or not len(actuals):
        return {}, 0
    # Pairs by their catalogue numbers, as the readers number each actual row (keys.py); a pair
    # the catalogue does not know has no actuals. Each pair once, where it first comes.
    numbers = _pair_numbers(catalogue, indicators, regions)
    first = np.unique(numbers, return_index=True)[1]
    first = np.sort(first[numbers[first] >= 0])
    numbers = numbers[first]
    row_keys = actuals["key"].to_numpy(dtype="int64")
    years = actuals["year"].to_numpy()
    known = np.flatnonzero(
        (years <= as_of) & actuals["value"].notna().to_numpy(dtype=bool) & (row_keys >= 0)
    )
    known_pairs = row_keys[known] // keys.YEARS
    with_values = np.flatnonzero(np.isin(numbers, known_pairs))
    chosen = with_values[: MAX_CHART_SERIES if limit is None else limit]
    # Only the chosen pairs' rows are read: by chosen rank, then year (a stable sort).
    picked = np.isin(known_pairs, numbers[chosen])
    rows = known[picked]
    rank = pd.Index(numbers[chosen]).get_indexer(known_pairs[picked])
    order = np.lexsort((years[rows], rank))
    rows, rank = rows[order], rank[order]
    values = actuals["value"].to_numpy(dtype="float64")[rows]
    bounds = np.searchsorted(rank, np.arange(len(chosen) + 1))
    series: dict[tuple[str, str], Series] = {}
    for n, at in enumerate(first[chosen]):
        span = slice(bounds[n], bounds[n + 1])
        points = _points(years[rows][span], values[span])
        if points:
            indicator, region = str(indicators[at]), str(regions[at])
            ind = catalogue.indicators.get(indicator)
            series[(indicator, region)] = Series(
                unit=(ind.unit if ind else None) or "", points=points
            )
    return series, len(with_values)


def _wanted_pairs(targets: pd.DataFrame, as_of: int) -> tuple[Any, Any]:
    """The (indicator, region) pairs a chart may show, in the order of ``targets``, as two
    object arrays (a pair may repeat): each numeric target's own, and the level series an
    average-growth target not yet due is assessed on."""
    numeric = targets[targets["kind"].isin(["level", "growth"]).to_numpy(dtype=bool)]
    later = numeric[
        ((numeric["kind"] == "growth") & (numeric["year"].fillna(0) > as_of)).to_numpy(dtype=bool)
    ]
    level = later["level_indicator"].to_numpy(dtype=object)
    has_level = np.fromiter((isinstance(v, str) for v in level), dtype=bool, count=len(level))
    indicators = np.concatenate([numeric["indicator"].to_numpy(dtype=object), level[has_level]])
    regions = np.concatenate(
        [
            numeric["region"].to_numpy(dtype=object),
            later["region"].to_numpy(dtype=object)[has_level],
        ]
    )
    return indicators, regions


def _pair_numbers(catalogue: Catalogue, indicators: Any, regions: Any) -> Any:
    """Each pair's number as keys.pair_keys makes it; -1 where either is not in the catalogue."""
    indicator_no = pd.Index(list(catalogue.indicators), dtype=object).get_indexer(indicators)
    region_no = pd.Index(list(catalogue.regions), dtype=object).get_indexer(regions)
    return keys.pair_keys(indicator_no, region_no, len(catalogue.regions))


def _points(years: Any, values: Any) -> tuple[tuple[int, float], ...]:
    return tuple(
        (int(year), float(value))
        for year, value in zip(years, values, strict=True)
        if math.isfinite(float(value))
    )


def target_levels(targets: pd.DataFrame) -> Levels:
    """Target id → (value, upper value of a range) in the indicator's canonical unit; a repeated
    id keeps its first row."""

    def numbers(column: str) -> list[float | None]:
        values = targets[column].to_numpy(dtype="float64")
        return [None if math.isnan(value) else value for value in values.tolist()]

    ids = [str(tid) for tid in targets["target_id"].to_numpy(dtype=object)]
    levels = dict(zip(ids, zip(numbers("lo"), numbers("hi"), strict=True), strict=True))
    if len(levels) == len(ids):
        return levels
    firsts = targets.drop_duplicates("target_id")  # later rows would have overwritten the first
    return target_levels(firsts)
