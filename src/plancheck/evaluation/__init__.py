"""Evaluation: canonical targets × canonical actuals → one result per target."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import keys
from ..actuals import Actuals
from ..catalogue import Catalogue
from ..catalogue.targets_table import targets_table
from .lookup import ActualsIndex, PairNumbers, rows_by_file_row
from .methods import RESULT_FIELDS, TARGET_COLUMNS, ComparisonMethod, Context, registry, threshold
from .methods.base import AT, PAIR
from .methods.milestone import missing_integers
from .progress import METHODS
from .progress.assess import assess
from .report import DEFAULT_FAIL_ON, PROGRESS_COLUMNS, RESULT_COLUMNS, STATUSES, Report, Series
from .series import report_series

__all__ = ["METHODS", "STATUSES", "EvaluationOptions", "Report", "Series", "evaluate"]
DEFAULT_METHOD = "ndrc"


@dataclass(frozen=True)
class EvaluationOptions:
    as_of: int | None = None  # default: the latest year in the actuals
    plans: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    strict: bool = False
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    natures: tuple[str, ...] = ()  # binding / expected
    method: str | None = (
        DEFAULT_METHOD  # progress method for targets not yet due; None: leave them pending
    )
    # Chart series are only read by the HTML report; at national scale they cost more than
    # the evaluation itself, so they are built on request.
    chart_series: bool = False


def evaluate(
    catalogue: Catalogue, actuals: Actuals, options: EvaluationOptions | None = None
) -> Report:
    options = options or EvaluationOptions()
    as_of = options.as_of or actuals.latest_year or dt.date.today().year
    index = _index_made(actuals.table, catalogue)  # meanwhile, the targets are made ready
    targets = targets_table(
        catalogue, list(options.plans), list(options.regions), list(options.natures)
    )
    # Each target's (indicator, region) as a number, worked out once for every method.
    pairs = PairNumbers(catalogue)(targets["indicator"], targets["region"])
    judged = _judged(targets, actuals, Context(catalogue, as_of, index), options.method, pairs)
    # --status chooses what is listed; the summary and the exit code stay those of every
    # target the other filters selected (a display filter must not change the verdict).
    selected = _result_frame(targets, judged, actuals, pairs)
    results = selected
    if options.statuses:
        results = selected[selected["status"].isin(options.statuses)].reset_index(drop=True)
    series: dict[tuple[str, str], Series] = {}
    levels: dict[str, tuple[float | None, float | None]] = {}
    series_total = 0
    if options.chart_series:
        # Failing targets' series first, should there be more than a page can draw.
        failing = results.loc[_failing_first(results), "target_id"]
        series, series_total, levels = report_series(
            catalogue, targets, results["target_id"], failing, actuals.table, as_of
        )
    return Report(
        results,
        as_of,
        options.strict,
        options.fail_on,
        actuals.files,
        _plan_titles(catalogue),
        series=series,
        target_levels=levels,
        selected=selected,
        statuses_shown=tuple(options.statuses),
        selection=_selection(options),
        series_total=series_total,
    )


def _index_made(
    table: pd.DataFrame, catalogue: Catalogue
) -> ActualsIndex | Callable[[], ActualsIndex]:
    """The actuals' index; when the table is large, made in a worker thread (a national table's
    keys are scattered into slots, NumPy's work, without the GIL, while this thread selects and
    numbers the targets, and a milestone's reports are ranked): then a function that waits
    for it."""
    if len(table) < PARALLEL_FROM or _cpus() < 2:
        return ActualsIndex(table, catalogue)
    pool = ThreadPoolExecutor(1, thread_name_prefix="plancheck-index")
    made = pool.submit(ActualsIndex, table, catalogue)
    pool.shutdown(wait=False)  # the thread ends with the index
    return made.result


def _failing_first(results: pd.DataFrame) -> pd.Series:
    """The results whose charts matter most: missed, or off track."""
    return results["status"].isin(("not_met", "off_track"))


def _judged(
    targets: pd.DataFrame, actuals: Actuals, ctx: Context, method: str | None, pairs: np.ndarray
) -> pd.DataFrame:
    """Each target judged by its kind's comparison method; those not yet due by ``method``.

    Each method's targets are made ready before the actuals' index is asked for (ctx.actuals
    may wait for it, made meanwhile in a worker thread)."""
    read = targets[[c for c in TARGET_COLUMNS if c in targets.columns]]  # no copy: CoW
    read = read.assign(**{PAIR: pairs})
    kinds, names = pd.factorize(read["kind"])
    work: list[tuple[ComparisonMethod, pd.DataFrame]] = []
    taken = []
    for kind, comparison in registry().items():
        rows = np.flatnonzero(kinds == (names.get_loc(kind) if kind in names else -2))
        if len(rows):
            columns = [c for c in read.columns if c in comparison.reads or c == PAIR]
            work.append((comparison, read[columns].take(rows)))
            taken.append(rows)
    parts = _checked(work, actuals.table, ctx)
    judged = _in_order(parts, taken, targets.index) if parts else _nothing_judged(targets.index)
    for column in PROGRESS_COLUMNS:
        judged[column] = None
    if method and len(targets):
        judged = _assess_progress(read, judged, actuals, ctx, method)
    return judged


# From this many targets the kinds are judged two at a time, and from this many actual rows
# their index is made in a worker thread (below it a thread costs more than it saves); tests
# lower it to compare both ways on small inputs.
PARALLEL_FROM = 50_000


def _checked(
    work: list[tuple[ComparisonMethod, pd.DataFrame]], table: pd.DataFrame, ctx: Context
) -> list[pd.DataFrame]:
    """Each method's frame for its targets, in the order of ``work``.

    At national scale the kinds are judged side by side: a worker thread and this one each take
    the next kind not yet taken (in the order below) until none is left. Their long loops are
    NumPy's and Arrow's, which release the GIL; they only read the shared tables (nothing is
    cached in them on first use: ActualsIndex builds its lookups when it is made). With one
    CPU (``taskset -c 0``, or PLANCHECK_EVAL_THREADS=1) they are judged one after the other.
    """

    def checked(k: int) -> pd.DataFrame:
        comparison, targets = work[k]
        return comparison.check(targets, table, ctx)

    total = sum(len(targets) for _, targets in work)
    if len(work) < 2 or total < PARALLEL_FROM or _cpus() < 2:
        return [checked(k) for k in range(len(work))]
    frames: dict[int, pd.DataFrame] = {}
    # Those that need not wait for the index first, then the longest (so that the last one
    # taken is short and neither thread waits long for the other).
    left = iter(
        sorted(
            range(len(work)),
            key=lambda k: (work[k][0].looks_up, -work[k][0].cost * len(work[k][1])),
        )
    )
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                k = next(left, None)
            if k is None:
                return
            frames[k] = checked(k)

    with ThreadPoolExecutor(1, thread_name_prefix="plancheck-judge") as pool:
        helper = pool.submit(drain)
        drain()
        helper.result()  # its exception, if it raised one
    return [frames[k] for k in range(len(work))]


# Set to 1, the evaluation runs in one thread (to compare its time with the two threads').
THREADS_ENV = "PLANCHECK_EVAL_THREADS"


def _cpus() -> int:
    """The CPUs the evaluation may use: those this process may run on, or one if told so."""
    if os.environ.get(THREADS_ENV, "").strip() == "1":
        return 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_order(parts: list[pd.DataFrame], taken: list[np.ndarray], index: pd.Index) -> pd.DataFrame:
    """The methods' frames as one, in the targets' order (part k judged the targets at the
    positions ``taken[k]``): as ``pd.concat(parts).loc[index]`` makes it, but a column of one
    NumPy dtype throughout, or of texts and objects mixed, is put in place (scattered), not
    gathered by label."""
    columns = list(parts[0].columns)
    if any(list(part.columns) != columns for part in parts):
        return pd.concat(parts).loc[index]
    n = len(index)
    order = np.concatenate(taken)
    inverse = np.empty(n, dtype="int64")
    inverse[order] = np.arange(n)
    combined: dict[str, Any] = {}
    for name in columns:
        scattered = _scattered([part[name] for part in parts], taken, index)
        if scattered is not None:
            combined[name] = scattered
    # Extension dtypes (Int64, str) and mixed ones: combined as pandas combines them.
    rest = [name for name in columns if name not in combined]
    if rest:
        joined = pd.concat([part[rest] for part in parts], ignore_index=True).take(inverse)
        joined.index = index
        combined.update((name, joined[name]) for name in rest)
    return pd.DataFrame({name: combined[name] for name in columns}, index=index, copy=False)


def _scattered(
    columns: list[pd.Series], taken: list[np.ndarray], index: pd.Index
) -> pd.Series | None:
    """The parts' column put in place, where each part's values fit one NumPy array: a NumPy
    dtype throughout, or object and text mixed (None: pandas is to combine them)."""
    dtype = columns[0].dtype
    if isinstance(dtype, np.dtype) and all(column.dtype == dtype for column in columns):
        values = np.empty(len(index), dtype=dtype)
        for column, rows in zip(columns, taken, strict=True):
            values[rows] = column.to_numpy()
        # dtype given: an object column stays object (no inference of text).
        return pd.Series(values, index=index, dtype=dtype, copy=False)
    if _texts_and_objects([column.dtype for column in columns]):
        values = np.empty(len(index), dtype=object)
        for column, rows in zip(columns, taken, strict=True):
            values[rows] = _as_objects(column)
        return pd.Series(values, index=index, dtype=object, copy=False)
    return None


def _texts_and_objects(dtypes: list[Any]) -> bool:
    """Whether the dtypes are object and pandas' str (NaN for missing), both: pandas combines
    such columns into an object column, each text a Python string."""
    kinds = {"object" if dtype == np.dtype(object) else _is_nan_str(dtype) for dtype in dtypes}
    return kinds == {"object", True}


def _is_nan_str(dtype: Any) -> bool:
    return isinstance(dtype, pd.StringDtype) and dtype.na_value is np.nan


def _as_objects(column: pd.Series) -> np.ndarray:
    """The column as pandas makes it object (a text: its string, a missing one NaN), but with
    each distinct text made a Python string once, not once per row."""
    if column.dtype == np.dtype(object):
        return column.to_numpy()
    codes, distinct = pd.factorize(column)  # a missing text: -1, NaN below
    return np.array([*distinct.tolist(), np.nan], dtype=object)[codes]


# Result columns copied from the catalogue's targets table (result name → table column).
_FROM_TARGETS = {
    **{
        name: name
        for name in (
            "target_id", "plan", "indicator", "region", "year", "year_inferred", "kind",
            "comparator", "section", "quote", "soft", "hedge", "nature", "plan_file", "line",
            "stage", "effort", "scope", "year_approximate", "direction",
        )
    },
    "target_value": "value_text",  # formatted once, with the catalogue
    "target_value_max": "value_max_text",
    "target_unit": "unit",
}  # fmt: skip


def _result_frame(
    targets: pd.DataFrame, judged: pd.DataFrame, actuals: Actuals, pairs: np.ndarray
) -> pd.DataFrame:
    """The result schema's columns: the target's from the catalogue, the verdict's from judging."""
    columns: dict[str, Any] = {name: targets[column] for name, column in _FROM_TARGETS.items()}
    columns.update((column, judged[column]) for column in judged.columns)
    columns.update(_actual_locations(pairs, judged, actuals.table))
    # One frame of the columns as they are (copy-on-write shares them), in the schema's order.
    results = pd.DataFrame({name: columns[name] for name in RESULT_COLUMNS}, copy=False)
    return results.reset_index(drop=True)


