"""Problems in the input are values, not exceptions that escape.

Every problem has a stable kebab-case ``type`` (tests and CI scripts may match on it), a message,
a 1-based position that names what it counts, the offending value and a hint for the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    type: str
    message: str
    file: str | None = None
    line: int | None = None  # 1-based physical line in the file
    column: int | None = None  # 1-based character column (YAML) or None
    row: int | None = None  # 1-based data row (CSV/Excel: the header is not counted)
    field: str | None = None  # column name (tables) or key path (YAML)
    value: str | None = None  # the offending value as written
    hint: str | None = None
    cell: str | None = None  # spreadsheet cell reference, e.g. "Sheet1!D7"

    def location(self) -> str:
        """Where the problem is, in words that say what each number counts."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.cell:
            parts.append(f"cell {self.cell}")
        if self.row is not None:
            where = f"row {self.row}"
            if self.line is not None and self.line != self.row + 1:
                where += f" (line {self.line})"
            parts.append(where)
        elif self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.field:
            parts.append(f"column '{self.field}'" if self.row is not None else self.field)
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class InputError(Exception):
    """Raised by a loader when its input cannot be used; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input")


def short(value: object, limit: int = 60) -> str:
    """A value as it appears in a message: text kept as written, long text shortened."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
