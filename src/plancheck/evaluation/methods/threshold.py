"""Level targets: the submitted figure for the target year against the comparator and bound(s)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from ... import units
from . import Context
from .compare import passes, tidy

KIND = "level"


def exact_actual_value(row: pd.Series, catalogue_unit: str) -> Fraction:
    return Fraction(Decimal(row["value_text"])) * units.conversion_factor(
        row["unit"], catalogue_unit
    )


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    known = actuals[actuals["year"] <= ctx.as_of]
    dated = targets[targets["year"].notna()]
    undated = targets[targets["year"].isna()]
    joined = pd.concat([_join_dated(dated, known), join_latest(undated, known)])
    return judge(joined.loc[targets.index], ctx, targets)


def _join_dated(targets: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    left = targets[["indicator", "region", "year"]].astype({"year": "int64"}).reset_index()
    merged = left.merge(
        actuals, on=["indicator", "region", "year"], how="left", suffixes=("", "_a")
    )
    merged["actual_year"] = np.where(merged["value_text"].notna(), merged["year"], np.nan)
    return merged.set_index("index")


def join_latest(targets: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """A target without a deadline is judged on the latest figure submitted."""
    latest = actuals.sort_values("year").drop_duplicates(["indicator", "region"], keep="last")
    left = targets[["indicator", "region"]].reset_index()
    merged = left.merge(latest, on=["indicator", "region"], how="left")
    merged["actual_year"] = merged["year"]
    return merged.set_index("index")


def judge(joined: pd.DataFrame, ctx: Context, targets: pd.DataFrame) -> pd.DataFrame:
    """Status, gap and achievement for targets joined to one actual each (NaN when none)."""
    n = len(targets)
    indicator_unit = {k: v.unit or "" for k, v in ctx.catalogue.indicators.items()}
    actual = joined["value"].to_numpy(dtype="float64")
    lo, hi = targets["lo"].to_numpy(), targets["hi"].to_numpy()
    t_rows = targets.reset_index(drop=True)
    j_rows = joined.reset_index(drop=True)
    ok = passes(
        t_rows["comparator"],
        actual,
        lo,
        hi,
        lambda i: exact_actual_value(j_rows.iloc[i], indicator_unit[t_rows.at[i, "indicator"]]),
        lambda i: Fraction(t_rows.at[i, "value"]) * t_rows.at[i, "t_factor"],
        lambda i: Fraction(t_rows.at[i, "value_max"]) * t_rows.at[i, "t_factor"],
    )
    has_actual = ~np.isnan(actual)
    year = t_rows["year"]
    undated = year.isna().to_numpy()
    future = (~undated) & (year.fillna(0).to_numpy() > ctx.as_of)
    status = np.select(
        [undated & has_actual & ok, undated, future, ~has_actual, ok],
        ["met", "open", "pending", "missing", "met"],
        default="not_met",
    )
    t_factor = (
        np.array([float(f) for f in t_rows["t_factor"]], dtype="float64") if n else np.array([])
    )
    in_target_unit = actual / t_factor if n else actual
    low_target = lo / t_factor if n else lo
    high_target = hi / t_factor if n else hi
    ops = t_rows["comparator"].to_numpy()
    between = ops == "between"
    gap = np.where(
        between,
        np.where(
            in_target_unit < low_target,
            in_target_unit - low_target,
            np.where(in_target_unit > high_target, in_target_unit - high_target, 0.0),
        ),
        in_target_unit - low_target,
    )
    gap = tidy(gap, np.maximum(np.abs(in_target_unit), np.abs(low_target)))
    higher = (t_rows["direction"] == "higher_is_better").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        achievement = np.where(higher, actual / lo, lo / actual)
    achievement = np.where(between | ~np.isfinite(achievement), np.nan, achievement)
    achievement = tidy(achievement, np.ones(n))
    return pd.DataFrame(
        {
            "status": status,
            "actual_value": j_rows["value_text"].where(pd.Series(has_actual), None).to_numpy(),
            "actual_unit": j_rows["unit"].where(pd.Series(has_actual), None).to_numpy(),
            "actual_year": pd.array(
                j_rows["actual_year"].where(pd.Series(has_actual)), dtype="Int64"
            ),
            "gap": np.where(has_actual, gap, np.nan),
            "achievement": np.where(has_actual, achievement, np.nan),
            "actual_file": j_rows["file"].where(pd.Series(has_actual), None).to_numpy(),
            "actual_row": pd.array(j_rows["row"].where(pd.Series(has_actual)), dtype="Int64"),
            "basis": None,
            "completed": None,
            "flag": j_rows["flag"].where(pd.Series(has_actual) & (j_rows["flag"] != ""), None).to_numpy(),
        },
        index=targets.index,
    )
