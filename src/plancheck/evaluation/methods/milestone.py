"""Milestones: done or not done by the deadline year.

Done means the stage the target asks for (its ``stage``: under way, completed, in operation …)
was reached. A report of a plain yes (是, 完成) reaches it; when the canonical actuals carry a
``stage`` column (the stage a report word names, stages.reported_stage), a report reaches the
target's stage only as stages.reaches says (通车 reaches "under way"; 开工 does not reach
"completed").

A milestone done after its deadline is ``not_met`` for that deadline, and the result says when it
was done. Without a deadline (a plan with no end year) it stays ``open`` until it is done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import stages
from .base import ComparisonMethod, Context


class MilestoneMethod(ComparisonMethod):
    kind = "milestone"
    description = "a milestone: done (to the stage the target asks for) by the deadline year"

    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        return check(targets, actuals, ctx)


def _completion_years(reports: pd.DataFrame) -> np.ndarray:
    """The year each report says the milestone was done: its date's year, else the row's year."""
    head = reports["date"].fillna("").astype(str).str[:4]
    dated = head.str.fullmatch(r"[0-9]{4}").to_numpy(dtype=bool)
    years = reports["year"].to_numpy(dtype="int64").copy()
    if dated.any():
        years[dated] = head[dated].astype("int64").to_numpy()
    return years


# The report columns a verdict reads or shows: filtering only these keeps a national table's
# other text columns (value, unit, source, note …) from being copied for nothing.
_READ = ("indicator", "region", "year", "done", "date", "stage", "file", "row", "flag")


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    wanted = (actuals["year"] <= ctx.as_of) & actuals["done"].notna()
    reports = actuals.loc[wanted, [c for c in _READ if c in actuals.columns]]
    if "stage" not in reports or not reports["stage"].notna().any() or "stage" not in targets:
        return _judge(targets, reports, ctx)
    # Reports that name a stage (开工, 建成, 通车 …): done for a target when that stage reaches
    # the one the target asks for (stages.reaches); a plain yes (是) is done for every target.
    parts = []
    asked = targets["stage"].astype(object).where(targets["stage"].notna(), None)
    for required in pd.unique(asked.to_numpy()):
        mine = (
            targets[(asked == required).to_numpy()]
            if required is not None
            else targets[asked.isna().to_numpy()]
        )
        said = reports["stage"].astype(object).where(reports["stage"].notna(), None)
        reached = [stages.reaches(word, required) for word in said.tolist()]
        done = reports["done"].astype(bool).to_numpy() & np.array(reached, dtype=bool)
        parts.append(_judge(mine, reports.assign(done=done), ctx))
    return pd.concat(parts).loc[targets.index]


def _judge(targets: pd.DataFrame, reports: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    n = len(targets)
    out = pd.DataFrame(
        {
            "status": "missing",
            "actual_value": None,
            "actual_unit": None,
            "actual_year": pd.array([pd.NA] * n, dtype="Int64"),
            "gap": np.nan,
            "achievement": np.nan,
            "actual_file": None,
            "actual_row": pd.array([pd.NA] * n, dtype="Int64"),
            "basis": None,
            "completed": None,
            "flag": None,
        },
        index=targets.index,
    )
    if n == 0:
        return out
    key = ["indicator", "region"]
    reports = reports.assign(_when=_completion_years(reports))
    # The first report of completion by the as-of year (the earliest completion year; among
    # equal ones the earliest report, then file order), and the latest report of any kind: one
    # join each, never a loop over the rows.
    done = reports[reports["done"].astype(bool).to_numpy() & (reports["_when"] <= ctx.as_of)]
    first = done.sort_values(["_when", "year"], kind="stable").drop_duplicates(key, keep="first")
    latest = reports.sort_values("year", kind="stable").drop_duplicates(key, keep="last")
    wanted = ["file", "row", "year", "date", "flag", "_when"]
    left = targets[key].reset_index(drop=True)
    first = left.merge(first[[*key, *wanted]], how="left", on=key)
    latest = left.merge(latest[[*key, *wanted]], how="left", on=key)
    assert len(first) == n and len(latest) == n

    deadline = targets["year"].to_numpy(dtype="float64", na_value=np.nan)
    has_done = first["_when"].notna().to_numpy()
    when_year = first["_when"].to_numpy(dtype="float64", na_value=np.nan)
    late = has_done & ~np.isnan(deadline) & (when_year > deadline)
    has_report = latest["year"].notna().to_numpy()
    undated = np.isnan(deadline)
    future = ~undated & (np.nan_to_num(deadline) > ctx.as_of)
    not_done = ~has_done & ~undated & ~future & has_report
    status = np.select(
        [has_done & late, has_done, undated, future, not_done],
        ["not_met", "met", "open", "pending", "not_met"],
        default="missing",
    )
    when_text = [
        (d if isinstance(d, str) and d else str(int(w))) if ok else None
        for d, w, ok in zip(first["date"].tolist(), when_year.tolist(), has_done, strict=True)
    ]
    flags = [f or None if isinstance(f, str) else None for f in first["flag"].tolist()]

    def pick(done_values: pd.Series, latest_values: pd.Series | None) -> np.ndarray:
        values = np.full(n, None, dtype=object)
        values[has_done] = done_values.to_numpy(dtype=object)[has_done]
        if latest_values is not None:
            values[not_done] = latest_values.to_numpy(dtype=object)[not_done]
        return values

    out["status"] = pd.Series(status, index=out.index, dtype=out["status"].dtype)
    out["actual_value"] = pick(
        pd.Series(["done"] * n, dtype=object), pd.Series(["not done"] * n, dtype=object)
    )
    out["completed"] = pick(pd.Series(when_text, dtype=object), None)
    out["actual_file"] = pick(first["file"], latest["file"])
    out["flag"] = pick(pd.Series(flags, dtype=object), None)
    out["actual_row"] = pd.array(pick(first["row"], latest["row"]), dtype="Int64")
    out["actual_year"] = pd.array(pick(first["year"], latest["year"]), dtype="Int64")
    out["basis"] = np.array(
        [
            f"done in {w}, after the {int(d)} deadline" if is_late else None
            for w, d, is_late in zip(when_text, np.nan_to_num(deadline), late, strict=True)
        ],
        dtype=object,
    )
    return out