def _plan_titles(catalogue: Catalogue) -> dict[str, dict[str, str]]:
    return {
        pid: {
            "title_zh": p.meta.title_zh,
            "title_en": p.meta.title_en,
            "source_file": p.meta.source_file,
        }
        for pid, p in catalogue.plans.items()
    }


def _nothing_judged(index: pd.Index) -> pd.DataFrame:
    """The judged columns for a selection with no targets (a filter that matches none)."""
    return pd.DataFrame({column: pd.Series(dtype=object) for column in RESULT_FIELDS}, index=index)


def _selection(options: EvaluationOptions) -> tuple[str, ...]:
    """The filters that chose the targets, as options (said when they select none)."""
    given = (
        ("--plan", options.plans),
        ("--region", options.regions),
        ("--nature", options.natures),
    )
    return tuple(f"{name} {' '.join(values)}" for name, values in given if values)


def _actual_locations(
    pairs: np.ndarray, judged: pd.DataFrame, table: pd.DataFrame
) -> dict[str, pd.Series | pd.api.extensions.ExtensionArray]:
    """Each judged actual's physical line and spreadsheet cell, where the actuals table has them.

    The canonical actuals carry ``file`` and ``row``; when they also carry ``line`` (the physical
    line, which differs from row + 1 after a quoted multi-line cell, a blank line or a title
    block) and ``cell`` (e.g. ``Sheet1!D7``), each result takes them from its actual's row,
    found by (file, row) and, where a wide sheet made several rows of one, its own key.
    """
    files, rows = judged["actual_file"], judged["actual_row"]
    n = len(files)
    no_line = pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
    located: dict[str, Any] = {
        "actual_line": pd.Series(no_line, index=files.index),
        "actual_cell": pd.Series(None, index=files.index, dtype=object),
    }
    known = [c for c in ("line", "cell") if c in table.columns]
    if not known or not n or files.isna().all():
        return located
    at = _shown_rows(judged, table)
    if at is None:
        at = rows_by_file_row(table, files, rows, _result_keys(pairs, judged))
    found = at >= 0
    if "line" in known:
        lines = table["line"].astype("Int64").array
        located["actual_line"] = pd.Series(lines.take(at, allow_fill=True), index=files.index)
    if "cell" in known:
        cells = np.full(n, None, dtype=object)
        cells[found] = table["cell"].to_numpy(dtype=object)[at[found]]
        cells[pd.isna(cells)] = None
        located["actual_cell"] = pd.Series(cells, index=files.index, dtype=object)
    return located


