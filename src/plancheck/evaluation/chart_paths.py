"""The paths a chart draws for a target not yet due: where the indicator is heading, or where it
had to go. Pure arithmetic on a result's progress inputs (floats: a picture, not a verdict).

- projected: from the latest value to the value the progress method projects for the target year;
- required (when the method projects nothing): from the base value to the target, compounding
  year by year for a method whose required path is compound growth (eurostat, unsd) or a target
  stated as an average growth rate, else in proportion to the time elapsed (ndrc, linear).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..progress_methods import COMPOUNDING_PROGRESS_METHODS

Point = list[float]  # [year, value]


def method_name(method_id: str) -> str:
    """The method's name in a result's ``progress_method`` id: ``"ndrc/1"`` → ``"ndrc"``."""
    return method_id.split("/")[0]


def compounds(method_id: str) -> bool:
    """Whether the method's required path is compound growth."""
    return method_name(method_id) in COMPOUNDING_PROGRESS_METHODS


def number(value: Any) -> float | None:
    """A finite float, or None for a missing, NaN or infinite value."""
    if value is None or value is pd.NA:
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def level_target(inputs: Mapping[str, Any]) -> float | None:
    """The target as a level of the series: its value, or the base grown at the planned rate
    (an average-growth target) to the target year."""
    target = number(inputs.get("target_value"))
    if target is not None:
        return target
    growth, x0 = number(inputs.get("average_growth")), number(inputs.get("base_value"))
    t0, year = number(inputs.get("base_year")), number(inputs.get("target_year"))
    if growth is None or x0 is None or t0 is None or year is None:
        return None
    return x0 * (1 + growth) ** (year - t0)


def path(
    year: int,
    projected_value: Any,
    method_id: str,
    inputs: Mapping[str, Any],
    level: float | None,
) -> tuple[str, list[Point]] | None:
    """The kind ("projected" or "required") and points of the path drawn for a target due in
    ``year``, or None when the inputs give neither."""
    projected = number(projected_value)
    tk, xk = number(inputs.get("latest_year")), number(inputs.get("latest_value"))
    if projected is not None and tk is not None and xk is not None:
        return "projected", [[int(tk), xk], [year, projected]]
    t0, x0 = number(inputs.get("base_year")), number(inputs.get("base_value"))
    if t0 is None or x0 is None or level is None or int(t0) >= year:
        return None
    growth = number(inputs.get("average_growth"))
    if growth is not None or (compounds(method_id) and x0 > 0 and level > 0):
        # The planned (or required) compound rate, drawn year by year, ending on the target.
        rate = growth if growth is not None else (level / x0) ** (1 / (year - t0)) - 1
        points: list[Point] = [[y, x0 * (1 + rate) ** (y - t0)] for y in range(int(t0), year + 1)]
        points[-1][1] = level
        return "required", points
    return "required", [[int(t0), x0], [year, level]]  # the change in proportion to the time
