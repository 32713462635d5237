"""Excel workbooks (.xlsx, .xlsm): each cell as the clerk sees it, or a positioned refusal.

How it reads, and why:

- The zip's declared sizes are checked first (:data:`UNZIPPED_LIMIT`): Python's zipfile never
  inflates a member past its declared size (it stops there and then fails the CRC check), so the
  sum of declared sizes bounds what any later step can inflate. A zip bomb is refused before
  anything is parsed.
- openpyxl (read-only mode, cached values only, nothing evaluated or written) reads the workbook
  part: the sheets with their visibility, the shared strings, the cell styles with their number
  formats and the date system. It is the reference reader for the format, so none of that is
  re-implemented here.
- The cells of a sheet are read here, in one streaming pass of the sheet's XML through expat
  (openpyxl's own cell reader turns a formula with no saved result and an empty cell into the
  same None, pads rows to the sheet's declared dimension, and keeps merged ranges only in its
  slower full mode). The pass sees each cell's type, style, saved value and formula, keeps only
  the filled cells, and refuses as soon as a cell stretches the sheet past
  :data:`~plancheck.readers.workbook.CELL_LIMIT`; so a 1.6 KB file with one cell at XFD1048576
  is refused at once, in a few MiB.

Each cell becomes text (:func:`_cell_text`): strings as written; numbers through their number
format (:mod:`plancheck.readers.number_format`: 0.516 shown as ``51.6%`` is ``51.6%``); dates as
``YYYY-MM-DD``; booleans as ``true``/``false``. Error cells (``#DIV/0!``) and formulas without a
saved result are refused with their cell. Sheets not read are reported as notices.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, XMLParser, XMLPullParser

from ..problems import InputError, Problem, short
from .base import Grid, RawTable, ReadOptions, read_bytes
from .number_format import FormatRefusal, number_text
from .workbook import (
    HEADER_SEARCH_ROWS,
    SheetCells,
    SheetEntry,
    build_grid,
    cell_name,
    choose_sheet,
    column_letter,
)

__all__ = ["UNZIPPED_LIMIT", "XlsxReader", "column_letter", "read_grid"]

# The unpacked parts of a workbook together. A sheet at the cell limit (5 million cells) takes
# about 150 MiB of XML; a real submission takes a few MiB.
UNZIPPED_LIMIT = 200 * 1024 * 1024
_MAX_MEMBERS = 10_000
_RESAVE = "open it in Excel and save it again as .xlsx (Excel Workbook)"


class XlsxReader:
    """Excel workbooks: .xlsx/.xlsm here, legacy .xls in :mod:`~plancheck.readers.xls_reader`.

    The file's first bytes decide, not its name: an .xls renamed .xlsx (or the reverse) reads,
    and a web page or text saved as .xls (some systems export those) gets a clear refusal.
    """

    name = "xlsx"
    suffixes: tuple[str, ...] = (".xlsx", ".xlsm", ".xls")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        from .layout import table_from_grid

        return table_from_grid(read_grid(path, display, options), display)


def read_grid(path: Path, display: str, options: ReadOptions) -> Grid:
    """The sheet to read as a grid of text cells, with notices for the sheets not read."""
    raw = read_bytes(path, display)
    if not raw:
        raise InputError([Problem("empty-file", "the file is empty", display, hint=_RESAVE)])
    if raw.startswith(_OLE2):
        from .xls_reader import read_xls_grid

        return read_xls_grid(raw, display, options)
    if not raw.startswith(b"PK"):
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    "not an Excel workbook"
                    + (" (it looks like a web page or text)" if _looks_like_text(raw) else ""),
                    display,
                    hint=_RESAVE,
                )
            ]
        )
    archive = _open_zip(raw, display)
    book = _open_book(raw, display)
    try:
        entries = [SheetEntry(name, state) for name, state in book.states.items()]
        head_cache: dict[str, list[list[str]]] = {}

        def head_of(name: str) -> list[list[str]]:
            if name not in head_cache:
                try:
                    head_cache[name] = _read_sheet(archive, book, name, display, head=True).head()
                except InputError:
                    head_cache[name] = []  # a broken sheet holds no header; reading it says why
            return head_cache[name]

        chosen, notices = choose_sheet(entries, options.sheet, display, head_of)
        sheet = _read_sheet(archive, book, chosen, display, head=False)
        return build_grid(sheet, display, notices)
    finally:
        archive.close()


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (and of encrypted .xlsx)


def _looks_like_text(raw: bytes) -> bool:
    return b"\x00" not in raw[:512]  # a binary container has zero bytes in its first block


def _malformed(display: str, err: BaseException) -> InputError:
    text = str(err) or type(err).__name__
    return InputError(
        [
            Problem(
                "malformed-file",
                f"cannot read the workbook: {short(text, 200)}",
                display,
                hint=_RESAVE,
            )
        ]
    )


def _open_zip(raw: bytes, display: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise _malformed(display, err) from None
    unzipped = sum(m.file_size for m in members)
    if unzipped > UNZIPPED_LIMIT or len(members) > _MAX_MEMBERS:
        archive.close()
        raise InputError(
            [
                Problem(
                    "file-too-large",
                    f"the workbook unpacks to {unzipped / 2**20:,.0f} MiB in {len(members):,}"
                    f" parts, over the {UNZIPPED_LIMIT // 2**20} MiB limit for a submission",
                    display,
                    hint="submit the table alone (one sheet, no images), or as CSV",
                )
            ]
        )
    return archive


@dataclass
class _Book:
    """What the cells need from the workbook part, taken from openpyxl once."""

    states: dict[str, str]  # sheet name → visible / hidden / veryHidden, in workbook order
    paths: dict[str, str]  # sheet name → its XML part in the zip
    strings: list[str]
    formats: list[str]  # cell style index → number format code
    epoch: dt.datetime
    styles: dict[str | None, tuple[str, str]] = field(default_factory=dict)  # memo


def _open_book(raw: bytes, display: str) -> _Book:
    import openpyxl
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    try:
        with warnings.catch_warnings():  # openpyxl warns about parts it drops (e.g. extensions)
            warnings.simplefilter("ignore")
            workbook: Any = openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=True, keep_links=False
            )
        try:
            # Private but long-stable attributes of openpyxl's read-only workbook: the part each
            # sheet lives in, and the style tables (custom format ids are rebased to 164 + i).
            sheets = list(workbook.worksheets)
            states = {str(ws.title): str(ws.sheet_state) for ws in sheets}
            paths = {str(ws.title): str(ws._worksheet_path) for ws in sheets}
            strings = [str(s) for s in (sheets[0]._shared_strings if sheets else [])]
            custom = list(workbook._number_formats)
            formats = [
                _format_code(int(style.numFmtId), custom, BUILTIN_FORMATS)
                for style in workbook._cell_styles
            ]
            epoch = workbook.epoch
        finally:
            workbook.close()
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as err:  # zip, XML and schema errors of every kind: the file is broken
        raise _malformed(display, err) from None
    if not states:
        raise InputError(
            [Problem("empty-file", "the workbook has no worksheets", display, hint=_RESAVE)]
        )
    return _Book(states, paths, strings, formats, epoch)


# Built-in format ids openpyxl does not list: in Chinese, Japanese and Korean Excel 27–36 and
# 50–58 are dates (e.g. 31 is yyyy"年"m"月"d"日"). Other unlisted ids are refused per cell.
_CJK_DATE_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))


def _format_code(format_id: int, custom: list[str], builtin: dict[int, str]) -> str:
    if format_id >= 164:
        index = format_id - 164
        return custom[index] if 0 <= index < len(custom) else f"#{format_id}"
    if format_id in builtin:
        return builtin[format_id]
    return "yyyy-mm-dd" if format_id in _CJK_DATE_IDS else f"#{format_id}"


# --- the sheet's cells ---------------------------------------------------------------------------

_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # the "strict" dialect
)
_TAGS = {
    f"{{{ns}}}{local}" if ns else local: local
    for ns in (*_NAMESPACES, "")
    for local in ("sheetData", "row", "c", "v", "f", "is", "t", "r", "col", "mergeCell")
}
_CELL, _VALUE, _FORMULA, _INLINE = (
    frozenset(tag for tag, local in _TAGS.items() if local == name)
    for name in ("c", "v", "f", "is")
)
_WANTED = frozenset(
    tag for tag, local in _TAGS.items() if local in ("sheetData", "row", "col", "mergeCell")
)
_LETTERS = re.compile(r"\$?([A-Z]{1,3})\$?")
_MAX_ROW, _MAX_COL = 1_048_576, 16_384


class _Enough(Exception):
    """Raised inside the parser when the rows wanted have been read."""


def _read_sheet(
    archive: zipfile.ZipFile, book: _Book, name: str, display: str, head: bool
) -> SheetCells:
    """The sheet's filled cells (all of them, or with ``head`` the first rows only).

    expat builds the elements (C code) and they are handled a whole ``<row>`` at a time; Python
    callbacks per element would be 3x slower. A sheet part up to :data:`_WHOLE_PART` is parsed
    in one go (no per-element events at all); a larger one streams in chunks, each row cleared
    once read, so memory stays flat whatever the size.
    """
    sheet = SheetCells(name)
    rows = _SheetRows(sheet, book, display, HEADER_SEARCH_ROWS if head else None)
    path = book.paths[name]
    try:
        with archive.open(path) as source:
            if archive.getinfo(path).file_size <= _WHOLE_PART:
                _parse_whole(source.read(), rows)
            else:
                _parse_streaming(source, rows)
    except _Enough:
        pass
    except InputError:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception as err:  # XML, zip (CRC, truncation) and missing-part errors
        raise _malformed(display, err) from None
    return sheet


# A 16 MiB part is ~100,000 cells, ~50 MB as elements: parsed whole, about 40% faster.
_WHOLE_PART = 16 * 1024 * 1024


def _parse_whole(xml: bytes, rows: _SheetRows) -> None:
    parser = XMLParser()
    parser.feed(xml)
    root = parser.close()
    for part in root:  # <cols>, <sheetData>, <mergeCells> hold what is wanted
        for element in part:
            if element.tag in _WANTED:
                rows.take(element)


def _parse_streaming(source: IO[bytes], rows: _SheetRows) -> None:
    parser: XMLPullParser[Element] = XMLPullParser(events=("end",))
    while chunk := source.read(1 << 16):
        parser.feed(chunk)
        for _, element in parser.read_events():  # type: ignore[misc]
            # Most events are <c> and <v>, handled with their row.
            if isinstance(element, Element) and element.tag in _WANTED:
                rows.take(element)
    parser.close()


class _SheetRows:
    """Turns each finished ``<row>`` element into filled cells of the sheet."""

    def __init__(self, sheet: SheetCells, book: _Book, display: str, head: int | None) -> None:
        self.sheet, self.book, self.display, self.head = sheet, book, display, head
        self.row = 0  # 1-based, as in the file
        self.columns: dict[str, int] = {}  # column letters → 1-based number, memoised

    def take(self, element: Element) -> None:
        """A finished element: a <row> (most of them, so handled first and inline), else
        :meth:`_take_sheet_part`."""
        kind = _TAGS.get(element.tag)
        if kind != "row":
            self._take_sheet_part(kind, element)
            return
        number = element.get("r")
        self.row = int(number) if number and number.isdigit() else self.row + 1
        extent = self.sheet.extent
        if self.head is not None and extent is not None and self.row > extent.top + self.head:
            raise _Enough
        if element.get("hidden") in ("1", "true"):
            self.sheet.hidden_rows.add(self.row - 1)
        self._cells(element)
        element.clear()

    def _take_sheet_part(self, kind: str | None, element: Element) -> None:
        """A hidden <col> range, a <mergeCell>, or the end of <sheetData>."""
        if kind == "col" and element.get("hidden") in ("1", "true"):
            first, last = element.get("min", ""), element.get("max", "")
            if first.isdigit() and last.isdigit():
                self.sheet.hidden_columns.append((int(first) - 1, int(last) - 1))
        elif kind == "mergeCell" and self.head is None:
            self._merge(element.get("ref", ""))
        elif kind == "sheetData" and self.head is not None:
            raise _Enough  # the merged ranges after the cells are not needed for the header

    def _cells(self, row_element: Element) -> None:
        # The hot loop of the reader (once per cell): set lookups, and a memo of column letters
        # for references of this row ("D7" in row 7 → the memo of "D").
        row, col = self.row, 0
        row_digits = str(row)
        for cell in row_element:
            if cell.tag not in _CELL:
                continue
            attrib = cell.attrib
            ref = attrib.get("r")
            if ref is None:  # "r" is optional: the next column
                row, col = self.row, col + 1
            elif ref.endswith(row_digits) and (
                known := self.columns.get(ref[: len(ref) - len(row_digits)])
            ):
                row, col = self.row, known
            else:
                row, col = self._position(ref)
            value: str | None = None
            formula = False
            inline: str | None = None
            for part in cell:
                tag = part.tag
                if tag in _VALUE:
                    value = part.text or ""
                elif tag in _FORMULA:
                    formula = True
                elif tag in _INLINE:
                    inline = _inline_text(part)
            try:
                text = _cell_text(
                    attrib.get("t", "n"), value, inline, formula, attrib.get("s"), self.book
                )
            except _CellRefusal as refusal:
                self.sheet.problems.append(
                    Problem(
                        refusal.type,
                        refusal.message,
                        self.display,
                        cell=cell_name(self.sheet.name, row - 1, col - 1),
                        value=refusal.value,
                        hint=refusal.hint,
                    )
                )
                continue
            if text:
                self.sheet.add(row - 1, col - 1, text, self.display)

    def _position(self, ref: str) -> tuple[int, int]:
        letters = ref.rstrip("0123456789")
        digits = ref[len(letters) :]
        col = self.columns.get(letters)
        if col is None:
            match = _LETTERS.fullmatch(letters)
            if match is None or not digits:
                raise self._broken(f"a cell has the reference '{short(ref)}'")
            col = 0
            for letter in match.group(1):
                col = col * 26 + ord(letter) - 64
            self.columns[letters] = col
        row = int(digits) if digits.isdigit() else 0
        if not (1 <= row <= _MAX_ROW and 1 <= col <= _MAX_COL):
            raise self._broken(f"the cell reference '{short(ref)}' is outside any sheet")
        return row, col

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        r0, c0 = self._position(first)
        r1, c1 = self._position(last or first)
        self.sheet.merges.append(
            (min(r0, r1) - 1, min(c0, c1) - 1, max(r0, r1) - 1, max(c0, c1) - 1)
        )

    def _broken(self, what: str) -> InputError:
        return InputError(
            [
                Problem(
                    "malformed-file",
                    f"sheet '{short(self.sheet.name)}': {what}",
                    self.display,
                    hint=_RESAVE,
                )
            ]
        )


def _inline_text(element: Element) -> str:
    """An inline string: its ``<t>``, or its rich-text runs' ``<t>``; phonetic guides left out."""
    parts: list[str] = []
    for child in element:
        kind = _TAGS.get(child.tag)
        if kind == "t":
            parts.append(child.text or "")
        elif kind == "r":
            parts.extend(t.text or "" for t in child if _TAGS.get(t.tag) == "t")
    return "".join(parts)


