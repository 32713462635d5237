"""CSV (and tab-separated text) via pyarrow's parser: every cell read as text."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

from ..problems import InputError, Problem, short
from .base import RawTable, ReadOptions
from .encoding import decode


class CsvReader:
    name = "csv"
    suffixes = (".csv", ".tsv", ".txt")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        raw = _read_bytes(path, display)
        text, encoding = decode(raw, display, options.encoding)
        if text.strip() == "":
            raise InputError([Problem("empty-file", "the file is empty", display, hint="add a header row and data rows")])
        first_line = text.split("\n", 1)[0]
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        bad_rows: list[Problem] = []

        def on_invalid(row: pacsv.InvalidRow) -> str:
            line = row.number  # pyarrow counts physical lines from 1, header included
            bad_rows.append(
                Problem(
                    "malformed-row",
                    f"expected {row.expected_columns} cells, found {row.actual_columns}",
                    display,
                    line=line,
                    value=short(row.text or ""),
                    hint="check for an unquoted comma or a missing cell",
                )
            )
            return "skip"

        data = text.encode("utf-8")
        try:
            table = pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(autogenerate_column_names=False, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={},  # filled below once the header is known
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                    auto_dict_encode=False,
                ),
            )
        except pa.ArrowInvalid as err:
            raise InputError([Problem("malformed-file", f"cannot parse as CSV: {err}", display, hint="save the sheet as CSV (comma- or tab-separated) with one header row")]) from None
        if bad_rows:
            raise InputError(bad_rows)
        table = table.cast(pa.schema([pa.field(n, pa.string()) for n in table.column_names]))
        frame = table.to_pandas()
        frame.columns = [str(c).strip() for c in frame.columns]
        return RawTable(
            display,
            frame,
            encoding=encoding,
            details={"delimiter": "tab" if delimiter == "\t" else "comma"},
            line_of=_line_mapper(text, delimiter) if '"' in text else None,
        )


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem("missing-file", "file not found", display, hint="check the path")]) from None
    except IsADirectoryError:
        raise InputError([Problem("unreadable-file", "is a folder, not a file", display)]) from None
    except OSError as err:
        raise InputError([Problem("unreadable-file", f"cannot read the file: {err.strerror}", display)]) from None


def _line_mapper(text: str, delimiter: str):  # type: ignore[no-untyped-def]
    """Data row → physical line, computed only when a problem needs it (quoted newlines shift lines)."""

    @lru_cache(maxsize=1)
    def starts() -> list[int]:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        lines: list[int] = []
        previous_end = 0
        for _ in reader:
            lines.append(previous_end + 1)
            previous_end = reader.line_num
        return lines

    def line_of(row: int) -> int | None:
        lines = starts()
        return lines[row] if row < len(lines) else None

    return line_of
