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
from ..text import rewrite_joined, visible
from .common import (
    FAIL,
    Row,
    any_illustrative,
    approximate_years,
    distinct,
    listing_note,
    per_distinct,
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
    pass over all of them (a national report's columns hold 800,000 distinct texts).

    Joined by NUL, which no printable text holds, the texts are one text: printable with no
    doubled space and no space at an end of any of them is then a test of the whole, and the
    markup escapes work character by character (:func:`plancheck.text.rewrite_joined`).
    """
    if not all(type(value) is str for value in values):
        return [cell(value) for value in values]
    joined = "\x00".join(values)
    plain = (
        "".join(values).isprintable()
        and "  " not in joined
        and " \x00" not in joined
        and "\x00 " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )
    if not plain:
        return [cell(value) for value in values]
    if _MARKUP.search(joined) is None:
        return list(values)
    return rewrite_joined(values, _escape_markup)


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


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


# Table rows per chunk of output.
BLOCK_ROWS = 10_000


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The document in chunks: each line ends in a newline, except the last (an empty line)."""
    held = ""
    for block in filter(None, _blocks(report, options)):
        if held:
            yield held
        held = "".join(line + "\n" for line in block)
    yield held[:-1]


def _blocks(report: Report, options: RenderOptions) -> Iterator[list[str]]:
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
            yield rows[positions[start : start + BLOCK_ROWS]].tolist()
        yield ["", cell(plan_summary_line(report, plan_id, lang, overviews)), ""]
    notes = []
    if results["year_inferred"].astype(bool).any():
        notes += [cell(t(lang, "year_inferred_note")), ""]
    if approximate_years(results):
        notes += [cell(t(lang, "year_approximate_note")), ""]
    if any_illustrative(results):
        notes += [cell(t(lang, "illustrative_note")), ""]
    yield notes


def _row_texts(report: Report, options: RenderOptions) -> Any:
    """Each result's table row, built column by column."""
    results = with_outcomes(report)
    shown = shown_cells(results, options)
    marks = pd.DataFrame(
        {
            "status": results["status"].to_numpy(dtype=object),
            "soft": results["soft"].to_numpy(dtype=bool),
            "failing": (results["outcome"] == FAIL).to_numpy(),
            "label": shown["status"],
        }
    )
    shown["status"] = per_distinct(
        marks, ("status", "failing", "label"), lambda row: _status_cell(row)
    )
    return _joined_rows([_cells(shown[name]) for name in COLUMNS])


def _joined_rows(columns: list[Any]) -> Any:
    """``| a | b |`` of each row: one Arrow join of the columns (a C loop), or, for a text Arrow
    cannot hold (a lone surrogate), Python's string concatenation row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrays = [pa.array(column, pa.string()) for column in columns]
    except (pa.ArrowException, UnicodeEncodeError):
        line: Any = "| "
        for n, column in enumerate(columns):
            line = line + column + (" | " if n < len(columns) - 1 else " |")
        return line
    pieces: list[Any] = ["| "]
    for n, array in enumerate(arrays):
        pieces += [array, " | " if n < len(arrays) - 1 else " |"]
    return pc.binary_join_element_wise(*pieces, "").to_numpy(zero_copy_only=False)


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