@dataclass
class _CellRefusal(Exception):
    type: str
    message: str
    value: str | None
    hint: str


def _cell_text(
    kind: str,
    value: str | None,
    inline: str | None,
    formula: bool,
    style: str | None,
    book: _Book,
) -> str:
    """One cell's text as the clerk sees it; raises _CellRefusal when that cannot be carried.

    Called once per cell: the common kinds (shared strings, numbers) take no extra call."""
    # openpyxl and some generators write an unevaluated formula as <f>…</f><v/>: an empty
    # saved value is a result only for a text formula.
    if formula and (value is None or (value == "" and kind not in ("str", "inlineStr"))):
        raise _formula_without_result()
    if kind == "s":
        try:
            return book.strings[int(value or "")]
        except (ValueError, IndexError):
            raise _CellRefusal(
                "malformed-file", "the cell points at a missing shared string", value, _RESAVE
            ) from None
    if kind in ("inlineStr", "str"):
        return inline if kind == "inlineStr" and inline is not None else value or ""
    if value is None or value == "":
        return ""
    if kind in ("b", "e", "d"):
        return _typed_cell_text(kind, value)
    return _number_text(value, style, book)


def _formula_without_result() -> _CellRefusal:
    return _CellRefusal(
        "formula-without-result",
        "the cell holds a formula with no saved result",
        None,
        "open the file in Excel and save it (Excel saves each formula's result), or type the value",
    )


