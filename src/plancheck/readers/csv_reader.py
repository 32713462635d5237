"""CSV (and tab-separated text) via pyarrow's parser: every cell read as text, as written."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import InputError, Problem, short
from .base import Grid, RawTable, ReadOptions, read_bytes
from .encoding import decode
from .layout import HEADER_SEARCH_ROWS, find_header, table_from_grid
from .vocabulary import coded_columns

if TYPE_CHECKING:
    import pandas as pd

_DELIMITERS = {",": "comma", "\t": "tab", ";": "semicolon"}


class CsvReader:
    name = "csv"
    suffixes: tuple[str, ...] = (".csv", ".tsv", ".txt")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        raw = read_bytes(path, display)
        if options.encoding is None and len(raw) >= _FAST_BYTES:
            fast = _read_clean_utf8(raw, display)
            if fast is not None:
                return fast
        text, encoding = decode(raw, display, options.encoding)
        text = text.lstrip("\ufeff")
        if text.strip() == "":
            raise InputError(
                [
                    Problem(
                        "empty-file",
                        "the file is empty",
                        display,
                        hint="add a header row and data rows",
                    )
                ]
            )
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            raise InputError(
                [
                    Problem(
                        "encoding-error",
                        "the text holds NUL characters: it is binary, or its encoding was misread",
                        display,
                        line=line,
                        value=encoding,
                        hint="save the sheet as 'CSV UTF-8', or name its encoding with --encoding",
                    )
                ]
            )
        delimiter = sniff_delimiter(text)
        line_of = _line_mapper(lambda: text, delimiter)
        head_rows = _head_rows(text, delimiter)
        if find_header(head_rows) not in (None, (0, 1)):
            # A title, a unit line or a two-row header above the data (yearbook style): the
            # whole file as a grid of cells, laid out by the shared layout step.
            grid = _grid(text, delimiter, display)
            grid.details.update({"delimiter": _DELIMITERS[delimiter]})
            table = table_from_grid(grid, display)
            table.encoding = encoding
            return table
        frame = parse_text(text, delimiter, display)
        offset = _line_offset(text.count("\n"), text.endswith("\n"), len(frame))
        return RawTable(
            display,
            frame,
            encoding=encoding,
            details={"delimiter": _DELIMITERS[delimiter]},
            line_of=_by_offset(offset) if offset is not None else line_of,
            line_offset=offset,
        )


def _line_offset(newlines: int, ends_with_newline: bool, rows: int) -> int | None:
    """1 when the header is line 1 and each data row the next line; None when lines and rows
    part ways (a blank line, a line break inside a quoted cell): then each row is looked up."""
    lines = newlines + (0 if ends_with_newline else 1)
    return 1 if lines == rows + 1 else None


def _by_offset(offset: int) -> Callable[[int], int | None]:
    """Row → line when every row stands on its own line: the file's text need not be kept
    (at 10^7 rows its bytes are 300 MB held through every later stage)."""

    def line_of(row: int) -> int | None:
        return row + offset

    return line_of


def _head_rows(text: str, delimiter: str) -> list[list[str]]:
    """The first non-empty rows (as many as the header search looks at), cut safely."""
    rows: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text[:_PREFIX], newline=""), delimiter=delimiter):
            if cells:
                rows.append(cells)
            if len(rows) > HEADER_SEARCH_ROWS:
                break
    except csv.Error:
        pass  # a quoted cell cut by the prefix: the rows read so far are enough
    return rows


def _grid(text: str, delimiter: str, display: str) -> Grid:
    """The whole text as a rectangle of cells, with each row's physical line.

    Rows may differ in length above the header (titles) and below the data (footnotes); a data
    row with more or fewer cells than its header is refused later, by the layout step's caller.
    """
    import numpy as np

    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for cells in reader:
            if cells:  # blank lines are not rows, as in the pyarrow path
                rows.append(cells)
                lines.append(previous_end + 1)
            previous_end = reader.line_num
    except csv.Error as err:
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot parse as CSV: {err}",
                    display,
                    line=previous_end + 1,
                    hint=_HINT,
                )
            ]
        ) from None
    width = max((len(r) for r in rows), default=0)
    cells_array = np.full((len(rows), width), "", dtype=object)
    for i, row in enumerate(rows):
        cells_array[i, : len(row)] = row
    header = find_header(rows[:HEADER_SEARCH_ROWS])
    if header is not None:
        start, depth = header
        expected = len(rows[start])
        problems = []
        for i in range(start + depth, len(rows)):
            filled = [c for c in rows[i] if c.strip()]
            if len(rows[i]) != expected and len(filled) > 1:
                problems.append(
                    Problem(
                        "malformed-row",
                        f"expected {expected} cells (as in the header), found {len(rows[i])}",
                        display,
                        line=lines[i],
                        value=short(delimiter.join(rows[i])),
                        hint="check for an unquoted comma, a stray quote or a missing cell",
                    )
                )
        if problems:
            raise InputError(problems[:1000])
    return Grid(cells_array, line=lambda i: lines[i] if 0 <= i < len(lines) else None)


# Files this large skip the decoded copy of their text when they are clean UTF-8 (see below).
_FAST_BYTES = 1 << 20
_PREFIX = 1 << 16


def _read_clean_utf8(raw: bytes, display: str) -> RawTable | None:
    """A large UTF-8 file parsed from its bytes, or None to take the general path.

    The general path decodes the whole file to a str and encodes it again for pyarrow: at 10^7
    rows that is ~1 GB more memory and a second of work. pyarrow validates UTF-8 itself, so a
    clean file needs only its first 64 KiB decoded (delimiter, header). Anything unusual
    (another encoding, NUL bytes, a malformed row) returns None: the general path then reads the
    file again and reports the problem exactly as it does for small files.
    """
    import pyarrow as pa

    bom = raw.startswith(codecs.BOM_UTF8)
    if not bom and (
        b"\x00" in raw[:4096] or raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        return None  # UTF-16 or UTF-32: the general path decodes those
    body = pa.py_buffer(raw)[3:] if bom else pa.py_buffer(raw)
    try:  # a character cut at the end of the prefix is held back, not an error
        head = codecs.getincrementaldecoder("utf-8")().decode(body[:_PREFIX].to_pybytes())
    except UnicodeDecodeError:
        return None
    if head.strip() == "" or "\x00" in head or b"\x00" in raw:
        return None
    delimiter = sniff_delimiter(head)
    if find_header(_head_rows(head, delimiter)) not in (None, (0, 1)):
        return None  # a title or a multi-row header: the general path lays it out
    try:
        frame = _parse(
            body,
            _first_row(head, delimiter, whole=False),
            delimiter,
            display,
            newlines=may_hold_newlines(raw, 3 if bom else 0, delimiter),
        )
    except (InputError, csv.Error, StopIteration):
        return None
    encoding = "utf-8-sig" if bom else "utf-8"

    def text() -> str:  # decoded only when a problem needs a line number
        return raw.decode(encoding)

    offset = _line_offset(count_newlines(raw), raw.endswith(b"\n"), len(frame))
    return RawTable(
        display,
        frame,
        encoding=encoding,
        details={"delimiter": _DELIMITERS[delimiter]},
        line_of=(
            _by_offset(offset)
            if offset is not None
            else _line_mapper(lru_cache(maxsize=1)(text), delimiter)
        ),
        line_offset=offset,
    )


def count_newlines(data: bytes) -> int:
    """How many ``\\n`` bytes ``data`` holds: counted by numpy in pieces, which lets go of the
    GIL (``bytes.count`` holds it for 0.2-0.3 s at 10^7 rows, while the catalogue loads on the
    main thread) and needs no more memory than a piece."""
    import numpy as np

    view = np.frombuffer(data, dtype=np.uint8)
    piece = 1 << 22
    return sum(
        int(np.count_nonzero(view[start : start + piece] == ord("\n")))
        for start in range(0, len(view), piece)
    )


def sniff_delimiter(text: str) -> str:
    """Tab when the header holds more tabs than commas (Excel's "Unicode text"), else comma;
    semicolon (European Excel) only when the header holds neither. A title line above the
    header holds no delimiter: the first line that holds one decides."""
    lines = text[:_PREFIX].split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    first = next(
        (ln for ln in lines if any(d in ln for d in _DELIMITERS)), lines[0] if lines else ""
    )
    counts = {d: first.count(d) for d in _DELIMITERS}
    if counts["\t"] > counts[","]:
        return "\t"
    if counts[","] == 0 and counts[";"] > 0:
        return ";"
    return ","


def parse_text(text: str, delimiter: str, display: str):  # type: ignore[no-untyped-def]
    """Parse CSV text into a frame of strings (``""`` for empty cells), the header as columns."""
    try:
        header = _first_row(text, delimiter)
    except (csv.Error, StopIteration) as err:
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot read the header row: {err}",
                    display,
                    line=1,
                    hint=_HINT,
                )
            ]
        ) from None
    data = text.encode("utf-8", errors="surrogatepass")
    return _parse(
        data,
        header,
        delimiter,
        display,
        locate=lambda: _locate_bad_rows(text, delimiter, max(len(header), 1), display),
        newlines=may_hold_newlines(data, 0, delimiter),
    )


def _parse(
    data: Any,
    header: list[str],
    delimiter: str,
    display: str,
    locate: Callable[[], list[Problem]] | None = None,
    newlines: bool = True,
) -> pd.DataFrame:
    """UTF-8 bytes → a frame of strings, the header as columns.

    The header row is parsed as a data row under generated column names, so that every column
    can be declared text before pyarrow sees it: nothing is inferred, ``51.50`` stays ``51.50``.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(max(len(header), 1))]
    coded = coded_columns(header)
    bad_rows: list[Problem] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append(
            Problem(
                "malformed-row",
                f"expected {row.expected_columns} cells (as in the header), found {row.actual_columns}",
                display,
                line=row.number,
                value=short(row.text or ""),
                hint="check for an unquoted comma, a stray quote or a missing cell",
            )
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=newlines,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                # Plain text as large_string, as pandas holds it (it would copy it otherwise).
                column_types={
                    n: pa.dictionary(pa.int32(), pa.string()) if j in coded else pa.large_string()
                    for j, n in enumerate(names)
                },
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                auto_dict_encode=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException, UnicodeError) as err:
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot parse as CSV: {short(str(err), 200)}",
                    display,
                    hint=_HINT,
                )
            ]
        ) from None
    if bad_rows:
        if locate is not None and any(p.line is None for p in bad_rows):
            bad_rows = locate() or bad_rows  # pyarrow cannot always say where
        raise InputError(bad_rows[:1000])
    frame = table.to_pandas()
    del table
    if len(frame) == 0:
        raise InputError(
            [Problem("malformed-file", "cannot read a header row", display, line=1, hint=_HINT)]
        )
    columns = [str(c) for c in frame.iloc[0]]  # as written: "value" and "value " are refused later
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = columns
    return frame


