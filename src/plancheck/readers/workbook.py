"""What every workbook reader (.xlsx, .xls) shares: which sheet to read, and its cells as a grid.

A sheet arrives as sparse cells (only the cells that hold something) plus its merged ranges; it
leaves as a :class:`~plancheck.readers.base.Grid`, a dense rectangle from the first to the last
filled row and column. The rectangle is bounded (:data:`CELL_LIMIT`) before it is allocated: one
stray cell at XFD1048576 would otherwise ask for 17 billion cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from ..problems import InputError, Problem, did_you_mean, short
from .base import Grid
from .vocabulary import header_hits

# A dense grid of 5 million cells is ~40 MB of references plus the texts: about 80 times the
# largest real submission (a national file of 60,000 rows x 6 columns), and still fast to read.
CELL_LIMIT = 5_000_000
HEADER_SEARCH_ROWS = 30
EXCEL_TEXT_LIMIT = 32_767  # characters in one cell, in Excel and in the file formats' specs


def described(text: str) -> str:
    """Cell text in a message: quoted, shortened, with its length when it was shortened."""
    shown = f"'{short(text)}'"
    return shown if len(text) <= 60 else f"{shown} ({len(text):,} characters)"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quoted_sheet(name: str) -> str:
    """A sheet name as it stands before ``!`` in a reference: quoted unless plain."""
    return name if name.replace("_", "").isalnum() else "'" + name.replace("'", "''") + "'"


def cell_name(sheet: str, row: int, col: int) -> str:
    """0-based (row, column) of ``sheet`` → ``Sheet1!D7``."""
    return f"{quoted_sheet(sheet)}!{column_letter(col)}{row + 1}"


@dataclass
class SheetCells:
    """One sheet as read: its filled cells and merged ranges, all 0-based."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    problems: list[Problem] = field(default_factory=list)
    extent: Extent | None = None
    # Rows and column ranges (0-based, inclusive) hidden in Excel: read like the others, and
    # reported when they hold cells, since the clerk may have hidden figures rather than delete.
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)

    def add(self, row: int, col: int, text: str, display: str) -> None:
        """Keep a filled cell; refuse at once when it stretches the sheet past the limit."""
        if len(text) > EXCEL_TEXT_LIMIT:  # only a generated file holds more, and it is no figure
            self.problems.append(
                Problem(
                    "cell-too-long",
                    f"the cell holds {described(text)}, more characters than Excel allows in a"
                    f" cell ({EXCEL_TEXT_LIMIT:,})",
                    display,
                    cell=cell_name(self.name, row, col),
                    value=short(text),
                    hint="put one figure or name in each cell",
                )
            )
            return
        extent = self.extent
        if extent is None:
            self.extent = Extent(row, col, row, col)
        elif not (extent.top <= row <= extent.bottom and extent.left <= col <= extent.right):
            extent.include(row, col, self.name, display)
        before = self.cells.setdefault((row, col), text)
        if before is not text:  # Excel never writes a cell twice; which one would it show?
            self.problems.append(
                Problem(
                    "malformed-file",
                    f"the cell is written twice in the file, as {described(before)} and as"
                    f" {described(text)}",
                    display,
                    cell=cell_name(self.name, row, col),
                    value=short(text),
                    hint="open it in Excel and save it again as .xlsx (Excel Workbook)",
                )
            )

    def head(self, rows: int = HEADER_SEARCH_ROWS) -> list[list[str]]:
        """The first ``rows`` rows from the first filled one, as lists of text (header search)."""
        if self.extent is None:
            return []
        top, left = self.extent.top, self.extent.left
        out = [[""] * (self.extent.right - left + 1) for _ in range(rows)]
        for (r, c), text in self.cells.items():
            if r - top < rows:
                out[r - top][c - left] = text
        return out


@dataclass
class Extent:
    """The rectangle spanned by the filled cells (0-based, inclusive)."""

    top: int
    left: int
    bottom: int
    right: int

    def include(self, row: int, col: int, sheet: str, display: str) -> None:
        if self.top <= row <= self.bottom and self.left <= col <= self.right:
            return
        top, left = min(self.top, row), min(self.left, col)
        bottom, right = max(self.bottom, row), max(self.right, col)
        rows, cols = bottom - top + 1, right - left + 1
        if rows * cols > CELL_LIMIT:
            far = cell_name(sheet, row, col)
            raise InputError(
                [
                    Problem(
                        "sheet-too-large",
                        f"a cell at {far.rpartition('!')[2]} makes the sheet {rows:,} rows x"
                        f" {cols:,} columns, over the {CELL_LIMIT:,}-cell limit",
                        display,
                        cell=far,
                        hint="delete that cell (or clear the rows and columns past the table)"
                        " and save the file again",
                    )
                ]
            )
        self.top, self.left, self.bottom, self.right = top, left, bottom, right


