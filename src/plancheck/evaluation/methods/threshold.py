"""Level targets: the submitted figure for the target year against the comparator and bound(s)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from ... import units
from ...catalogue.decimals import Decimals
from . import exact
from .base import AT, ComparisonMethod, Context, target_pairs
from .compare import ExactColumn, passes, tidy


class LevelMethod(ComparisonMethod):
    kind = "level"
    description = "a level: the submitted figure for the target year against the bound(s)"
    reads = (
        "indicator", "region", "year", "comparator", "value", "value_max", "value_text",
        "value_max_text", "t_factor", "t_factor_float", "lo", "hi", "direction",
    )  # fmt: skip

    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        return check(targets, actuals, ctx)


def exact_value(value_text: str, unit: str, catalogue_unit: str) -> Fraction:
    return Fraction(Decimal(value_text)) * units.conversion_factor(unit, catalogue_unit)


def exact_columns(
    joined: Joined, targets: pd.DataFrame, indicator_unit: dict[str, str]
) -> tuple[ExactColumn, ExactColumn, ExactColumn]:
    """The exact actual (its decimal text in the indicator's unit) and bounds of each row.

    ``targets`` is positionally indexed, and ``joined`` holds each one's actual row (found
    wherever an exact actual is asked for); nothing is computed until a row is asked for.
    """
    texts, units_given = joined.table["value_text"], joined.table["unit"]
    at = joined.at
    indicator = targets["indicator"]
    value, value_max = Decimals(targets["value"]), Decimals(targets["value_max"])
    t_factor = targets["t_factor"].to_numpy()

    def actual_rationals(rows: np.ndarray) -> exact.Rationals:
        codes, names = pd.factorize(indicator.iloc[rows])  # each indicator's unit looked up once
        units_of = [indicator_unit.get(name, np.nan) for name in names.tolist()]
        wanted = np.array([*units_of, np.nan], dtype=object)[codes]
        given = units_given.take(at[rows]).to_numpy(dtype=object)
        return exact.from_decimal_text(texts.take(at[rows])) * exact.conversion_factors(
            given, wanted
        )

    def actual_fraction(i: int) -> Fraction:
        text, unit = texts.iloc[at[i]], units_given.iloc[at[i]]
        return exact_value(text, unit, indicator_unit[indicator.iloc[i]])

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
        values = Decimals(targets[column])
        return lambda rows: exact.from_objects(values[rows])

    def from_texts(rows: np.ndarray) -> exact.Rationals:
        taken = texts.iloc[rows]  # only the near ties' texts, when there are any
        if isinstance(taken.dtype, pd.StringDtype):  # read as they are (a null is not exact)
            return exact.from_decimal_text(taken)
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


class Joined:
    """Each target's actual row: its position in the canonical actuals table, -1 where none.

    The columns a verdict reads are taken at these positions one at a time, as they are needed,
    rather than a frame of every joined column made first.
    """

    def __init__(self, table: pd.DataFrame, at: np.ndarray) -> None:
        self.table, self.at = table, np.asarray(at, dtype="int64")

    def floats(self, column: str) -> np.ndarray:
        """The column's float at each position, NaN where -1."""
        values = self.table[column].to_numpy(dtype="float64")
        found = self.at >= 0
        taken = np.full(len(self.at), np.nan)
        taken[found] = values[self.at[found]]
        return taken

    def integers(self, column: str, at: np.ndarray) -> pd.arrays.IntegerArray:
        """The integer column at ``at`` (positions, -1: missing), as an Int64 array."""
        found = at >= 0
        values = np.zeros(len(at), dtype="int64")
        values[found] = self.table[column].to_numpy(dtype="int64")[at[found]]
        return pd.arrays.IntegerArray(values, ~found)


def joined_rows(ctx: Context, positions: np.ndarray, index: pd.Index) -> Joined:
    """The actual row at each position (none where -1)."""
    return Joined(ctx.actuals.table, positions)


