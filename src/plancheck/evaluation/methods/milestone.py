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

from typing import Any

import numpy as np
import pandas as pd

from ... import keys
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


_YEARS = keys.YEARS  # more than any year: (pair, year) as pair × _YEARS + year

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
    first_at, latest_at, when = _first_and_latest(targets, reports, ctx)
    first = _Picked(reports, first_at)
    latest = _Picked(reports, latest_at)

    deadline = targets["year"].to_numpy(dtype="float64", na_value=np.nan)
    has_done = first_at >= 0
    when_year = np.full(n, np.nan)
    when_year[has_done] = when[first_at[has_done]]
    late = has_done & ~np.isnan(deadline) & (when_year > deadline)
    has_report = latest_at >= 0
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
        for d, w, ok in zip(first["date"], when_year.tolist(), has_done, strict=True)
    ]
    flags = [f or None if isinstance(f, str) else None for f in first["flag"]]

    def pick(done_values: Any, latest_values: Any | None) -> np.ndarray:
        values = np.full(n, None, dtype=object)
        values[has_done] = np.asarray(done_values, dtype=object)[has_done]
        if latest_values is not None:
            values[not_done] = np.asarray(latest_values, dtype=object)[not_done]
        return values

    out["status"] = pd.Series(status, index=out.index, dtype=out["status"].dtype)
    out["actual_value"] = pick(
        np.full(n, "done", dtype=object), np.full(n, "not done", dtype=object)
    )
    out["completed"] = pick(when_text, None)
    out["actual_file"] = pick(first["file"], latest["file"])
    out["flag"] = pick(flags, None)
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


class _Picked:
    """Columns of the reports at given positions (-1: none, a missing value), as Python lists."""

    def __init__(self, reports: pd.DataFrame, at: np.ndarray) -> None:
        self.reports, self.at = reports, at

    def __getitem__(self, column: str) -> list[Any]:
        found = self.at >= 0
        values = np.full(len(self.at), None, dtype=object)
        values[found] = self.reports[column].take(self.at[found]).to_numpy(dtype=object)
        return values.tolist()


def _first_and_latest(
    targets: pd.DataFrame, reports: pd.DataFrame, ctx: Context
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each target, the position in ``reports`` of its first report of completion by the
    as-of year (the earliest completion year; among equal ones the earliest report, then file
    order) and of its latest report of any kind (the latest year, then the last in file order),
    -1 where none; and each report's completion year.

    The (indicator, region) pairs are compared as integers, sorted once; never a join on text,
    never a loop over the rows.
    """
    pairs, wanted = _pair_numbers(reports, targets)
    year = reports["year"].to_numpy(dtype="int64")
    done = reports["done"].astype(bool).to_numpy()
    when = np.zeros(len(reports), dtype="int64")
    when[done] = _completion_years(
        reports.loc[done, ["date", "year"]]
    )  # only reports of completion
    done = done & (when <= ctx.as_of)
    done_rows = np.flatnonzero(done)
    # Sorted by one integer (years have four digits); a stable sort keeps file order in a tie.
    by_when = pairs[done_rows] * _YEARS**2 + when[done_rows] * _YEARS + year[done_rows]
    first = _per_pair(pairs, done_rows[np.argsort(by_when, kind="stable")], wanted, last=False)
    by_year = np.argsort(pairs * _YEARS + year, kind="stable")
    latest = _per_pair(pairs, by_year, wanted, last=True)
    return first, latest, when


def _per_pair(pairs: np.ndarray, ordered: np.ndarray, wanted: np.ndarray, last: bool) -> np.ndarray:
    """The first (or last) of ``ordered`` (positions sorted by pair) for each wanted pair, or -1."""
    ordered = ordered[pairs[ordered] >= 0]  # a report the catalogue cannot name matches nothing
    sorted_pairs = pairs[ordered]
    edge = np.flatnonzero(np.diff(sorted_pairs) != 0)
    ends = np.append(edge, len(ordered) - 1) if last else np.insert(edge + 1, 0, 0)
    if not len(ordered):
        return np.full(len(wanted), -1, dtype="int64")
    distinct = sorted_pairs[ends]
    at = np.minimum(np.searchsorted(distinct, wanted), len(distinct) - 1)
    hit = (distinct[at] == wanted) & (wanted >= 0)
    return np.where(hit, ordered[ends[at]], -1)


def _pair_numbers(reports: pd.DataFrame, targets: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One integer per (indicator, region), the same in both frames; -1 for a target's pair
    that no report names."""
    numbered = []
    for column in ("indicator", "region"):
        codes, distinct = pd.factorize(reports[column])
        wanted = pd.Index(distinct).get_indexer(targets[column].to_numpy(dtype=object))
        numbered.append((codes.astype("int64"), wanted.astype("int64"), len(distinct)))
    (indicator, wanted_indicator, _), (region, wanted_region, regions) = numbered
    pairs = np.where((indicator < 0) | (region < 0), -1, indicator * regions + region)
    wanted = np.where(
        (wanted_indicator < 0) | (wanted_region < 0), -1, wanted_indicator * regions + wanted_region
    )
    return pairs, wanted
