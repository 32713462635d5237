"""The reader interface: a file in, a raw table of text cells out.

Readers only decode and split; they never interpret cells. Everything after (names, numbers,
units, duplicates) happens once, in :mod:`plancheck.actuals`, whatever the file format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd


@dataclass(frozen=True)
class ReadOptions:
    encoding: str | None = None  # force a text encoding instead of detecting it
    sheet: str | None = None  # spreadsheet sheet name (default: the first)


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


class Reader(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        """Read ``path``; raise InputError with positioned problems if it cannot be read."""
        ...
