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


@dataclass(frozen=True)
class ProblemType:
    """What a problem type means: a title in a few words, and the usual way to fix it (a
    problem's own hint, when it has one, is more precise: it names the values at hand)."""

    title: str
    hint: str
    notice: bool = False  # said once when something is left out; the run goes on


# Every problem type plancheck reports, by its stable kebab-case name (CI scripts match on it).
# tests/test_problem_types.py fails when src/ uses a type not listed here, and
# docs/problem-types.md is made from this table (scripts/refresh_docs.py).
PROBLEM_TYPES: dict[str, ProblemType] = {
    # --- files and folders ----------------------------------------------------------------
    "missing-file": ProblemType("a file or folder named does not exist", "check the path"),
    "unreadable-file": ProblemType(
        "a file cannot be read (a folder, no permission)", "check the path and its permissions"
    ),
    "empty-file": ProblemType("the file holds nothing to read", "save the file with its data"),
    "file-too-large": ProblemType(
        "the file is over the size plancheck reads", "split the file into smaller ones"
    ),
    "encoding-error": ProblemType(
        "the text is not in the encoding it was read in",
        "save the file as UTF-8, or name its encoding with --encoding",
    ),
    "unsupported-format": ProblemType(
        "no reader for this kind of file", "save the actuals as CSV, Excel, JSON, YAML or Parquet"
    ),
    "no-actuals": ProblemType(
        "an actuals folder holds no file plancheck can read", "put the actuals files in the folder"
    ),
    "skipped-file": ProblemType(
        "files in an actuals folder were not read (not actuals)",
        "nothing, unless one of them holds figures: then give it a readable suffix",
        notice=True,
    ),
    "link-outside-folder": ProblemType(
        "a symbolic link leads out of the actuals folder (it is not followed)",
        "copy the file into the folder instead of linking to it",
    ),
    "malformed-file": ProblemType(
        "the file is not what its kind needs (not a workbook, not a list of records), or is damaged",
        "open and save it again",
    ),
    "output-error": ProblemType(
        "a report or summary cannot be written", "free some disk space or fix the path"
    ),
    "usage-error": ProblemType(
        "an option or argument cannot be used as given", "see plancheck COMMAND --help"
    ),
    # --- YAML and JSON syntax ----------------------------------------------------------------
    "invalid-yaml": ProblemType("the YAML cannot be parsed", "fix the syntax at the line shown"),
    "invalid-json": ProblemType("the JSON cannot be parsed", "fix the syntax at the line shown"),
    "duplicate-key": ProblemType(
        "a key is given twice in one mapping or record", "keep one value per key"
    ),
    "anchor-alias": ProblemType(
        "a YAML anchor or alias in a catalogue file", "write the values out in full"
    ),
    "alias-limit": ProblemType(
        "YAML aliases expand to too many values", "write the values out, or split the file"
    ),
    "forbidden-tag": ProblemType("a YAML tag (!!python …)", "remove the tag: plain values only"),
    "ambiguous-number": ProblemType(
        "a YAML number that would not be read as written (08, 1_000, 0x1F)",
        "quote it if it is text, or write the number plainly",
    ),
    "number-out-of-range": ProblemType(
        "a number outside the range plancheck compares", "check the figure"
    ),
    # --- the catalogue -----------------------------------------------------------------------
    "unknown-key": ProblemType(
        "a key the catalogue's schema does not have", "check its spelling (plancheck schema)"
    ),
    "missing-key": ProblemType("a required key is missing", "add it (plancheck schema)"),
    "type-error": ProblemType(
        "a value of the wrong type (a cell that is not a number, year or yes/no; text for a number)",
        "write the value as the field expects",
    ),
    "invalid-value": ProblemType(
        "a value the field does not allow", "use one of the values the schema lists"
    ),
    "invalid-id": ProblemType(
        "an id that is not lower-case letters, digits and underscores", "rename it"
    ),
    "duplicate-id": ProblemType("two items share an id", "give each its own id"),
    "invalid-target": ProblemType(
        "a target's fields do not fit its indicator's kind", "fix the target as the message says"
    ),
    "missing-year": ProblemType(
        "a target without a year", "write the year (year_inferred: true if the plan implies it)"
    ),
    "unknown-target": ProblemType(
        "part_of names no count target of the plan", "name a count target of the same plan"
    ),
    "ambiguous-indicator-name": ProblemType(
        "one spelling names two indicators", "keep the spelling on one indicator only"
    ),
    "ambiguous-region-name": ProblemType(
        "one spelling names two regions", "keep the spelling on one region only"
    ),
    "unreachable-name": ProblemType(
        "an alias that can never match a cell (it has a unit or a footnote marker)",
        "remove that part from the alias",
    ),
    "quote-not-found": ProblemType(
        "a quote that does not occur verbatim in the plan's source",
        "copy the text from the source exactly",
    ),
    "figure-not-in-quote": ProblemType(
        "a target's figure is not written in its quote", "check the value against the quote"
    ),
    "section-not-found": ProblemType(
        "an excluded entry names a section without commitment clauses",
        "check the section's name in the source",
    ),
    "unknown-unit": ProblemType(
        "a unit plancheck does not know", "write a unit it knows (%, 万吨)"
    ),
    "incompatible-unit": ProblemType(
        "a unit that measures something else than the indicator's",
        "give the figure in the indicator's unit",
    ),
    # --- actuals: tables and sheets ------------------------------------------------------------
    "missing-column": ProblemType(
        "a required column is missing", "the header needs indicator, region, year, value"
    ),
    "duplicate-column": ProblemType("two columns say the same thing", "keep one of them"),
    "ambiguous-column": ProblemType(
        "two column names differ only in spaces or letter case", "rename or remove one"
    ),
    "mixed-layout": ProblemType(
        "a long table that also has a year column", "keep one layout: long or wide"
    ),
    "unknown-year-qualifier": ProblemType(
        "a year column carries words plancheck cannot read as a flag or a unit",
        "write the year alone, or with a flag or unit it knows",
    ),
    "malformed-row": ProblemType(
        "a row has another number of cells than the header", "fix the row's separators or quotes"
    ),
    "conflicting-title": ProblemType(
        "the lines above the header state two different units or years", "keep one"
    ),
    "ignored-rows": ProblemType(
        "rows above the header were read as a title, or below the table as footnotes",
        "nothing, if they are not data",
        notice=True,
    ),
    "ignored-column": ProblemType(
        "columns whose header plancheck does not know were not read",
        "nothing, unless they hold figures: then name them as plancheck knows",
        notice=True,
    ),
    "no-figure": ProblemType(
        "value cells that hold no figure (blank, —, …)", "nothing, if there is no figure", True
    ),
    "unknown-sheet": ProblemType(
        "--sheet names no sheet of the workbook", "name one of its sheets"
    ),
    "ambiguous-sheet": ProblemType("several sheets hold a table", "choose one with --sheet"),
    "no-visible-sheet": ProblemType(
        "every sheet of the workbook is hidden", "unhide the sheet, or name it with --sheet"
    ),
    "hidden-sheet-read": ProblemType(
        "a hidden sheet was read because --sheet names it", "nothing, if that was meant", True
    ),
    "hidden-cells-read": ProblemType(
        "hidden rows or columns hold cells, read like the others", "nothing, if they are data", True
    ),
    "ignored-sheet": ProblemType(
        "other sheets of the workbook were not read", "name the one you mean with --sheet", True
    ),
    "sheet-too-large": ProblemType(
        "a sheet's used range is over the cell limit", "clear the cells past the table"
    ),
    "cell-too-long": ProblemType(
        "a cell holds more characters than Excel allows", "shorten the cell"
    ),
    "merged-cell-conflict": ProblemType(
        "a cell inside a merged range holds a value Excel does not show",
        "unmerge the range, or clear the hidden value",
    ),
    "excel-error": ProblemType(
        "a cell shows an Excel error (#DIV/0!, #REF! …)", "correct the formula, or type the figure"
    ),
    "formula-without-result": ProblemType(
        "a formula cell without a saved result (the file was written by a program, not Excel)",
        "open the file in Excel and save it: Excel saves each formula's result",
    ),
    "number-format": ProblemType(
        "a cell's number format cannot be read", "format the cell as Number or Date and save"
    ),
    # --- actuals: names and values -------------------------------------------------------------
    "unknown-indicator": ProblemType(
        "an indicator the catalogue does not know", "check its spelling, or use --skip-unknown"
    ),
    "unknown-region": ProblemType(
        "a region the catalogue does not know", "check its spelling, or use --skip-unknown"
    ),
    "skipped-unknown-indicator": ProblemType(
        "rows with an unknown indicator were skipped (--skip-unknown)",
        "nothing, if the catalogue is not meant to know them",
        notice=True,
    ),
    "skipped-unknown-region": ProblemType(
        "rows with an unknown region were skipped (--skip-unknown)",
        "nothing, if the catalogue is not meant to know them",
        notice=True,
    ),
    "unit-conflict": ProblemType(
        "a figure's unit is stated twice, differently", "state the unit in one place only"
    ),
    "conflicting-actuals": ProblemType(
        "two different figures for one indicator, region and year", "keep one of them"
    ),
}


def problem_type(name: str) -> ProblemType:
    """The registered meaning of a problem type (KeyError for a type plancheck does not use)."""
    return PROBLEM_TYPES[name]


def problem_types_document() -> str:
    """docs/problem-types.md: every type with its title and usual fix, from PROBLEM_TYPES."""
    lines = [
        "# Problem types",
        "",
        "Every problem plancheck reports has a stable kebab-case type: CI scripts and tests may",
        "match on it (`plancheck check -f json` prints it as `type`). A problem in the input",
        "stops the run with exit code 2; a *notice* says what was left out and the run goes on.",
        "Each problem also carries its own message and, mostly, a hint that names the values at",
        "hand; the fix below is the usual one.",
        "",
        "This page is made from `plancheck.problems.PROBLEM_TYPES` by `python scripts/refresh_docs.py`.",
        "",
        "| type | what it means | usual fix |",
        "| --- | --- | --- |",
    ]
    for name, meaning in PROBLEM_TYPES.items():
        title = f"notice: {meaning.title}" if meaning.notice else meaning.title
        lines.append(f"| `{name}` | {title} | {meaning.hint} |")
    return "\n".join(lines) + "\n"


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