@dataclass
class SheetEntry:
    name: str
    state: str  # "visible", "hidden" or "veryHidden"


def choose_sheet(
    sheets: list[SheetEntry],
    wanted: str | None,
    display: str,
    head_of: Callable[[str], list[list[str]]],
) -> tuple[str, list[Problem]]:
    """The sheet to read, and notices naming every sheet that is not read.

    ``--sheet`` names one (a hidden one too: asked for by name, it is read, with a notice).
    Otherwise only visible sheets are candidates: the one whose first rows hold a header is
    read; with none, the first visible sheet (the layout step then says what is missing); with
    several, the reader refuses rather than guess.
    """
    if wanted is not None:
        return _named_sheet(sheets, wanted, display)
    visible = _visible_sheets(sheets, display)
    with_header = _sheets_with_header(visible, display, head_of)
    chosen = with_header[0] if with_header else visible[0]
    why = "" if with_header else " (the first visible one: no sheet has a header row)"
    return chosen, _ignored(sheets, chosen, display, why)


def _named_sheet(sheets: list[SheetEntry], wanted: str, display: str) -> tuple[str, list[Problem]]:
    """The sheet --sheet names, with a notice when it is hidden; InputError when there is none."""
    names = [s.name for s in sheets]
    if wanted not in names:
        raise InputError(
            [
                Problem(
                    "unknown-sheet",
                    f"the workbook has no sheet '{short(wanted)}'"
                    f" (sheets: {', '.join(short(n) for n in names)})",
                    display,
                    value=wanted,
                    hint=did_you_mean(wanted, names) or "name one of its sheets with --sheet",
                )
            ]
        )
    notices: list[Problem] = []
    state = next(s.state for s in sheets if s.name == wanted)
    if state != "visible":
        notices.append(
            Problem(
                "hidden-sheet-read",
                f"sheet '{short(wanted)}' is {state} in Excel; it is read because --sheet names it",
                display,
                value=wanted,
            )
        )
    return wanted, notices + _ignored(sheets, wanted, display, "")


def _visible_sheets(sheets: list[SheetEntry], display: str) -> list[str]:
    """The names of the visible sheets; InputError when every sheet is hidden."""
    visible = [s.name for s in sheets if s.state == "visible"]
    if not visible:
        hidden = ", ".join(short(s.name) for s in sheets) or "none"
        raise InputError(
            [
                Problem(
                    "no-visible-sheet",
                    f"the workbook has no visible sheet (hidden sheets: {hidden})",
                    display,
                    hint="unhide the sheet with the table in Excel, or name it with --sheet",
                )
            ]
        )
    return visible


def _sheets_with_header(
    visible: list[str], display: str, head_of: Callable[[str], list[list[str]]]
) -> list[str]:
    """The visible sheets whose first rows hold a header (none or one); InputError for more."""
    with_header = (
        [n for n in visible if any(header_hits(row) >= 2 for row in head_of(n))]
        if len(visible) > 1
        else visible  # the only visible sheet is read either way: no need to look into it
    )
    if len(with_header) > 1:
        raise InputError(
            [
                Problem(
                    "ambiguous-sheet",
                    f"{len(with_header)} sheets hold a table: "
                    + ", ".join(f"'{short(n)}'" for n in with_header),
                    display,
                    hint=f"choose one with --sheet, e.g. --sheet {short(with_header[0], 100)}",
                )
            ]
        )
    return with_header


def _ignored(sheets: Iterable[SheetEntry], chosen: str, display: str, why: str) -> list[Problem]:
    notices: list[Problem] = []
    for sheet in sheets:
        if sheet.name == chosen:
            continue
        reason = (
            "it has no header row naming indicator, region, …"
            if sheet.state == "visible"
            else f"it is {sheet.state}"
        )
        notices.append(
            Problem(
                "ignored-sheet",
                f"sheet '{short(sheet.name)}' was not read: {reason}; sheet '{short(chosen)}'"
                f" was read{why}",
                display,
                value=sheet.name,
                hint=f"read it with --sheet {short(sheet.name, 100)}",
            )
        )
    return notices


