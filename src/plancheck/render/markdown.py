"""Markdown for a GitHub or GitLab pull/merge-request comment: a summary, then a table per plan.

Cells are escaped so that no value can break the table: ``|`` becomes ``\\|``, line breaks
become spaces, and characters Markdown would read as markup are backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import Report
from ..text import printable_utf8, rewrite_joined, visible
from .common import (
    FAIL,
    Row,
    any_illustrative_flag,
    approximate_years,
    distinct,
    first_rows,
    listing_note,
    plan_blocks,
    plan_summary_line,
    plan_title,
    shown_cells,
    summary_line,
    with_outcomes,
)
from .i18n import t
from .options import RenderOptions

ICONS = {
    "met": "✅",
    "not_met": "❌",
    "missing": "❔",
    "on_track": "📈",
    "off_track": "📉",
    "insufficient_data": "➖",
    "pending": "⏳",
    "open": "⭕",
}
SOFT_ICON = "⚠️"
COLUMNS = ("target", "indicator", "region", "year", "target_value", "actual", "status", "gap")
_MARKUP = re.compile(r"([\\`*_<\[\]|])")


def cell(value: object) -> str:
    """Text safe inside a table cell: one line, control characters shown as escapes, markup and
    pipes escaped."""
    text = str(value)
    # Printable text holds no whitespace but the ASCII space (str.isprintable): with no space
    # doubled or at either end it is one line already, and visible leaves it as it is.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        flat = text
    else:
        flat = visible(" ".join(text.split()))
    return flat if _MARKUP.search(flat) is None else _escape_markup(flat)


def cells(values: list[Any]) -> list[str]:
    """:func:`cell` of each value; a list of plain one-line texts is checked and escaped in one
    pass over all of them (a national report's columns hold 800,000 distinct texts)."""
    joined = _plain(values)
    if joined is None:
        return [cell(value) for value in values]
    if _MARKUP.search(joined) is None:
        return list(values)
    return rewrite_joined(values, _escape_markup)


def _plain(values: Any) -> str | None:
    """The texts joined by NUL when every value is a text that :func:`cell` leaves as it is but
    for markup (printable, no doubled space, no space at either end); else None.

    Joined by NUL, which no printable text holds, the texts are one text: printable with no
    doubled space and no space at an end of any of them is then a test of the whole, and the
    markup escapes work character by character (:func:`plancheck.text.rewrite_joined`).
    """
    try:
        joined = "\x00".join(values)  # a TypeError unless every value is a text
    except TypeError:
        return None
    plain = (
        "".join(values).isprintable()  # a NUL in a value is not printable
        and "  " not in joined
        and " \x00" not in joined
        and "\x00 " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )
    return joined if plain else None


# What _MARKUP finds, each escaped by one str.replace pass (a C loop; the regular expression's
# template substitution cost ~1.6 s on a national report's 285,000 ids, each with a "_").
# The backslash goes first, so that the backslashes the others add are not escaped again.
_MARKUP_CHARACTERS = ("\\", "`", "*", "_", "<", "[", "]", "|")


def _escape_markup(text: str) -> str:
    for character in _MARKUP_CHARACTERS:
        if character in text:
            text = text.replace(character, "\\" + character)
    return text


def _cells(values: Any) -> Any:
    """:func:`cells` of a column, each distinct value once, spread to every row."""
    codes, uniques = distinct(values)
    made = np.empty(len(uniques), dtype=object)
    made[:] = cells(list(uniques))
    return made[codes]


def _column(values: Any) -> Any:
    """:func:`cells` of a column: a column of plain texts (see :func:`_plain`) as a
    pa.StringArray, checked and escaped by Arrow's kernels (a replace pass per markup character
    it holds, the backslash first, as :func:`_escape_markup`); any other once per distinct
    value, as an object array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .columns import utf8_of

    if pd.api.types.infer_dtype(values, skipna=False) != "string":  # not all texts
        made = np.empty(len(values), dtype=object)  # value by value (None is not NaN here)
        made[:] = [cell(value) for value in values]
        return made
    try:
        array = pa.array(values, pa.string())
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate
        return _cells(values)
    data = bytes(utf8_of(array))
    if not _plain_array(array, data):
        return _cells(values)
    for character in _MARKUP_CHARACTERS:
        if character.encode("utf-8") in data:
            array = pc.replace_substring(array, character, "\\" + character)
    return array


def _plain_array(array: Any, data: bytes) -> bool:
    """:func:`_plain` of texts in a pa.StringArray (``data``: its UTF-8), in C loops: what is not
    printable ASCII (control characters and whole UTF-8 sequences) printable, no text with a
    doubled space or a space at either end."""
    import pyarrow.compute as pc

    if not printable_utf8(data):
        return False
    if b" " not in data:
        return True
    return not any(
        pc.any(found).as_py()
        for found in (
            pc.match_substring(array, "  "),
            pc.starts_with(array, " "),
            pc.ends_with(array, " "),
        )
    )


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# Table rows per chunk of output.
BLOCK_ROWS = 10_000


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The document in chunks, made as UTF-8 (the rows by Arrow: columns.Utf8Chunks): each
    line ends in a newline, except the last (an empty line)."""
    from .columns import Utf8Chunks

    return Utf8Chunks(_utf8_chunks(report, options))


def _utf8_chunks(report: Report, options: RenderOptions) -> Iterator[bytes | memoryview]:
    held: bytes | memoryview = b""
    for block in _blocks(report, options):
        chunk = _utf8(block)
        if not chunk:
            continue
        if held:
            yield held
        held = chunk
    yield held[:-1]


def _utf8(block: Any) -> bytes | memoryview:
    """A block of lines as UTF-8: Python's lines (a list), or table rows, each ending in a
    newline (Arrow's, or Python's in an object array)."""
    from .columns import utf8_of

    if isinstance(block, list):
        return "".join(line + "\n" for line in block).encode("utf-8")
    if isinstance(block, np.ndarray):
        return "".join(block.tolist()).encode("utf-8")
    return utf8_of(block)


def _blocks(report: Report, options: RenderOptions) -> Iterator[Any]:
    """The document's lines: lists of lines, and blocks of table rows (see :func:`_utf8`)."""
    lang = options.lang
    verdict = "❌" if report.failing_count() else "✅"
    lines = [f"### {verdict} {t(lang, 'md.title')}", "", cell(summary_line(report, lang)), ""]
    note = listing_note(report, lang)
    if note:
        lines += [cell(note), ""]
    yield lines
    if options.quiet:
        return
    results = report.results
    rows = _row_texts(report, options)
    overviews = report.plan_overviews()
    for plan_id, positions in plan_blocks(results):
        yield [
            f"#### {cell(plan_title(report, plan_id, lang))}",
            "",
            _row([t(lang, f"col.{c}") for c in COLUMNS]),
            _row(["---:" if c in ("year", "gap") else "---" for c in COLUMNS]),
        ]
        for start in range(0, len(positions), BLOCK_ROWS):
            yield _taken(rows, positions[start : start + BLOCK_ROWS])
        yield ["", cell(plan_summary_line(report, plan_id, lang, overviews)), ""]
    notes = []
    if results["year_inferred"].astype(bool).any():
        notes += [cell(t(lang, "year_inferred_note")), ""]
    if approximate_years(results):
        notes += [cell(t(lang, "year_approximate_note")), ""]
    if any_illustrative_flag(results):
        notes += [cell(t(lang, "illustrative_note")), ""]
    yield notes


def _taken(rows: Any, positions: Any) -> Any:
    """The rows at ``positions`` (ascending): a slice when they are consecutive (a plan's rows,
    as results are made), else a take."""
    if isinstance(rows, np.ndarray):
        return rows[positions]
    import pyarrow as pa

    first, count = int(positions[0]), len(positions)
    if int(positions[-1]) - first + 1 == count:
        return rows.slice(first, count)
    return rows.take(pa.array(positions))


def _row_texts(report: Report, options: RenderOptions) -> Any:
    """Each result's table row and its newline, built column by column (see
    :func:`_joined_rows`)."""
    results = with_outcomes(report)
    shown = shown_cells(results, options)
    shown["status"] = _status_cells(results, shown["status"])
    return _joined_rows([_column(shown[name]) for name in COLUMNS])


def _status_cells(results: pd.DataFrame, labels: Any) -> Any:
    """:func:`_status_cell` of each result (an object array), made once per distinct status,
    failing or not, and label."""
    statuses, _ = pd.factorize(results["status"], use_na_sentinel=False)
    failing = (results["outcome"] == FAIL).to_numpy(dtype=bool)
    label_codes, _ = distinct(labels)
    key = (statuses.astype(np.int64) * 2 + failing) * (int(label_codes.max(initial=0)) + 1)
    codes, _ = pd.factorize(key + label_codes)
    first = first_rows(codes)
    status_texts = results["status"].to_numpy(dtype=object)[first]
    made = np.empty(len(first), dtype=object)
    made[:] = [
        _status_cell({"status": status, "failing": fails, "label": label})
        for status, fails, label in zip(status_texts, failing[first], labels[first], strict=True)
    ]
    return made[codes]


def _joined_rows(columns: list[Any]) -> Any:
    """``| a | b |`` and a newline for each row: a pa.StringArray made by one Arrow join of the
    columns (a C loop), or, for a text Arrow cannot hold (a lone surrogate), an object array
    made by Python's string concatenation row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrays = [pa.array(column, pa.string()) for column in columns]
    except (pa.ArrowException, UnicodeEncodeError):
        line: Any = "| "
        for n, column in enumerate(columns):
            if isinstance(column, pa.Array):
                column = column.to_numpy(zero_copy_only=False)
            line = line + column + (" | " if n < len(columns) - 1 else " |\n")
        return line
    pieces: list[Any] = ["| "]
    for n, array in enumerate(arrays):
        pieces += [array, " | " if n < len(arrays) - 1 else " |\n"]
    return pc.binary_join_element_wise(*pieces, "")


def _status_cell(row: Row) -> str:
    status = str(row["status"])
    failing = bool(row["failing"])
    icon = ICONS[status] if failing or status not in ("not_met", "missing") else SOFT_ICON
    return f"{icon} {row['label']}"


# GitHub drops a job summary over 1 MiB; keep the Markdown report under it, with room for a note.
STEP_SUMMARY_LIMIT = 1024 * 1024


def capped_summary(text: str, lang: str, limit: int = STEP_SUMMARY_LIMIT) -> str:
    """The Markdown report cut at a line so that it fits GitHub's step summary, with a note
    saying how much was left out and where the full report is (the uploaded artifact)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - 2048  # the note, in either language, is far shorter
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else cut
    left = text[len(cut) :].count("\n")
    note = t(lang, "md.truncated", lines=left, size=f"{len(data) / 2**20:.1f}")
    return f"{cut}\n> {cell(note)}\n"
