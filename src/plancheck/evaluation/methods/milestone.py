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

import re

import numpy as np
import pandas as pd

from ... import keys
from . import stages
from .base import AT, ComparisonMethod, Context, target_pairs
from .threshold import STATUS_CODES, status_texts


class MilestoneMethod(ComparisonMethod):
    kind = "milestone"
    description = "a milestone: done (to the stage the target asks for) by the deadline year"
    reads = ("indicator", "region", "year", "stage")
    looks_up = False  # its reports are ranked per (indicator, region), not found by key
    cost = 6.0

    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        return check(targets, actuals, ctx)


_YEARS = keys.YEARS  # more than any year: (pair, year) as pair × _YEARS + year


def check(targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    # The reports up to as-of, as positions in the table: a national table's columns are read
    # at these rows only, never copied out whole.
    year = actuals["year"].to_numpy(dtype="int64")
    reported = np.flatnonzero((year <= ctx.as_of) & actuals["done"].notna().to_numpy(dtype=bool))
    done = actuals["done"].take(reported).to_numpy(dtype=bool, na_value=False)
    reports = _Reports(actuals, reported, year[reported])
    if "stage" not in actuals or "stage" not in targets:
        return _judge(targets, reports, done, ctx)
    said = actuals["stage"].take(reported)
    if not said.notna().any():
        return _judge(targets, reports, done, ctx)
    # Reports that name a stage (开工, 建成, 通车 …): done for a target when that stage reaches
    # the one the target asks for (stages.reaches); a plain yes (是) is done for every target.
    words, distinct_words = pd.factorize(said)  # a plain yes (missing): -1, the last word below
    words_said: list[str | None] = [*distinct_words.tolist(), None]
    parts = []
    asked = targets["stage"].astype(object).where(targets["stage"].notna(), None)
    for required in pd.unique(asked.to_numpy()):
        mine = (
            targets[(asked == required).to_numpy()]
            if required is not None
            else targets[asked.isna().to_numpy()]
        )
        reached = np.array([stages.reaches(w, required) for w in words_said], dtype=bool)
        parts.append(_judge(mine, reports, done & reached[words], ctx))
    return pd.concat(parts).loc[targets.index]


class _Reports:
    """The milestone reports up to as-of: their positions in the actuals table, and their years."""

    def __init__(self, table: pd.DataFrame, at: np.ndarray, year: np.ndarray) -> None:
        self.table, self.at, self.year = table, at, year

    def column(self, name: str, at: np.ndarray) -> np.ndarray:
        """The table's ``name`` at the reports ``at`` (-1: none, then None), as objects."""
        found = at >= 0
        values = np.full(len(at), None, dtype=object)
        values[found] = self.table[name].take(self.at[at[found]]).to_numpy(dtype=object)
        return values

    def integers(self, name: str, at: np.ndarray) -> pd.arrays.IntegerArray:
        """The table's integer ``name`` at the reports ``at``, missing where -1."""
        found = at >= 0
        values = np.zeros(len(at), dtype="int64")
        values[found] = self.table[name].to_numpy(dtype="int64")[self.at[at[found]]]
        return pd.arrays.IntegerArray(values, ~found)

    def years(self, at: np.ndarray) -> pd.arrays.IntegerArray:
        """The year of the reports ``at``, missing where -1."""
        found = at >= 0
        values = np.zeros(len(at), dtype="int64")
        values[found] = self.year[at[found]]
        return pd.arrays.IntegerArray(values, ~found)


def _judge(
    targets: pd.DataFrame, reports: _Reports, done: np.ndarray, ctx: Context
) -> pd.DataFrame:
    n = len(targets)
    out = pd.DataFrame(
        {
            "status": "missing",
            "actual_value": None,
            "actual_unit": None,
            "actual_year": missing_integers(n),
            "gap": np.nan,
            "achievement": np.nan,
            "actual_file": None,
            "actual_row": missing_integers(n),
            "basis": None,
            "completed": None,
            "flag": None,
            AT: np.full(n, -1, dtype="int64"),
        },
        index=targets.index,
    )
    if n == 0:
        return out
    first_at, latest_at, when = _first_and_latest(targets, reports, done, ctx)

    deadline = targets["year"].to_numpy(dtype="float64", na_value=np.nan)
    has_done = first_at >= 0
    when_year = np.full(n, np.nan)
    when_year[has_done] = when[first_at[has_done]]
    late = has_done & ~np.isnan(deadline) & (when_year > deadline)
    has_report = latest_at >= 0
    undated = np.isnan(deadline)
    future = ~undated & (np.nan_to_num(deadline) > ctx.as_of)
    not_done = ~has_done & ~undated & ~future & has_report
    status = status_texts(
        np.select(
            [has_done & late, has_done, undated, future, not_done],
            [STATUS_CODES[name] for name in ("not_met", "met", "open", "pending", "not_met")],
            default=STATUS_CODES["missing"],
        )
    )
    # What a result shows: its first report of completion, else (not done) its latest report.
    shown = np.where(has_done, first_at, np.where(not_done, latest_at, -1))
    when_text = _when_texts(reports.column("date", np.where(has_done, first_at, -1)), when_year)
    out["status"] = pd.Series(status, index=out.index, dtype=out["status"].dtype)
    out["actual_value"] = np.where(
        has_done, "done", np.where(not_done, "not done", np.array(None, dtype=object))
    ).astype(object)
    out["completed"] = when_text
    out["actual_file"] = reports.column("file", shown)
    out["flag"] = _texts_or_none(reports.column("flag", np.where(has_done, first_at, -1)))
    out["actual_row"] = reports.integers("row", shown)
    out["actual_year"] = reports.years(shown)
    out[AT] = np.where(shown >= 0, reports.at[np.maximum(shown, 0)] if len(reports.at) else -1, -1)
    basis = np.full(n, None, dtype=object)
    for i in np.flatnonzero(late).tolist():
        basis[i] = f"done in {when_text[i]}, after the {int(deadline[i])} deadline"
    out["basis"] = basis
    return out


def missing_integers(n: int) -> pd.arrays.IntegerArray:
    """``n`` missing Int64 values (made from arrays: a list of 10^4 pd.NA is slow to read)."""
    return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))


