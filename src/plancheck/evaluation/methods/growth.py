"""Growth targets (同比增长, 年均增长): the submitted growth figure, or growth computed from levels.

When no growth figure is submitted for the target year, it is computed from the level
indicator's series: on the previous year (year_on_year) or compound since the base year
(average_annual). The verdict is exact: ``level_t / level_base`` is compared with
``(1 + g)^n`` in fractions built from the decimal text. The result's ``basis`` says which it was.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from ... import units
from . import Context, threshold

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
    known = actuals[actuals["year"] <= ctx.as_of]
    levels = {
        (r.indicator, r.region, int(r.year)): r
        for r in known[known["value_text"] != ""].itertuples(index=False)
    }
    for idx in targets.index[result["status"].isin(["missing", "open"]).to_numpy()]:
        t = targets.loc[idx]
        if pd.isna(t["year"]):
            continue
        growth_of = ctx.catalogue.indicators[t["indicator"]].growth_of
        assert growth_of is not None
        year = int(t["year"])
        if growth_of.basis == "year_on_year":
            base_year = year - 1
        elif pd.notna(t["base_year"]):
            base_year = int(t["base_year"])
        else:  # the loader insists on a base year for average-annual targets
            continue
        current = levels.get((growth_of.indicator, t["region"], year))
        base = levels.get((growth_of.indicator, t["region"], base_year))
        if current is None or base is None:
            lacking = [str(y) for y, r in ((base_year, base), (year, current)) if r is None]
            result.at[idx, "basis"] = (
                f"no growth figure, and no {growth_of.indicator} level for {' and '.join(lacking)}"
            )
            continue
        level_unit = ctx.catalogue.indicators[growth_of.indicator].unit or ""
        level_now = Fraction(Decimal(current.value_text)) * units.conversion_factor(
            current.unit, level_unit
        )
        level_base = Fraction(Decimal(base.value_text)) * units.conversion_factor(
            base.unit, level_unit
        )
        if level_base <= 0 or level_now < 0:
            result.at[idx, "basis"] = f"growth undefined: the {base_year} level is not positive"
            continue
        years = year - base_year
        ratio = level_now / level_base
        required = (1 + Fraction(t["value"]) * t["t_factor"] / 100) ** years
        met = _OPS[t["comparator"]](ratio, required)
        growth = (float(ratio) ** (1 / years) - 1) * 100
        result.at[idx, "status"] = "met" if met else "not_met"
        result.at[idx, "actual_value"] = f"{growth:.2f}"
        result.at[idx, "actual_unit"] = "%"
        result.at[idx, "actual_year"] = year
        result.at[idx, "gap"] = round(growth - float(t["value"]), 2)
        result.at[idx, "achievement"] = (
            round(growth / float(t["value"]), 4) if t["value"] else np.nan
        )
        result.at[idx, "actual_file"] = current.file
        result.at[idx, "actual_row"] = int(current.row)
        result.at[idx, "flag"] = current.flag or None
        what = "on the previous year" if growth_of.basis == "year_on_year" else "average annual"
        result.at[idx, "basis"] = (
            f"computed from {growth_of.indicator} levels, {base_year}→{year} ({what})"
        )
    return result