def build_grid(sheet: SheetCells, display: str, notices: list[Problem]) -> Grid:
    """The filled cells as a dense grid, merged ranges filled from their top-left cell."""
    merges = _merges_to_fill(sheet, display)
    if sheet.problems:
        raise InputError(sheet.problems)
    extent = sheet.extent
    if extent is None:
        raise InputError(
            [
                Problem(
                    "empty-file",
                    f"sheet '{short(sheet.name)}' is empty",
                    display,
                    hint="put one header row (indicator, region, year, value, unit) above the data",
                )
            ]
        )
    top, left = extent.top, extent.left
    cells = np.full((extent.bottom - top + 1, extent.right - left + 1), "", dtype=object)
    for (r, c), text in sheet.cells.items():
        cells[r - top, c - left] = text
    for r0, c0, r1, c1, text in merges:
        cells[r0 - top : r1 - top + 1, c0 - left : c1 - left + 1] = text
    name = sheet.name

    def ref(row: int, col: int) -> str:
        return cell_name(name, row + top, col + left)

    hidden = _hidden_cells_notice(sheet, display)
    return Grid(cells, ref=ref, notices=notices + hidden, details={"sheet": name})


def _hidden_cells_notice(sheet: SheetCells, display: str) -> list[Problem]:
    """A notice when hidden rows or columns hold cells: they are read like any other."""
    if not sheet.hidden_rows and not sheet.hidden_columns:
        return []
    rows, columns = _hidden_with_cells(sheet)
    if not rows and not columns:
        return []
    parts = []
    if rows:
        numbers = sorted(rows)
        parts.append(_listed("row", len(numbers), [str(r + 1) for r in numbers[:10]]))
    if columns:
        letters = sorted(columns)
        parts.append(_listed("column", len(letters), [column_letter(c) for c in letters[:10]]))
    first_row = min(rows) if rows else min(r for r, c in sheet.cells if c in columns)
    first_col = min(c for r, c in sheet.cells if r == first_row)
    return [
        Problem(
            "hidden-cells-read",
            f"sheet '{short(sheet.name)}' has {' and '.join(parts)} holding cells; they are read"
            " as data like the others",
            display,
            cell=cell_name(sheet.name, first_row, first_col),
            hint="delete rows and columns that are not data instead of hiding them",
        )
    ]


def _hidden_with_cells(sheet: SheetCells) -> tuple[set[int], set[int]]:
    """The hidden rows and the hidden columns that hold at least one cell."""
    rows: set[int] = set()
    columns: set[int] = set()
    for r, c in sheet.cells:
        if r in sheet.hidden_rows:
            rows.add(r)
        if any(first <= c <= last for first, last in sheet.hidden_columns):
            columns.add(c)
    return rows, columns


def _listed(what: str, count: int, first: list[str]) -> str:
    """'3 hidden rows (4, 5, 9)': the count and the first ten labels."""
    return (
        f"{count} hidden {what}{'s' if count > 1 else ''} ("
        + ", ".join(first)
        + (", …" if count > 10 else "")
        + ")"
    )


def _merges_to_fill(sheet: SheetCells, display: str) -> list[tuple[int, int, int, int, str]]:
    """Merged ranges whose top-left cell holds text, the grid stretched to cover them.

    Excel shows a merged range as one cell holding the top-left value, so every cell of it
    (down and across) gets that text: a region merged down over five rows names all five. A
    covered cell that still holds a value of its own is invisible in Excel: refused.
    """
    fills: list[tuple[int, int, int, int, str]] = []
    area = 0
    for r0, c0, r1, c1 in sheet.merges:
        text = sheet.cells.get((r0, c0), "")
        if not text:
            continue
        area += (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > CELL_LIMIT:  # overlapping ranges would repeat the work
            raise InputError(
                [
                    Problem(
                        "sheet-too-large",
                        f"the merged ranges of sheet '{short(sheet.name)}' cover over"
                        f" {CELL_LIMIT:,} cells",
                        display,
                        cell=cell_name(sheet.name, r0, c0),
                        hint="unmerge the cells past the table and save the file again",
                    )
                ]
            )
        assert sheet.extent is not None  # the top-left cell is filled
        sheet.extent.include(r1, c1, sheet.name, display)
        for r in range(r0, r1 + 1):  # bounded by the area check above
            for c in range(c0, c1 + 1):
                other = sheet.cells.get((r, c), "")
                if other and other != text:
                    sheet.problems.append(
                        _covered(sheet.name, r, c, r0, c0, r1, c1, other, display)
                    )
        fills.append((r0, c0, r1, c1, text))
    return fills


def _covered(
    sheet: str, r: int, c: int, r0: int, c0: int, r1: int, c1: int, text: str, display: str
) -> Problem:
    span = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
    return Problem(
        "merged-cell-conflict",
        f"the cell is inside the merged range {span} but holds its own value,"
        f" {described(text)}, which Excel does not show",
        display,
        cell=cell_name(sheet, r, c),
        value=short(text),
        hint=f"unmerge {span} or clear the cell",
    )