def may_hold_newlines(data: bytes, start: int, delimiter: str) -> bool:
    """False when no cell of ``data[start:]`` can hold a line break: no quote below the first
    line, and the first line's quoted cells all closed on it. pyarrow then splits the file at
    any line break, which costs less than looking for quoted ones (0.1 s of CPU at 3*10^6
    rows)."""
    end = data.find(b"\n", start)
    if end < 0 or data.find(b'"', end) >= 0:
        return True
    return not _quotes_closed(data[start:end], delimiter.encode())


def _quotes_closed(line: bytes, delimiter: bytes) -> bool:
    """Whether every quoted cell of one line closes on it (no line break in it), as pyarrow
    reads quotes: a quote opens a cell only at the cell's start; ``""`` inside is a quote."""
    if b"\r" in line.rstrip(b"\r"):
        return False  # a lone carriage return: a line break pyarrow may split at
    quoted, at_start, i = False, True, 0
    while i < len(line):
        byte = line[i : i + 1]
        if quoted:
            if byte == b'"':
                if line[i + 1 : i + 2] == b'"':
                    i += 1  # an escaped quote
                else:
                    quoted = False
        elif byte == b'"' and at_start:
            quoted = True
        at_start = not quoted and byte == delimiter
        i += 1
    return not quoted


