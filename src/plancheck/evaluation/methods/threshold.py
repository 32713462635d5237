"""Level targets: the submitted figure for the target year against the comparator and bound(s)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from ... import units
from . import exact
from .base import ComparisonMethod, Context, target_pairs
from .compare import ExactColumn, passes, tidy


class LevelMethod(ComparisonMethod):
    kind = "level"
    description = "a level: the submitted figure for the target year against the bound(s)"

    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        return check(targets, actuals, ctx)


# The actuals' columns a verdict shows or is made from.
JOINED = ("year", "value", "value_text", "unit", "file", "row", "flag")


def exact_value(value_text: str, unit: str, catalogue_unit: str) -> Fraction:
    return Fraction(Decimal(value_text)) * units.conversion_factor(unit, catalogue_unit)


def exact_columns(
    joined: pd.DataFrame, targets: pd.DataFrame, indicator_unit: dict[str, str]
) -> tuple[ExactColumn, ExactColumn, ExactColumn]:
    """The exact actual (its decimal text in the indicator's unit) and bounds of each row.

    Both frames are positionally indexed; nothing is computed until a row is asked for.
    """
    texts, units_given = joined["value_text"], joined["unit"]
    indicator = targets["indicator"]
    value, value_max = targets["value"].to_numpy(), targets["value_max"].to_numpy()
    t_factor = targets["t_factor"].to_numpy()

    def actual_rationals(rows: np.ndarray) -> exact.Rationals:
        wanted = indicator.iloc[rows].map(indicator_unit).to_numpy(dtype=object)
        factors = exact.conversion_factors(units_given.iloc[rows].to_numpy(dtype=object), wanted)
        return exact.from_decimal_text(texts.iloc[rows]) * factors

    def actual_fraction(i: int) -> Fraction:
        return exact_value(texts.iloc[i], units_given.iloc[i], indicator_unit[indicator.iloc[i]])

    value_of = target_values(targets, "value")
    value_max_of = target_values(targets, "value_max")
    return (
        ExactColumn(actual_rationals, actual_fraction),
        ExactColumn(
            lambda rows: value_of(rows) * exact.from_objects(t_factor[rows]),
            lambda i: Fraction(value[i]) * t_factor[i],
        ),
        ExactColumn(
            lambda rows: value_max_of(rows) * exact.from_objects(t_factor[rows]),
            lambda i: Fraction(value_max[i]) * t_factor[i],
        ),
    )


def target_values(targets: pd.DataFrame, column: str) -> Callable[[np.ndarray], exact.Rationals]:
    """The exact target values (``value`` or ``value_max``) at given positions: read from their
    decimal text (``value_text``: ``format(value, "f")``, made with the catalogue) in one pass
    where the table has it, else from the Decimal objects one at a time. A figure too long
    for int64 is not exact either way, and is compared as a fraction of its Decimal."""
    texts = targets.get(f"{column}_text")
    if texts is None:
        values = targets[column].to_numpy()
        return lambda rows: exact.from_objects(values[rows])

    def from_texts(rows: np.ndarray) -> exact.Rationals:
        taken = texts.iloc[rows]  # only the near ties' texts, when there are any
        return exact.from_decimal_text(taken.astype(object).where(taken.notna(), None))

    return from_texts


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    dated = targets["year"].notna().to_numpy()
    positions = np.full(len(targets), -1, dtype="int64")
    pairs = target_pairs(targets, ctx)
    if dated.any():
        years = targets["year"].to_numpy(dtype="float64", na_value=np.nan)[dated]
        positions[dated] = ctx.actuals.find_pairs(pairs[dated], years.astype("int64"))
        # A figure for a year after --as-of is not known yet.
        positions[dated] = np.where(years > ctx.as_of, -1, positions[dated])
    if (~dated).any():
        positions[~dated] = ctx.actuals.latest_pairs(pairs[~dated], ctx.as_of)
    return judge(joined_rows(ctx, positions, targets.index), ctx, targets)


def joined_rows(ctx: Context, positions: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The actual row at each position (NaN where -1), with the year it is for."""
    joined = ctx.actuals.rows(positions, index, JOINED)
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
    exact_actual, exact_lo, exact_hi = exact_columns(j_rows, t_rows, indicator_unit)
    ok = passes(
        t_rows["comparator"],
        actual,
        lo,
        hi,
        exact_actual,
        exact_lo,
        exact_hi,
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
    t_factor = t_rows["t_factor_float"].to_numpy(dtype="float64")  # float(t_factor), cached
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
    shown = pd.Series(has_actual)
    return pd.DataFrame(
        {
            "status": status,
            "actual_value": _texts(j_rows["value_text"], shown),
            "actual_unit": _texts(j_rows["unit"], shown),
            "actual_year": pd.array(j_rows["actual_year"].where(shown), dtype="Int64"),
            "gap": np.where(has_actual, gap, np.nan),
            "achievement": np.where(has_actual, achievement, np.nan),
            "actual_file": _texts(j_rows["file"], shown),
            "actual_row": pd.array(j_rows["row"].where(shown), dtype="Int64"),
            "basis": None,
            "completed": None,
            "flag": _texts(j_rows["flag"], shown & (j_rows["flag"] != "")),
        },
        index=targets.index,
    )


def _texts(values: pd.Series, shown: pd.Series) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``values`` where ``shown``, else missing, as text (the str dtype): taken as Arrow strings
    where they are, rather than made into Python strings and inferred back."""
    if not shown.any():  # nothing shown: all None, as pandas makes such a column (object)
        return np.full(len(values), None, dtype=object)
    if isinstance(values.dtype, pd.CategoricalDtype):  # a file name: its categories, by code
        codes = np.where(shown.to_numpy(dtype=bool), values.cat.codes.to_numpy(), -1)
        names = pd.array(values.cat.categories.to_numpy(dtype=object), dtype="str")
        return names.take(codes, allow_fill=True)
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        return values.where(shown).array
    return values.where(shown, None).to_numpy()
