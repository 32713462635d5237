"""A grid of text cells → a table: where its header is, and what lies around it.

Yearbook and bulletin tables are not bare tables. Above the header there may be a title, a
``单位：万元`` line (the unit of every figure below) and a ``地区：广州市`` line; the header may
take two or three rows (a merged ``年份`` over ``2013年 2014年``, Chinese over English); below the
data there are footnotes (``注：…``, ``资料来源：…``). This module finds each part and says what it
did with it: every row and column that is not data is named in a notice, so nothing is dropped
silently. Shared by the CSV and spreadsheet readers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..problems import Problem, short
from .base import Grid, RawTable
from .vocabulary import header_hits, parse_header

HEADER_SEARCH_ROWS = 30
MAX_HEADER_ROWS = 3
_YEAR_GROUP_LABELS = {"年份", "年度", "年", "year", "years"}
_UNIT_LINE = re.compile(r"(?:计量单位|計量單位|单位|單位|unit)\s*[:：]\s*(?P<unit>\S.*)", re.I)
_REGION_LINE = re.compile(r"(?:地区|地區|region)\s*[:：]\s*(?P<region>\S.*)", re.I)
_BASIS_LINE = re.compile(r"(?:本表|按当年价|按當年價|按可比价|按可比價|以上年为|以.{1,6}为100)")
FOOTNOTE = re.compile(
    r"\s*(?:注|註|附注|附註|说明|說明|资料来源|資料來源|数据来源|數據來源|来源|來源"
    r"|notes?|sources?)\s*(?:[:：\d①-⑳]|$)"
    r"|\s*[①-⑳*＊†‡]",
    re.I,
)


@dataclass
class Header:
    """Where the header is and what the rows above it say."""

    start: int  # grid row of the first header row
    depth: int  # header rows (1–3)
    names: list[str]  # one name per grid column, the header rows combined
    title_rows: list[int] = field(default_factory=list)
    unit: str = ""
    region: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def find_header(rows: list[list[str]]) -> tuple[int, int] | None:
    """(first header row, number of header rows) among the first rows, or None.

    The header is the first row naming two known columns or year columns. A row right under it
    continues it when each of its filled cells names the same column as the cell above (an
    English line under the Chinese one) or fills a blank or ``年份`` cell above with a year.
    """
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if header_hits(row) >= 2:
            combined = list(row)
            depth = 1
            while depth < MAX_HEADER_ROWS and i + depth < len(rows):
                below = rows[i + depth]
                merged = _continue_header(combined, below)
                if merged is None:
                    break
                combined = merged
                depth += 1
            return i, depth
    return None


def _continue_header(above: list[str], below: list[str]) -> list[str] | None:
    """``above`` completed by ``below`` when ``below`` is a further header row, else None."""
    combined = list(above)
    new_information = False
    filled = False
    for j, cell in enumerate(below):
        if not cell.strip():
            continue
        filled = True
        upper = above[j] if j < len(above) else ""
        lower_cell, upper_cell = parse_header(cell), parse_header(upper)
        if lower_cell.canonical is not None:
            if upper.strip() and upper_cell.canonical != lower_cell.canonical:
                return None
            if not upper.strip():
                combined[j] = cell
            new_information = True  # a column name (a translation, or a name under a blank)
        elif lower_cell.year is not None:
            if upper_cell.year is not None:
                if upper_cell.year != lower_cell.year:
                    return None
            elif upper.strip() and upper.strip().casefold() not in _YEAR_GROUP_LABELS:
                return None
            else:
                combined[j] = cell  # a year under a merged 年份 (or blank) cell
                new_information = True
        else:
            return None
    return combined if filled and new_information else None


def read_header(rows: list[list[str]], file: str, ref: Grid) -> Header | None:
    """The header of ``rows`` (the grid's first rows) and the facts stated above it."""
    found = find_header(rows)
    if found is None:
        return None
    start, depth = found
    names = list(rows[start])
    for k in range(1, depth):
        names = _continue_header(names, rows[start + k]) or names
    header = Header(start, depth, [n.strip() for n in names])
    for i in range(start):
        cells = [c.strip() for c in rows[i] if c.strip()]
        if not cells:
            continue
        header.title_rows.append(i)
        for cell in cells:
            unit = _UNIT_LINE.fullmatch(cell)
            region = _REGION_LINE.fullmatch(cell)
            if unit:
                header.unit = _stated_once(header, "unit", header.unit, unit["unit"], file, ref, i)
            elif region:
                header.region = _stated_once(
                    header, "region", header.region, region["region"], file, ref, i
                )
            elif _BASIS_LINE.search(cell):
                header.notes.append(cell)
    return header


def _stated_once(
    header: Header, what: str, before: str, now: str, file: str, grid: Grid, row: int
) -> str:
    now = now.strip()
    if before and before != now:
        header.problems.append(
            Problem(
                "conflicting-title",
                f"the lines above the header state two {what}s, '{short(before)}' and '{short(now)}'",
                file,
                line=grid.line(row) if grid.line else None,
                cell=grid.ref(row, 0) if grid.ref else None,
                value=now,
                hint=f"state the table's {what} once",
            )
        )
    return now


def table_from_grid(grid: Grid, file: str) -> RawTable:
    """A grid → a RawTable: the header found, title and footnote rows set aside and reported."""
    cells = grid.cells
    header = _header_of(grid, file)
    body_start = header.start + header.depth
    frame = pd.DataFrame(cells[body_start:], columns=header.names)
    notices = list(grid.notices)
    if header.title_rows:
        notices.append(_title_notice(grid, header, file))
    positions = _BodyPositions(grid, body_start, header.names)
    return RawTable(
        file,
        frame,
        header_rows=body_start,
        details=dict(grid.details),
        line_of=positions.line_of if grid.line is not None else None,
        cell_of=positions.cell_of if grid.ref is not None else None,
        has_lines=grid.line is not None,
        notices=notices,
        table_unit=header.unit,
        table_region=header.region,
        notes=header.notes,
    )


def _header_of(grid: Grid, file: str) -> Header:
    """The grid's header (known column names near the top), else its first non-empty row (the
    column checks then say what is missing); InputError for the problems of the lines above it."""
    from ..problems import InputError

    cells = grid.cells
    rows = [[str(c) for c in row] for row in cells[:HEADER_SEARCH_ROWS]]
    header = read_header(rows, file, grid)
    if header is None:
        first = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)
        header = Header(first, 1, [str(c).strip() for c in cells[first]] if len(cells) else [])
    if header.problems:
        raise InputError(header.problems)
    return header


