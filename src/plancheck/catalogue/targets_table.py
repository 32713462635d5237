"""Catalogue → canonical targets table (one row per target and year), with exact and float bounds.

A ``maintain`` target ("hold at or above X every year") becomes one row per year of its plan's
period up to its own year; every other target is one row.

Everything here is derived from the catalogue alone, so it is built once, column by column, and
kept with a cached catalogue: besides the exact values (Decimal) and unit factors (Fraction), the
table holds what every run would otherwise derive again — the values as printed in reports
(``value_text``, ``value_max_text``: ``format(value, "f")``) and their floats (``value_float``,
``t_factor_float``; ``lo``/``hi`` are the bounds in the indicator's unit).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import units
from .target_columns import as_columns

if TYPE_CHECKING:
    from .loaded import Catalogue, Plan

COLUMNS = (
    "target_id",
    "plan",
    "plan_file",
    "line",
    "indicator",
    "region",
    "year",
    "year_inferred",
    "kind",
    "comparator",
    "value",
    "value_max",
    "unit",
    "direction",
    "soft",
    "hedge",
    "nature",
    "base_year",
    "period_start",
    "level_indicator",
    "maintain",
    "section",
    "quote",
    "t_factor",
    "lo",
    "hi",
    "stage",
    "effort",
    "scope",
    "year_approximate",
    # derived once per catalogue (see the module's docstring)
    "value_text",
    "value_max_text",
    "value_float",
    "t_factor_float",
)
_ONE = Fraction(1)


def kind_of(catalogue: Catalogue, indicator: str) -> str:
    ind = catalogue.indicators[indicator]
    if ind.type == "milestone":
        return "milestone"
    return "growth" if ind.growth_of is not None else "level"


def targets_table(
    catalogue: Catalogue,
    plans: list[str] | None = None,
    regions: list[str] | None = None,
    natures: list[str] | None = None,
) -> pd.DataFrame:
    """The rows of the targets the filters select (all when none is given), in catalogue order."""
    frame = catalogue.table if catalogue.table is not None else build(catalogue)
    keep = np.ones(len(frame), dtype=bool)
    if plans:
        keep &= frame["plan"].isin(plans).to_numpy()
    if regions:
        keep &= frame["region"].isin(regions).to_numpy()
    if natures:
        keep &= frame["nature"].isin(natures).to_numpy()
    return frame if keep.all() else frame[keep].reset_index(drop=True)


# Columns read straight off each target: column → the target's field.
_FIELDS = {
    "target_id": "id",
    "indicator": "indicator",
    "region": "region",
    "year": "year",
    "year_inferred": "year_inferred",
    "comparator": "comparator",
    "value": "value",
    "value_max": "value_max",
    "unit": "unit",
    "hedge": "hedge",
    "nature": "nature",
    "maintain": "maintain",
    "stage": "stage",
    "effort": "effort",
    "scope": "scope",
}


def build(catalogue: Catalogue) -> pd.DataFrame:
    """Every target's rows, column by column (a per-row dict costs seconds at 285,000)."""
    return _frame(*build_columns(catalogue))


def build_columns(catalogue: Catalogue) -> tuple[dict[str, list[Any]], list[int]]:
    """Each target's value in each column (one row per target), and the number of rows each
    target takes (a ``maintain`` target: one per year of its plan up to its own, see
    :func:`spread_years`)."""
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    repeats: list[int] = []
    factors: dict[tuple[str | None, str], _Factor] = {}
    # What comes from the indicator, worked out once per indicator (or unit and indicator).
    per_indicator = {
        iid: (_kind(ind), ind.direction, ind.growth_of.indicator if ind.growth_of else None)
        for iid, ind in catalogue.indicators.items()
    }
    for plan in catalogue.plans.values():
        given = as_columns(plan.targets)
        found = {name: given[field] for name, field in _FIELDS.items()}
        found.update(_plan_columns(plan, given))
        described = list(map(per_indicator.__getitem__, given["indicator"]))
        found["kind"] = [kind for kind, _, _ in described]
        found["direction"] = [direction for _, direction, _ in described]
        found["level_indicator"] = [level for _, _, level in described]
        per_target = _factors(catalogue, factors, found["unit"], given["indicator"])
        found["t_factor"] = [factor for factor, _, _ in per_target]
        found.update(_derived(found, per_target))
        for name, column in found.items():
            columns[name].extend(column)
        start = plan.meta.period.start
        repeats.extend(
            max(0, year - start + 1) if maintain and year is not None else 1
            for maintain, year in zip(given["maintain"], given["year"], strict=True)
        )
    return columns, repeats


