"""Legacy Excel workbooks (.xls, BIFF8) read by the same rules as .xlsx.

xlrd (2.x reads only .xls, and is kept for exactly that) with ``formatting_info=True`` gives each
cell's XF record, hence its number format, and classifies date cells itself; it also gives error
cells, merged ranges and sheet visibility. So a percent cell reads as ``51.6%`` here too, an
error cell is refused, and a hidden sheet is not read. (python-calamine also opens .xls but
hides number formats, so it would read 51.6 % as 0.516.) An .xls always stores each formula's
result, so there is no "formula without result" case.

Size: a BIFF8 sheet has at most 65,536 rows x 256 columns; xlrd holds the whole file in memory,
so the file size is bounded (:data:`XLS_LIMIT`) and rows are kept ragged (not padded).
"""

from __future__ import annotations

import io
from typing import Any

from ..problems import InputError, Problem, short
from .base import Grid, ReadOptions
from .number_format import FormatRefusal, decimal_text, number_text, stored_decimal
from .workbook import SheetCells, SheetEntry, build_grid, cell_name, choose_sheet

# A full BIFF8 sheet of numbers takes ~15 bytes a cell: 100 MiB is ~7 million cells, past the
# grid's cell limit, and xlrd needs a few times the file size in memory.
XLS_LIMIT = 100 * 1024 * 1024
_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}
_RESAVE = "open it in Excel and save it again as .xlsx (Excel Workbook)"


def read_xls_grid(raw: bytes, display: str, options: ReadOptions) -> Grid:
    """The sheet to read as a grid of text cells, with notices for the sheets not read."""
    if len(raw) > XLS_LIMIT:
        raise InputError(
            [
                Problem(
                    "file-too-large",
                    f"the workbook is {len(raw) / 2**20:,.0f} MiB, over the"
                    f" {XLS_LIMIT // 2**20} MiB limit for an .xls submission",
                    display,
                    hint="submit the table alone, as .xlsx or CSV",
                )
            ]
        )
    book = _open(raw, display)
    try:
        sheets = {sheet.name: sheet for sheet in book.sheets()}
        entries = [
            SheetEntry(name, _STATES.get(s.visibility, "hidden")) for name, s in sheets.items()
        ]
        read: dict[str, SheetCells | None] = {}

        def cells_of(name: str) -> SheetCells | None:
            if name not in read:
                try:
                    read[name] = _sheet_cells(book, sheets[name], display)
                except InputError:  # too large: refused below if it is the one chosen
                    read[name] = None
            return read[name]

        def head_of(name: str) -> list[list[str]]:
            found = cells_of(name)
            return found.head() if found is not None else []

        chosen, notices = choose_sheet(entries, options.sheet, display, head_of)
        sheet = cells_of(chosen)
        if sheet is None:  # read it again to raise its own problem
            sheet = _sheet_cells(book, sheets[chosen], display)
        return build_grid(sheet, display, notices)
    finally:
        book.release_resources()


def _open(raw: bytes, display: str) -> Any:
    import xlrd

    try:
        return xlrd.open_workbook(
            file_contents=raw,
            formatting_info=True,
            ragged_rows=True,
            logfile=io.StringIO(),  # xlrd writes warnings to stdout otherwise
        )
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as err:  # xlrd's XLRDError, and struct/index errors on broken records
        text = str(err) or type(err).__name__
        hint = _RESAVE
        if "encrypt" in text.lower() or "password" in text.lower():
            hint = "remove the workbook's password in Excel and save it again as .xlsx"
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot read the .xls workbook: {short(text, 200)}",
                    display,
                    hint=hint,
                )
            ]
        ) from None


def _sheet_cells(book: Any, sheet: Any, display: str) -> SheetCells:
    import xlrd

    cells = SheetCells(str(sheet.name))
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        values = sheet.row_values(r)
        for c, kind in enumerate(types):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            try:
                text = _cell_text(book, sheet, r, c, kind, values[c])
            except _Refusal as refusal:
                cells.problems.append(
                    Problem(
                        refusal.type,
                        refusal.message,
                        display,
                        cell=cell_name(cells.name, r, c),
                        value=refusal.value,
                        hint=refusal.hint,
                    )
                )
                continue
            if text:
                cells.add(r, c, text, display)
    cells.hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
    cells.hidden_columns = [(c, c) for c, info in sheet.colinfo_map.items() if info.hidden]
    for r0, r1, c0, c1 in sheet.merged_cells:  # xlrd's ends are exclusive
        if r1 > r0 and c1 > c0:
            cells.merges.append((r0, c0, r1 - 1, c1 - 1))
    return cells


class _Refusal(Exception):
    def __init__(self, type_: str, message: str, value: str | None, hint: str) -> None:
        super().__init__(message)
        self.type, self.message, self.value, self.hint = type_, message, value, hint


def _cell_text(book: Any, sheet: Any, r: int, c: int, kind: int, value: Any) -> str:
    import xlrd

    if kind == xlrd.XL_CELL_TEXT:
        return str(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "true" if value else "false"
    if kind == xlrd.XL_CELL_ERROR:
        error = xlrd.error_text_from_code.get(value, f"error {value}")
        raise _Refusal(
            "excel-error",
            f"the cell shows the Excel error {error}",
            error,
            "correct the formula or the cells it uses, or type the figure; an error is no figure",
        )
    if kind == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            raise _Refusal(
                "number-format",
                f"the cell is formatted as a date but holds {_shown(value)}, which is no"
                " calendar date",
                _shown(value),
                "type the date as YYYY-MM-DD, or format the cell as Number",
            ) from None
        if when.hour == when.minute == when.second == when.microsecond == 0:
            return when.date().isoformat()
        return when.isoformat(sep=" ")
    code = _format_code(book, sheet, r, c)
    try:
        return number_text(float(value), code)
    except FormatRefusal as refusal:
        raise _Refusal("number-format", refusal.message, _shown(value), refusal.hint) from None


def _shown(value: float) -> str:
    try:
        return decimal_text(stored_decimal(value))
    except FormatRefusal:
        return repr(value)


def _format_code(book: Any, sheet: Any, r: int, c: int) -> str:
    xf_index = sheet.cell_xf_index(r, c)
    try:
        return str(book.format_map[book.xf_list[xf_index].format_key].format_str)
    except (IndexError, KeyError):
        raise _Refusal(
            "number-format",
            "the cell's number format is not defined in the file",
            None,
            "format the cell as Number (Format Cells) and save the file again",
        ) from None
