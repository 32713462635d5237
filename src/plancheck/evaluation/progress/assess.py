"""Run a progress method over the targets not yet due: series statistics, early and lost targets.

Targets whose latest value already meets them are ``met`` early (the rule "already met and still
met stays met"); a target met by an earlier value but not by the latest is assessed like the
others and flagged ``regressed``. Targets with no value at all stay ``pending``; targets with some
data that the method cannot judge are ``insufficient_data``, with the reason in ``basis``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ... import keys
from ..methods.compare import ABOUT_TOLERANCE
from . import method as load_method

if TYPE_CHECKING:
    from ..lookup import ActualsIndex


def series_frame(
    targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int, index: ActualsIndex | None = None
) -> pd.DataFrame:
    """One row per target: base, latest and target values and least-squares sums (vectorised).

    With ``index`` (the actuals' rows by key), each target's series is read from the dense
    slots, one column per year; without it, by joins on the names (the same frame).
    """
    growth = targets["kind"] == "growth"
    frame = pd.DataFrame(
        {
            "key": np.where(growth, targets["level_indicator"], targets["indicator"]),
            "region": targets["region"],
            "t0": targets["base_year"].fillna(targets["period_start"] - 1).astype("float64"),
            "T": targets["year"].astype("float64"),
            "xT": targets["lo"].astype("float64"),
            "higher": targets["direction"] == "higher_is_better",
            "growth": np.where(growth, targets["lo"] / 100.0, np.nan),
        },
        index=targets.index,
    )
    grid = _SeriesGrid.of(index, frame["key"], frame["region"], as_of)
    if grid is not None:
        return grid.statistics(frame)
    known = actuals.loc[
        (actuals["year"] <= as_of) & actuals["value"].notna(),
        ["indicator", "region", "year", "value"],
    ]
    known = known.rename(columns={"indicator": "key"})
    left = frame[["key", "region", "t0"]].reset_index()
    latest = known.sort_values("year").drop_duplicates(["key", "region"], keep="last")
    last = left.merge(latest, on=["key", "region"], how="left").set_index("index")
    frame["tk"], frame["xk"] = last["year"].astype("float64"), last["value"]
    points = left.merge(known, on=["key", "region"], how="inner")
    points = points[points["year"] >= points["t0"]].sort_values(["index", "year"])
    # No value in the base year: the first year after it with one is the base (Statistics Canada's rule).
    first = points.drop_duplicates("index", keep="first").set_index("index")
    frame["planned_t0"] = frame["t0"]
    frame["x0"] = first["value"].reindex(frame.index)
    frame["t0"] = first["year"].astype("float64").reindex(frame.index).fillna(frame["t0"])
    points = points.assign(t0=points["index"].map(frame["t0"]))
    t = points["year"] - points["t0"]
    sums = (
        pd.DataFrame(
            {
                "index": points["index"],
                "n": 1.0,
                "st": t,
                "sy": points["value"],
                "stt": t * t,
                "sty": t * points["value"],
            }
        )
        .groupby("index")
        .sum()
    )
    for column in ("n", "st", "sy", "stt", "sty"):
        frame[column] = sums[column].reindex(frame.index)
    return frame


class _SeriesGrid:
    """Each target's known values (up to as-of, with a value) by year: row positions in the
    actuals table, one column per year of its slots (ActualsIndex's dense array), -1 where
    none. Reading a series is then an index, not a join of 10^6 rows on two text columns."""

    def __init__(self, at: np.ndarray, years: np.ndarray, values: np.ndarray) -> None:
        self.at, self.years, self.values = at, years, values

    @classmethod
    def of(
        cls, index: ActualsIndex | None, names: pd.Series, regions: pd.Series, as_of: int
    ) -> _SeriesGrid | None:
        slots = index.slots if index is not None else None
        if index is None or slots is None:
            return None
        pairs = index.pair_keys(names, regions)
        years = slots.first_year + np.arange(slots.span)
        years = years[years <= as_of]
        if not years.size:  # nothing known yet: the joins say so as well
            return None
        wanted = np.where(pairs[:, None] < 0, -1, pairs[:, None] * keys.YEARS + years[None, :])
        at = slots.find(wanted.reshape(-1)).reshape(wanted.shape)
        values = index.table["value"].to_numpy(dtype="float64")
        taken = np.where(at >= 0, values[np.maximum(at, 0)], np.nan)
        at = np.where(np.isnan(taken), -1, at)
        return cls(at, years, taken)

    def statistics(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with tk, xk, planned_t0, x0, t0 and the least-squares sums filled in, as
        series_frame's joins make them (the sums by the same groupby, in the same order)."""
        known = self.at >= 0
        n = len(frame)
        has = known.any(axis=1)
        last = self.years.size - 1 - np.argmax(known[:, ::-1], axis=1)
        rows = np.arange(n)
        frame["tk"] = np.where(has, self.years[last], np.nan)
        frame["xk"] = np.where(has, self.values[rows, last], np.nan)
        planned = frame["t0"].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            point = known & (self.years[None, :] >= planned[:, None])
        has_point = point.any(axis=1)
        first = np.argmax(point, axis=1)
        frame["planned_t0"] = frame["t0"]
        frame["x0"] = np.where(has_point, self.values[rows, first], np.nan)
        t0 = np.where(has_point, self.years[first], planned)
        frame["t0"] = t0.astype("float64")
        # The points, in the order the joins left them: by target label, then year.
        by_label = np.argsort(frame.index.to_numpy(), kind="stable")
        cell_target, cell_year = np.nonzero(point[by_label])
        target = by_label[cell_target]
        t = self.years[cell_year] - t0[target]
        value = self.values[target, cell_year]
        sums = (
            pd.DataFrame(
                {
                    "index": frame.index.to_numpy()[target],
                    "n": 1.0,
                    "st": t,
                    "sy": value,
                    "stt": t * t,
                    "sty": t * value,
                }
            )
            .groupby("index")
            .sum()
        )
        for column in ("n", "st", "sy", "stt", "sty"):
            frame[column] = sums[column].reindex(frame.index)
        return frame

    def met_earlier(self, targets: pd.DataFrame) -> np.ndarray:
        """Whether any of each target's known values meets it (_met_by, a column at a time)."""
        met = np.zeros(len(targets), dtype=bool)
        for k in range(self.years.size):
            column = pd.Series(self.values[:, k], index=targets.index)
            met |= (self.at[:, k] >= 0) & _met_by(column, targets).to_numpy(dtype=bool)
        return met


def _met_by(values: pd.Series, targets: pd.DataFrame) -> pd.Series:
    """Whether each value meets its target (floats; used for the 'met earlier' flag only)."""
    ops = targets["comparator"]
    lo = targets["lo"]
    up = targets["direction"] == "higher_is_better"
    slack = lo.abs() * float(ABOUT_TOLERANCE)
    return (
        ((ops == ">=") & (values >= lo))
        | ((ops == ">") & (values > lo))
        | ((ops == "<=") & (values <= lo))
        | ((ops == "<") & (values < lo))
        | ((ops == "==") & (values == lo))
        | ((ops == "about") & up & (values >= lo - slack))
        | ((ops == "about") & ~up & (values <= lo + slack))
    )


def assess(
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    as_of: int,
    method_name: str,
    judged: pd.DataFrame,
    index: ActualsIndex | None = None,
) -> pd.DataFrame:
    """Progress results for ``targets`` (numeric, not yet due); ``judged`` holds their latest-value verdicts.

    ``index`` (the actuals' rows by key) lets the series be read without joins (series_frame).
    """
    method = load_method(method_name)
    frame = series_frame(targets, actuals, as_of, index)
    assessed = method.assess(frame)
    out = pd.DataFrame(index=targets.index)
    out["progress_method"] = method.id
    out["progress_category"] = assessed["category"]
    out["progress_score"] = assessed["score"]
    for column in ("observed_rate", "required_rate", "projected_value", "projected_year"):
        out[column] = assessed[column]
    # Met early: the latest value already meets a level target (judged exactly by the threshold method).
    early = (judged["status"] == "met") & (targets["kind"] == "level")
    # Met earlier, not any more: some value from the base year on met it, the latest does not.
    met_before = pd.Series(False, index=targets.index)
    grid = _SeriesGrid.of(index, targets["indicator"], targets["region"], as_of)
    if grid is not None:
        met_before[:] = grid.met_earlier(targets)
    else:
        known = actuals.loc[
            (actuals["year"] <= as_of) & actuals["value"].notna(),
            ["indicator", "region", "year", "value"],
        ]
        own = targets[["indicator", "region"]].reset_index()
        pairs = own.merge(known, on=["indicator", "region"])
        hits = _met_by(pairs["value"], targets.loc[pairs["index"]].reset_index(drop=True))
        met_before[pairs.loc[hits.to_numpy(), "index"].unique()] = True
    out["regressed"] = met_before & ~early & (targets["kind"] == "level")
    status = np.where(
        early,
        "met",
        np.where(
            assessed["on_track"].isna(),
            np.where(frame["tk"].isna(), "pending", "insufficient_data"),
            np.where(assessed["on_track"].fillna(False), "on_track", "off_track"),
        ),
    )
    out["status"] = status
    basis = np.where(
        early,
        "met early: the "
        + judged["actual_year"].astype("string").fillna("")
        + " value already meets the target",
        np.where(
            status == "insufficient_data",
            "insufficient data: " + assessed["reason"].fillna("").astype(str),
            np.array(None, dtype=object),
        ),
    )
    out["basis"] = pd.Series(basis, index=targets.index).where(lambda s: s.notna(), None)
    out.loc[out["regressed"], "basis"] = "met by an earlier value, but not by the latest one"
    out["progress_inputs"] = _inputs(frame)
    return out


def _inputs(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Every input a method used, for the audit trail in JSON: one dict per target, its values
    converted column by column (the dicts themselves are what the JSON report writes)."""

    def numbers(column: str) -> np.ndarray:
        return _json_numbers(frame[column].to_numpy(dtype="float64", na_value=np.nan))

    target_value = numbers("xT")
    # A growth target's target is its rate (average_growth), not a level.
    target_value[~np.isnan(frame["growth"].to_numpy(dtype="float64"))] = None
    columns = zip(
        frame["key"].to_numpy(dtype=object),
        numbers("planned_t0"),
        numbers("t0"),
        numbers("x0"),
        numbers("tk"),
        numbers("xk"),
        numbers("T"),
        target_value,
        numbers("growth"),
        numbers("n"),
        strict=True,
    )
    return [
        {
            "series": series,
            "planned_base_year": planned_base_year,
            "base_year": base_year,
            "base_value": base_value,
            "latest_year": latest_year,
            "latest_value": latest_value,
            "target_year": target_year,
            "target_value": target,
            "average_growth": average_growth,
            "points": points,
        }
        for (
            series,
            planned_base_year,
            base_year,
            base_value,
            latest_year,
            latest_value,
            target_year,
            target,
            average_growth,
            points,
        ) in columns
    ]


def _json_numbers(values: np.ndarray) -> np.ndarray:
    """Floats as JSON shows them: whole numbers (below 10^15) as ints, NaN as None."""
    out = values.astype(object)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(values) & (values == np.trunc(values)) & (np.abs(values) < 1e15)
    out[whole] = values[whole].astype("int64").astype(object)
    out[np.isnan(values)] = None
    return out
