"""Run a progress method over the targets not yet due: series statistics, early and lost targets.

Targets whose latest value already meets them are ``met`` early (the rule "already met and still
met stays met"); a target met by an earlier value but not by the latest is assessed like the
others and flagged ``regressed``. Targets with no value at all stay ``pending``; targets with some
data that the method cannot judge are ``insufficient_data``, with the reason in ``basis``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..methods.compare import ABOUT_TOLERANCE
from . import method as load_method


def series_frame(targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """One row per target: base, latest and target values and least-squares sums (vectorised)."""
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
    targets: pd.DataFrame, actuals: pd.DataFrame, as_of: int, method_name: str, judged: pd.DataFrame
) -> pd.DataFrame:
    """Progress results for ``targets`` (numeric, not yet due); ``judged`` holds their latest-value verdicts."""
    method = load_method(method_name)
    frame = series_frame(targets, actuals, as_of)
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
    known = actuals.loc[
        (actuals["year"] <= as_of) & actuals["value"].notna(),
        ["indicator", "region", "year", "value"],
    ]
    pairs = targets[["indicator", "region"]].reset_index().merge(known, on=["indicator", "region"])
    hits = _met_by(pairs["value"], targets.loc[pairs["index"]].reset_index(drop=True))
    met_before = pd.Series(False, index=targets.index)
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
