"""The data behind charts: each shown indicator's series of actuals, and targets in canonical units.

Renderers draw from these and never read files or convert units themselves. Everything here is
column-wise: a national run has 285,000 targets and millions of actual rows, of which a page
draws at most :data:`MAX_CHART_SERIES` series.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

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
    ``failing_ids`` first (see :func:`chart_series`), how many pairs have values, and each
    shown target's canonical levels (:func:`target_levels`)."""
    shown = targets[_among(targets["target_id"], shown_ids)]
    first = _among(shown["target_id"], failing_ids)
    ordered = pd.concat([shown[first], shown[~first]])
    series, total = chart_series(catalogue, ordered, actuals, as_of)
    return series, total, target_levels(shown)


def _among(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """Whether each value is one of ``wanted``, as a boolean array. (pandas' ``isin`` of one
    Arrow string column in another makes a Python object of each wanted value: seconds here.)"""
    codes, _ = pd.factorize(pd.concat([values, wanted], ignore_index=True), use_na_sentinel=False)
    return np.isin(codes[: len(values)], codes[len(values) :])


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
    wanted = _wanted_pairs(targets, as_of)
    if not len(wanted) or not len(actuals):
        return {}, 0
    # Pairs by their catalogue numbers, as the readers number each actual row (keys.py).
    numbers = _pair_numbers(catalogue, wanted["indicator"], wanted["region"])
    row_keys = actuals["key"].to_numpy(dtype="int64")
    known = np.flatnonzero(
        (actuals["year"].to_numpy() <= as_of)
        & actuals["value"].notna().to_numpy(dtype=bool)
        & (row_keys >= 0)
    )
    known_pairs = row_keys[known] // keys.YEARS
    with_values = np.flatnonzero((numbers >= 0) & np.isin(numbers, known_pairs))
    chosen = with_values[: MAX_CHART_SERIES if limit is None else limit]
    # Only the chosen pairs' rows are read: by chosen rank, then year (a stable sort).
    picked = np.isin(known_pairs, numbers[chosen])
    rows = known[picked]
    rank = pd.Index(numbers[chosen]).get_indexer(known_pairs[picked])
    order = np.lexsort((actuals["year"].to_numpy()[rows], rank))
    rows, rank = rows[order], rank[order]
    years = actuals["year"].to_numpy()[rows]
    values = actuals["value"].to_numpy(dtype="float64")[rows]
    bounds = np.searchsorted(rank, np.arange(len(chosen) + 1))
    series: dict[tuple[str, str], Series] = {}
    pairs = wanted.to_numpy(dtype=object)[chosen]
    for n, (indicator, region) in enumerate(pairs):
        span = slice(bounds[n], bounds[n + 1])
        points = _points(years[span], values[span])
        if points:
            ind = catalogue.indicators.get(indicator)
            series[(indicator, region)] = Series(
                unit=(ind.unit if ind else None) or "", points=points
            )
    return series, len(with_values)


def _wanted_pairs(targets: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """The (indicator, region) pairs a chart may show, once each in the order of ``targets``
    (columns indicator and region, text): each numeric target's own, and the level series an
    average-growth target not yet due is assessed on."""
    numeric = targets[targets["kind"].isin(["level", "growth"]).to_numpy(dtype=bool)]
    later = numeric[
        ((numeric["kind"] == "growth") & (numeric["year"].fillna(0) > as_of)).to_numpy(dtype=bool)
    ]
    level = later["level_indicator"].to_numpy(dtype=object)
    has_level = np.fromiter((isinstance(v, str) for v in level), dtype=bool, count=len(level))
    pairs = pd.DataFrame(
        {
            "indicator": _texts(numeric["indicator"], level[has_level]),
            "region": _texts(numeric["region"], later["region"].to_numpy(dtype=object)[has_level]),
        }
    )
    return pairs.drop_duplicates(ignore_index=True)


def _texts(*parts: Iterable[object]) -> np.ndarray:
    return np.concatenate([np.asarray(part, dtype=object) for part in parts])


def _pair_numbers(catalogue: Catalogue, indicators: pd.Series, regions: pd.Series) -> np.ndarray:
    """Each pair's number as keys.pair_keys makes it; -1 where either is not in the catalogue."""
    indicator_no = pd.Index(list(catalogue.indicators), dtype=object).get_indexer(indicators)
    region_no = pd.Index(list(catalogue.regions), dtype=object).get_indexer(regions)
    return keys.pair_keys(indicator_no, region_no, len(catalogue.regions))


def _points(years: np.ndarray, values: np.ndarray) -> tuple[tuple[int, float], ...]:
    return tuple(
        (int(year), float(value))
        for year, value in zip(years, values, strict=True)
        if math.isfinite(float(value))
    )


def target_levels(targets: pd.DataFrame) -> Levels:
    """Target id → (value, upper value of a range) in the indicator's canonical unit."""
    firsts = targets.drop_duplicates("target_id")

    def numbers(column: str) -> list[float | None]:
        values = firsts[column].to_numpy(dtype="float64")
        return list(np.where(np.isnan(values), None, values).tolist())

    ids = firsts["target_id"].to_numpy(dtype=object).astype(str).tolist()
    return dict(zip(ids, zip(numbers("lo"), numbers("hi"), strict=True), strict=True))
