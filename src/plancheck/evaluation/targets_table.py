"""Catalogue → canonical targets table (one row per target and year), with exact and float bounds.

A ``maintain`` target ("hold at or above X every year") becomes one row per year of its plan's
period up to its own year; every other target is one row.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .. import units
from ..catalogue import Catalogue

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
)


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
    if catalogue.table is not None:  # built once, with the (cached) catalogue
        frame = catalogue.table
        keep = np.ones(len(frame), dtype=bool)
        if plans:
            keep &= frame["plan"].isin(plans).to_numpy()
        if regions:
            keep &= frame["region"].isin(regions).to_numpy()
        if natures:
            keep &= frame["nature"].isin(natures).to_numpy()
        return frame if keep.all() else frame[keep].reset_index(drop=True)
    rows: list[dict[str, Any]] = []
    for plan, t, line in catalogue.targets_with_lines():
        if plans and plan.meta.id not in plans:
            continue
        if regions and t.region not in regions:
            continue
        if natures and t.nature not in natures:
            continue
        ind = catalogue.indicators[t.indicator]
        factor = units.conversion_factor(t.unit, ind.unit) if t.unit and ind.unit else Fraction(1)
        row = {
            "target_id": t.id,
            "plan": plan.meta.id,
            "plan_file": plan.file,
            "line": line,
            "indicator": t.indicator,
            "region": t.region,
            "year": t.year,
            "year_inferred": t.year_inferred,
            "kind": kind_of(catalogue, t.indicator),
            "comparator": t.comparator,
            "value": t.value,
            "value_max": t.value_max,
            "unit": t.unit,
            "direction": ind.direction,
            "soft": t.soft,
            "hedge": t.hedge,
            "nature": t.nature,
            "base_year": t.base_year if t.base_year is not None else plan.meta.base_year,
            "period_start": plan.meta.period.start,
            "level_indicator": ind.growth_of.indicator if ind.growth_of else None,
            "maintain": t.maintain,
            "section": t.source.section,
            "quote": t.source.quote,
            "t_factor": factor,
            "lo": float(Fraction(t.value) * factor) if t.value is not None else np.nan,
            "hi": float(Fraction(t.value_max) * factor) if t.value_max is not None else np.nan,
            "stage": t.stage,
            "effort": t.effort,
            "scope": t.scope,
            # The plan's horizon is "about" its end year (到2020年左右): so are its deadlines there.
            "year_approximate": plan.meta.period.end_approximate and t.year == plan.meta.period.end,
        }
        if t.maintain and t.year is not None:
            rows.extend({**row, "year": y} for y in range(plan.meta.period.start, t.year + 1))
        else:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["base_year"] = frame["base_year"].astype("Int64")
    frame["period_start"] = frame["period_start"].astype("int64")
    frame["lo"] = frame["lo"].astype("float64")
    frame["hi"] = frame["hi"].astype("float64")
    return frame


def exact(value: Decimal | str) -> Fraction:
    return Fraction(Decimal(value))
