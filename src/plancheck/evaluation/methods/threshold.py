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


def exact_value(value_text: str, unit: str, catalogue_unit: str) -> Fraction:
    return Fraction(Decimal(value_text)) * units.conversion_factor(unit, catalogue_unit)


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    dated = targets["year"].notna().to_numpy()
    positions = np.full(len(targets), -1, dtype="int64")
    if dated.any():
        years = targets["year"].to_numpy(dtype="float64", na_value=np.nan)[dated]
        positions[dated] = ctx.actuals.find(
            targets["indicator"][dated], targets["region"][dated], years.astype("int64")
        )
        # A figure for a year after --as-of is not known yet.
        positions[dated] = np.where(years > ctx.as_of, -1, positions[dated])
    if (~dated).any():
        positions[~dated] = ctx.actuals.latest(
            targets["indicator"][~dated], targets["region"][~dated], ctx.as_of
        )
    return judge(joined_rows(ctx, positions, targets.index), ctx, targets)


def joined_rows(ctx: Context, positions: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The actual row at each position (NaN where -1), with the year it is for."""
    joined = ctx.actuals.rows(positions, index)
    joined["actual_year"] = joined["year"]
    return joined


def judge(joined: pd.DataFrame, ctx: Context, targets: pd.DataFrame) -> pd.DataFrame:
    """Status, gap and achievement for targets joined to one actual each (NaN when none)."""
    n = len(targets)
    indicator_unit = {k: v.unit or "" for k, v in ctx.catalogue.indicators.items()}
    actual = joined["value"].to_numpy(dtype="float64")
    lo, hi = targets["lo"].to_numpy(), targets["hi"].to_numpy()
    t_rows = targets.reset_index(drop=True)
    j_rows = joined.reset_index(drop=True)
    # Plain arrays for the exact fallback: it runs per near-tie row, and .iloc per row is slow.
    value_text, actual_unit = j_rows["value_text"].to_numpy(), j_rows["unit"].to_numpy()
    indicator = t_rows["indicator"].to_numpy()
    value, value_max = t_rows["value"].to_numpy(), t_rows["value_max"].to_numpy()
    t_factor_exact = t_rows["t_factor"].to_numpy()
    ok = passes(
        t_rows["comparator"],
        actual,
        lo,
        hi,
        lambda i: exact_value(value_text[i], actual_unit[i], indicator_unit[indicator[i]]),
        lambda i: Fraction(value[i]) * t_factor_exact[i],
        lambda i: Fraction(value_max[i]) * t_factor_exact[i],
        (t_rows["direction"] == "higher_is_better").to_numpy(),
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
    # A planned range, like a band, has no gap anywhere inside it.
    gap = np.where(
        between | (ops == "range"),
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
        near_end = np.where((ops == "range") & ~higher, hi, lo)
        achievement = np.where(higher, actual / lo, near_end / actual)
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
            "flag": j_rows["flag"]
            .where(pd.Series(has_actual) & (j_rows["flag"] != ""), None)
            .to_numpy(),
        },
        index=targets.index,
    )
