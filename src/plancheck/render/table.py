"""The Rich table: one table per plan, a status marker that reads without colour, a summary line."""

from __future__ import annotations

import io
import math

import pandas as pd

from ..evaluation import STATUSES, Report
from .options import RenderOptions

STATUS_STYLE = {"met": "green", "not_met": "bold red", "missing": "yellow", "pending": "cyan", "open": "blue"}
MARKERS = {"met": "✓", "not_met": "✗", "missing": "?", "pending": "…", "open": "○"}
ASCII_MARKERS = {"met": "+", "not_met": "x", "missing": "?", "pending": "~", "open": "o"}


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


def _number(text: object) -> str:
    return "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)


def _gap(value: float) -> str:
    if value is None or math.isnan(value):
        return ""
    return f"{value:+,.10g}"


def target_text(row: pd.Series) -> str:
    if row["kind"] == "milestone":
        return "done by deadline" if pd.notna(row["year"]) else "done"
    if row["comparator"] == "between":
        return f"{row['target_value']}–{row['target_value_max']} {row['target_unit']}"
    return f"{row['comparator']} {row['target_value']} {row['target_unit']}"


def actual_text(row: pd.Series) -> str:
    if row["actual_value"] is None or (isinstance(row["actual_value"], float) and math.isnan(row["actual_value"])):
        return "—"
    if row["kind"] == "milestone":
        return f"{row['actual_value']} {row['completed'] or ''}".strip()
    return f"{row['actual_value']} {row['actual_unit'] or ''}".strip()


def status_text(status: str, soft: bool, options: RenderOptions) -> str:
    marker = (MARKERS if options.unicode else ASCII_MARKERS)[status]
    return f"{marker} {status}" + (" (soft)" if soft and status in ("not_met", "missing") else "")


def summary_line(report: Report) -> str:
    counts = report.summary()
    total = sum(counts.values())
    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    failing = len(report.failing())
    verdict = f"{failing} failing" if failing else "no failing targets"
    return f"{total} targets (as of {report.as_of}): {', '.join(parts) or 'none'}; {verdict}"


def render(report: Report, options: RenderOptions) -> str:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    out = console(options, buffer)
    if not options.quiet:
        for plan_id, rows in report.results.groupby("plan", sort=False):
            meta = report.plans.get(str(plan_id), {})
            title = f"{plan_id}  {meta.get('title_zh', '')}".rstrip()
            table = Table(
                title=title,
                title_justify="left",
                box=box.SIMPLE_HEAD if options.unicode else box.ASCII,
                show_edge=False,
                pad_edge=False,
            )
            for name, justify in (("target", "left"), ("region", "left"), ("year", "right"), ("target value", "left"), ("actual", "left"), ("status", "left"), ("gap", "right")):
                table.add_column(name, justify=justify, no_wrap=options.width is None)  # type: ignore[arg-type]
            for _, row in rows.iterrows():
                year = "—" if pd.isna(row["year"]) else str(int(row["year"])) + ("*" if row["year_inferred"] else "")
                table.add_row(
                    str(row["target_id"]),
                    str(row["region"]),
                    year,
                    target_text(row),
                    actual_text(row),
                    Text(status_text(row["status"], bool(row["soft"]), options), style=STATUS_STYLE[row["status"]]),
                    _gap(row["gap"]),
                )
            out.print(table)
            out.print()
        if report.results["year_inferred"].astype(bool).any():
            out.print("* year not stated in the plan: its end year is used")
    out.print(summary_line(report))
    return buffer.getvalue()
