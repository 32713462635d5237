"""What a progress method is, and the helpers the methods share.

Progress assessment of targets not yet due: is the series on track to meet the target?

Each method is a :class:`ProgressMethod` (one module each, listed in ``registry()``): its name,
version, source, whether its required path compounds, and ``assess(frame)``. The frame holds one
row per target with the series statistics computed once (assess.series_frame), vectorised:

``t0, x0``   base year and value: the target's or plan's base year (else the year before the plan
             starts), or the first later year with a value when the base year has none
``tk, xk``   latest year up to --as-of with a value, and that value
``T, xT``    target year and target value, in the indicator's canonical unit
``higher``   True when higher is better
``growth``   the average annual growth rate g (a fraction) for average-growth targets, else NaN
``n, st, sy, stt, sty``   least-squares sums over the points from t0 to tk (t counted from t0)

``assess`` returns ``category`` (the method's own words), ``on_track`` (bool, NA when the method
cannot judge), ``score`` (the method's own figure: the ratio R, the share P of the required change
…), ``observed_rate``, ``required_rate``, ``projected_value``, ``projected_year`` and ``reason``
(why data were insufficient). Comparisons here are in floating point: methods publish
ratio thresholds, not exact bounds (docs/methods.md says how this differs from target checks).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np
import pandas as pd

from ...progress_methods import PROGRESS_METHODS

OUTPUT = (
    "category",
    "on_track",
    "score",
    "observed_rate",
    "required_rate",
    "projected_value",
    "projected_year",
    "reason",
)


class ProgressMethod(ABC):
    """One way to tell whether a target not yet due is on track (docs/methods.md)."""

    name: ClassVar[str]  # as --method names it (a key of progress_methods.PROGRESS_METHODS)
    version: ClassVar[str]
    source: ClassVar[str]  # where the method and its thresholds are published
    # True when the path it requires from the base value to the target is compound growth
    # (a chart draws it as a curve); False when the change is in proportion to the time elapsed.
    compounds: ClassVar[bool]

    @property
    def title(self) -> str:
        """One line saying what it asks (the CLI's light table holds it, pandas-free)."""
        return PROGRESS_METHODS[self.name]

    @property
    def id(self) -> str:
        """``name/version``, as results record it."""
        return f"{self.name}/{self.version}"

    @abstractmethod
    def assess(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The :data:`OUTPUT` columns for each row of ``frame``, indexed like it."""


def empty_output(index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": pd.Series(None, index=index, dtype=object),
            "on_track": pd.arrays.BooleanArray(
                np.zeros(len(index), dtype=bool), np.ones(len(index), dtype=bool)
            ),
            "score": np.nan,
            "observed_rate": np.nan,
            "required_rate": np.nan,
            "projected_value": np.nan,
            "projected_year": np.nan,
            "reason": pd.Series(None, index=index, dtype=object),
        },
        index=index,
    )


def cagr(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Compound annual growth; NaN where undefined (non-positive values, no elapsed years)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (start > 0) & (end > 0) & (years > 0)
        return np.where(
            ok,
            np.power(np.where(ok, end / np.where(ok, start, 1), 1), 1 / np.where(ok, years, 1)) - 1,
            np.nan,
        )


def insufficient(frame: pd.DataFrame) -> pd.Series:
    """Why a row cannot be assessed by a growth-rate method (None where it can)."""
    reason = pd.Series(None, index=frame.index, dtype=object)
    reason[frame["tk"].isna()] = "no value up to the as-of year"
    reason[frame["x0"].isna() & reason.isna()] = "no value for the base year"
    reason[(frame["tk"] <= frame["t0"]) & reason.isna()] = "only the base-year value: one point"
    nonpositive = (
        (frame["x0"] <= 0) | (frame["xk"] <= 0) | ((frame["xT"] <= 0) & frame["growth"].isna())
    )
    reason[nonpositive & reason.isna()] = "a zero or negative value: a growth rate is undefined"
    return reason
