"""Milestones: done or not done by the deadline year.

A milestone done after its deadline is ``not_met`` for that deadline, and the result says when it
was done. Without a deadline (a plan with no end year) it stays ``open`` until it is done.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import Context

KIND = "milestone"


def _completion_year(row: pd.Series) -> int:
    date = str(row["date"] or "")
    return int(date[:4]) if date[:4].isdigit() else int(row["year"])


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    reports = actuals[(actuals["year"] <= ctx.as_of) & actuals["done"].notna()]
    by_key = {key: group for key, group in reports.groupby(["indicator", "region"], sort=False)}
    out = pd.DataFrame(
        {
            "status": "missing",
            "actual_value": None,
            "actual_unit": None,
            "actual_year": pd.array([pd.NA] * len(targets), dtype="Int64"),
            "gap": np.nan,
            "achievement": np.nan,
            "actual_file": None,
            "actual_row": pd.array([pd.NA] * len(targets), dtype="Int64"),
            "basis": None,
            "completed": None,
            "flag": None,
        },
        index=targets.index,
    )
    for idx, t in targets.iterrows():
        deadline = None if pd.isna(t["year"]) else int(t["year"])
        group = by_key.get((t["indicator"], t["region"]))
        done_rows = group[group["done"].astype(bool)] if group is not None else None
        if done_rows is not None and len(done_rows):
            done_rows = done_rows.assign(_when=done_rows.apply(_completion_year, axis=1))
            done_rows = done_rows[done_rows["_when"] <= ctx.as_of]
        if done_rows is not None and len(done_rows):
            first = done_rows.sort_values("_when").iloc[0]
            when = first["date"] or str(first["_when"])
            late = deadline is not None and first["_when"] > deadline
            out.loc[idx, ["status", "actual_value", "completed", "actual_file", "flag"]] = [
                "not_met" if late else "met",
                "done",
                when,
                first["file"],
                first["flag"] or None,
            ]
            out.at[idx, "actual_row"] = int(first["row"])
            out.at[idx, "actual_year"] = int(first["year"])
            if late:
                out.at[idx, "basis"] = f"done in {when}, after the {deadline} deadline"
            continue
        if deadline is None:
            out.at[idx, "status"] = "open"
        elif deadline > ctx.as_of:
            out.at[idx, "status"] = "pending"
        elif group is not None and len(group):
            latest = group.sort_values("year").iloc[-1]
            out.loc[idx, ["status", "actual_value", "actual_file"]] = [
                "not_met",
                "not done",
                latest["file"],
            ]
            out.at[idx, "actual_row"] = int(latest["row"])
            out.at[idx, "actual_year"] = int(latest["year"])
    return out
