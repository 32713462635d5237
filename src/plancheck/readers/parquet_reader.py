"""Parquet via pyarrow: every column cast to text in Arrow, without a Python loop."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import InputError, Problem, short
from .base import RawTable, ReadOptions, read_bytes
from .vocabulary import coded_columns

if TYPE_CHECKING:
    import pandas as pd


class ParquetReader:
    name = "parquet"
    suffixes: tuple[str, ...] = (".parquet", ".pq")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        import pyarrow.compute as pc

        table, names = _parquet_table(read_bytes(path, display), display)
        coded = coded_columns(names)
        columns: list[tuple[str, Any]] = []  # a list, not a dict: two equal names both stay
        problems = []
        for j, (name, column) in enumerate(zip(names, table.columns, strict=True)):
            text = _column_as_text(name, column, display, coded=j in coded)
            if isinstance(text, Problem):
                problems.append(text)
            elif j in coded:  # a missing cell stays missing here: it reads as "" later
                columns.append((name, text))
            else:
                columns.append((name, pc.fill_null(text, "")))
        if problems:
            raise InputError(problems)
        return RawTable(
            display, _frame(columns, display), header_rows=0, details={}, has_lines=False
        )


def _parquet_table(raw: bytes, display: str) -> tuple[Any, list[str]]:
    """The file's bytes → an Arrow table and its column names; InputError when it is none."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not raw:
        raise InputError([Problem("empty-file", "the file is empty", display, hint=_HINT)])
    try:
        schema = pq.read_schema(io.BytesIO(raw))
        # Text columns of few distinct values read as Parquet stores them, dictionary-encoded.
        coded = coded_columns([str(n) for n in schema.names])
        text_types = (pa.string(), pa.large_string())
        dictionary = [
            schema.field(j).name for j in sorted(coded) if schema.field(j).type in text_types
        ]
        table = pq.read_table(io.BytesIO(raw), read_dictionary=dictionary or None)
        names = [str(n) for n in table.column_names]  # a damaged footer holds non-UTF-8 names
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, and more on garbage
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot read as Parquet: {short(str(err) or type(err).__name__, 200)}",
                    display,
                    hint=_HINT,
                )
            ]
        ) from None
    return table, names


def _column_as_text(name: str, column: Any, display: str, coded: bool = False) -> Any:
    """One column cast to UTF-8 text (nulls kept), dictionary-encoded when ``coded``, or the
    Problem that it cannot be."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    try:
        if coded and pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
            text = column  # as stored: its distinct texts are checked below
        else:
            text = _cast_to_text(column)
            if coded:
                text = pc.dictionary_encode(text)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return Problem(
            "type-error",
            f"column '{name}' holds {kind}, not single values",
            display,
            field=str(name),
            value=str(kind),
            hint="store each cell as text or a number",
        )
    try:
        text.validate(full=True)  # Parquet readers do not check that text is UTF-8
    except pa.ArrowInvalid:
        return Problem(
            "encoding-error",
            f"column '{name}' holds text that is not UTF-8",
            display,
            field=str(name),
            hint="write the Parquet file's text columns as UTF-8",
        )
    return text


def _cast_to_text(column: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return column
    if pa.types.is_floating(kind):
        # Arrow prints 2015.0 as "2015"; keep that, and finite numbers as they are.
        return pc.cast(column, pa.string())
    if pa.types.is_dictionary(kind):
        return pc.cast(pc.cast(column, kind.value_type), pa.string())
    return pc.cast(column, pa.string())


def _frame(columns: list[tuple[str, Any]], display: str) -> pd.DataFrame:
    """The text columns as one pandas frame (its header as written)."""
    import pyarrow as pa

    try:
        return pa.table([c for _, c in columns], names=[n for n, _ in columns]).to_pandas()
    except (pa.ArrowException, ValueError) as err:
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"cannot read as Parquet: {short(str(err), 200)}",
                    display,
                    hint=_HINT,
                )
            ]
        ) from None


_HINT = "write the table with one column per field (indicator, region, year, value, unit)"
