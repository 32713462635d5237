"""Raw tables → one canonical actuals table, with an account of every cell.

Whatever reader produced them, raw tables go through the same named stages here, vectorised
with pandas (distinct values are resolved once, never row by row in Python):

0. footnote rows are set aside and a wide table (one column per year, as yearbooks print them)
   is melted to long (:func:`to_long`);
1. :func:`_map_columns`: header names (English or Chinese) → canonical columns; unknown columns
   are reported as ignored, ambiguous ones refused;
2. :func:`_resolve_names`: indicator and region spellings → ids (:mod:`plancheck.names`);
3. :func:`_read_years`, :func:`_read_values`, :func:`_read_milestones`: cells → years, exact
   numbers, done / not done (:mod:`plancheck.cells` says which syntax is accepted);
4. :func:`_choose_units`: each row's unit from the cell, the unit column, the headers, the
   name and the table's 单位 line, which must agree; then one exact factor per distinct
   (indicator, unit);
5. :func:`_drop_duplicates`: two different values for one (indicator, region, year) are refused.

The accounting rule: every cell is used, refused (a :class:`Problem` with its position), or
reported as ignored (a notice: title and footnote rows, unknown columns, rows without a figure,
skipped unknown names). ``check -v`` prints the notices and per-file counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import cells, keys, units
from .catalogue import Catalogue
from .problems import InputError, Problem, short
from .readers import RawTable, ReadOptions, actuals_files, reader_for
from .readers.layout import set_aside_footnotes
from .readers.vocabulary import HEADER_ALIASES, HeaderCell, header_key, parse_header

if TYPE_CHECKING:
    from .names import NameIndex, NameParts

__all__ = ["COLUMNS", "HEADER_ALIASES", "Actuals", "canonicalise", "read_actuals", "to_long"]

REQUIRED = ("indicator", "region", "year", "value")
OPTIONAL = ("unit", "source", "note", "date", "flag")  # a missing unit column: the indicator's unit
COLUMNS = (
    "indicator",  # indicator id
    "region",  # region id
    "year",  # int
    "value_text",  # the number as exact decimal text ("" for milestones)
    "unit",  # the unit the number is in (blank → the indicator's unit)
    "value",  # float64, in the indicator's canonical unit (NaN for milestones)
    "factor",  # float64 factor from `unit` to the canonical unit
    "done",  # milestones: True/False; numeric: NA
    "date",  # milestones: completion date (YYYY, YYYY-MM, YYYY-MM-DD) or ""
    "source",
    "note",
    "flag",  # observation flags: the flag column, a year column's qualifier, footnote markers
    "stage",  # milestones: the stage a report word names (建成 → completed); None: a plain yes
    "file",
    "row",  # 1-based data row in its file
    "line",  # Int64 physical line of the row (text files), NA where the format has none
    "cell",  # spreadsheet cell of the value (e.g. 主要指标!D7), None elsewhere
    "key",  # int64 (indicator, region, year) key, numbered by the catalogue (see keys.py)
)
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"  # the fast path: ASCII, no exponent
_MAX_PROBLEMS_PER_CHECK = 1000


@dataclass
class Actuals:
    """The canonical actuals table, what was read to build it, and what was left out."""

    table: pd.DataFrame
    files: list[str] = field(default_factory=list)
    details: dict[str, dict[str, str]] = field(default_factory=dict)  # file → encoding, rows …
    notices: list[Problem] = field(default_factory=list)  # ignored rows, columns, files
    counts: dict[str, dict[str, str]] = field(default_factory=dict)  # file → rows read, used …

    @property
    def latest_year(self) -> int | None:
        return int(self.table["year"].max()) if len(self.table) else None


def empty_table() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["row"] = frame["row"].astype("int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["key"] = frame["key"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["factor"] = frame["factor"].astype("float64")
    return frame


ProgressCallback = Callable[[str, int, int], None]

# Tables this long have their pure column work (numpy and Arrow kernels, which let go of the
# GIL) done on a second thread while this one goes on; shorter ones are read on one thread,
# where starting a thread would cost more than it saves.
THREADED_ROWS = 200_000


class _Worker:
    """Pure steps of canonicalising, run on a second thread (or at once, when not threaded).

    Only steps that read their arguments and return a result go here: every problem is still
    reported on the calling thread, in the order of the stages, so the problems, their order
    and which of a row's faults is the one reported are the same either way. What a step
    raises is raised where its result is asked for.
    """

    def __init__(self, threaded: bool) -> None:
        self._pool = (
            ThreadPoolExecutor(1, thread_name_prefix="plancheck-canonicalise") if threaded else None
        )

    def submit(self, step: Callable[..., Any], *args: Any) -> Future[Any]:
        if self._pool is not None:
            return self._pool.submit(step, *args)
        done: Future[Any] = Future()
        try:
            done.set_result(step(*args))
        except Exception as err:  # raised where the result is asked for, as in a thread
            done.set_exception(err)
        return done

    def __enter__(self) -> _Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:  # a step still running is waited for: it holds our arrays
            self._pool.shutdown(wait=True, cancel_futures=True)


class ReadAhead:
    """The actuals files listed, and the first one read in a worker thread, from the moment it
    is made: :func:`plancheck.app.run` makes it before loading the catalogue.

    A large CSV spends most of its reading in pyarrow's parser, which does not hold the GIL,
    while loading the catalogue is mostly Python, so on a second CPU the two overlap. Only the
    first file is read ahead: reading further would hold two large raw tables at once. What
    listing or reading raises is raised where :func:`read_actuals` would raise it, so the
    problems and their order are the same as without it (a catalogue problem still comes first).
    """

    def __init__(self, paths: list[Path], options: ReadOptions, in_thread: bool = True) -> None:
        self.options = options
        self._listed: tuple[list[Path], list[Problem]] | None = None
        self._refused: InputError | None = None
        self._first: tuple[Path, Future[tuple[str, RawTable, str]]] | None = None
        try:
            self._listed = actuals_files(paths)
        except InputError as err:
            self._refused = err
            return
        files = self._listed[0]
        if in_thread and files:
            pool = ThreadPoolExecutor(1, thread_name_prefix="plancheck-read-ahead")
            self._first = (files[0], pool.submit(read_raw, files[0], options))
            pool.shutdown(wait=False)  # the thread ends when the file is read

    def files(self) -> tuple[list[Path], list[Problem]]:
        """The readable files, and notices of what the folders hold that is not read."""
        if self._refused is not None:
            raise self._refused
        assert self._listed is not None
        return list(self._listed[0]), list(self._listed[1])

    def raw(self, path: Path) -> tuple[str, RawTable, str]:
        """(reader name, raw long table, layout) of ``path``: the one read ahead, or read now."""
        if self._first is not None and self._first[0] == path:
            done, self._first = self._first[1], None
            return done.result()
        return read_raw(path, self.options)


def read_raw(path: Path, options: ReadOptions) -> tuple[str, RawTable, str]:
    """One file's cells as a long raw table: nothing here needs the catalogue."""
    reader = reader_for(path)
    assert reader is not None  # actuals_files only returns readable files
    raw = reader.read(path, str(path), options)
    raw = set_aside_footnotes(raw)
    raw, layout = to_long(raw)
    return reader.name, raw, layout


def read_actuals(
    paths: list[Path],
    catalogue: Catalogue,
    options: ReadOptions | None = None,
    progress: ProgressCallback | None = None,
    ahead: ReadAhead | None = None,
) -> Actuals:
    """Read every file under ``paths`` into one canonical table; raise InputError with all problems.

    ``ahead``: the same paths and options already listed and being read (see :class:`ReadAhead`).
    """
    options = options or ReadOptions()
    ahead = ahead or ReadAhead(paths, options, in_thread=False)
    problems: list[Problem] = []
    files, notices = ahead.files()
    tables: list[pd.DataFrame] = []
    details: dict[str, dict[str, str]] = {}
    counts: dict[str, dict[str, str]] = {}
    for i, path in enumerate(files):
        if progress is not None:
            progress(str(path), i, len(files))
        try:
            reader_name, raw, layout = ahead.raw(path)
        except InputError as err:
            problems.extend(err.problems)
            continue
        details[raw.file] = {
            "reader": reader_name,
            **({"encoding": raw.encoding} if raw.encoding else {}),
            **raw.details,
            "layout": layout,
        }
        table, found = canonicalise(raw, catalogue, skip_unknown=options.skip_unknown)
        problems.extend(found)
        notices.extend(raw.notices)
        counts[raw.file] = raw.counts
        if table is not None:
            tables.append(table)
    if progress is not None:
        progress("", len(files), len(files))
    if len(tables) == 1:
        combined = tables.pop()  # one file: no concatenated copy of millions of rows
    else:
        combined = pd.concat(tables, ignore_index=True) if tables else empty_table()
    del tables
    combined, found = _drop_duplicates(combined, catalogue)
    problems.extend(found)
    if problems:
        # In file order, as a reader goes through them, whichever check found them.
        problems.sort(key=lambda p: (p.file or "", p.row or p.line or 0))
        raise InputError(problems)
    return Actuals(combined, [str(p) for p in files], details, notices, counts)


def to_long(raw: RawTable) -> tuple[RawTable, str]:
    """A wide table (one column per year) melted to long rows; a long table as it is.

    Told apart by the header: no year and value columns, but columns named like ``2015``,
    ``2015年`` or ``2015年(初步)``. Each melted row remembers its file row, its year column, and
    that column's flag and unit, so a problem points at the cell that holds it. Empty year
    cells are counted (``check -v``) and left out.
    """
    columns = [str(c) for c in raw.frame.columns]
    parsed = [parse_header(c) for c in columns]
    named = {p.canonical for p in parsed}
    year_columns = [(j, p) for j, p in enumerate(parsed) if p.year is not None]
    if "year" in named or "value" in named or not year_columns:
        if year_columns:
            raise InputError([_mixed_layout(raw, columns[year_columns[0][0]])])
        return raw, "long"
    problems = _year_column_problems(raw, columns, year_columns)
    if problems:
        raise InputError(problems)
    return _melted(raw, columns, year_columns), "wide"


