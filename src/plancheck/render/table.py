"""The table: one table per plan, a status marker that reads without colour, a summary line.

Rich lays the table out. For a file or a pipe (``options.width`` is None: nothing wraps) the
rows of a national report (285,000) are written here instead, column by column: Rich renders
each plan's title, header and first row, with every column set to the width its widest cell
needs (``rich.cells.cell_len``, as Rich measures), and the other rows are padded and joined the
same way. The first row is written both ways and compared; should they ever differ (a Rich
release that lays rows out otherwise), Rich renders the whole plan. On a terminal Rich renders
every table, wrapping cells to its width.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any, Literal

from ..evaluation import Report
from ..text import visible
from .common import (
    actual_text,
    any_illustrative,
    approximate_years,
    distinct,
    escaped,
    listing_note,
    per_value,
    plan_blocks,
    plan_summary_line,
    plan_title,
    shown_cells,
    status_label,
    summary_line,
    target_text,
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


HEADINGS = ("target", "indicator", "region", "year", "target_value", "actual", "status", "gap")
JUSTIFY: dict[str, Literal["left", "right"]] = {"year": "right", "gap": "right"}
# Columns whose text comes from input: shown through plancheck.text.visible, and as rich Text
# (a str would be read as markup: "[link=…]" in a value would become a link).
FROM_INPUT = ("target", "indicator", "region", "year", "target_value", "actual")
# Rich's console width when nothing wraps; a wider table is laid out (collapsed) by Rich itself.
NO_WRAP_WIDTH = 10_000


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The text plan by plan, as it is made."""
    quiet = _quiet_lines(report, options)
    if quiet is not None:
        yield "".join(line + "\n" for line in quiet)
        return
    from rich.text import Text

    buffer = io.StringIO()
    out = console(options, buffer)
    lang = options.lang

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    if not options.quiet:
        results = report.results
        cells = _cells(results, options)
        overviews = report.plan_overviews()
        for plan_id, rows in plan_blocks(results):
            plan_cells = {name: column[rows] for name, column in cells.items()}
            title = visible(plan_title(report, plan_id, lang))
            written = (
                _fixed_width(out, title, plan_cells, options) if options.width is None else None
            )
            if written is None:
                out.print(_rich_table(title, plan_cells, options, len(rows)))
            else:
                yield written
            out.print(plan_summary_line(report, plan_id, lang, overviews))
            out.print()
            yield flush()
        if results["year_inferred"].astype(bool).any():
            out.print(t(lang, "year_inferred_note"))
        if approximate_years(results):
            out.print(t(lang, "year_approximate_note"))
        if any_illustrative(results):
            out.print(Text(t(lang, "illustrative_note")))
    note = listing_note(report, lang)
    if note:
        out.print(Text(note))
    out.print(summary_line(report, lang))
    yield flush()


def _quiet_lines(report: Report, options: RenderOptions) -> list[str] | None:
    """--quiet's lines (the listing note, the summary) when Rich would print them as they are
    (not wrapped, no colour, no markup, printable), so that a quiet run need not load Rich
    (tests/test_render_table_quiet.py compares the two); None otherwise."""
    if not options.quiet or options.width is not None or options.color:
        return None
    lines = [
        line
        for line in (listing_note(report, options.lang), summary_line(report, options.lang))
        if line
    ]
    if all(line.isprintable() and "[" not in line for line in lines):
        return lines
    return None


def _cells(results: Any, options: RenderOptions) -> dict[str, Any]:
    """Each column's shown text: values from input made visible, the status with its marker."""
    shown = shown_cells(results, options)
    for name in FROM_INPUT:
        shown[name] = escaped(shown[name], visible)
    markers = MARKERS if options.unicode else ASCII_MARKERS
    statuses = results["status"].to_numpy(dtype=object)
    shown["status"] = escaped(
        [f"{markers[s]} {label}" for s, label in zip(statuses, shown["status"], strict=True)], str
    )
    shown["_style"] = statuses
    if options.width is None:  # the rows are written here: each cell's width, once per text
        for name in HEADINGS:
            codes, uniques = distinct(shown[name])
            shown[f"_{name}_width"] = cell_widths(uniques)[codes]
    return shown