def _factors(
    catalogue: Catalogue,
    known: dict[tuple[str | None, str], _Factor],
    units: list[str | None],
    indicators: list[str],
) -> list[_Factor]:
    """Each target's unit factor (worked out once per unit and indicator)."""
    return [
        known.get(pair) or _factor(known, pair, catalogue.indicators[pair[1]].unit)
        for pair in zip(units, indicators, strict=True)
    ]


def _plan_columns(plan: Plan, given: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The columns that come from the plan, or from the plan where the target is silent."""
    meta, period, n = plan.meta, plan.meta.period, len(given["id"])
    return {
        "plan": [meta.id] * n,
        "plan_file": [plan.file] * n,
        "line": list(plan.target_lines),
        "soft": [hedge is not None for hedge in given["hedge"]],
        "base_year": [meta.base_year if year is None else year for year in given["base_year"]],
        "period_start": [period.start] * n,
        "section": given["section"],
        "quote": given["quote"],
        # The plan's horizon is "about" its end year (到2020年左右): so are its deadlines there.
        "year_approximate": [
            period.end_approximate and year == period.end for year in given["year"]
        ],
    }


# A unit factor, its float, and whether it is 1 (Fraction's own == and float() are Python).
_Factor = tuple[Fraction, float, bool]


def _factor(
    known: dict[tuple[str | None, str], _Factor], pair: tuple[str | None, str], to: str | None
) -> _Factor:
    """The exact factor from a target's unit to its indicator's (``pair``: the unit and the
    indicator's id), worked out once per pair."""
    unit = pair[0]
    factor = units.conversion_factor(unit, to) if unit and to else _ONE
    found = known[pair] = (factor, float(factor), factor == 1)
    return found


def _derived(found: dict[str, list[Any]], factors: list[_Factor]) -> dict[str, list[Any]]:
    """Bounds in the indicator's unit, the values as printed, and their floats."""
    values, highs = found["value"], found["value_max"]
    return {
        "lo": _floats(values, factors),
        "hi": _floats(highs, factors),
        "value_text": _texts(values),
        "value_max_text": _texts(highs),
        "value_float": [np.nan if v is None else float(v) for v in values],
        "t_factor_float": [as_float for _, as_float, _ in factors],
    }


def _texts(values: list[Decimal | None]) -> list[str | None]:
    return [None if v is None else format(v, "f") for v in values]


def _kind(indicator: Any) -> str:
    if indicator.type == "milestone":
        return "milestone"
    return "growth" if indicator.growth_of is not None else "level"


def _floats(values: list[Decimal | None], factors: list[_Factor]) -> list[float]:
    """Each value times its unit factor, rounded once to a float (NaN where there is none)."""
    return [
        np.nan
        if v is None
        else float(v)
        if one  # float(Decimal) and float(Fraction) both round once, correctly: the same
        else float(Fraction(v) * f)
        for v, (f, _, one) in zip(values, factors, strict=True)
    ]


def _frame(columns: dict[str, list[Any]], repeats: list[int]) -> pd.DataFrame:
    """The table, each maintain target spread over the years of its plan up to its own."""
    counts = np.asarray(repeats, dtype=np.int64)
    expand = bool((counts != 1).any())
    data: dict[str, Any] = {}
    for name in COLUMNS:
        values = columns[name]
        array = np.empty(len(values), dtype=object)
        array[:] = values
        data[name] = np.repeat(array, counts) if expand else array
    if expand:
        years = data["year"].copy()
        spread, spread_to = spread_years(counts, columns["period_start"])
        years[spread] = spread_to
        data["year"] = years
    frame = pd.DataFrame(data)
    for name in ("year", "base_year"):
        frame[name] = frame[name].astype("Int64")
    for name in ("line", "period_start"):
        frame[name] = frame[name].astype("int64")
    for name in ("lo", "hi", "value_float", "t_factor_float"):
        frame[name] = frame[name].astype("float64")
    for name in ("year_inferred", "soft", "maintain", "effort", "year_approximate"):
        frame[name] = frame[name].astype(bool)
    return frame


def spread_years(counts: np.ndarray, period_start: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The rows of spread targets (counts != 1, repeated) and their years: the plan's start
    year onwards, one row each."""
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    offsets = np.arange(int(counts.sum())) - starts
    spread = np.repeat(counts != 1, counts)
    first = np.repeat(np.asarray(period_start, dtype=np.int64), counts)
    return spread, (first + offsets)[spread]


def exact(value: Decimal | str) -> Fraction:
    return Fraction(Decimal(value))