def _shown_rows(judged: pd.DataFrame, table: pd.DataFrame) -> np.ndarray | None:
    """The row each result shows, as the methods found it, where that is the row a search by
    (file, row) would find: when no (file, row) repeats in the table (told by their being in
    strictly ascending order, one comparison per row, no sort). None: search (rows_by_file_row).
    """
    if AT not in judged.columns or not _in_file_row_order(table):
        return None
    at = judged[AT].to_numpy(dtype="int64")
    rows = judged["actual_row"].to_numpy(dtype="float64", na_value=np.nan)
    found = at >= 0
    shows = (judged["actual_file"].notna() & judged["actual_row"].notna()).to_numpy(dtype=bool)
    # Each method takes the file and row it shows from this row; should one ever not, search.
    same = (found == shows).all() and bool(
        (table["row"].to_numpy(dtype="int64")[at[found]] == rows[found]).all()
    )
    return at if same else None


def _in_file_row_order(table: pd.DataFrame) -> bool:
    """Whether the table's (file, row) pairs are strictly ascending: each one is then unique."""
    column = table["file"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
    else:
        codes = pd.factorize(column)[0]
    if (codes < 0).any():
        return False
    rows = table["row"].to_numpy(dtype="int64")
    same_file = codes[1:] == codes[:-1]
    ascending = np.where(same_file, rows[1:] > rows[:-1], codes[1:] > codes[:-1])
    return bool(ascending.all())


def _result_keys(pairs: np.ndarray, judged: pd.DataFrame) -> np.ndarray:
    """Each result's actual as an (indicator, region, year) key; -1 where it has none."""
    years = judged["actual_year"].to_numpy(dtype="float64", na_value=np.nan)
    known = (pairs >= 0) & ~np.isnan(years)
    return np.where(known, pairs * keys.YEARS + np.nan_to_num(years).astype("int64"), -1)


def _assess_progress(
    targets: pd.DataFrame, judged: pd.DataFrame, actuals: Actuals, ctx: Context, method: str
) -> pd.DataFrame:
    """Targets not yet due (numeric, not ranges): met early, or on / off track by ``method``."""
    later = (
        (judged["status"] == "pending")
        & targets["kind"].isin(["level", "growth"])
        & ~targets["comparator"].isin(["between", "range"])
    )
    if not later.any():
        return judged
    subset = targets[later]
    # Judge each target on its latest value as if it had no deadline: "met" means met early.
    undated = subset.assign(year=missing_integers(len(subset)))
    positions = ctx.actuals.latest_pairs(subset[PAIR].to_numpy(), ctx.as_of)
    latest = threshold.judge(threshold.joined_rows(ctx, positions, subset.index), ctx, undated)
    progress = assess(subset, actuals.table, ctx.as_of, method, latest, ctx.actuals)
    early = progress["status"] == "met"
    judged = judged.copy()
    for column in PROGRESS_COLUMNS:
        judged[column] = judged[column].astype(object)
        judged.loc[subset.index, column] = progress[column].astype(object)
    judged.loc[subset.index, "status"] = progress["status"]
    judged.loc[subset.index, "basis"] = progress["basis"]
    # The actual's columns (what a comparison method answers, but its verdict and how).
    shown = [c for c in RESULT_FIELDS if c not in ("status", "basis", "completed")]
    # Show the latest value (and its flag) as the actual of every target assessed on it.
    with_value = subset.index[latest["actual_value"].notna().to_numpy() | early.to_numpy()]
    for column in shown:
        judged[column] = judged[column].astype(object)
        judged.loc[with_value, column] = latest.loc[with_value, column].astype(object)
    if AT in judged.columns:
        judged.loc[with_value, AT] = latest.loc[with_value, AT]
    return judged