def _mixed_layout(raw: RawTable, year_column: str) -> Problem:
    return _header_problem(
        raw,
        "mixed-layout",
        f"the file has year and value columns (long layout) and also a column"
        f" named as a year, '{year_column}', whose cells would be left unread",
        year_column,
        "keep one layout: either indicator, region, year, value columns, or one"
        " column per year without year and value columns",
    )


def _year_column_problems(
    raw: RawTable, columns: list[str], year_columns: list[tuple[int, HeaderCell]]
) -> list[Problem]:
    """Year columns plancheck cannot read: an unknown qualifier, or a second column of a year."""
    problems = []
    seen: dict[int, str] = {}
    for j, header in year_columns:
        assert header.year is not None
        if header.unknown_qualifier:
            problems.append(
                _header_problem(
                    raw,
                    "unknown-year-qualifier",
                    f"the year column '{columns[j]}' carries '{header.unknown_qualifier}',"
                    " which plancheck cannot read as an observation flag or a unit",
                    columns[j],
                    "write the year alone (2015), with a flag it knows (2015年(初步), 2015p,"
                    " 2015年(预计), 2015年(修订)), or with a unit (2015年(%)); put other"
                    " remarks in a note column",
                )
            )
        if header.year in seen:
            problems.append(
                _header_problem(
                    raw,
                    "duplicate-column",
                    f"year {header.year} has two columns, '{seen[header.year]}' and '{columns[j]}'",
                    columns[j],
                    "keep one column per year",
                )
            )
        seen[header.year] = columns[j]
    return problems


def _melted(
    raw: RawTable, columns: list[str], year_columns: list[tuple[int, HeaderCell]]
) -> RawTable:
    """One long row per filled year cell, remembering its file row, column, flag and unit."""
    frame = raw.frame
    n, k = len(frame), len(year_columns)
    year_idx = [j for j, _ in year_columns]
    id_idx = [j for j in range(len(columns)) if j not in set(year_idx)]
    # Row-major: row 1's years first, then row 2's …; repeat/tile below follow the same order.
    values = frame.iloc[:, year_idx].to_numpy(dtype=object).ravel()
    filled = pd.Series(values, dtype=object).fillna("").astype(str).str.strip().ne("").to_numpy()
    melted = {
        columns[j]: np.repeat(frame.iloc[:, j].to_numpy(dtype=object), k)[filled] for j in id_idx
    }
    melted["year"] = np.tile(np.array([str(h.year) for _, h in year_columns], dtype=object), n)[
        filled
    ]
    melted["value"] = values[filled]
    long = pd.DataFrame(melted, columns=[*(columns[j] for j in id_idx), "year", "value"])
    rows = raw.source_rows if raw.source_rows is not None else np.arange(1, n + 1, dtype="int64")

    def per_cell(items: list[str]) -> np.ndarray:
        return np.tile(np.array(items, dtype=object), n)[filled]

    raw.counts["empty year cells"] = str(int((~filled).sum()))
    raw.frame = long
    raw.source_rows = np.repeat(rows, k)[filled]
    raw.value_columns = per_cell([columns[j] for j in year_idx])
    raw.value_flags = per_cell([h.flag for _, h in year_columns])
    raw.value_units = per_cell([h.unit for _, h in year_columns])
    return raw


def _header_problem(raw: RawTable, kind: str, message: str, column: str, hint: str) -> Problem:
    return Problem(
        kind,
        message,
        raw.file,
        line=_header_line(raw),
        field=column,
        value=column,
        hint=hint,
        cell=raw.cell_of(0, column) if raw.cell_of is not None else None,
    )


class _Collector:
    """The problems of one table, and which rows already have one (a row is reported once)."""

    def __init__(
        self, raw: RawTable, out: pd.DataFrame, original: dict[str, str], value_columns: Any
    ) -> None:
        self.raw, self.out, self.original, self.value_columns = raw, out, original, value_columns
        self.bad = np.zeros(len(out), dtype=bool)
        self.problems: list[Problem] = []
        self._reported: set[tuple[int, str, str]] = set()

    def report(
        self,
        mask: np.ndarray,
        column: str,
        kind: str,
        message: str | Callable[[str], str],
        hint: str,
    ) -> None:
        """One problem per row in ``mask`` (not already bad), at the cell of ``column``."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():  # the usual case: one pass over the rows, not four
            return
        hit = mask & ~self.bad
        for i in np.flatnonzero(hit)[:_MAX_PROBLEMS_PER_CHECK]:
            self.report_at(int(i), column, kind, message, hint)
        self.bad |= hit

    def report_at(
        self, i: int, column: str, kind: str, message: str | Callable[[str], str], hint: str
    ) -> None:
        """The problem in row ``i``'s cell of ``column`` (the caller marks the row bad).

        A wide row melts into one row per year: a problem of its indicator or region cell is
        the same problem in each, so it is reported once per file row.
        """
        cell = str(self.out.at[i, column])
        row = int(self.out["row"].to_numpy(dtype="int64")[i])
        name = self.original.get(column, column)
        if column == "value" and self.value_columns is not None:
            name = str(self.value_columns[i])
        elif self.value_columns is not None:
            if (row, column, kind) in self._reported:
                return
            self._reported.add((row, column, kind))
        raw = self.raw
        line: int | None = None
        if raw.has_lines:
            line = raw.line_of(row) if raw.line_of is not None else None
            line = line if line is not None else row + raw.header_rows
        self.problems.append(
            Problem(
                kind,
                message if isinstance(message, str) else message(cell),
                raw.file,
                line=line,
                row=row,
                field=name,
                value=cell,
                hint=hint,
                cell=raw.cell_of(row, name) if raw.cell_of is not None else None,
            )
        )


def canonicalise(
    raw: RawTable, catalogue: Catalogue, skip_unknown: bool = False, threaded: bool | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One raw (long) table → canonical rows, or None and the problems that stop it.

    What is left out (unknown columns, rows without a figure, skipped names) is added to
    ``raw.notices``, and the counts to ``raw.details``. ``threaded``: whether pure column work
    runs on a second thread (None: for tables of :data:`THREADED_ROWS` rows or more); the
    result is the same either way.
    """
    mapped = _map_columns(raw)
    if mapped.problems:
        return None, mapped.problems
    out, value_columns = _text_columns(raw, mapped)
    work = _Collector(raw, out, mapped.original, value_columns)
    with _Worker(len(out) >= THREADED_ROWS if threaded is None else threaded) as worker:
        return _canonical(work, mapped, catalogue, skip_unknown, worker)