def judge(joined: Joined, ctx: Context, targets: pd.DataFrame) -> pd.DataFrame:
    """Status, gap and achievement for targets joined to one actual each (none where -1)."""
    n = len(targets)
    indicator_unit = {k: v.unit or "" for k, v in ctx.catalogue.indicators.items()}
    actual = joined.floats("value")
    lo, hi = targets["lo"].to_numpy(), targets["hi"].to_numpy()
    t_rows = targets.reset_index(drop=True)
    exact_actual, exact_lo, exact_hi = exact_columns(joined, t_rows, indicator_unit)
    higher = (t_rows["direction"] == "higher_is_better").to_numpy(dtype=bool)
    ok = passes(t_rows["comparator"], actual, lo, hi, exact_actual, exact_lo, exact_hi, higher)
    has_actual = ~np.isnan(actual)
    year = t_rows["year"]
    undated = year.isna().to_numpy()
    future = (~undated) & (year.fillna(0).to_numpy() > ctx.as_of)
    status = status_texts(
        np.select(
            [undated & has_actual & ok, undated, future, ~has_actual, ok],
            [STATUS_CODES[name] for name in ("met", "open", "pending", "missing", "met")],
            default=STATUS_CODES["not_met"],
        )
    )
    t_factor = t_rows["t_factor_float"].to_numpy(dtype="float64")  # float(t_factor), cached
    in_target_unit = actual / t_factor if n else actual
    low_target = lo / t_factor if n else lo
    high_target = hi / t_factor if n else hi
    comparator = t_rows["comparator"]
    between = (comparator == "between").to_numpy(dtype=bool)
    ranged = (comparator == "range").to_numpy(dtype=bool)
    # A planned range, like a band, has no gap anywhere inside it.
    gap = np.where(
        between | ranged,
        np.where(
            in_target_unit < low_target,
            in_target_unit - low_target,
            np.where(in_target_unit > high_target, in_target_unit - high_target, 0.0),
        ),
        in_target_unit - low_target,
    )
    gap = tidy(gap, np.maximum(np.abs(in_target_unit), np.abs(low_target)))
    with np.errstate(divide="ignore", invalid="ignore"):
        near_end = np.where(ranged & ~higher, hi, lo)
        achievement = np.where(higher, actual / lo, near_end / actual)
    achievement = np.where(between | ~np.isfinite(achievement), np.nan, achievement)
    achievement = tidy(achievement, np.ones(n))
    # The actual shown: the row found, where it has a value.
    shown = np.where(has_actual, joined.at, -1)
    table = joined.table
    return pd.DataFrame(
        {
            "status": status,
            "actual_value": _texts(table["value_text"], shown),
            "actual_unit": _texts(table["unit"], shown),
            "actual_year": joined.integers("year", shown),
            "gap": np.where(has_actual, gap, np.nan),
            "achievement": np.where(has_actual, achievement, np.nan),
            "actual_file": _texts(table["file"], shown),
            "actual_row": joined.integers("row", shown),
            "basis": None,
            "completed": None,
            "flag": _texts(table["flag"], _flagged(table["flag"], shown)),
            AT: shown,
        },
        index=targets.index,
    )


_STATUSES = ("met", "not_met", "missing", "pending", "open")
STATUS_CODES = {name: code for code, name in enumerate(_STATUSES)}


def status_texts(codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """The status of each code (of STATUS_CODES), as the str column pandas makes of a NumPy
    text array, but taken from the five texts rather than made of 10^5 strings one by one."""
    return pd.array(np.array(_STATUSES, dtype=object), dtype="str").take(codes)


def _flagged(flags: pd.Series, shown: np.ndarray) -> np.ndarray:
    """``shown``, less the rows whose flag is empty."""
    found = shown >= 0
    kept = shown.copy()
    kept[found] = np.where((flags.take(shown[found]) != "").to_numpy(dtype=bool), shown[found], -1)
    return kept


def _texts(values: pd.Series, at: np.ndarray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """The table's ``values`` at the positions ``at`` (-1: missing), as text (the str dtype):
    taken as Arrow strings where they are, rather than made into Python strings and inferred
    back."""
    shown = at >= 0
    if not shown.any():  # nothing shown: all None, as pandas makes such a column (object)
        return np.full(len(at), None, dtype=object)
    if isinstance(values.dtype, pd.CategoricalDtype):  # a file name: its categories, by code
        codes = np.where(shown, values.cat.codes.to_numpy()[np.maximum(at, 0)], -1)
        names = pd.array(values.cat.categories.to_numpy(dtype=object), dtype="str")
        return names.take(codes, allow_fill=True)
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        return values.array.take(at, allow_fill=True)
    picked = values.reindex(pd.Index(at))  # -1 is no label: missing
    return picked.where(shown, None).to_numpy()