def _table(title: str, options: RenderOptions, widths: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(title),
        title_justify="left",
        box=box.SIMPLE_HEAD if options.unicode else box.ASCII,
        show_edge=False,
        pad_edge=False,
    )
    for name in HEADINGS:
        table.add_column(
            t(options.lang, f"col.{name}"),
            justify=JUSTIFY.get(name, "left"),
            no_wrap=options.width is None,
            width=None if widths is None else widths[name],
        )
    return table


def _add_row(table: Any, cells: dict[str, Any], i: int) -> None:
    from rich.text import Text  # a row is laid out by Rich: it is loaded already

    table.add_row(
        *(Text(cells[name][i]) for name in FROM_INPUT),
        Text(cells["status"][i], style=STATUS_STYLE[cells["_style"][i]]),
        cells["gap"][i],
    )


def _rich_table(title: str, cells: dict[str, Any], options: RenderOptions, count: int):  # type: ignore[no-untyped-def]
    table = _table(title, options)
    for i in range(count):
        _add_row(table, cells, i)
    return table


def _fixed_width(out: Any, title: str, cells: dict[str, Any], options: RenderOptions) -> str | None:
    """The plan's table with its rows written here (see the module's docstring); None when Rich
    must lay it out (too wide to leave unwrapped, or the first row came out otherwise)."""
    import numpy as np

    widths = {name: cell_width(t(options.lang, f"col.{name}")) for name in HEADINGS}
    for name in HEADINGS:
        widths[name] = max(widths[name], int(cells[f"_{name}_width"].max()))
    separator = "   " if options.unicode else " | "
    if sum(widths.values()) + len(separator) * (len(HEADINGS) - 1) >= NO_WRAP_WIDTH:
        return None
    spaces = np.array([" " * n for n in range(max(widths.values()) + 1)], dtype=object)
    codes = _style_codes() if options.color else None
    line: Any = None
    for name in HEADINGS:
        padding = spaces[widths[name] - cells[f"_{name}_width"]]
        column = padding + cells[name] if JUSTIFY.get(name) == "right" else cells[name] + padding
        if name == "status" and codes is not None:
            column = per_value(cells["_style"], lambda s: codes[s][0]) + column
            column = column + per_value(cells["_style"], lambda s: codes[s][1])
        line = column if line is None else line + separator + column
    lines = line.tolist()
    table = _table(title, options, widths)
    _add_row(table, cells, 0)
    with out.capture() as capture:
        out.print(table)
    head = capture.get()
    if not head.endswith(lines[0] + "\n"):
        return None
    return head + "".join(text + "\n" for text in lines[1:])


def cell_width(text: str) -> int:
    """The cells ``text`` takes in a terminal, as Rich counts them (CJK and emoji take two)."""
    from rich.cells import cell_len

    # Printable ASCII is one cell a character (a control character, zero, never reaches here).
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


# Rich sums its per-character sizes unless a text joins characters into one glyph (a zero-width
# joiner, an emoji presentation selector); such texts, and long ones, are measured one by one.
_SHORT = 64


def cell_widths(texts: Any) -> Any:
    """:func:`cell_width` of each text, as an int array: texts of up to 64 characters measured
    together, a character's size looked up once per distinct character."""
    import numpy as np
    from rich.cells import get_character_cell_size

    texts = list(texts)
    widths = np.zeros(len(texts), dtype=np.int64)
    short = [
        i
        for i, text in enumerate(texts)
        if len(text) <= _SHORT
        and "\u200d" not in text
        and "\ufe0f" not in text
        and "\x00" not in text
    ]
    if short:
        points = np.array([texts[i] for i in short], dtype=str)
        points = points.view(np.uint32).reshape(len(short), -1)  # a row of code points, 0-padded
        size = np.zeros(int(points.max()) + 1, dtype=np.int64)
        for char in np.flatnonzero(np.bincount(points.ravel())).tolist():
            size[char] = 0 if char == 0 else get_character_cell_size(chr(char))  # 0: padding
        widths[short] = size[points].sum(axis=1)
    done = set(short)
    for i, text in enumerate(texts):
        if i not in done:
            widths[i] = cell_width(text)
    return widths


def _style_codes() -> dict[str, tuple[str, str]]:
    """Each status's style as the escape codes Rich writes before and after a cell."""
    from rich.color import ColorSystem
    from rich.style import Style

    codes = {}
    for status, style in STATUS_STYLE.items():
        before, _, after = (
            Style.parse(style).render("\x00", color_system=ColorSystem.STANDARD).partition("\x00")
        )
        codes[status] = (before, after)
    return codes
