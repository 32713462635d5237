"""Exact comparison of canonical values against bounds, vectorised.

Values are compared as float64 first; where a value lies within a relative 1e-9 of a bound the
float verdict is not trusted and the comparison is redone exactly, on the decimal text: all such
rows at once as int64 rationals (exact.py), and with fractions the rare row whose figures do not
fit in int64. So ``51.49`` misses ``>= 51.50`` and ``0.027`` (fraction) meets ``>= 2.7`` (percent)
without binary floating-point surprises at the boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from . import exact
from .exact import Rationals

_OPS: dict[str, Callable[[object, object], bool]] = {
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "==": lambda a, b: a == b,
}


# "About" (左右, 约) a figure: met when the value falls short of it by at most this share of it.
# The published case: the 11th Five-Year Plan's "单位国内生产总值能源消耗降低20%左右" was declared
# met (完成了…约束性目标, NDRC and NBS notice 2011 No. 9) at a 19.1 % fall, 4.5 % short of 20.
ABOUT_TOLERANCE = Fraction(1, 20)


def about_bound(value: Fraction, higher_is_better: bool) -> Fraction:
    """The value an "about X" target is met at: X less (or, lower-is-better, plus) 5 % of |X|."""
    slack = abs(value) * ABOUT_TOLERANCE
    return value - slack if higher_is_better else value + slack


@dataclass(frozen=True)
class ExactColumn:
    """A column's exact values, made only for the rows that need them (the near ties).

    ``rationals`` gives many rows at once, as int64 pairs (exact.Rationals); ``fraction`` gives
    one row as a Fraction, for the rare row whose figures do not fit in int64.
    """

    rationals: Callable[[np.ndarray], Rationals]
    fraction: Callable[[int], Fraction]


def passes(
    comparator: pd.Series,
    actual: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    exact_actual: ExactColumn,
    exact_lo: ExactColumn,
    exact_hi: ExactColumn,
    higher: np.ndarray | None = None,
) -> np.ndarray:
    """Whether each actual satisfies its comparator; NaN actuals give False.

    ``higher`` (default: all true) says which targets are higher-is-better: a planned ``range``
    is met at its lower end (its upper end when lower is better), an ``about`` target within
    :data:`ABOUT_TOLERANCE` on the short side; ``between`` is a band that must hold.
    """
    # The comparators as small integer codes: a few distinct texts, compared once each.
    codes, distinct = pd.factorize(comparator)
    names = distinct.tolist()

    def coded(name: str) -> np.ndarray:
        return codes == names.index(name) if name in names else np.zeros(len(codes), dtype=bool)

    up = np.ones(len(actual), dtype=bool) if higher is None else np.asarray(higher, dtype=bool)
    # Each range / about target as the one-sided comparison it amounts to.
    bound = lo.astype("float64").copy()
    ranged, about, between = coded("range"), coded("about"), coded("between")
    one_sided = ranged | about
    bound[ranged & ~up] = hi[ranged & ~up]
    tolerance = float(ABOUT_TOLERANCE)
    bound[about] = np.where(
        up[about], lo[about] - abs(lo[about]) * tolerance, lo[about] + abs(lo[about]) * tolerance
    )
    result = np.zeros(len(actual), dtype=bool)
    with np.errstate(invalid="ignore"):
        for op, fn in _OPS.items():
            mask = coded(op)
            if op in (">=", "<="):
                mask |= one_sided & (up if op == ">=" else ~up)
            if mask.any():
                result |= mask & fn(actual, bound)
        result |= between & (actual >= lo) & (actual <= hi)
        near = np.isclose(actual, bound, rtol=1e-9, atol=0.0) | (
            between & np.isclose(actual, hi, rtol=1e-9, atol=0.0)
        )
    # Where the float verdict is not to be trusted, redo it exactly.
    rows = np.flatnonzero(near & ~np.isnan(actual))
    if len(rows):
        ops = np.array([*names, None], dtype=object)[codes[rows]]
        effective = ops.copy()
        effective[one_sided[rows]] = np.where(up[rows][one_sided[rows]], ">=", "<=")
        verdict, is_exact = _exact_verdicts(
            rows, ops, effective, up[rows], exact_actual, exact_lo, exact_hi
        )
        result[rows] = verdict
        for k in np.flatnonzero(~is_exact):  # figures too long for int64: one at a time
            i = int(rows[k])
            result[i] = _fraction_verdict(
                str(ops[k]), str(effective[k]), bool(up[i]), i, exact_actual, exact_lo, exact_hi
            )
    return result


def _exact_verdicts(
    rows: np.ndarray,
    ops: np.ndarray,
    effective: np.ndarray,
    up: np.ndarray,
    exact_actual: ExactColumn,
    exact_lo: ExactColumn,
    exact_hi: ExactColumn,
) -> tuple[np.ndarray, np.ndarray]:
    """The verdicts at ``rows`` in int64 rationals, and where they are exact."""
    actual, lo = exact_actual.rationals(rows), exact_lo.rationals(rows)
    between = ops == "between"
    upper_end = (ops == "range") & ~up
    uses_hi = between | upper_end
    hi = exact_hi.rationals(rows) if uses_hi.any() else lo
    # An "about X" target is met at X ∓ |X|/20: X times 19/20 or 21/20 by X's sign.
    short_side = (lo.sign() >= 0) == up
    n = len(rows)
    about = exact.ratio(*_about_factor(lower=True), n).where(
        short_side, exact.ratio(*_about_factor(lower=False), n)
    )
    bound = (hi.where(upper_end, lo) * about).where(ops == "about", hi.where(upper_end, lo))
    sign, sign_exact = exact.compare(actual, bound)
    above_lo, lo_exact = exact.compare(actual, lo)
    below_hi, hi_exact = exact.compare(actual, hi)
    verdict = np.select(
        [
            between,
            effective == ">=",
            effective == ">",
            effective == "<=",
            effective == "<",
            effective == "==",
        ],
        [(above_lo >= 0) & (below_hi <= 0), sign >= 0, sign > 0, sign <= 0, sign < 0, sign == 0],
        default=False,
    )
    exact_rows = np.where(between, lo_exact & hi_exact, sign_exact)
    return verdict.astype(bool), exact_rows.astype(bool)


def _about_factor(lower: bool) -> tuple[int, int]:
    """1 − ABOUT_TOLERANCE (lower=True) or 1 + ABOUT_TOLERANCE, as numerator and denominator."""
    factor = 1 - ABOUT_TOLERANCE if lower else 1 + ABOUT_TOLERANCE
    return factor.numerator, factor.denominator


def _fraction_verdict(
    op: str,
    effective: str,
    up: bool,
    i: int,
    exact_actual: ExactColumn,
    exact_lo: ExactColumn,
    exact_hi: ExactColumn,
) -> bool:
    a = exact_actual.fraction(i)
    if op == "between":
        return exact_lo.fraction(i) <= a <= exact_hi.fraction(i)
    if op == "range" and not up:
        bound = exact_hi.fraction(i)
    elif op == "about":
        bound = about_bound(exact_lo.fraction(i), up)
    else:
        bound = exact_lo.fraction(i)
    return _OPS[effective](a, bound)


def tidy(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Round away float noise: keep 14 significant digits of the larger operand's magnitude."""
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.maximum(np.abs(scale), 1e-300)))
        digits = np.clip(13 - magnitude, 0, 12)
        factor = 10.0**digits
        return np.where(np.isfinite(values), np.round(values * factor) / factor, np.nan)
