"""Growth targets (同比增长, 年均增长): the submitted growth figure, or growth computed from levels.

When no growth figure is submitted for the target year, it is computed from the level
indicator's series: on the previous year (year_on_year) or compound since the base year
(average_annual). The verdict is exact: ``level_t / level_base`` is compared with
``(1 + g)^n``, in float64 where the two are far apart and exactly (int64 rationals, or fractions
for figures too long for them) where they are within a relative 1e-9. The result's ``basis``
says which figure was judged.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from ... import units
from ...catalogue.decimals import Decimals
from . import exact
from .base import AT, ComparisonMethod, Context
from .threshold import LevelMethod

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


class GrowthMethod(ComparisonMethod):
    kind = "growth"
    description = "a growth rate: the submitted figure, else computed exactly from the levels"
    reads = (*LevelMethod.reads, "base_year", "value_float")
    cost = 10.0  # a level's lookups and verdicts, then the levels' growth for most

    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        result = LevelMethod().check(targets, actuals, ctx)
        result["basis"] = (
            result["actual_value"].notna().map({True: "submitted growth figure", False: None})
        )
        todo = targets[
            result["status"].isin(["missing", "open"]).to_numpy()
            & targets["year"].notna().to_numpy()
        ]
        if not todo.empty:
            _from_levels(result, todo, ctx)
        return result


def _from_levels(result: pd.DataFrame, todo: pd.DataFrame, ctx: Context) -> None:
    """Judge ``todo`` (no growth figure) on the growth of their level indicator, into ``result``."""
    levels = _level_inputs(todo, ctx)
    usable, year, base_year = levels["usable"], levels["year"], levels["base_year"]
    now, base = levels["now"], levels["base"]
    has_now, has_base = now["value_text"].notna().to_numpy(), base["value_text"].notna().to_numpy()
    both = usable & has_now & has_base
    level = levels["level"].to_numpy(dtype=object)
    # The texts, made once per distinct (level, years, ...): a few dozen at national scale.
    basis = np.full(len(todo), None, dtype=object)
    lacking = usable & ~both
    if lacking.any():
        basis[lacking] = _texts_by_key(
            _lacking_text,
            level[lacking],
            base_year[lacking],
            year[lacking],
            has_base[lacking],
            has_now[lacking],
        )
    judged = _judge(todo[both], levels, both, ctx)
    defined = judged["defined"].to_numpy(dtype=bool)
    at_both = np.flatnonzero(both)
    undefined_at, computed_at = at_both[~defined], at_both[defined]
    basis[undefined_at] = _texts_by_key(
        lambda base_year: f"growth undefined: the {base_year} level is not positive",
        base_year[undefined_at],
    )
    basis[computed_at] = _texts_by_key(
        _computed_text,
        level[computed_at],
        base_year[computed_at],
        year[computed_at],
        levels["yoy"][computed_at],
    )
    computed = todo.index[computed_at]
    shown = judged[defined]
    now_shown = now[both][defined]
    values: dict[str, Any] = {
        "status": np.where(shown["met"].to_numpy(dtype=bool), "met", "not_met"),
        "actual_value": _formatted("%.2f", shown["growth"].to_numpy()),
        "actual_unit": np.full(len(shown), "%", dtype=object),
        "actual_year": year[both][defined],
        "gap": shown["gap"].to_numpy(),
        "achievement": shown["achievement"].to_numpy(),
        "actual_file": now_shown["file"].to_numpy(dtype=object),
        "actual_row": now_shown["row"].to_numpy(dtype="int64"),
        "flag": now_shown["flag"].where(now_shown["flag"] != "", None).to_numpy(dtype=object),
        AT: now_shown[AT].to_numpy(dtype="int64"),
    }
    # One write per column, in the targets' order (as the frame had them).
    if len(computed):
        at = result.index.get_indexer(computed)
        for name, column in values.items():
            _put(result, name, at, column)
    if usable.any():
        _put(result, "basis", result.index.get_indexer(todo.index[usable]), basis[usable])


def _lacking_text(
    level: object, base_year: int, year: int, has_base: bool, has_now: bool
) -> str | None:
    if not isinstance(level, str):  # no level indicator: no text (as pandas' NaN + str)
        return None
    if not has_base:
        years = f"{base_year} and {year}" if not has_now else f"{base_year}"
    else:
        years = f"{year}"
    return f"no growth figure, and no {level} level for {years}"


def _computed_text(level: str, base_year: int, year: int, year_on_year: bool) -> str:
    what = "on the previous year" if year_on_year else "average annual"
    return f"computed from {level} levels, {base_year}→{year} ({what})"


def _texts_by_key(text: Callable[..., str | None], *columns: np.ndarray) -> np.ndarray:
    """``text(*row)`` for each row of ``columns`` (an object array), made once per distinct row."""
    n = len(columns[0])
    if not n:
        return np.empty(0, dtype=object)
    key = np.zeros(n, dtype="int64")
    for column in columns:  # the distinct rows numbered, a column at a time (kept below n)
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        key = np.unique(key * len(uniques) + codes, return_inverse=True)[1].reshape(-1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    rows = zip(*(column[first].tolist() for column in columns), strict=True)
    return np.array([text(*row) for row in rows], dtype=object)[inverse.reshape(-1)]


def _formatted(template: str, values: np.ndarray) -> np.ndarray:
    """``template % value`` for each float (as np.char.mod makes it, at a quarter of its cost)."""
    return np.array([template % value for value in values.tolist()], dtype=object)


def _put(result: pd.DataFrame, name: str, at: np.ndarray, values: np.ndarray) -> None:
    """``result[name]`` with the rows at positions ``at`` set to ``values``, its dtype kept.

    Replaces a ``.loc`` assignment by labels, which costs pandas tens of milliseconds a column.
    """
    column = result[name]
    if isinstance(column.dtype, np.dtype):
        written: Any = column.to_numpy(copy=True)
        written[at] = values
    else:  # an extension array (str, Int64): its own setitem keeps the dtype and its NA
        written = column.array.copy()
        written[at] = values
    result[name] = pd.Series(written, index=result.index, name=name, copy=False)


def _level_inputs(todo: pd.DataFrame, ctx: Context) -> dict[str, Any]:
    """For each target: its level indicator, years, and the submitted level rows it needs."""
    growth_of = {
        iid: ind.growth_of
        for iid, ind in ctx.catalogue.indicators.items()
        if ind.growth_of is not None
    }
    level = todo["indicator"].map({k: g.indicator for k, g in growth_of.items()})
    yoy = todo["indicator"].map({k: g.basis == "year_on_year" for k, g in growth_of.items()})
    year_on_year = yoy.to_numpy(dtype=bool)
    year = todo["year"].astype("int64").to_numpy()
    stated_base = todo["base_year"]
    # The loader insists on a base year for average-annual targets; one without it is skipped.
    usable = year_on_year | stated_base.notna().to_numpy()
    base_year = np.where(year_on_year, year - 1, stated_base.fillna(0).astype("int64").to_numpy())
    # The level rows each target needs, found by key (never a loop over rows).
    region = todo["region"]
    return {
        "level": level.astype(object),
        "yoy": year_on_year,
        "usable": usable,
        "year": year,
        "base_year": base_year,
        "now": _level_rows(ctx, level, region, year, todo.index),
        "base": _level_rows(ctx, level, region, base_year, todo.index),
    }


def _judge(
    targets: pd.DataFrame, levels: dict[str, Any], rows: np.ndarray, ctx: Context
) -> pd.DataFrame:
    """defined (a positive base), met, growth (% a year), gap and achievement per target."""
    level_units = {k: ind.unit or "" for k, ind in ctx.catalogue.indicators.items()}
    unit = levels["level"][rows].map(level_units).to_numpy(dtype=object)
    now, base = levels["now"][rows], levels["base"][rows]
    now_exact, base_exact = _exact_levels(now, unit), _exact_levels(base, unit)
    years = (levels["year"] - levels["base_year"])[rows]
    defined = (base_exact.sign() > 0) & (now_exact.sign() >= 0)
    ratio = now_exact / base_exact.where(defined, exact.constant(1, len(defined)))
    ratio_float = ratio.floats()
    for i in np.flatnonzero(defined & np.isnan(ratio_float) & ratio.exact).tolist():
        ratio_float[i] = float(ratio.fraction(i))  # terms beyond 2^53: rounded by Python
    # Figures too long for int64 (rare): the levels in fractions, one row at a time.
    by_fractions: dict[int, Fraction] = {}
    for i in np.flatnonzero(~(now_exact.exact & base_exact.exact)).tolist():
        level_now, level_base = _fraction_levels(now.iloc[i], base.iloc[i], str(unit[i]))
        defined[i] = not (level_base <= 0 or level_now < 0)
        if defined[i]:
            by_fractions[i] = level_now / level_base
            ratio_float[i] = float(by_fractions[i])
    value, value_max = Decimals(targets["value"]), Decimals(targets["value_max"])
    t_factor = targets["t_factor"].to_numpy()
    comparator = targets["comparator"].to_numpy()
    between = comparator == "between"  # a band: at least the lower rate, at most the upper
    lower_op = np.where(between, ">=", comparator)
    value_float = targets["value_float"].to_numpy(dtype="float64")  # float(value), cached
    # The required growth factor per year, 1 + g, as floats and as exact objects.
    step = (1 + value_float * targets["t_factor_float"].to_numpy(dtype="float64") / 100, value)
    met = _meets(lower_op, ratio, ratio_float, by_fractions, step, t_factor, years)
    if between.any():
        upper_op = np.full(len(comparator), "<=", dtype=object)
        upper = 1 + value_max.floats() * targets["t_factor_float"].to_numpy() / 100
        below = _meets(
            upper_op, ratio, ratio_float, by_fractions, (upper, value_max), t_factor, years
        )
        met &= ~between | below
    growth = _annual_growth(ratio_float, years, defined)
    with np.errstate(divide="ignore", invalid="ignore"):
        achievement = np.where(value_float != 0, growth / value_float, np.nan)
    return pd.DataFrame(
        {
            "defined": defined,
            "met": met,
            "growth": growth,
            # round(x, n) as Python rounds it: the value of the correctly rounded decimal text.
            "gap": _rounded("%.2f", growth - value_float),
            "achievement": np.where(np.isnan(achievement), np.nan, _rounded("%.4f", achievement)),
        },
        index=targets.index,
    )


def _rounded(template: str, values: np.ndarray) -> np.ndarray:
    """Each float rounded as the decimal text ``template % value`` reads (Python's round)."""
    return np.array([float(template % value) for value in values.tolist()], dtype="float64")


def _meets(
    comparator: np.ndarray,
    ratio: exact.Rationals,
    ratio_float: np.ndarray,
    by_fractions: dict[int, Fraction],
    step: tuple[np.ndarray, Decimals],
    t_factor: np.ndarray,
    years: np.ndarray,
) -> np.ndarray:
    """Whether each ratio of levels meets (1 + g)^years: in floats, exactly near a tie.

    ``step`` is 1 + g in floats, and g's value (Decimal objects) for the exact comparison.
    """
    step_float, value = step
    with np.errstate(invalid="ignore", over="ignore"):
        required_float = np.power(step_float, years.astype("float64"))
        met = np.zeros(len(comparator), dtype=bool)
        for op, compare in _OPS.items():
            mine = comparator == op
            met[mine] = compare(ratio_float[mine], required_float[mine])
        near = np.isclose(ratio_float, required_float, rtol=1e-9, atol=0.0) & ratio.exact
    rows = np.flatnonzero(near)
    if len(rows):
        exact_step = exact.constant(1, len(rows)) + (
            exact.from_objects(value[rows]) * exact.from_objects(t_factor[rows])
        ) * exact.ratio(1, 100, len(rows))
        sign, is_exact = exact.compare(ratio.take(rows), exact_step.power(years[rows]))
        for op, compare in _OPS.items():
            mine = comparator[rows] == op
            met[rows[mine]] = compare(sign[mine], 0)
        by_fractions = {
            **by_fractions,
            **{int(rows[k]): ratio.fraction(int(rows[k])) for k in np.flatnonzero(~is_exact)},
        }
    for i, exact_ratio in by_fractions.items():
        required = (1 + Fraction(value[i]) * t_factor[i] / 100) ** int(years[i])
        met[i] = _OPS[str(comparator[i])](exact_ratio, required)
    return met


def _annual_growth(ratio: np.ndarray, years: np.ndarray, defined: np.ndarray) -> np.ndarray:
    """(ratio^(1/years) − 1) × 100, with Python's own power (a vectorised one may round otherwise)."""
    rooted = ratio.copy()
    several = np.flatnonzero((years != 1) & defined)
    rooted[several] = [
        float(r) ** (1 / int(n)) for r, n in zip(ratio[several], years[several], strict=True)
    ]
    return (rooted - 1) * 100


def _exact_levels(rows: pd.DataFrame, unit: np.ndarray) -> exact.Rationals:
    """Each submitted level in the level indicator's unit, as an exact rational."""
    factors = exact.conversion_factors(rows["unit"].to_numpy(dtype=object), unit)
    return exact.from_decimal_text(rows["value_text"]) * factors


def _fraction_levels(now: pd.Series, base: pd.Series, unit: str) -> tuple[Fraction, Fraction]:
    return (
        Fraction(Decimal(now["value_text"])) * units.conversion_factor(now["unit"], unit),
        Fraction(Decimal(base["value_text"])) * units.conversion_factor(base["unit"], unit),
    )


def _level_rows(
    ctx: Context, level: pd.Series, region: pd.Series, years: np.ndarray, index: pd.Index
) -> pd.DataFrame:
    """The submitted level row of each (level indicator, region, year) up to --as-of, or NaN."""
    positions = ctx.actuals.find(level, region, years)
    positions = np.where(np.asarray(years) > ctx.as_of, -1, positions)
    rows = ctx.actuals.rows(positions, index, ("value_text", "unit", "file", "row", "flag"))
    rows["value_text"] = rows["value_text"].where(rows["value_text"] != "")
    rows[AT] = positions
    return rows
