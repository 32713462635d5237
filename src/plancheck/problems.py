"""Problems in the input are values, not exceptions that escape.

Every problem has a stable kebab-case ``type`` (tests and CI scripts may match on it), a message,
a 1-based position that names what it counts, the offending value and a hint for the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple


class LocationWords(NamedTuple):
    """How a position is said: one format string per part, and what joins them."""

    cell: str
    row: str
    row_line: str
    line: str
    column: str
    field: str
    separator: str


ENGLISH_LOCATION = LocationWords(
    "cell {}", "row {}", " (line {})", "line {}", ", column {}", "column '{}'", ", "
)


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

    def location(self, words: LocationWords | None = None) -> str:
        """Where the problem is, in words that say what each number counts (English by default;
        the CLI passes other ``words`` for another language)."""
        w = words or ENGLISH_LOCATION
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.cell:
            parts.append(w.cell.format(self.cell))
        if self.row is not None:
            where = w.row.format(self.row)
            if self.line is not None and self.line != self.row + 1:
                where += w.row_line.format(self.line)
            parts.append(where)
        elif self.line is not None:
            parts.append(
                w.line.format(self.line) + (w.column.format(self.column) if self.column else "")
            )
        if self.field:
            parts.append(w.field.format(self.field) if self.row is not None else self.field)
        return w.separator.join(parts)

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


def did_you_mean(
    word: str,
    choices: Iterable[str],
    *,
    meaning: Mapping[str, str] | None = None,
    key: Callable[[str], str] | None = None,
) -> str | None:
    """'did you mean …?' naming up to three of ``choices`` close to ``word``, or None.

    ``meaning`` maps a choice to the id it stands for: a choice is then shown with its id
    (``'肇庆' (zhaoqing)``) and each id at most once. ``key`` compares spellings through a
    function (a folding of script, width and case) while the choices are shown as written.
    """
    import difflib  # only when something is wrong

    shown_as: dict[str, str] = {}  # compared form → the first choice written that way
    for choice in choices:
        shown_as.setdefault(key(choice) if key else choice, choice)
    # Three ids at most; several spellings of one id may be among the closest, so look further.
    close = difflib.get_close_matches(key(word) if key else word, list(shown_as), n=9, cutoff=0.6)
    shown: list[str] = []
    seen: set[str] = set()
    for found in close:
        choice = shown_as[found]
        target = meaning.get(choice, choice) if meaning is not None else choice
        if target in seen:
            continue
        if len(shown) == 3:
            break
        seen.add(target)
        # repr: a choice read from a submitted file shows its control characters escaped
        shown.append(repr(choice) if target == choice else f"{choice!r} ({target})")
    return f"did you mean {', '.join(shown)}?" if shown else None
