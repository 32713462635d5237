"""Exact comparison of canonical values against bounds, vectorised.

Values are compared as float64 first; where a value lies within a relative 1e-9 of a bound the
float verdict is not trusted and the comparison is redone exactly with fractions built from the
decimal text. So ``51.49`` misses ``>= 51.50`` and ``0.027`` (fraction) meets ``>= 2.7`` (percent)
without binary floating-point surprises at the boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pandas as pd

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


def passes(
    comparator: pd.Series,
    actual: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    exact_actual: Callable[[int], Fraction],
    exact_lo: Callable[[int], Fraction],
    exact_hi: Callable[[int], Fraction],
    higher: np.ndarray | None = None,
) -> np.ndarray:
    """Whether each actual satisfies its comparator; NaN actuals give False.

    ``higher`` (default: all true) says which targets are higher-is-better: a planned ``range``
    is met at its lower end (its upper end when lower is better), an ``about`` target within
    :data:`ABOUT_TOLERANCE` on the short side; ``between`` is a band that must hold.
    """
    ops = comparator.to_numpy()
    up = np.ones(len(actual), dtype=bool) if higher is None else np.asarray(higher, dtype=bool)
    # Each range / about target as the one-sided comparison it amounts to.
    effective = ops.astype(object).copy()
    bound = lo.astype("float64").copy()
    ranged, about = ops == "range", ops == "about"
    effective[ranged | about] = np.where(up[ranged | about], ">=", "<=")
    bound[ranged & ~up] = hi[ranged & ~up]
    tolerance = float(ABOUT_TOLERANCE)
    bound[about] = np.where(
        up[about], lo[about] - abs(lo[about]) * tolerance, lo[about] + abs(lo[about]) * tolerance
    )
    result = np.zeros(len(actual), dtype=bool)
    with np.errstate(invalid="ignore"):
        for op, fn in _OPS.items():
            mask = effective == op
            result[mask] = fn(actual[mask], bound[mask])
        between = ops == "between"
        result[between] = (actual[between] >= lo[between]) & (actual[between] <= hi[between])
        near = np.isclose(actual, bound, rtol=1e-9, atol=0.0) | (
            between & np.isclose(actual, hi, rtol=1e-9, atol=0.0)
        )

    def exact_bound(i: int) -> Fraction:
        if ops[i] == "range" and not up[i]:
            return exact_hi(i)
        if ops[i] == "about":
            return about_bound(exact_lo(i), bool(up[i]))
        return exact_lo(i)

    for i in (int(k) for k in np.flatnonzero(near & ~np.isnan(actual))):
        a, op = exact_actual(i), ops[i]
        if op == "between":
            result[i] = exact_lo(i) <= a <= exact_hi(i)
        else:
            result[i] = _OPS[str(effective[i])](a, exact_bound(i))
    return result


def tidy(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Round away float noise: keep 14 significant digits of the larger operand's magnitude."""
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.maximum(np.abs(scale), 1e-300)))
        digits = np.clip(13 - magnitude, 0, 12)
        factor = 10.0**digits
        return np.where(np.isfinite(values), np.round(values * factor) / factor, np.nan)