def _typed_cell_text(kind: str, value: str) -> str:
    """A true/false cell, an Excel error (refused: it is no figure) or an ISO date."""
    if kind == "b":
        if value not in ("0", "1"):
            raise _CellRefusal(
                "malformed-file", f"a true/false cell holds '{short(value)}'", value, _RESAVE
            )
        return "true" if value == "1" else "false"
    if kind == "e":
        raise _CellRefusal(
            "excel-error",
            f"the cell shows the Excel error {short(value)}",
            value,
            "correct the formula or the cells it uses, or type the figure; an error is no figure",
        )
    return _iso_date_text(value)


def _number_text(value: str, style: str | None, book: _Book) -> str:
    kind, code = _number_style(style, book)
    if (
        kind == "general"
        and value.isascii()
        and value.isdigit()
        and len(value) <= 15
        and value[:1] != "0"
    ):
        return value  # the common case, a whole number as Excel writes it: 2015
    try:
        number = float(value)
    except ValueError:
        raise _CellRefusal(
            "malformed-file", f"a number cell holds '{short(value)}'", short(value), _RESAVE
        ) from None
    if kind == "undefined":
        raise _CellRefusal(
            "number-format",
            f"the cell's number format (built-in format {code}) is not defined in the file",
            value,
            "format the cell as Number or Date (Format Cells) and save the file again",
        )
    if kind == "duration":
        raise _CellRefusal(
            "number-format",
            f"the cell is formatted as a duration ('{short(code)}'), not as a figure or date",
            value,
            "format the cell as Number or Date (Format Cells)",
        )
    if kind == "date":
        return _serial_date_text(number, value, code, book)
    try:
        return number_text(number, code)
    except FormatRefusal as refusal:
        raise _CellRefusal("number-format", refusal.message, value, refusal.hint) from None


