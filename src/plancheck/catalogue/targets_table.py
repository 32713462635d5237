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
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import units

if TYPE_CHECKING:
    from .loaded import Catalogue, Plan
    from .models import Indicator, Target

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
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    repeats: list[int] = []
    factors: dict[tuple[str | None, str | None], _Factor] = {}
    read_fields = attrgetter(*_FIELDS.values())  # one call a target for all of them
    for plan in catalogue.plans.values():
        targets = tuple(plan.targets)
        inds = [catalogue.indicators[t.indicator] for t in targets]
        fields = zip(*map(read_fields, targets), strict=True) if targets else ([] for _ in _FIELDS)
        found = {name: list(column) for name, column in zip(_FIELDS, fields, strict=True)}
        found.update(_plan_columns(plan, targets))
        found.update(_indicator_columns(inds))
        pairs = zip(found["unit"], inds, strict=True)
        per_target = [_factor(factors, unit, ind.unit) for unit, ind in pairs]
        found["t_factor"] = [factor for factor, _, _ in per_target]
        found.update(_derived(found, per_target))
        for name, column in found.items():
            columns[name].extend(column)
        start = plan.meta.period.start
        repeats.extend(
            max(0, t.year - start + 1) if t.maintain and t.year is not None else 1 for t in targets
        )
    return _frame(columns, repeats)


def _plan_columns(plan: Plan, targets: tuple[Target, ...]) -> dict[str, list[Any]]:
    """The columns that come from the plan, or from the plan where the target is silent."""
    meta, period, n = plan.meta, plan.meta.period, len(targets)
    return {
        "plan": [meta.id] * n,
        "plan_file": [plan.file] * n,
        "line": list(plan.target_lines),
        "soft": [t.hedge is not None for t in targets],
        "base_year": [meta.base_year if t.base_year is None else t.base_year for t in targets],
        "period_start": [period.start] * n,
        "section": [t.source.section for t in targets],
        "quote": [t.source.quote for t in targets],
        # The plan's horizon is "about" its end year (到2020年左右): so are its deadlines there.
        "year_approximate": [period.end_approximate and t.year == period.end for t in targets],
    }


def _indicator_columns(inds: list[Indicator]) -> dict[str, list[Any]]:
    return {
        "kind": [_kind(ind) for ind in inds],
        "direction": [ind.direction for ind in inds],
        "level_indicator": [ind.growth_of.indicator if ind.growth_of else None for ind in inds],
    }


# A unit factor, its float, and whether it is 1 (Fraction's own == and float() are Python).
_Factor = tuple[Fraction, float, bool]


def _factor(
    known: dict[tuple[str | None, str | None], _Factor], unit: str | None, to: str | None
) -> _Factor:
    """The exact factor from a target's unit to its indicator's, worked out once per pair."""
    found = known.get((unit, to))
    if found is None:
        factor = units.conversion_factor(unit, to) if unit and to else _ONE
        found = known[(unit, to)] = (factor, float(factor), factor == 1)
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
        # The years of a spread target: its plan's start year onwards, one row each.
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        offsets = np.arange(int(counts.sum())) - starts
        spread = np.repeat(counts != 1, counts)
        first = np.repeat(np.asarray(columns["period_start"], dtype=np.int64), counts)
        years = data["year"].copy()
        years[spread] = (first + offsets)[spread]
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


def exact(value: Decimal | str) -> Fraction:
    return Fraction(Decimal(value))
