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


def passes(
    comparator: pd.Series,
    actual: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    exact_actual: Callable[[int], Fraction],
    exact_lo: Callable[[int], Fraction],
    exact_hi: Callable[[int], Fraction],
) -> np.ndarray:
    """Whether each actual satisfies its comparator; NaN actuals give False."""
    ops = comparator.to_numpy()
    result = np.zeros(len(actual), dtype=bool)
    with np.errstate(invalid="ignore"):
        for op, fn in _OPS.items():
            mask = ops == op
            result[mask] = fn(actual[mask], lo[mask])
        between = ops == "between"
        result[between] = (actual[between] >= lo[between]) & (actual[between] <= hi[between])
        near = np.isclose(actual, lo, rtol=1e-9, atol=0.0) | (
            between & np.isclose(actual, hi, rtol=1e-9, atol=0.0)
        )
    for i in (int(k) for k in np.flatnonzero(near & ~np.isnan(actual))):
        a, op = exact_actual(i), ops[i]
        if op == "between":
            result[i] = exact_lo(i) <= a <= exact_hi(i)
        else:
            result[i] = _OPS[op](a, exact_lo(i))
    return result


def tidy(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Round away float noise: keep 14 significant digits of the larger operand's magnitude."""
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.maximum(np.abs(scale), 1e-300)))
        digits = np.clip(13 - magnitude, 0, 12)
        factor = 10.0**digits
        return np.where(np.isfinite(values), np.round(values * factor) / factor, np.nan)
