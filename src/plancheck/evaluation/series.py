"""The data behind charts: each shown indicator's series of actuals, and targets in canonical units.

Renderers draw from these and never read files or convert units themselves.
"""

from __future__ import annotations

import math

import pandas as pd

from ..catalogue import Catalogue
from .report import Series

# A page of charts is read by a person: beyond this many series (a national run has 200,000)
# the page would weigh gigabytes. The targets that fail come first; the page says how many
# series were left out, and the table still lists every target.
MAX_CHART_SERIES = 1000


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
    if not wanted or not len(actuals):
        return {}, 0
    known = actuals.loc[
        (actuals["year"] <= as_of) & actuals["value"].notna(),
        ["indicator", "region", "year", "value"],
    ]
    present = known[["indicator", "region"]].drop_duplicates()
    has_values = set(zip(present["indicator"], present["region"], strict=True))
    with_values = [pair for pair in wanted if pair in has_values]
    chosen = with_values[: MAX_CHART_SERIES if limit is None else limit]
    # Only the chosen pairs' rows are grouped: a national table has 10^7 rows and 10^5 pairs.
    rows_of_chosen = known["indicator"].isin({i for i, _ in chosen}) & known["region"].isin(
        {r for _, r in chosen}
    )
    groups = dict(
        iter(
            known[rows_of_chosen]
            .sort_values("year", kind="stable")
            .groupby(["indicator", "region"], sort=False)
        )
    )
    series: dict[tuple[str, str], Series] = {}
    for indicator, region in chosen:
        points = _points(groups[(indicator, region)])
        if points:
            ind = catalogue.indicators.get(indicator)
            series[(indicator, region)] = Series(
                unit=(ind.unit if ind else None) or "", points=points
            )
    return series, len(with_values)


def _wanted_pairs(targets: pd.DataFrame, as_of: int) -> list[tuple[str, str]]:
    """The (indicator, region) pairs a chart may show, in the order of ``targets``: each numeric
    target's own, and the level series an average-growth target not yet due is assessed on."""
    numeric = targets[targets["kind"].isin(["level", "growth"])]
    pairs = list(zip(numeric["indicator"], numeric["region"], strict=True))
    later = numeric[(numeric["kind"] == "growth") & (numeric["year"].fillna(0) > as_of)]
    pairs += [
        (str(level), str(region))
        for level, region in zip(later["level_indicator"], later["region"], strict=True)
        if isinstance(level, str)
    ]
    return list(dict.fromkeys(pairs))


def _points(rows: pd.DataFrame) -> tuple[tuple[int, float], ...]:
    return tuple(
        (int(year), float(value))
        for year, value in zip(rows["year"], rows["value"], strict=True)
        if math.isfinite(float(value))
    )


def target_levels(targets: pd.DataFrame) -> dict[str, tuple[float | None, float | None]]:
    """Target id → (value, upper value of a range) in the indicator's canonical unit."""

    def number(value: float) -> float | None:
        return None if math.isnan(value) else float(value)

    firsts = targets.drop_duplicates("target_id")
    return {
        str(tid): (number(lo), number(hi))
        for tid, lo, hi in zip(firsts["target_id"], firsts["lo"], firsts["hi"], strict=True)
    }
