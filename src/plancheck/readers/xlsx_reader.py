"""Excel workbooks (.xlsx, .xlsm) via python-calamine.

Why calamine and not openpyxl: it is a Rust reader that hands a whole sheet over in one call,
about ten times faster than openpyxl's read-only mode on a large sheet, it never evaluates or
writes anything, and a broken workbook is an exception (not a hang). It reads the value Excel
cached for a formula, as Excel shows it.

Cells arrive typed (float, str, bool, date); they are turned into text the way a clerk would have
typed them: whole numbers without ``.0``, dates as ``YYYY-MM-DD``. Rows above the header (a
yearbook's title) are skipped: the header is the first row that names two known columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..problems import InputError, Problem, short
from .base import RawTable, ReadOptions, read_bytes
from .vocabulary import header_hits

_HEADER_SEARCH_ROWS = 30


class XlsxReader:
    name = "xlsx"
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        import python_calamine as calamine

        raw = read_bytes(path, display)
        if not raw:
            raise InputError([Problem("empty-file", "the file is empty", display, hint=_HINT)])
        try:
            import io

            workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
            sheet_name = _choose_sheet(workbook, options.sheet, display)
            sheet = workbook.get_sheet_by_name(sheet_name)
            grid = sheet.to_python(skip_empty_area=True)
            start_row, start_col = sheet.start or (0, 0)
        except InputError:
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as err:  # calamine raises its own errors, and pyo3 panics on garbage
            raise InputError(
                [
                    Problem(
                        "malformed-file",
                        f"cannot read the workbook: {short(str(err) or type(err).__name__, 200)}",
                        display,
                        hint="open it in Excel and save it again as .xlsx (Excel Workbook)",
                    )
                ]
            ) from None
        if not grid or all(all(_blank(c) for c in row) for row in grid):
            raise InputError(
                [Problem("empty-file", f"sheet '{sheet_name}' is empty", display, hint=_HINT)]
            )
        width = max(len(row) for row in grid)
        cells = np.empty((len(grid), width), dtype=object)
        cells[:] = ""
        for i, row in enumerate(grid):  # one C-level slice copy per row
            cells[i, : len(row)] = row
        text = _as_text(cells)
        header_at = _header_row(text)
        if options.sheet is None and header_hits([str(c) for c in text[header_at]]) < 2:
            _refuse_sheet_without_header(workbook, sheet_name, display)
        columns = [c.strip() for c in text[header_at]]
        frame = pd.DataFrame(text[header_at + 1 :], columns=columns)
        first_index: dict[str, int] = {}
        for j, name in enumerate(columns):
            first_index.setdefault(name, j)
        return RawTable(
            display,
            frame,
            header_rows=header_at + 1,
            details={"sheet": sheet_name},
            cell_of=_cell_mapper(sheet_name, start_row + header_at + 1, start_col, first_index),
            has_lines=False,
        )


_HINT = "put one header row (indicator, region, year, value, unit) above the data"


def _choose_sheet(workbook: Any, wanted: str | None, display: str) -> str:
    names: list[str] = list(workbook.sheet_names)
    if wanted is not None:
        if wanted in names:
            return wanted
        from ..catalogue.loader import did_you_mean

        raise InputError(
            [
                Problem(
                    "unknown-sheet",
                    f"the workbook has no sheet '{wanted}' (sheets: {', '.join(names)})",
                    display,
                    value=wanted,
                    hint=did_you_mean(wanted, names) or "name one of its sheets with --sheet",
                )
            ]
        )
    for meta in workbook.sheets_metadata:
        if "WorkSheet" in str(meta.typ) and "Visible" in str(meta.visible):
            return str(meta.name)
    if not names:
        raise InputError([Problem("empty-file", "the workbook has no sheets", display, hint=_HINT)])
    return names[0]


def _refuse_sheet_without_header(workbook: Any, first: str, display: str) -> None:
    """The first sheet holds no table (a cover or notes sheet): name the sheets that do."""
    others: list[str] = []
    for name in workbook.sheet_names:
        if name == first:
            continue
        try:
            grid = workbook.get_sheet_by_name(name).to_python(nrows=_HEADER_SEARCH_ROWS)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:
            continue
        if any(header_hits([_cell_text(c) for c in row]) >= 2 for row in grid):
            others.append(name)
    if others:
        raise InputError(
            [
                Problem(
                    "missing-header",
                    f"the first sheet, '{first}', has no header row naming indicator, region, …;"
                    f" sheet '{others[0]}' has one",
                    display,
                    value=first,
                    hint=f"choose the sheet with --sheet {others[0]}",
                )
            ]
        )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _cell_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


_to_text = np.frompyfunc(_cell_text, 1, 1)


def _as_text(cells: np.ndarray) -> np.ndarray:
    return np.asarray(_to_text(cells), dtype=object) if cells.size else cells


def _header_row(text: np.ndarray) -> int:
    """The first row naming two known columns; else the first row with anything in it."""
    first_filled: int | None = None
    for i in range(min(len(text), _HEADER_SEARCH_ROWS)):
        row = [str(c) for c in text[i]]
        if first_filled is None and any(c.strip() for c in row):
            first_filled = i
        if header_hits(row) >= 2:
            return i
    return first_filled or 0


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_mapper(
    sheet: str, header_row: int, start_col: int, index: dict[str, int]
) -> Callable[[int, str], str | None]:
    quoted = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"

    def cell_of(row: int, column: str) -> str | None:
        j = index.get(column)
        if j is None:
            return None
        return f"{quoted}!{column_letter(start_col + j)}{header_row + row}"

    return cell_of