def _number_style(style: str | None, book: _Book) -> tuple[str, str]:
    """(general / number / date / duration / undefined, format code) of a style, memoised."""
    known = book.styles.get(style)
    if known is not None:
        return known
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format

    if style is None:
        code = "General"
    else:
        try:
            code = book.formats[int(style)]
        except (ValueError, IndexError):
            raise _CellRefusal(
                "malformed-file", "the cell's style is missing from the workbook", style, _RESAVE
            ) from None
    if code.startswith("#") and code[1:].isdigit():
        kind, code = "undefined", code[1:]
    elif code.casefold() == "general":
        kind = "general"
    elif is_timedelta_format(code):
        kind = "duration"
    elif is_date_format(code):
        kind = "date"
    else:
        kind = "number"
    book.styles[style] = (kind, code)
    return kind, code


def _serial_date_text(number: float, value: str, code: str, book: _Book) -> str:
    from openpyxl.utils.datetime import from_excel

    try:
        when = from_excel(number, book.epoch)
    except (ValueError, OverflowError, TypeError):
        when = None
    if isinstance(when, dt.datetime):
        return _datetime_text(when)
    raise _CellRefusal(
        "number-format",
        f"the cell is formatted as a date or time ('{short(code)}') but holds {short(value)},"
        " which is no calendar date",
        value,
        "type the date as YYYY-MM-DD, or format the cell as Number",
    )


def _iso_date_text(value: str) -> str:
    try:
        return _datetime_text(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        raise _CellRefusal(
            "malformed-file",
            f"a date cell holds '{short(value)}'",
            short(value),
            "type the date as YYYY-MM-DD",
        ) from None


def _datetime_text(when: dt.datetime) -> str:
    if when.time() == dt.time() and when.tzinfo is None:
        return when.date().isoformat()
    return when.isoformat(sep=" ")
