"""Catalogue → canonical targets table (one row per target), with exact and float bounds."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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
    "section",
    "quote",
    "t_factor",
    "lo",
    "hi",
)


def kind_of(catalogue: Catalogue, indicator: str) -> str:
    ind = catalogue.indicators[indicator]
    if ind.type == "milestone":
        return "milestone"
    return "growth" if ind.growth_of is not None else "level"


def targets_table(
    catalogue: Catalogue, plans: list[str] | None = None, regions: list[str] | None = None
) -> pd.DataFrame:
    rows = []
    for plan, t, line in catalogue.targets_with_lines():
        if plans and plan.meta.id not in plans:
            continue
        if regions and t.region not in regions:
            continue
        ind = catalogue.indicators[t.indicator]
        factor = units.conversion_factor(t.unit, ind.unit) if t.unit and ind.unit else Fraction(1)
        rows.append(
            {
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
                "section": t.source.section,
                "quote": t.source.quote,
                "t_factor": factor,
                "lo": float(Fraction(t.value) * factor) if t.value is not None else np.nan,
                "hi": float(Fraction(t.value_max) * factor) if t.value_max is not None else np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["base_year"] = frame["base_year"].astype("Int64")
    frame["lo"] = frame["lo"].astype("float64")
    frame["hi"] = frame["hi"].astype("float64")
    return frame


def exact(value: Decimal | str) -> Fraction:
    return Fraction(Decimal(value))
