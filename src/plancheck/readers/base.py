"""The reader interface: a file in, a raw table of text cells out.

Readers only decode and split; they never interpret cells. Everything after (names, numbers,
units, duplicates) happens once, in :mod:`plancheck.actuals`, whatever the file format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from ..problems import InputError, Problem


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None  # force a text encoding instead of detecting it
    sheet: str | None = None  # spreadsheet sheet name (default: the only sheet with a table)
    # Rows naming an indicator or region the catalogue does not know are skipped and listed in a
    # notice, instead of stopping the run (yearbook tables carry rows no plan targets).
    skip_unknown: bool = False


@dataclass
class RawTable:
    """Cells as text (``""`` for empty), with what is needed to point back into the file."""

    file: str
    frame: pd.DataFrame
    header_rows: int = 1
    encoding: str | None = None
    details: dict[str, str] = field(default_factory=dict)
    # Physical line of a 1-based data row, when it can differ from row + header_rows.
    line_of: Callable[[int], int | None] | None = None
    # Spreadsheet cell reference of (1-based data row, column name), e.g. "Sheet1!D7".
    cell_of: Callable[[int, str], str | None] | None = None
    # False when the format has no lines to point at (Parquet, JSON): problems name the record.
    has_lines: bool = True
    # Set when every data row stands on line row + line_offset (no blank lines, no line breaks
    # inside cells): the lines of millions of rows are then one addition, not a lookup each.
    line_offset: int | None = None
    # Set when a wide table was melted to long: for each frame row, the 1-based data row it came
    # from and the name of the year column that held its value.
    source_rows: np.ndarray | None = None
    value_columns: np.ndarray | None = None
    # What the reader or the layout step left out, and why (title rows, footnotes, hidden
    # sheets, unknown columns): reported as notices, so nothing is dropped silently.
    notices: list[Problem] = field(default_factory=list)
    # Facts stated once for the whole table: a 单位 line above the header, a 地区 line, and
    # units written in column headers (canonical column or year column name → unit).
    table_unit: str = ""
    table_region: str = ""
    # Wide tables, per melted row: the year column's flag (2015年(初步) → "p") and unit
    # (2015年(%) → "%"), "" where it states none.
    value_flags: np.ndarray | None = None
    value_units: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)  # basis lines (本表按当年价格计算)
    counts: dict[str, str] = field(default_factory=dict)  # rows read, used, empty … (check -v)


@dataclass
class Grid:
    """A sheet (or a text file) as a rectangle of text cells, before its header is known."""

    cells: np.ndarray  # 2-D object array of str, "" for empty; row 0 = first row read
    # 0-based (grid row, grid column) → spreadsheet reference, e.g. "Sheet1!D7".
    ref: Callable[[int, int], str] | None = None
    # Text files: 0-based grid row → 1-based physical line.
    line: Callable[[int], int | None] | None = None
    notices: list[Problem] = field(default_factory=list)  # what the reader left out, and why
    details: dict[str, str] = field(default_factory=dict)  # e.g. {"sheet": "主要指标"}


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        """Read ``path``; raise InputError with positioned problems if it cannot be read."""
        ...


def read_bytes(path: Path, display: str) -> bytes:
    """The file's bytes (never opened for writing), or a positioned problem."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [Problem("missing-file", "file not found", display, hint="check the path")]
        ) from None
    except IsADirectoryError:
        raise InputError([Problem("unreadable-file", "is a folder, not a file", display)]) from None
    except OSError as err:
        raise InputError(
            [Problem("unreadable-file", f"cannot read the file: {err.strerror}", display)]
        ) from None
