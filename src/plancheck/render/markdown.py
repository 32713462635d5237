"""Markdown for a GitHub or GitLab pull/merge-request comment: a summary, then a table per plan.

Cells are escaped so that no value can break the table: ``|`` becomes ``\\|``, line breaks
become spaces, and characters Markdown would read as markup are backslash-escaped.
"""

from __future__ import annotations

import re

import pandas as pd

from ..evaluation import Report
from ..text import visible
from .common import (
    FAIL,
    actual_text,
    any_illustrative,
    approximate_years,
    gap_text,
    listing_note,
    plan_summary_line,
    plan_title,
    status_label,
    summary_line,
    target_text,
    with_outcomes,
    year_text,
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
    flat = visible(" ".join(str(value).split()))
    return _MARKUP.sub(r"\\\1", flat)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    results = with_outcomes(report)
    verdict = "❌" if len(report.failing()) else "✅"
    lines = [f"### {verdict} {t(lang, 'md.title')}", "", cell(summary_line(report, lang)), ""]
    note = listing_note(report, lang)
    if note:
        lines += [cell(note), ""]
    if options.quiet:
        return "\n".join(lines)
    for plan_id, rows in results.groupby("plan", sort=False):
        lines += [f"#### {cell(plan_title(report, str(plan_id), lang))}", ""]
        lines.append(_row([t(lang, f"col.{c}") for c in COLUMNS]))
        lines.append(_row(["---:" if c in ("year", "gap") else "---" for c in COLUMNS]))
        for _, row in rows.iterrows():
            lines.append(_row([cell(x) for x in _cells(row, options, row["outcome"] == FAIL)]))
        lines += ["", cell(plan_summary_line(report, str(plan_id), lang)), ""]
    if report.results["year_inferred"].astype(bool).any():
        lines += [cell(t(lang, "year_inferred_note")), ""]
    if approximate_years(report.results):
        lines += [cell(t(lang, "year_approximate_note")), ""]
    if any_illustrative(report.results):
        lines += [cell(t(lang, "illustrative_note")), ""]
    return "\n".join(lines)


def _cells(row: pd.Series, options: RenderOptions, failing: bool) -> list[str]:
    lang = options.lang
    status = row["status"]
    icon = ICONS[status] if failing or status not in ("not_met", "missing") else SOFT_ICON
    return [
        str(row["target_id"]),
        options.names.indicator(row["indicator"], lang),
        options.names.region(row["region"], lang),
        year_text(row),
        target_text(row, lang),
        actual_text(row, lang),
        f"{icon} {status_label(status, bool(row['soft']), lang)}",
        gap_text(row["gap"]),
    ]


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
