"""Growth targets (同比增长, 年均增长): the submitted growth figure, or growth computed from levels.

When no growth figure is submitted for the target year, it is computed from the level
indicator's series: on the previous year (year_on_year) or compound since the base year
(average_annual). The verdict is exact: ``level_t / level_base`` is compared with
``(1 + g)^n`` in fractions built from the decimal text. The result's ``basis`` says which it was.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ... import units
from . import RESULT_FIELDS, Context, threshold

KIND = "growth"

_OPS = {
    ">=": Fraction.__ge__,
    ">": Fraction.__gt__,
    "<=": Fraction.__le__,
    "<": Fraction.__lt__,
    "==": Fraction.__eq__,
}


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    result = threshold.check(targets, actuals, ctx)
    result["basis"] = (
        result["actual_value"].notna().map({True: "submitted growth figure", False: None})
    )
    todo = targets[
        result["status"].isin(["missing", "open"]).to_numpy() & targets["year"].notna().to_numpy()
    ]
    if todo.empty:
        return result
    growth_of = {
        iid: ind.growth_of
        for iid, ind in ctx.catalogue.indicators.items()
        if ind.growth_of is not None and iid in set(todo["indicator"])
    }
    level = todo["indicator"].map({k: g.indicator for k, g in growth_of.items()})
    year_on_year = (
        todo["indicator"].map({k: g.basis == "year_on_year" for k, g in growth_of.items()})
    ).to_numpy(dtype=bool)
    year = todo["year"].astype("int64").to_numpy()
    stated_base = todo["base_year"]
    # The loader insists on a base year for average-annual targets; one without it is skipped.
    usable = year_on_year | stated_base.notna().to_numpy()
    base_year = np.where(year_on_year, year - 1, stated_base.fillna(0).astype("int64").to_numpy())
    # The level rows each target needs, found by key (never a loop over rows).
    region = todo["region"]
    now = _level_rows(ctx, level, region, year, todo.index)
    base = _level_rows(ctx, level, region, base_year, todo.index)
    level_units = {k: ind.unit or "" for k, ind in ctx.catalogue.indicators.items()}
    columns = {
        "idx": todo.index.tolist(),
        "level": level.tolist(),
        "yoy": year_on_year.tolist(),
        "usable": usable.tolist(),
        "year": year.tolist(),
        "base_year": base_year.tolist(),
        "comparator": todo["comparator"].tolist(),
        "value": todo["value"].tolist(),
        "t_factor": todo["t_factor"].tolist(),
        "now_text": now["value_text"].tolist(),
        "now_unit": now["unit"].tolist(),
        "now_file": now["file"].tolist(),
        "now_row": now["row"].tolist(),
        "now_flag": now["flag"].tolist(),
        "base_text": base["value_text"].tolist(),
        "base_unit": base["unit"].tolist(),
    }
    # Result field → {target index: value} for the targets judged on computed growth.
    updates: dict[str, dict[Any, Any]] = {name: {} for name in RESULT_FIELDS if name != "completed"}
    for t in (
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ):
        if not t["usable"]:
            continue
        idx, level_id, year_t, base_t = t["idx"], t["level"], t["year"], t["base_year"]
        has_now, has_base = isinstance(t["now_text"], str), isinstance(t["base_text"], str)
        if not (has_now and has_base):
            lacking = [str(y) for y, ok in ((base_t, has_base), (year_t, has_now)) if not ok]
            updates["basis"][idx] = (
                f"no growth figure, and no {level_id} level for {' and '.join(lacking)}"
            )
            continue
        level_unit = level_units[level_id]
        level_now = Fraction(Decimal(t["now_text"])) * units.conversion_factor(
            t["now_unit"], level_unit
        )
        level_base = Fraction(Decimal(t["base_text"])) * units.conversion_factor(
            t["base_unit"], level_unit
        )
        if level_base <= 0 or level_now < 0:
            updates["basis"][idx] = f"growth undefined: the {base_t} level is not positive"
            continue
        years = year_t - base_t
        ratio = level_now / level_base
        required = (1 + Fraction(t["value"]) * t["t_factor"] / 100) ** years
        met = _OPS[t["comparator"]](ratio, required)
        growth = (float(ratio) ** (1 / years) - 1) * 100
        updates["status"][idx] = "met" if met else "not_met"
        updates["actual_value"][idx] = f"{growth:.2f}"
        updates["actual_unit"][idx] = "%"
        updates["actual_year"][idx] = year_t
        updates["gap"][idx] = round(growth - float(t["value"]), 2)
        updates["achievement"][idx] = round(growth / float(t["value"]), 4) if t["value"] else np.nan
        updates["actual_file"][idx] = t["now_file"]
        updates["actual_row"][idx] = int(t["now_row"])
        updates["flag"][idx] = t["now_flag"] or None
        what = "on the previous year" if t["yoy"] else "average annual"
        updates["basis"][idx] = f"computed from {level_id} levels, {base_t}→{year_t} ({what})"
    for name, values in updates.items():
        if values:
            _set(result, name, values)
    return result


def _level_rows(
    ctx: Context, level: pd.Series, region: pd.Series, years: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """The submitted level row of each (level indicator, region, year) up to --as-of, or NaN."""
    positions = ctx.actuals.find(level, region, years)
    positions = np.where(np.asarray(years) > ctx.as_of, -1, positions)
    rows = ctx.actuals.rows(positions, index)
    rows["value_text"] = rows["value_text"].where(rows["value_text"] != "")
    return rows


def _set(frame: pd.DataFrame, column: str, values: dict[Any, Any]) -> None:
    """frame.at[i, column] = v for each i, v, in one assignment per column."""
    frame.loc[list(values), column] = list(values.values())