def _title_notice(grid: Grid, header: Header, file: str) -> Problem:
    """The rows above the header, read as a title (and the unit or region they state)."""
    texts = [_row_text(grid.cells[i]) for i in header.title_rows]
    return Problem(
        "ignored-rows",
        f"{_plural(len(texts), 'row')} above the header read as a title: "
        + "; ".join(f"'{short(t)}'" for t in texts)
        + (f"; unit '{header.unit}' applied to figures that state none" if header.unit else "")
        + (f"; the table's region is stated as '{header.region}'" if header.region else ""),
        file,
        line=grid.line(header.title_rows[0]) if grid.line else None,
        cell=grid.ref(header.title_rows[0], 0) if grid.ref else None,
    )


class _BodyPositions:
    """Where a data row (1-based, below the header) and its cells are in the grid."""

    def __init__(self, grid: Grid, body_start: int, names: list[str]) -> None:
        self.grid, self.body_start = grid, body_start
        self.column_of: dict[str, int] = {}  # header name → its first column
        for j, name in enumerate(names):
            self.column_of.setdefault(name, j)

    def line_of(self, row: int) -> int | None:
        """1-based data row → physical line."""
        if self.grid.line is None:
            return None
        return self.grid.line(self.body_start + row - 1)

    def cell_of(self, row: int, column: str) -> str | None:
        if self.grid.ref is None or column not in self.column_of:
            return None
        return self.grid.ref(self.body_start + row - 1, self.column_of[column])


def set_aside_footnotes(raw: RawTable) -> RawTable:
    """``raw`` without its footnote rows, which are reported in a notice with their text."""
    mask = footnote_rows(raw.frame)
    if not mask.any():
        return raw
    rows = raw.source_rows if raw.source_rows is not None else np.arange(1, len(mask) + 1)
    texts = [_row_text(raw.frame.iloc[int(i)]) for i in np.flatnonzero(mask)]
    first = int(rows[mask][0])
    raw.notices.append(
        Problem(
            "ignored-rows",
            f"{_plural(len(texts), 'row')} read as footnotes, not data: "
            + "; ".join(f"'{short(t)}'" for t in texts[:5])
            + (f" and {len(texts) - 5} more" if len(texts) > 5 else ""),
            raw.file,
            row=first,
            line=raw.line_of(first) if raw.line_of is not None else None,
        )
    )
    raw.notes.extend(texts)
    raw.frame = raw.frame.loc[~mask].reset_index(drop=True)
    raw.source_rows = np.asarray(rows, dtype="int64")[~mask]
    return raw


def footnote_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows that hold only a footnote (``注：…`` in one cell, the rest empty): a boolean mask."""
    n = len(frame)
    if n == 0 or frame.shape[1] == 0:
        return np.zeros(n, dtype=bool)
    if frame.shape[1] > 1:
        # A footnote row fills one cell, so one of its first two cells is empty; a data row
        # fills both (indicator and region, or a name and a figure). In a clean table no row
        # is a candidate, and two comparisons settle it.
        candidates = ((frame.iloc[:, 0] == "") | (frame.iloc[:, 1] == "")).to_numpy(dtype=bool)
        if not candidates.any():
            return np.zeros(n, dtype=bool)
    filled = np.zeros((n, frame.shape[1]), dtype=bool)
    for j in range(frame.shape[1]):
        # Exact comparison keeps this cheap on millions of rows: a cell of spaces counts as
        # filled, so such a row is not set aside and is checked as data instead.
        filled[:, j] = (frame.iloc[:, j] != "").to_numpy(dtype=bool)
    single = filled.sum(axis=1) == 1
    if not single.any():
        return single
    first = filled.argmax(axis=1)
    mask = np.zeros(n, dtype=bool)
    for i in np.flatnonzero(single):
        text = str(frame.iat[int(i), int(first[i])])
        mask[i] = FOOTNOTE.match(text) is not None
    return mask


def _row_text(row: Any) -> str:
    """A row's text: filled cells joined, a title merged across columns said once."""
    parts: list[str] = []
    for cell in row:
        text = str(cell).strip()
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