def _first_row(text: str, delimiter: str, whole: bool = True) -> list[str]:
    """The first non-empty row; ``whole=False`` when ``text`` is only the start of the file.

    A long text is read from its first 64 KiB (parsing a copy of it all is slow); only a row
    before the last one of a cut is trusted, as the cut may fall inside it.
    """
    if len(text) > _PREFIX or not whole:
        try:
            rows = list(csv.reader(io.StringIO(text[:_PREFIX], newline=""), delimiter=delimiter))
            found = next((r for r in rows[:-1] if r), None)
            if found is not None:
                return found
        except csv.Error:
            pass  # e.g. the cut fell inside a quoted cell
        if not whole:
            raise StopIteration
    return next(r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r)


def _locate_bad_rows(text: str, delimiter: str, expected: int, display: str) -> list[Problem]:
    """The rows whose cell count differs from the header's, with their lines (error path only)."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if cells and len(cells) != expected:
                problems.append(
                    Problem(
                        "malformed-row",
                        f"expected {expected} cells (as in the header), found {len(cells)}",
                        display,
                        line=start,
                        value=short(delimiter.join(cells)),
                        hint="check for an unquoted comma, a stray quote or a missing cell",
                    )
                )
                if len(problems) >= 1000:
                    break
    except csv.Error:
        pass
    return problems


_HINT = "save the sheet as CSV (comma- or tab-separated) with one header row"


def _line_mapper(text: Callable[[], str], delimiter: str) -> Callable[[int], int | None]:
    """Data row → physical line, computed only when a problem needs it (quoted newlines shift lines)."""

    @lru_cache(maxsize=1)
    def starts() -> list[int]:
        reader = csv.reader(io.StringIO(text(), newline=""), delimiter=delimiter)
        lines: list[int] = []
        previous_end = 0
        try:
            for cells in reader:
                if cells:  # pyarrow skips empty lines; so does the row count
                    lines.append(previous_end + 1)
                previous_end = reader.line_num
        except csv.Error:
            pass
        return lines

    def line_of(row: int) -> int | None:
        lines = starts()
        return lines[row] if row < len(lines) else None

    return line_of