def _when_texts(dates: np.ndarray, when_year: np.ndarray) -> np.ndarray:
    """When each milestone was done, as shown: its report's date, else its completion year
    (None where it was not done); worked out once per distinct date and year."""
    texts = np.full(len(dates), None, dtype=object)
    done = ~np.isnan(when_year)
    codes, distinct = pd.factorize(dates[done])
    dated = [d if isinstance(d, str) and d else None for d in distinct.tolist()]
    chosen = np.array([*dated, None], dtype=object)[codes]
    undated = np.array([d is None for d in [*dated, None]], dtype=bool)[codes]
    years, at = np.unique(when_year[done][undated], return_inverse=True)
    chosen[undated] = np.array([str(int(y)) for y in years.tolist()], dtype=object)[at]
    texts[done] = chosen
    return texts


def _texts_or_none(values: np.ndarray) -> np.ndarray:
    """Each value where it is a non-empty text, else None (once per distinct value)."""
    codes, distinct = pd.factorize(values)
    kept = [v if isinstance(v, str) and v else None for v in distinct.tolist()]
    return np.array([*kept, None], dtype=object)[codes]


def _first_and_latest(
    targets: pd.DataFrame, reports: _Reports, done: np.ndarray, ctx: Context
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each target, which of ``reports`` is its first report of completion by the as-of
    year (the earliest completion year; among equal ones the earliest report, then file order)
    and its latest report of any kind (the latest year, then the last in file order), -1 where
    none; and each report's completion year.

    The (indicator, region) pairs are compared as integers, sorted once; never a join on text,
    never a loop over the rows.
    """
    pairs, wanted = _pair_numbers(reports, targets, ctx)
    year = reports.year
    when = np.zeros(len(year), dtype="int64")
    when[done] = _completion_years(reports, np.flatnonzero(done))  # only reports of completion
    done = done & (when <= ctx.as_of)
    done_rows = np.flatnonzero(done)
    # Each candidate ranked by one integer that ends in its position (years have four digits),
    # so that the smallest / largest per pair is the one wanted, file order deciding a tie.
    count = len(year)
    by_when = (when[done_rows] * _YEARS + year[done_rows]) * count + done_rows
    first = _extreme_per_pair(pairs, done_rows, by_when, wanted, count, last=False)
    everyone = np.arange(count)
    latest = _extreme_per_pair(pairs, everyone, year * count + everyone, wanted, count, last=True)
    return first, latest, when


def _completion_years(reports: _Reports, done: np.ndarray) -> np.ndarray:
    """The year each report (of ``done``) says the milestone was done: its date's year, else the
    row's year; read once per distinct date."""
    codes, distinct = pd.factorize(reports.column("date", done))
    dated = [_year_of(d) for d in distinct.tolist()] + [-1]  # a missing date: -1
    stated = np.array(dated, dtype="int64")[codes]
    return np.where(stated >= 0, stated, reports.year[done])


def _year_of(date: object) -> int:
    """The year a date (2019, 2019-06, 2019-06-30) begins with, or -1 when it does not."""
    head = str(date)[:4]
    return int(head) if re.fullmatch(r"[0-9]{4}", head) else -1


def _extreme_per_pair(
    pairs: np.ndarray,
    rows: np.ndarray,
    rank: np.ndarray,
    wanted: np.ndarray,
    count: int,
    last: bool,
) -> np.ndarray:
    """For each wanted pair, which of ``rows`` (reports of that pair) has the smallest (or, if
    ``last``, the largest) ``rank``, or -1; each rank is ``… × count + row``, so the row is its
    remainder. One pass (ufunc.at) into a slot per pair: no sort of the reports."""
    named = pairs[rows] >= 0  # a report the catalogue cannot name matches nothing
    rows, rank = rows[named], rank[named]
    slots, wanted_slots = pairs[rows], wanted
    size = max(int(slots.max(initial=-1)), int(wanted.max(initial=-1))) + 1
    if size > 4 * (len(rows) + len(wanted)) + 1024:  # sparse pair numbers: number them densely
        codes, distinct = pd.factorize(slots)
        slots, size = codes.astype("int64"), len(distinct)
        wanted_slots = pd.Index(distinct).get_indexer(pd.Index(wanted))
    empty = -1 if last else np.iinfo("int64").max
    best = np.full(max(size, 1), empty, dtype="int64")
    (np.maximum if last else np.minimum).at(best, slots, rank)
    found = best[np.maximum(wanted_slots, 0)]
    hit = (wanted_slots >= 0) & (found != empty)
    return np.where(hit, found % max(count, 1), -1)


def _pair_numbers(
    reports: _Reports, targets: pd.DataFrame, ctx: Context
) -> tuple[np.ndarray, np.ndarray]:
    """One integer per (indicator, region), the same for reports and targets; -1 for a report
    the catalogue cannot name. A canonical table's rows carry it in their key; a table without
    keys (made by hand) is numbered by its names."""
    if "key" in reports.table.columns:
        row_keys = reports.table["key"].to_numpy(dtype="int64")[reports.at]
        pairs = np.where(row_keys < 0, -1, row_keys // _YEARS)
        return pairs, target_pairs(targets, ctx)
    numbered = []
    for column in ("indicator", "region"):
        codes, distinct = pd.factorize(reports.table[column].take(reports.at))
        wanted = pd.Index(distinct).get_indexer(pd.Index(targets[column].to_numpy(dtype=object)))
        numbered.append((codes.astype("int64"), wanted.astype("int64"), len(distinct)))
    (indicator, wanted_indicator, _), (region, wanted_region, regions) = numbered
    pairs = np.where((indicator < 0) | (region < 0), -1, indicator * regions + region)
    wanted = np.where(
        (wanted_indicator < 0) | (wanted_region < 0), -1, wanted_indicator * regions + wanted_region
    )
    return pairs, wanted
