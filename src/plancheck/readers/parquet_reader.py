"""Parquet via pyarrow: every column cast to text in Arrow, without a Python loop."""

from __future__ import annotations

import io
from pathlib import Path

from ..problems import InputError, Problem, short
from .base import RawTable, ReadOptions, read_bytes


class ParquetReader:
    name = "parquet"
    suffixes: tuple[str, ...] = (".parquet", ".pq")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        raw = read_bytes(path, display)
        if not raw:
            raise InputError([Problem("empty-file", "the file is empty", display, hint=_HINT)])
        try:
            table = pq.read_table(io.BytesIO(raw))
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
        columns: list[tuple[str, object]] = []  # a list, not a dict: two equal names both stay
        problems = []
        for name, column in zip(names, table.columns, strict=True):
            kind = column.type
            try:
                if pa.types.is_string(kind) or pa.types.is_large_string(kind):
                    text = column
                elif pa.types.is_floating(kind):
                    # Arrow prints 2015.0 as "2015"; keep that, and finite numbers as they are.
                    text = pc.cast(column, pa.string())
                elif pa.types.is_dictionary(kind):
                    text = pc.cast(pc.cast(column, kind.value_type), pa.string())
                else:
                    text = pc.cast(column, pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                problems.append(
                    Problem(
                        "type-error",
                        f"column '{name}' holds {kind}, not single values",
                        display,
                        field=str(name),
                        value=str(kind),
                        hint="store each cell as text or a number",
                    )
                )
                continue
            try:
                text.validate(full=True)  # Parquet readers do not check that text is UTF-8
            except pa.ArrowInvalid:
                problems.append(
                    Problem(
                        "encoding-error",
                        f"column '{name}' holds text that is not UTF-8",
                        display,
                        field=str(name),
                        hint="write the Parquet file's text columns as UTF-8",
                    )
                )
                continue
            columns.append((str(name), pc.fill_null(text, "")))
        if problems:
            raise InputError(problems)
        try:
            frame = pa.table([c for _, c in columns], names=[n for n, _ in columns]).to_pandas()
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
        return RawTable(display, frame, header_rows=0, details={}, has_lines=False)


_HINT = "write the table with one column per field (indicator, region, year, value, unit)"
