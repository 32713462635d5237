"""The Rich table: one table per plan, a status marker that reads without colour, a summary line."""

from __future__ import annotations

import io
from typing import Literal

from ..evaluation import Report
from ..text import visible
from .common import (
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
    year_text,
)
from .i18n import t
from .options import RenderOptions

__all__ = ["actual_text", "console", "render", "status_text", "summary_line", "target_text"]

STATUS_STYLE = {
    "met": "green",
    "not_met": "bold red",
    "missing": "yellow",
    "on_track": "green",
    "off_track": "magenta",
    "insufficient_data": "dim",
    "pending": "cyan",
    "open": "blue",
}
MARKERS = {
    "met": "✓",
    "not_met": "✗",
    "missing": "?",
    "on_track": "↑",
    "off_track": "↓",
    "insufficient_data": "·",
    "pending": "…",
    "open": "○",
}
ASCII_MARKERS = {
    "met": "+",
    "not_met": "x",
    "missing": "?",
    "on_track": "^",
    "off_track": "v",
    "insufficient_data": ".",
    "pending": "~",
    "open": "o",
}


def console(options: RenderOptions, buffer: io.StringIO):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width or 10_000,
        legacy_windows=False,
        emoji=False,
        highlight=False,
        soft_wrap=options.width is None,
    )


def status_text(status: str, soft: bool, options: RenderOptions) -> str:
    marker = (MARKERS if options.unicode else ASCII_MARKERS)[status]
    return f"{marker} {status_label(status, soft, options.lang)}"


def render(report: Report, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    out = console(options, buffer)
    lang = options.lang
    if not options.quiet:
        headings = (
            "target",
            "indicator",
            "region",
            "year",
            "target_value",
            "actual",
            "status",
            "gap",
        )
        justify: dict[str, Literal["left", "right"]] = {"year": "right", "gap": "right"}
        for plan_id, rows in report.results.groupby("plan", sort=False):
            table = Table(
                title=Text(visible(plan_title(report, str(plan_id), lang))),
                title_justify="left",
                box=box.SIMPLE_HEAD if options.unicode else box.ASCII,
                show_edge=False,
                pad_edge=False,
            )
            for name in headings:
                table.add_column(
                    t(lang, f"col.{name}"),
                    justify=justify.get(name, "left"),
                    no_wrap=options.width is None,
                )
            for _, row in rows.iterrows():
                # Text, not str: Rich would read "[...]" in a value as markup (links, styles).
                shown = (
                    str(row["target_id"]),
                    options.names.indicator(row["indicator"], lang),
                    options.names.region(row["region"], lang),
                    year_text(row),
                    target_text(row, lang),
                    actual_text(row, lang),
                )
                table.add_row(
                    *(Text(visible(cell)) for cell in shown),
                    Text(
                        status_text(row["status"], bool(row["soft"]), options),
                        style=STATUS_STYLE[row["status"]],
                    ),
                    gap_text(row["gap"]),
                )
            out.print(table)
            out.print(plan_summary_line(report, str(plan_id), lang))
            out.print()
        if report.results["year_inferred"].astype(bool).any():
            out.print(t(lang, "year_inferred_note"))
        if approximate_years(report.results):
            out.print(t(lang, "year_approximate_note"))
        if any_illustrative(report.results):
            out.print(Text(t(lang, "illustrative_note")))
    note = listing_note(report, lang)
    if note:
        out.print(Text(note))
    out.print(summary_line(report, lang))
    return buffer.getvalue()