def _canonical(
    work: _Collector, mapped: _Columns, catalogue: Catalogue, skip_unknown: bool, worker: _Worker
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The stages of :func:`canonicalise` after the columns are mapped, in order; what they
    read without reporting is read on ``worker`` while this thread goes on."""
    out, n = work.out, len(work.out)
    # Years and dates are read on the worker while the names are resolved here (Python work).
    year_reading = worker.submit(_year_reading, out["year"])
    date_reading = worker.submit(_date_reading, out["date"])
    numbers, name_units, name_flags = _resolve_names(work, catalogue, skip_unknown)
    years = _read_years(work, year_reading.result())
    indicators = list(catalogue.indicators.values())
    kinds = np.array([*(i.type == "milestone" for i in indicators), False], dtype=bool)
    is_milestone = kinds[numbers["indicator"]]
    # The milestone cells are read on the worker, then half the plain numbers, while this
    # thread reads the other half.
    milestone_cells = worker.submit(_milestone_cells, out["value"], is_milestone)
    plain = _plain_numbers(out["value"], ~is_milestone, worker)
    values = _read_values(work, ~is_milestone, plain)
    milestones = _read_milestones(work, milestone_cells.result(), date_reading.result())
    # Numeric rows' reasons, milestone rows' own; none when no cell was read one by one.
    blank = np.zeros(n, dtype=bool)
    if values["read_one_by_one"]:
        blank = np.asarray(values["no_figure"] != "", dtype=bool)
    blank[milestones.rows] = milestones.no_figure != ""
    no_figure = values["no_figure"]
    if blank.any() and len(milestones.rows):
        no_figure = no_figure.copy()
        no_figure[milestones.rows] = milestones.no_figure
    measured_in = [i.unit or "" for i in indicators]
    unit = _choose_units(
        work, mapped, numbers["indicator"], measured_in, values, name_units, ~is_milestone & ~blank
    )
    factor = _factors(work, catalogue, numbers, unit, ~work.bad & ~is_milestone & ~blank)

    _account(work.raw, n, work.bad, blank, no_figure)
    keep = ~work.bad & ~blank
    if not keep.any():
        return empty_table(), work.problems
    del blank, no_figure
    parts = _Parts(numbers, years, values, milestones, unit, factor, name_flags, is_milestone)
    del values, milestones, unit, name_flags
    return _assemble(work, catalogue, parts, keep, worker), work.problems


@dataclass
class _Parts:
    """What the stages read from a table's cells, for :func:`_assemble`."""

    numbers: dict[str, np.ndarray]  # catalogue numbers of each row's indicator and region
    years: np.ndarray  # :func:`_read_years`
    values: dict[str, Any]  # :func:`_read_values`
    milestones: _Milestones
    unit: _Units
    factor: np.ndarray
    name_flags: np.ndarray | None
    is_milestone: np.ndarray


def _assemble(
    work: _Collector, catalogue: Catalogue, parts: _Parts, keep: np.ndarray, worker: _Worker
) -> pd.DataFrame:
    """The canonical table of the rows in ``keep``, built once from its columns: the figures
    and units on ``worker`` (Arrow and numpy kernels) while keys and texts are made here."""
    raw = work.raw
    numbers, values, milestones = parts.numbers, parts.values, parts.milestones
    at = np.flatnonzero(keep)  # the kept rows' positions in the collector's frame
    milestone_at = keep[milestones.rows]  # which milestone rows are kept
    milestone_kept = _take(parts.is_milestone, at)
    years = _take(parts.years, at)
    kept = {name: _take(numbers[name], at) for name in ("indicator", "region")}
    figures = worker.submit(_figures, parts, at, milestone_kept)
    columns: dict[str, Any] = {
        "key": keys.row_keys(kept["indicator"], kept["region"], years, len(catalogue.regions))
    }
    columns.update(_kept_columns(work.out, at, dates=milestones.dates is None))
    columns["year"] = years
    if milestones.dates is not None:
        columns["date"] = _take(milestones.dates, at)
    # Ids from the catalogue numbers (every kept row's names are known); object dtype, as
    # pandas would otherwise copy a million ids into Arrow text.
    for name, ids in (("indicator", catalogue.indicators), ("region", catalogue.regions)):
        columns[name] = np.array(list(ids), dtype=object)[kept[name]]
    columns["done"], columns["stage"] = _done_and_stage(milestones, milestone_kept, milestone_at)
    more_flags = [
        _take(part, at)
        for part in (raw.value_flags, parts.name_flags)
        if part is not None and (part != "").any()
    ]
    markers = _markers(values, milestones)
    if markers is not None:
        more_flags.append(_take(markers, at))
    if more_flags:  # a clean file has none: its flag column is kept as it is, in Arrow
        columns["flag"] = _flags(np.asarray(columns["flag"], dtype=object), *more_flags)
    if raw.notes:  # basis lines and footnotes belong to every figure of the table
        stated = "; ".join(raw.notes)
        own = pd.Series(columns["note"]).astype(str).fillna("").to_numpy(dtype=object)
        columns["note"] = np.where(own != "", own + "; " + stated, stated)
    # Every kept row's place, before the overflow check: it takes them with the other columns.
    columns["line"], columns["cell"] = _locations(work, columns["row"], at)
    columns.update(figures.result())
    finite = _refuse_overflow(work, columns["value"], columns["value_text"], at)
    if finite is not None:
        columns = {name: _take(column, finite) for name, column in columns.items()}
        at = at[finite]
    # One name for millions of rows: a categorical holds it once.
    columns["file"] = pd.Categorical.from_codes(
        np.zeros(len(at), dtype="int8"), categories=pd.Index([raw.file])
    )
    # Each column once, as made: a frame built column by column copies them into blocks.
    return _frame({c: columns[c] for c in COLUMNS})


def _figures(parts: _Parts, at: np.ndarray, milestone_kept: np.ndarray) -> dict[str, Any]:
    """The kept rows' number texts, units, factors and figures in the indicator's unit (pure,
    for the worker: Arrow takes and numpy arithmetic)."""
    values = parts.values
    columns: dict[str, Any] = {}
    columns["value_text"] = _blank_where(_take(_column(values["number"]), at), milestone_kept)
    columns["unit"] = parts.unit.texts_at(at, blank=milestone_kept)
    columns["factor"] = _take(parts.factor, at)
    with np.errstate(over="ignore"):  # an overflow is refused by the caller, not warned about
        read = values["floats"]  # the numbers, when _read_values had them read already
        figures = _take(read, at) if read is not None else _floats(pd.Series(columns["value_text"]))
        # In place when it can: the numbers as read are not needed after this (80 MB less at
        # 10^7 rows); Arrow's own numbers are read only.
        into = figures if figures.flags.writeable else None
        columns["value"] = np.multiply(figures, columns["factor"], out=into)
    return columns


def _done_and_stage(
    milestones: _Milestones, milestone_kept: np.ndarray, milestone_at: np.ndarray
) -> tuple[Any, np.ndarray]:
    """The kept rows' done (NA for numeric rows) and stage (None: a plain yes, or numeric)."""
    n = len(milestone_kept)
    # Filled in as numpy arrays, then wrapped: a masked setitem on the BooleanArray costs
    # several passes over millions of rows.
    done_values, done_missing = np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    stages = np.empty(n, dtype=object)  # None throughout
    kept = np.flatnonzero(milestone_kept)
    if len(kept):
        done_values[kept] = milestones.done[milestone_at].astype(bool)
        done_missing[kept] = False
        kept_stage = milestones.stage[milestone_at]
        has_stage = np.asarray(kept_stage != "", dtype=bool)
        stages[kept[has_stage]] = kept_stage[has_stage]  # the others stay None
    return pd.arrays.BooleanArray(done_values, done_missing), stages


def _markers(values: dict[str, Any], milestones: _Milestones) -> np.ndarray | None:
    """Every row's footnote markers written with its figure or milestone word (①), or None
    when no cell has one."""
    numbers_marked = values["read_one_by_one"] and (values["markers"] != "").any()
    if not numbers_marked and not (milestones.markers != "").any():
        return None
    markers = np.array(values["markers"], dtype=object)  # a copy: written to below
    markers[milestones.rows] = milestones.markers
    return markers


# --- 1. columns ------------------------------------------------------------------------------


@dataclass
class _Columns:
    columns: dict[str, int] = field(default_factory=dict)  # canonical → position
    original: dict[str, str] = field(default_factory=dict)  # canonical → header as written
    header_units: dict[str, str] = field(default_factory=dict)  # canonical → unit in its header
    problems: list[Problem] = field(default_factory=list)


def _map_columns(raw: RawTable) -> _Columns:
    """Canonical column → position; ambiguous and missing columns refused, unknown ones noted."""
    names = [str(c) for c in raw.frame.columns]
    mapped = _Columns()
    by_key: dict[str, str] = {}  # header key → the first header with it
    ignored: list[str] = []
    for j, name in enumerate(names):
        if _place_column(raw, mapped, by_key, j, name):
            ignored.append(name)
    _note_ignored_columns(raw, names, ignored)
    _refuse_missing_columns(raw, mapped, names)
    return mapped


def _place_column(
    raw: RawTable, mapped: _Columns, by_key: dict[str, str], j: int, name: str
) -> bool:
    """Column ``j`` headed ``name`` into ``mapped`` (or a problem); True if it is unknown, has
    cells, and so is to be noted as ignored."""
    key = header_key(name)
    if key and key in by_key:
        mapped.problems.append(
            _header_problem(
                raw,
                "ambiguous-column",
                f"the columns '{short(by_key[key])}' and '{short(name)}' have the same name"
                " once spaces and letter case are set aside",
                name,
                "keep one of them, or rename the other",
            )
        )
        return False
    if key:
        by_key[key] = name
    header = parse_header(name)
    canonical = header.canonical
    if canonical is None:
        if name in ("year", "value") or not key:
            return False
        return _has_cells(raw.frame.iloc[:, j])
    if canonical in mapped.columns:
        mapped.problems.append(
            _header_problem(
                raw,
                "duplicate-column",
                f"columns '{mapped.original[canonical]}' and '{name}' both give the {canonical}",
                name,
                "keep one of them, or rename the other",
            )
        )
        return False
    mapped.columns[canonical] = j
    mapped.original[canonical] = name
    if header.unit:
        mapped.header_units[canonical] = header.unit
    return False


def _header_line(raw: RawTable) -> int | None:
    return raw.header_rows if raw.has_lines and raw.header_rows else None


def _note_ignored_columns(raw: RawTable, names: list[str], ignored: list[str]) -> None:
    """One notice naming the columns with cells that are not read: unknown or unnamed ones."""
    unnamed = [
        j
        for j, name in enumerate(names)
        if not header_key(name) and _has_cells(raw.frame.iloc[:, j])
    ]
    if not ignored and not unnamed:
        return
    what = [f"'{short(n)}'" for n in ignored] + [f"column {j + 1} (no header)" for j in unnamed]
    raw.notices.append(
        Problem(
            "ignored-column",
            f"{_plural(len(what), 'column')} not read, as plancheck does not know"
            f" {'its' if len(what) == 1 else 'their'} header: {', '.join(what)}",
            raw.file,
            line=_header_line(raw),
            hint="known columns: " + ", ".join(HEADER_ALIASES),
        )
    )


def _refuse_missing_columns(raw: RawTable, mapped: _Columns, names: list[str]) -> None:
    for name in REQUIRED:
        if name in mapped.columns or (name == "region" and raw.table_region):
            continue
        mapped.problems.append(
            Problem(
                "missing-column",
                f"required column '{name}' is missing (found: {', '.join(names) or 'none'})",
                raw.file,
                line=_header_line(raw),
                field=name,
                hint="the header needs indicator, region, year, value (and unit), or 指标, 地区,"
                " 年份, 数值, 单位; a yearbook table needs indicator, region and one column per"
                " year; a table of one region may state it once above the header (地区：广州市)",
            )
        )


def _has_cells(column: pd.Series) -> bool:
    return bool((column.astype("str").str.strip() != "").any())


def _text_columns(raw: RawTable, mapped: _Columns) -> tuple[pd.DataFrame, Any]:
    """The canonical columns as stripped text; empty rows (",,,," lines) dropped and counted."""
    frame = raw.frame
    n = len(frame)
    file_rows = (
        raw.source_rows if raw.source_rows is not None else np.arange(1, n + 1, dtype="int64")
    )
    out = pd.DataFrame(index=pd.RangeIndex(n))
    absent = _empty_text(n)
    for column in (*REQUIRED, *OPTIONAL):
        j = mapped.columns.get(column)
        # Text stays in Arrow: millions of Python strings would cost more than all the checks.
        out[column] = _text(frame.iloc[:, j]).array if j is not None else absent
    if "region" not in mapped.columns:
        out["region"] = raw.table_region  # stated once above the header
    # The canonical columns are copies: the file's own frame is not needed any more (a slice
    # of it, even an empty one, would keep every Arrow buffer of the file alive).
    raw.frame = pd.DataFrame(columns=frame.columns)
    del frame
    empty = _empty_rows(out, list(mapped.columns))
    value_columns = raw.value_columns
    if empty.any():
        keep = ~empty
        out = out.loc[keep].reset_index(drop=True)
        file_rows = file_rows[keep]
        value_columns = value_columns[keep] if value_columns is not None else None
        for name in ("value_flags", "value_units"):
            array = getattr(raw, name)
            if array is not None:
                setattr(raw, name, array[keep])
        raw.counts["empty rows"] = str(int(empty.sum()))
    out["row"] = np.asarray(file_rows, dtype="int64")
    return out, value_columns


def _empty_rows(out: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Rows whose every read column is empty; each further column looked at only in the rows
    still empty (a file's first column is seldom empty, so one pass is usually all)."""
    if not columns:
        return np.ones(len(out), dtype=bool)
    candidates = np.flatnonzero((out[columns[0]] == "").to_numpy(dtype=bool))
    for column in columns[1:]:
        if len(candidates) == 0:
            break
        still = (out[column].take(candidates) == "").to_numpy(dtype=bool)
        candidates = candidates[still]
    empty = np.zeros(len(out), dtype=bool)
    empty[candidates] = True
    return empty


# --- 2. names --------------------------------------------------------------------------------


def _resolve_names(
    work: _Collector, catalogue: Catalogue, skip_unknown: bool
) -> tuple[dict[str, np.ndarray], np.ndarray | None, np.ndarray | None]:
    """Indicator and region spellings → catalogue numbers (-1 unknown); a unit or footnote marker
    written with the indicator's name (森林覆盖率(%), 森林覆盖率①) is returned per row (None
    when no name carries one)."""
    out = work.out
    numbers: dict[str, np.ndarray] = {}
    name_units: np.ndarray | None = None  # None: no name carries a unit
    name_flags: np.ndarray | None = None  # None: no name carries a marker
    skipped: dict[str, list[str]] = {}
    for column, index, numbering in (
        ("indicator", catalogue.indicator_index(), list(catalogue.indicators)),
        ("region", catalogue.region_index(), list(catalogue.regions)),
    ):
        spellings = _Spellings.of(out[column], index)
        number_of = {iid: i for i, iid in enumerate(numbering)}
        numbers[column] = spellings.per_row([number_of.get(i, -1) for i in spellings.ids], -1)
        if column == "indicator" and any(p.unit for p in spellings.parts):
            name_units = spellings.per_row([p.unit for p in spellings.parts])
        if any(p.markers for p in spellings.parts):
            markers = spellings.per_row(spellings.markers())
            name_flags = markers if name_flags is None else _join_flags(name_flags, markers)
        unknown = numbers[column] < 0
        if unknown.any():  # the names as written, for the problems and the notice
            written = spellings.per_row(spellings.written)
            if skip_unknown:
                skipped[column] = _skip_unknown(work, unknown, written)
            _report_unknown_names(work, column, index, unknown & ~work.bad, written, skip_unknown)
            work.bad |= unknown
    _note_skipped_names(work.raw, skipped)
    return numbers, name_units, name_flags


@dataclass
class _Spellings:
    """The distinct spellings of one name column, each split and resolved once."""

    codes: np.ndarray  # row → its spelling's position (-1: no cell)
    written: list[str]  # each spelling as written
    parts: list[NameParts]  # each spelling's name, unit and markers
    ids: list[str]  # each spelling's catalogue id, "" when unknown

    @classmethod
    def of(cls, column: pd.Series, index: NameIndex) -> _Spellings:
        from .names import split_name

        codes, written = _distinct(column)
        parts = [split_name(v) for v in written]
        ids = [(index.resolve(p.name) if p.name else None) or "" for p in parts]
        return cls(codes, written, parts, ids)

    def markers(self) -> list[str]:
        return [p.markers for p in self.parts]

    def per_row(self, per_spelling: list[Any], missing: Any = "") -> np.ndarray:
        """One value per spelling → one per row (``missing`` where a row has no cell)."""
        dtype = "int64" if isinstance(missing, int) else object
        return np.array([*per_spelling, missing], dtype=dtype)[self.codes]


def _skip_unknown(work: _Collector, unknown: np.ndarray, written: np.ndarray) -> list[str]:
    """--skip-unknown: rows with a name the catalogue does not know are set aside, not refused;
    the names, to be listed once in a notice."""
    hit = unknown & ~work.bad & (written != "")
    if not hit.any():
        return []
    work.bad |= hit
    return sorted({str(v) for v in written[hit]})


def _report_unknown_names(
    work: _Collector,
    column: str,
    index: NameIndex,
    unknown: np.ndarray,
    written: np.ndarray,
    skip_unknown: bool,
) -> None:
    """A problem for each row in ``unknown``, with the closest spelling the catalogue knows."""
    suggestions: dict[str, str] = {}  # one look-up per distinct spelling
    for i in np.flatnonzero(unknown)[:_MAX_PROBLEMS_PER_CHECK]:
        text = str(written[i])
        if text not in suggestions:
            suggestions[text] = _unknown_name_hint(index, text, skip_unknown)
        work.report_at(
            int(i),
            column,
            f"unknown-{column}",
            f"unknown {column} '{short(text)}'" if text else f"the {column} cell is empty",
            suggestions[text],
        )


def _unknown_name_hint(index: NameIndex, text: str, skip_unknown: bool) -> str:
    from .names import split_name

    hint = index.suggest(split_name(text).name) if text else ""
    if skip_unknown:
        return hint
    return (hint.rstrip(".") + ". " if hint else "") + (
        "To skip rows the catalogue has no target for (a whole yearbook"
        " table), run with --skip-unknown."
    )


def _note_skipped_names(raw: RawTable, skipped: dict[str, list[str]]) -> None:
    for column, names in skipped.items():
        if not names:
            continue
        raw.notices.append(
            Problem(
                f"skipped-unknown-{column}",
                f"rows with {_plural(len(names), column)} the catalogue does not know were"
                f" skipped (--skip-unknown): "
                + ", ".join(f"'{short(v)}'" for v in names[:20])
                + (f" and {len(names) - 20} more" if len(names) > 20 else ""),
                raw.file,
            )
        )


# --- 3. cells --------------------------------------------------------------------------------


def _year_reading(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(which rows hold a year, each row's year as int64, 0 where none): pure, for the worker.

    Each distinct spelling is read once (a national table writes a few dozen years in millions
    of rows), then spread to the rows by its code.
    """
    codes, spellings = _distinct(column)
    year_ok, years = _years_of(pd.Series(spellings, dtype="str"))
    # Code -1 (no cell; the text columns have none): not a year.
    return np.append(year_ok, False)[codes], np.append(years, 0)[codes]


def _read_years(work: _Collector, reading: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Years: 2015, ２０１５, 2015年, 2015.0: four digits, not 0000 (a placeholder); the cells
    that are not one refused. ``reading``: :func:`_year_reading` of the year column."""
    year_ok, years = reading
    work.report(
        ~year_ok,
        "year",
        "type-error",
        lambda c: f"'{short(c)}' is not a year",
        "write a four-digit year, e.g. 2015",
    )
    return years


def _years_of(year_text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(which texts are years, each year as int64, 0 where it is not one)."""
    year_ok = np.array(year_text.str.fullmatch(r"[1-9][0-9]{3}"), dtype=bool)
    if not year_ok.all():  # only the few years written otherwise take the slow path
        other_years = (
            year_text[~year_ok]
            .str.translate(cells._HALF_WIDTH)
            .str.replace(r"\s+", "", regex=True)
            .str.replace(r"(?:\.0+)?(?:年度?)?$", "", regex=True)
        )
        year_text = year_text.copy()
        year_text[~year_ok] = other_years
        year_ok = np.array(year_text.str.fullmatch(r"[1-9][0-9]{3}"), dtype=bool)
    return year_ok, _floats(year_text.where(year_ok, "0")).astype("int64")


_PARTS = ("number", "unit", "magnitude", "markers", "no_figure", "error")


def _read_values(
    work: _Collector, numeric: np.ndarray, plain_numbers: tuple[np.ndarray, np.ndarray | None]
) -> dict[str, Any]:
    """Numeric cells → number text, unit, magnitude, markers, or why there is no figure.

    Plain ASCII numbers (nearly every cell of a clean file) are taken as they are, in Arrow
    (``plain_numbers``: :func:`_plain_numbers` of the value column); every other cell goes
    through :func:`plancheck.cells.read_number` once per spelling.
    """
    value = work.out["value"]
    n = len(value)
    plain, floats = plain_numbers
    # The number column stays Arrow text: a million Python strings would cost more than every
    # check here. The other parts are filled only for the cells that are not plain numbers.
    # A dict, not a DataFrame: pandas would convert each object column to Arrow text.
    # The cells that are neither plain numbers nor numeric are milestones': their number text
    # is blanked when the table is built, so the column is taken as it is.
    parsed: dict[str, Any] = {"number": value}
    other = ~plain & numeric
    # Shared while no cell has anything to say: one "" seen n times (read-only, no n-row array).
    nothing = np.broadcast_to(np.array("", dtype=object), (n,))
    parsed.update({name: nothing for name in _PARTS[1:]})
    parsed["read_one_by_one"] = bool(other.any())  # False: unit, magnitude … all ""
    # Every numeric cell's number as read, while the number texts are the cells as they are.
    parsed["floats"] = None if parsed["read_one_by_one"] else floats
    if parsed["read_one_by_one"]:
        parsed.update({name: np.full(n, "", dtype=object) for name in _PARTS[1:]})
        read = _map_distinct(value[other], cells.read_number)
        idx = np.flatnonzero(other)
        parsed["number"] = _replaced(value, idx, [c.number for c in read])
        for name in _PARTS[1:]:
            parsed[name][idx] = [getattr(c, name) for c in read]
    if not parsed["read_one_by_one"]:
        return parsed  # every numeric cell a plain number: no error to report
    work.report(
        numeric & (parsed["error"] != ""),
        "value",
        "type-error",
        lambda c: f"'{short(c)}' is not a number: {cells.read_number(c).error}",
        "expected a number, optionally with a unit: 51.5, 1,234.5, 1 234 567, -3, 51.5%,"
        " 2250万户; leave the cell blank (or write —) when there is no figure",
    )
    return parsed


@dataclass
class _Milestones:
    """The milestone rows' readings: ``rows`` (positions) and, for each, done, markers, why
    there is no figure, and the stage named. Only these rows: a national table has millions of
    numeric rows that need none of it."""

    rows: np.ndarray
    done: np.ndarray  # True / False / None
    markers: np.ndarray
    no_figure: np.ndarray
    stage: np.ndarray
    dates: np.ndarray | None  # every row's date as read (object); None: no row has one


def _replaced(text: pd.Series, at: np.ndarray, replacements: Any) -> pd.Series:
    """``text`` with the cells at ``at`` replaced, in Arrow (no Python string per cell)."""
    import pyarrow as pa

    index = np.arange(len(text), dtype="int64")
    index[at] = len(text) + np.arange(len(at), dtype="int64")
    array = pa.array(text)
    if not pa.types.is_large_string(array.type):
        array = pa.array(text, pa.large_string())
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if not isinstance(replacements, pa.Array | pa.ChunkedArray):  # a list of texts
        replacements = pa.array(replacements, pa.large_string())
    extra = replacements.chunks if isinstance(replacements, pa.ChunkedArray) else [replacements]
    combined = pa.chunked_array([*chunks, *(c.cast(pa.large_string()) for c in extra)])
    return pd.Series(pd.array(combined.take(index), dtype="str"), index=text.index)


def _milestone_cells(
    value: pd.Series, is_milestone: np.ndarray
) -> tuple[np.ndarray, Any, list[Any]]:
    """(the milestone rows, each one's code, :func:`plancheck.cells.read_done` of each distinct
    cell): read once per spelling, nothing reported."""
    rows = np.flatnonzero(is_milestone)
    codes, read = _read_distinct(value.take(rows), cells.read_done)
    return rows, codes, read


def _read_milestones(
    work: _Collector,
    milestone_cells: tuple[np.ndarray, Any, list[Any]],
    date_reading: tuple[np.ndarray | None, np.ndarray] | None,
) -> _Milestones:
    """Milestone cells → done (True/False), markers, no-figure kind, stage; dates checked.
    ``milestone_cells``: :func:`_milestone_cells`; ``date_reading``: :func:`_date_reading`."""
    rows, codes, read = milestone_cells
    done, markers, no_figure, stage = (
        _spread(read, attribute, codes) for attribute in ("done", "markers", "no_figure", "stage")
    )
    # Per spelling, then spread: a done that is None (not 是, not 否) with a figure to read.
    unread = [r.no_figure == "" and r.done is None for r in read]
    unknown = np.zeros(len(work.out), dtype=bool)
    unknown[rows] = np.array([*unread, False], dtype=bool)[codes]
    work.report(
        unknown,
        "value",
        "type-error",
        lambda c: f"'{short(c)}' is not done / not done",
        "for a milestone write 是 or 否 (完成/未完成, yes/no, true/false, 1/0), or the stage"
        " reached (开工, 在建, 建成, 通车, 出台, 成立 …)",
    )
    return _Milestones(rows, done, markers, no_figure, stage, _read_dates(work, date_reading))


def _date_reading(column: pd.Series) -> tuple[np.ndarray | None, np.ndarray] | None:
    """(the rows whose date cannot be read, None when none; every row's date as read, object),
    or None when no row has a date: pure, for the worker. Read once per distinct spelling."""
    codes, written = _distinct(column)
    filled = np.array([*(text != "" for text in written), False])  # the last slot: no cell
    if not filled.any() or not filled[codes].any():
        return None
    read = [cells.read_date(text) if text else None for text in written]
    # Per spelling, then spread by code (-1, the last slot: no cell).
    unreadable = np.array(
        [*(t != "" and r is None for t, r in zip(written, read, strict=True)), False]
    )
    as_read = np.array(
        [*(r if r is not None else t for t, r in zip(written, read, strict=True)), ""], dtype=object
    )
    return (unreadable[codes] if unreadable.any() else None), np.asarray(
        as_read[codes], dtype=object
    )


def _read_dates(
    work: _Collector, reading: tuple[np.ndarray | None, np.ndarray] | None
) -> np.ndarray | None:
    """Completion dates checked (``reading``: :func:`_date_reading`); the dates as read
    (YYYY-MM-DD), or None when no row has one (the column then stays as it is)."""
    if reading is None:
        return None
    unreadable, as_read = reading
    if unreadable is not None:
        work.report(
            unreadable,
            "date",
            "type-error",
            lambda c: f"'{short(c)}' is not a date",
            "write a real date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2015-03-01)",
        )
    return as_read


# --- 4. units --------------------------------------------------------------------------------


@dataclass
class _Units:
    """Each row's unit as a number into a short list of unit texts (a national table states
    a handful of units in millions of rows: each is compared and converted once)."""

    codes: np.ndarray  # row → position in ``texts``
    texts: list[str]
    as_objects: bool = False  # some rows' units were decided one by one (object column, as then)
    _positions: dict[str, int] = field(default_factory=dict)

    def code_of(self, text: str) -> int:
        """The position of ``text`` in ``texts``, added at the end if it is not there yet."""
        if not self._positions:
            self._positions.update((t, i) for i, t in enumerate(self.texts))
        if text not in self._positions:
            self._positions[text] = len(self.texts)
            self.texts.append(text)
        return self._positions[text]

    def texts_at(self, at: np.ndarray, blank: np.ndarray) -> Any:
        """The unit texts of the rows at ``at``, ``""`` where ``blank`` (milestones)."""
        import pyarrow as pa

        codes = _take(self.codes, at)
        if blank.any():
            codes = np.where(blank, self.code_of(""), codes)
        if self.as_objects:
            return np.array(self.texts, dtype=object)[codes]
        return pd.array(pa.array(self.texts, pa.large_string()).take(codes), dtype="str")


def _choose_units(
    work: _Collector,
    mapped: _Columns,
    indicator_no: np.ndarray,
    measured_in: list[str],
    values: dict[str, Any],
    name_units: np.ndarray | None,
    numeric: np.ndarray,
) -> _Units:
    """Each numeric row's unit, from every place that states one; disagreement is refused.

    The row's own statements (the cell, the unit column, the value column's header, the name)
    must agree; the table's 单位 line applies only where the row states none; else the
    indicator's unit. A magnitude written alone in the cell (640万) replaces the magnitude of
    the chosen unit: 640万 in a 万户 row is 640万户, never 万万户.
    """
    out = work.out
    n = len(out)
    raw = work.raw
    header_unit = _header_units(work, mapped)
    cell_unit = values["unit"]
    magnitude = values["magnitude"]
    column = out["unit"]
    unit = _column_units(column, indicator_no, measured_in)
    # Rows that state a unit beyond the unit column (most files: none, and no pass over them).
    places = [header_unit, name_units]
    if values["read_one_by_one"]:
        places += [cell_unit, magnitude]
    careful = np.zeros(n, dtype=bool)
    for stated in places:
        if stated is not None:
            careful |= stated != ""
    careful &= numeric & ~work.bad
    if raw.table_unit:
        careful |= numeric & ~work.bad & (column == "").to_numpy(dtype=bool)
    rows = np.flatnonzero(careful)
    if len(rows) == 0:
        return unit
    unstated = np.full(len(rows), "", dtype=object)
    statements = pd.DataFrame(
        {
            "cell": cell_unit[rows],
            "column": column.take(rows).to_numpy(dtype=object),
            "header": header_unit[rows] if header_unit is not None else unstated,
            "name": name_units[rows] if name_units is not None else unstated,
            "table": raw.table_unit,
            "magnitude": magnitude[rows],
            "canonical": np.array([*measured_in, ""], dtype=object)[indicator_no[rows]],
        }
    )
    decided = {
        t: _decide_unit(*t) for t in statements.drop_duplicates().itertuples(index=False, name=None)
    }
    results = [decided[t] for t in statements.itertuples(index=False, name=None)]
    unit.as_objects = True
    unit.codes[rows] = [unit.code_of(r[0]) for r in results]
    _report_unit_conflicts(work, rows, [message for _, message in results])
    return unit


def _header_units(work: _Collector, mapped: _Columns) -> np.ndarray | None:
    """Each row's unit as its value column's header states it; None when no header does."""
    raw = work.raw
    if not mapped.header_units.get("value") and raw.value_units is None:
        return None
    header_unit = np.full(len(work.out), mapped.header_units.get("value", ""), dtype=object)
    if raw.value_units is not None:
        header_unit = np.where(raw.value_units != "", raw.value_units, header_unit)
    return header_unit


def _column_units(column: pd.Series, indicator_no: np.ndarray, measured_in: list[str]) -> _Units:
    """Most rows state their unit in the unit column or nowhere: the column, else the
    indicator's unit (``measured_in``, by catalogue number; "" for an unknown indicator)."""
    codes, texts = _distinct(column)
    unit = _Units(codes.astype("int32"), texts)  # a copy: written to, and units may be added
    if "" in unit.texts:
        unstated = unit.codes == unit.code_of("")
        measured = np.array([*(unit.code_of(u) for u in measured_in), unit.code_of("")])
        unit.codes[unstated] = measured[indicator_no[unstated]]
    return unit


def _report_unit_conflicts(work: _Collector, rows: np.ndarray, messages: list[str]) -> None:
    """A problem for each row whose unit statements disagree (``messages``: "" where not)."""
    conflict = np.zeros(len(work.out), dtype=bool)
    file_rows = work.out["row"].to_numpy(dtype="int64")
    # One problem per file row and disagreement: a wide row's unit column contradicted by each
    # of its year cells is one mistake, reported once with the columns named.
    found: dict[tuple[int, str], list[int]] = {}
    for i, message in zip(rows, messages, strict=True):
        if message and not work.bad[i]:
            conflict[i] = True
            found.setdefault((int(file_rows[i]), message), []).append(int(i))
    for (_, message), positions in list(found.items())[:_MAX_PROBLEMS_PER_CHECK]:
        if len(positions) > 1 and work.value_columns is not None:
            columns = ", ".join(f"'{work.value_columns[i]}'" for i in positions)
            message = f"{message} (in the columns {columns})"
        work.report_at(
            positions[0],
            "value",
            "unit-conflict",
            message,
            "state the unit in one place only, or make the places agree",
        )
    work.bad |= conflict


_PLACES = {
    "cell": "the cell",
    "column": "the unit column",
    "header": "the column header",
    "name": "the indicator's name",
}


def _decide_unit(
    cell: str, column: str, header: str, name: str, table: str, magnitude: str, canonical: str
) -> tuple[str, str]:
    """(unit, "") or ("", why the statements conflict)."""
    stated = [
        (place, u) for place, u in zip(_PLACES, (cell, column, header, name), strict=True) if u
    ]
    for (place_a, a), (place_b, b) in itertools.pairwise(stated):
        if not _same_unit(a, b):
            return "", f"{_PLACES[place_a]} says '{a}' but {_PLACES[place_b]} says '{b}'"
    # Agreeing statements: the unit column's spelling is kept (67个 in a 处 column is 67 处).
    preferred = sorted(stated, key=lambda s: ("column", "header", "name", "cell").index(s[0]))
    unit = preferred[0][1] if stated else (table or canonical)
    if magnitude:
        unit = magnitude + cells.strip_magnitude(unit)
    return unit, ""


def _same_unit(a: str, b: str) -> bool:
    if units.normalise(a) == units.normalise(b):
        return True
    try:  # 67个 in a 处 column is the same measure; 2250万户 in a 户 column is not
        return units.conversion_factor(a, b) == 1
    except units.UnitError:
        return False


def _factors(
    work: _Collector,
    catalogue: Catalogue,
    numbers: dict[str, np.ndarray],
    unit: _Units,
    numeric: np.ndarray,
) -> np.ndarray:
    """One exact conversion factor per distinct (indicator, unit) pair, spread to rows."""
    indicator_ids = list(catalogue.indicators)
    unit_texts = unit.texts
    pair_code = numbers["indicator"] * max(len(unit_texts), 1) + unit.codes
    slot_of_row, pairs, position = _pairs(
        pair_code, numeric, (len(indicator_ids) + 1) * len(unit_texts)
    )
    pair_factor = np.full(len(pairs) + 1, np.nan)  # the last: rows that are not numeric
    unit_problem: dict[int, units.UnitError] = {}
    for k, code in enumerate(pairs):
        iid, unit_text = indicator_ids[code // len(unit_texts)], unit_texts[code % len(unit_texts)]
        try:
            target_unit = catalogue.indicators[iid].unit or ""
            pair_factor[k] = float(units.conversion_factor(unit_text, target_unit))
        except units.UnitError as err:
            unit_problem[int(code)] = err
    row_factor = pair_factor[position][slot_of_row]  # by slot: one pass over the rows
    where_unit = "unit" if "unit" in work.original else "value"
    for code, error in unit_problem.items():
        iid = indicator_ids[code // len(unit_texts)]
        measured = catalogue.indicators[iid].unit
        work.report(
            numeric & (pair_code == code),
            where_unit,
            error.kind,
            f"{error}; indicator '{iid}' is measured in '{measured}'",
            "give the figure in a unit convertible to the indicator's unit",
        )
    return row_factor


def _pairs(
    code: np.ndarray, numeric: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each row's slot; the distinct codes of the ``numeric`` rows; each slot's position among
    those codes, -1 for the slot of a row that is not numeric). ``position[slot]`` is each
    row's position; a per-code table is spread to the rows by slot in one pass. Codes lie in
    ``range(size)``: when that is not much longer than the table, they are counted in an array
    rather than hashed."""
    if size > 4 * len(code) + 1_000_000:
        of_numeric, pairs = pd.factorize(code[numeric])
        of_row = np.full(len(code), -1, dtype="int64")
        of_row[numeric] = of_numeric
        # Slots are the positions themselves; -1 takes the table's last entry, itself -1.
        position = np.append(np.arange(len(pairs), dtype="int64"), -1)
        return of_row, np.asarray(pairs, dtype="int64"), position
    slot = np.where(numeric, code, size)  # slot ``size``: not numeric
    pairs = np.flatnonzero(np.bincount(slot, minlength=size + 1)[:size])
    position = np.full(size + 1, -1, dtype="int64")
    position[pairs] = np.arange(len(pairs))
    return slot, pairs, position


def _locations(work: _Collector, rows: np.ndarray, at: np.ndarray) -> tuple[Any, np.ndarray]:
    """Each kept row's physical line and value cell, so every report points at the right place.

    ``rows`` are the kept rows' file rows, ``at`` their positions in the collector's frame.
    """
    raw = work.raw
    line: Any = None
    if not raw.has_lines:  # all NA
        line = pd.arrays.IntegerArray(
            np.zeros(len(rows), dtype="int64"), np.ones(len(rows), dtype=bool)
        )
    else:
        if raw.line_offset is not None:
            line = _lines(rows + raw.line_offset)
        elif raw.line_of is not None:
            line_of = raw.line_of
            line = pd.array(
                [line_of(int(r)) or int(r) + raw.header_rows for r in rows], dtype="Int64"
            )
        else:
            line = _lines(rows + raw.header_rows)
    cell = np.empty(len(rows), dtype=object)  # None throughout
    if raw.cell_of is not None:
        name = work.original.get("value", "value")
        columns = (
            work.value_columns[at]
            if work.value_columns is not None
            else np.full(len(rows), name, dtype=object)
        )
        cell_of = raw.cell_of
        cell[:] = [cell_of(int(r), str(c)) for r, c in zip(rows, columns, strict=True)]
    return line, cell


def _lines(numbers: np.ndarray) -> Any:
    """Line numbers as a nullable integer column, none missing (made as it is: pd.array would
    check each of millions of values for a missing one)."""
    return pd.arrays.IntegerArray(
        np.asarray(numbers, dtype="int64"), np.zeros(len(numbers), dtype=bool)
    )


def _refuse_overflow(
    work: _Collector, value: np.ndarray, value_text: Any, at: np.ndarray
) -> np.ndarray | None:
    """A number too large for any comparison (1e308 亿元) is refused, never compared as inf.

    Returns the rows to keep, or None when every row is kept.
    """
    infinite = ~np.isfinite(value)
    if not infinite.any():
        return None
    infinite &= np.asarray(pd.Series(value_text) != "", dtype=bool)
    if not infinite.any():
        return None
    positions = np.flatnonzero(infinite)[:_MAX_PROBLEMS_PER_CHECK]
    # The kept rows' positions in the collector's frame, so the problem names the cell.
    for i in at[positions]:
        work.report_at(
            int(i),
            "value",
            "type-error",
            lambda c: f"'{short(c)}' is too large to compare in the indicator's unit",
            "check the figure and its unit",
        )
    return np.flatnonzero(~infinite)


# --- accounting ------------------------------------------------------------------------------


def _account(
    raw: RawTable, n: int, bad: np.ndarray, blank: np.ndarray, no_figure: np.ndarray
) -> None:
    """Per-file counts for ``check -v``, and a notice for the rows that hold no figure."""
    used = int((~bad & ~blank).sum())
    raw.counts["rows"] = f"{n} read, {used} used"
    quiet_blank = blank & ~bad
    if quiet_blank.any():
        kinds = pd.Series(no_figure[quiet_blank]).value_counts()
        described = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        raw.counts["no figure"] = described
        raw.notices.append(
            Problem(
                "no-figure",
                f"{_plural(int(quiet_blank.sum()), 'value cell')}"
                f" {'holds' if int(quiet_blank.sum()) == 1 else 'hold'} no figure ({described})"
                " and so nothing to compare",
                raw.file,
            )
        )


def _flags(*parts: np.ndarray | None) -> np.ndarray:
    """Observation flags from every source, joined with commas ("p,①")."""
    joined: np.ndarray | None = None
    for part in parts:
        if part is None:
            continue
        joined = part if joined is None else _join_flags(joined, part)
    assert joined is not None
    return joined


def _join_flags(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    both = (a != "") & (b != "")
    return np.where(both, a + "," + b, np.where(a != "", a, b))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- helpers ---------------------------------------------------------------------------------


def _floats(text: pd.Series) -> np.ndarray:
    """Checked number text → float64 (NaN for ""), in Arrow when it can."""
    import pyarrow as pa

    try:
        array = pa.array(text)  # Arrow text as it is held: no copy
        if not pa.types.is_large_string(array.type):
            array = pa.array(text, pa.large_string())
        chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        cast = pa.chunked_array(
            [_empty_as_null(c).cast(pa.float64()) for c in chunks], pa.float64()
        )
        return np.asarray(cast.to_numpy(), dtype="float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
        return np.asarray(numbers.to_numpy(dtype="float64"), dtype="float64")


def _fullmatch(text: pd.Series, pattern: str) -> np.ndarray:
    """Which cells ``pattern`` matches whole: in Arrow when the column is held there (pandas
    adds a pass to turn its answer into a column)."""
    if not isinstance(text.dtype, pd.StringDtype) or text.dtype.storage != "pyarrow":
        return np.array(text.str.fullmatch(pattern), dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    matched = pc.match_substring_regex(pa.array(text), f"^(?:{pattern})$")
    return np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)


def _empty_as_null(chunk: Any) -> Any:
    """An Arrow text array with ``""`` made null (read as NaN): its own offsets and bytes under a
    validity bitmap of the filled cells, rather than a copy of every text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if chunk.offset != 0 or chunk.null_count != 0:
        return pc.if_else(pc.equal(chunk, ""), None, chunk)
    filled = pc.not_equal(pc.binary_length(chunk), 0)
    return pa.Array.from_buffers(
        chunk.type, len(chunk), [filled.buffers()[1], *chunk.buffers()[1:]]
    )


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, ``""`` for missing cells."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return _coded_text(column)
    if not isinstance(column.dtype, pd.StringDtype):  # Arrow-backed text stays in Arrow
        column = column.astype(object).where(column.notna(), "").astype("str")
    # Stripping in Arrow (the same characters as Python's str.strip, every code point checked)
    # costs less than looking first for a padded cell in Python: 0.2 s against 0.9 s at 3·10^6
    # rows; looking at each cell's first and last byte in numpy costs less again.
    return _stripped(_one_chunk(column.fillna("")))


# Bytes that are no part of any whitespace character (printable ASCII but the space): a cell
# that starts and ends with one is not padded. Other cells are stripped to be sure.
_SOLID = np.zeros(256, dtype=bool)
_SOLID[0x21:0x7F] = True


def _stripped(column: pd.Series) -> pd.Series:
    """``column.str.strip()``, computed only for the cells that may be padded: a column of
    millions of figures is then not copied (a cell whose first and last bytes are printable
    ASCII other than the space has nothing to strip)."""
    import pyarrow as pa

    if not isinstance(column.dtype, pd.StringDtype) or column.dtype.storage != "pyarrow":
        return column.str.strip()
    array = pa.array(column.array)
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    padded: list[np.ndarray] = []
    for chunk in chunks:
        maybe = _maybe_padded(chunk)
        if maybe is None:  # nulls, or an unexpected layout: strip them all
            return column.str.strip()
        padded.append(maybe)
    at = np.flatnonzero(np.concatenate(padded)) if padded else np.zeros(0, dtype="int64")
    if len(at) == 0:
        return column
    if len(at) > len(column) // 4:
        return column.str.strip()
    written = column.take(at)
    trimmed = written.str.strip()
    changed = np.flatnonzero((trimmed != written).to_numpy(dtype=bool))
    if len(changed) == 0:
        return column
    return _replaced(column, at[changed], pa.array(trimmed.take(changed).array))


def _maybe_padded(chunk: Any) -> np.ndarray | None:
    """Which cells of an Arrow text array may start or end with whitespace (None: not known)."""
    held = _text_buffers(chunk)
    if held is None:
        return None
    starts, ends, data = held
    if len(data) == 0:
        return np.zeros(len(chunk), dtype=bool)
    first = np.take(data, starts, mode="clip")  # an empty cell's byte is not looked at
    last = np.take(data, ends - 1, mode="clip")
    return ~(_SOLID[first] & _SOLID[last]) & (ends > starts)


def _text_buffers(chunk: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """An Arrow text array's cells as (start, end) byte positions into its bytes, without a
    copy; None when it holds missing cells or is no text."""
    import pyarrow as pa

    large = pa.types.is_large_string(chunk.type)
    if chunk.null_count or not (large or pa.types.is_string(chunk.type)):
        return None
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype="int64" if large else "int32")
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    if data_buffer is None:
        data = np.zeros(0, dtype=np.uint8)
    else:
        data = np.frombuffer(data_buffer, dtype=np.uint8)
    return offsets[:-1], offsets[1:], data


# The bytes a plain number's text (:data:`_NUMBER`) is made of.
_NUMBER_BYTES = np.zeros(256, dtype=bool)
_NUMBER_BYTES[[ord(c) for c in "0123456789.+-"]] = True


def _only_number_bytes(data: np.ndarray) -> bool:
    """Whether every byte of ``data`` is one of :data:`_NUMBER_BYTES`: they lie in ``+`` …
    ``9`` but for ``,`` and ``/``. Two reductions and two comparisons run over tens of
    megabytes several times faster than a table look-up of each byte; in pieces, so that the
    comparisons' answers are a few megabytes at a time, not three arrays as long as the data."""
    piece = 1 << 22
    for start in range(0, len(data), piece):
        part = data[start : start + piece]
        if int(part.min()) < ord("+") or int(part.max()) > ord("9"):
            return False
        if ((part == ord(",")) | (part == ord("/"))).any():
            return False
    return True


def _plain_numbers(
    text: pd.Series, numeric: np.ndarray, worker: _Worker | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """(which cells fully match :data:`_NUMBER`, exactly so in the ``numeric`` rows; their
    numbers as float64, NaN elsewhere, or None when not read here).

    When the numeric rows' texts hold no byte but digits, points and signs, and Arrow reads
    every filled one as a number, each is a plain number: Arrow's number syntax without
    exponents, infinities and NaN is exactly :data:`_NUMBER`. That costs one read of the
    numbers (needed anyway) instead of a regular expression per cell; anything else takes
    the expression. With a ``worker``, it reads the first half of the numbers while this
    thread reads the second half and looks at the bytes.
    """
    import pyarrow as pa

    def fallback() -> tuple[np.ndarray, None]:
        return _fullmatch(text, _NUMBER), None

    if not isinstance(text.dtype, pd.StringDtype) or text.dtype.storage != "pyarrow":
        return fallback()
    array = pa.array(text.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    held = _text_buffers(array)
    if held is None:
        return fallback()
    numbers = array.filter(pa.array(numeric, pa.bool_()))
    held = _text_buffers(numbers)
    if held is None:
        return fallback()
    starts, ends, data = held
    masked = _empty_as_null(numbers)
    half = len(masked) // 2
    first = (worker or _Worker(False)).submit(_float_numbers, masked.slice(0, half))
    second = _float_numbers(masked.slice(half))
    only_numbers = not len(starts) or _only_number_bytes(data[int(starts[0]) : int(ends[-1])])
    first_half = first.result()
    if not only_numbers or first_half is None or second is None:
        return fallback()
    plain = np.zeros(len(text), dtype=bool)
    plain[numeric] = ends > starts
    values = np.full(len(text), np.nan)
    values[numeric] = np.concatenate([first_half, second])
    return plain, values


def _float_numbers(numbers: Any) -> np.ndarray | None:
    """Arrow number texts (missing: no figure) as float64, NaN where missing; None when Arrow
    does not read one of them as a number."""
    import pyarrow as pa

    try:
        return np.asarray(numbers.cast(pa.float64()).to_numpy(zero_copy_only=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None


def _one_chunk(column: pd.Series) -> pd.Series:
    """Arrow text in one piece: a parser's blocks made one array once, as taking rows from a
    column in pieces joins them anew each time (0.07 s per take at 3·10^6 rows)."""
    if not isinstance(column.dtype, pd.StringDtype) or column.dtype.storage != "pyarrow":
        return column
    import pyarrow as pa

    array = pa.array(column.array)
    if not isinstance(array, pa.ChunkedArray) or array.num_chunks <= 1:
        return column
    return pd.Series(pd.array(array.combine_chunks(), dtype="str"), index=column.index)


def _coded_text(column: pd.Series) -> pd.Series:
    """A dictionary-encoded column stripped: each distinct text once, by the same steps as a
    plain column, then the codes renumbered so that texts equal once stripped share one code.

    A text no row uses (the header's own cell, parsed with the data) may stay among the
    distinct texts: every stage reads them per row, by code.
    """
    codes = column.array.codes  # as held (int8 … int32): no copy
    categories = column.cat.categories.to_numpy(dtype=object)
    missing = bool(len(codes)) and int(codes.min()) < 0
    stripped = _text(pd.Series(categories, dtype="str"))
    new_codes, distinct = pd.factorize(stripped)
    texts = [str(t) for t in distinct]
    if not missing and texts == [str(t) for t in categories]:
        return column  # none padded, none missing: the column as it is
    if missing and "" not in texts:  # a missing cell reads as "", as in a plain column
        texts.append("")
    # Codes as small as pandas keeps them (it would copy them into that size otherwise).
    size = np.int8 if len(texts) < 127 else np.int16 if len(texts) < 32767 else np.int32
    renumber = np.append(new_codes, texts.index("") if missing else -1).astype(size)
    dtype = pd.CategoricalDtype(pd.Index(texts, dtype="str"))
    return pd.Series(  # code -1 (a missing cell) takes the last slot
        pd.Categorical.from_codes(np.take(renumber, codes), dtype=dtype, validate=False),
        index=column.index,
    )


def _distinct(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(each row's code, each distinct text): a dictionary-encoded column's own codes (read
    only, as small an integer as they are held in), else the column factorized. Code -1: a
    missing cell."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        texts = column.cat.categories.to_numpy(dtype=object).tolist()
        return np.asarray(column.array.codes), texts  # as held (int8 … int32): no copy
    codes, distinct = pd.factorize(column)
    return np.asarray(codes), [str(t) for t in distinct]


def _as_text(column: Any) -> Any:
    """A dictionary-encoded column as the Arrow text column it stands for; others as they are."""
    if not isinstance(column, pd.Categorical):
        return column
    import pyarrow as pa

    texts = pa.array(column.categories.to_numpy(dtype=object), pa.large_string())
    return pd.array(texts.take(np.asarray(column.codes)), dtype="str")


def _column(column: Any) -> Any:
    """A Series' values as they are held: an Arrow text array stays one, numbers stay numpy."""
    if isinstance(column, pd.Series):
        if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
            return column.array
        return column.to_numpy()
    return column


def _take(column: Any, at: np.ndarray) -> Any:
    """The rows at ``at``; the column itself when that is every row (a million-row copy saved)."""
    if len(at) == len(column) and (len(at) == 0 or (at[0] == 0 and at[-1] == len(at) - 1)):
        return column  # ``at`` is increasing and distinct: every row, in order
    return column[at]


def _kept_columns(out: pd.DataFrame, at: np.ndarray, dates: bool) -> dict[str, Any]:
    """The collector's columns that go to the result as they are, at the kept rows (the date
    column too when ``dates``: no row has a date to read)."""
    names = (
        ("date", "source", "note", "flag", "row") if dates else ("source", "note", "flag", "row")
    )
    return {name: _as_text(_take(_column(out[name]), at)) for name in names}


def _blank_where(text: Any, blank: np.ndarray) -> Any:
    """``text`` with ``""`` in the rows of ``blank`` (milestones carry no number or unit)."""
    if not blank.any():
        return text
    if isinstance(text, pd.arrays.ArrowStringArray):  # in Arrow: no Python string per cell
        import pyarrow as pa
        import pyarrow.compute as pc

        array = pa.array(text)
        if not pa.types.is_large_string(array.type):
            array = array.cast(pa.large_string())
        blanked = pc.if_else(pa.array(blank), pa.scalar("", pa.large_string()), array)
        return pd.array(blanked, dtype="str")
    return _column(pd.Series(text).where(~blank, ""))


def _empty_text(n: int) -> pd.api.extensions.ExtensionArray:
    """``n`` empty strings in Arrow (offsets only), for a column the file does not have."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.zeros(n + 1, dtype="int64"))
    return pd.array(pa.LargeStringArray.from_buffers(n, offsets, pa.py_buffer(b"")), dtype="str")


def _by_number(numbers: np.ndarray, values: list[Any], default: Any = False) -> np.ndarray:
    """``values[number]`` for each row's catalogue number (``default`` for -1)."""
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = default
    return table[numbers]


def _read_distinct(values: pd.Series, read: Callable[[str], Any]) -> tuple[np.ndarray, list[Any]]:
    """(each row's code, ``read`` of each distinct value): a million rows, a few reads."""
    codes, distinct = pd.factorize(values)
    return np.asarray(codes), [read(v) for v in distinct]


def _spread(read: list[Any], attribute: str | None, codes: np.ndarray) -> np.ndarray:
    """One attribute of each distinct value's reading, spread back to the rows (None: missing)."""
    table = np.empty(len(read) + 1, dtype=object)
    table[:-1] = [r if attribute is None else getattr(r, attribute) for r in read]
    table[-1] = None  # code -1: a missing cell
    return table[codes]


def _map_distinct(
    values: pd.Series, mapping: Mapping[str, Any] | Callable[[str], Any]
) -> pd.Series:
    """``values`` mapped through ``mapping`` (None where it has no entry), once per distinct value.

    Series.map on millions of Arrow strings makes a Python string of every cell; factorizing
    first touches each distinct spelling once.
    """
    codes, distinct = pd.factorize(values)
    get = mapping.get if isinstance(mapping, Mapping) else mapping
    mapped = np.empty(len(distinct) + 1, dtype=object)
    mapped[:-1] = [get(v) for v in distinct]
    mapped[-1] = None  # code -1: a missing cell
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _drop_duplicates(
    table: pd.DataFrame, catalogue: Catalogue
) -> tuple[pd.DataFrame, list[Problem]]:
    """Identical repeats are dropped; different values for one key are an error naming both rows.

    Repeats are compared by their written form first (vectorised: a million identical rows cost
    one groupby); keys written in more than one way are compared exactly, after conversion, so
    835 亿元 and 8,350,000 万元 are the same figure.
    """
    if table.empty:
        return table, []
    firsts, dup = _first_and_repeated(table["key"].to_numpy())
    if not dup.any():
        return table, []
    repeated = table.loc[dup]
    written = repeated["value_text"].astype(str).fillna("")
    for column in ("unit", "done", "date"):
        # astype(str) keeps a missing cell missing: fill it, or one NA would hide the difference
        written = written + "\x1f" + repeated[column].astype(str).fillna("")
    spellings = written.groupby(repeated["key"].to_numpy()).nunique()
    varied = spellings[spellings > 1].index
    problems: list[Problem] = []
    if len(varied):
        candidates = repeated.loc[repeated["key"].isin(varied)]
        candidates = candidates.assign(_written=written.loc[candidates.index])
        for _, group in candidates.groupby("key", sort=False):
            forms = group.drop_duplicates("_written")
            first = forms.iloc[0]
            for _, other in forms.iloc[1:].iterrows():
                if _same_figure(first, other, catalogue):
                    continue
                problems.append(_conflict(first, other))
                if len(problems) >= _MAX_PROBLEMS_PER_CHECK:
                    break
    del repeated, written
    return _rows_of(table, np.flatnonzero(firsts)), problems


def _first_and_repeated(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the first row of each key, the rows whose key occurs more than once)."""
    slots = _dense_slots(key)
    if slots is not None:  # counted in an array: no hash table over millions of keys
        size = int(slots.max()) + 1
        counts = np.bincount(slots, minlength=size)
        if counts.max() <= 1:  # a clean table: every row the first and only of its key
            return np.ones(len(key), dtype=bool), np.zeros(len(key), dtype=bool)
        repeated = counts[slots] > 1
        first_row = np.full(size, len(key), dtype="int64")
        np.minimum.at(first_row, slots, np.arange(len(key), dtype="int64"))
        return first_row[slots] == np.arange(len(key)), repeated
    codes, distinct = pd.factorize(key)
    repeated = np.bincount(codes, minlength=len(distinct))[codes] > 1
    # Codes are numbered in order of first appearance: a row is a key's first when its code
    # exceeds every code before it.
    seen = np.maximum.accumulate(codes)
    first = np.ones(len(codes), dtype=bool)
    first[1:] = codes[1:] > seen[:-1]
    return first, repeated


def _dense_slots(key: np.ndarray) -> np.ndarray | None:
    """Each key as a slot in a range not much longer than the table, or None when the keys
    spread wider. A key is pair * YEARS + year; a national table's years span a decade."""
    if len(key) == 0:
        return None
    pair, year = np.divmod(key, keys.YEARS)
    pair_span = int(pair.max() - pair.min()) + 1
    year_span = int(year.max() - year.min()) + 1
    if pair_span * year_span > 4 * len(key) + 1_000_000:
        return None
    return np.asarray((pair - pair.min()) * year_span + (year - year.min()), dtype="int64")


def _rows_of(table: pd.DataFrame, at: np.ndarray) -> pd.DataFrame:
    """``table``'s rows at ``at``, column by column, each old column let go once copied (a
    whole-frame take would hold two national tables at once)."""
    columns: dict[str, Any] = {}
    for name in list(table.columns):
        columns[name] = _column(table.pop(name))[at]
    return _frame(columns)


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A frame of these columns, each as it is: not copied into blocks, and object columns
    not turned into Arrow text (pandas would infer ``str`` for ids and dates)."""
    return pd.DataFrame(
        {
            name: pd.Series(column, dtype=object, copy=False)
            if isinstance(column, np.ndarray) and column.dtype == object
            else column
            for name, column in columns.items()
        },
        copy=False,
    )


def _same_figure(a: pd.Series, b: pd.Series, catalogue: Catalogue) -> bool:
    if a["value_text"] == "" or b["value_text"] == "":
        return bool(
            a["value_text"] == b["value_text"] and a["done"] == b["done"] and a["date"] == b["date"]
        )
    return _exact(a, catalogue) == _exact(b, catalogue)


def _exact(row: pd.Series, catalogue: Catalogue) -> Fraction:
    """The row's figure in its indicator's unit, exactly (decimal text × exact unit factor)."""
    from decimal import Decimal

    canonical = catalogue.indicators[row["indicator"]].unit or ""
    return Fraction(Decimal(row["value_text"])) * units.conversion_factor(row["unit"], canonical)


def _conflict(first: pd.Series, other: pd.Series) -> Problem:
    return Problem(
        "conflicting-actuals",
        f"two different values for {first['indicator']} / {first['region']} / {first['year']}: "
        f"'{_shown(first)}' at {first['file']} row {first['row']} and '{_shown(other)}' at"
        f" {other['file']} row {other['row']}",
        str(other["file"]),
        row=int(other["row"]),
        line=None if pd.isna(other["line"]) else int(other["line"]),
        cell=other["cell"] if isinstance(other["cell"], str) else None,
        field="value",
        value=_shown(other),
        hint="keep one row per indicator, region and year",
    )


def _shown(row: pd.Series) -> str:
    if row["value_text"]:
        return f"{row['value_text']} {row['unit']}".strip()
    return ("done" if row["done"] else "not done") + (f" {row['date']}" if row["date"] else "")
