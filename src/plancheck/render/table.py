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
from ..text import PRINTABLE_ASCII, printable_utf8, visible
from .common import (
    actual_text,
    any_illustrative_flag,
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
    """The text plan by plan, as it is made: for a file or a pipe as UTF-8 (the rows are
    joined by Arrow: columns.Utf8Chunks), on a terminal as text."""
    pieces = _pieces(report, options)
    if options.width is None and not options.quiet:
        from .columns import Utf8Chunks

        return Utf8Chunks(_encoded(pieces))
    return (piece if isinstance(piece, str) else str(piece, "utf-8") for piece in pieces)


def _encoded(pieces: Iterator[str | memoryview]) -> Iterator[bytes | memoryview]:
    for piece in pieces:
        yield piece.encode("utf-8") if isinstance(piece, str) else piece


def _pieces(report: Report, options: RenderOptions) -> Iterator[str | memoryview]:
    """The text as it is made: Rich's output as text, the rows written here as UTF-8."""
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
        rows_here = _Rows.of(results, options) if options.width is None else None
        cells = _cells(results, options) if rows_here is None else None
        overviews = report.plan_overviews()
        for plan_id, rows in plan_blocks(results):
            title = visible(plan_title(report, plan_id, lang))
            written = (
                _fixed_width(out, title, rows_here, rows, options)
                if rows_here is not None
                else None
            )
            if written is not None:
                yield from written
            else:
                plan_cells = (
                    rows_here.cells(rows)
                    if rows_here is not None
                    else {name: column[rows] for name, column in (cells or {}).items()}
                )
                out.print(_rich_table(title, plan_cells, options, len(rows)))
            out.print(plan_summary_line(report, plan_id, lang, overviews))
            out.print()
            yield flush()
        _print_notes(out, results, lang)
    note = listing_note(report, lang)
    if note:
        out.print(Text(note))
    out.print(summary_line(report, lang))
    yield flush()


def _print_notes(out: Any, results: Any, lang: str) -> None:
    """The notes under the tables: inferred and approximate years, illustrative figures."""
    from rich.text import Text

    if results["year_inferred"].astype(bool).any():
        out.print(t(lang, "year_inferred_note"))
    if approximate_years(results):
        out.print(t(lang, "year_approximate_note"))
    if any_illustrative_flag(results):
        out.print(Text(t(lang, "illustrative_note")))


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
    """Each column's shown text, one per row: values from input made visible, the status with
    its marker; ``_style``: each row's status."""
    shown = shown_cells(results, options)
    for name in FROM_INPUT:
        shown[name] = _visible(shown[name])
    markers = MARKERS if options.unicode else ASCII_MARKERS
    statuses = results["status"].to_numpy(dtype=object)
    # the marker once per status, joined to each row's label (object arrays: str + str)
    shown["status"] = per_value(statuses, lambda s: f"{markers[s]} ") + shown["status"]
    shown["_style"] = statuses
    return shown


def _visible(values: Any) -> Any:
    """:func:`plancheck.text.visible` of each text: as they are when all of them are printable
    (one look at them joined: a national column holds 285,000 distinct ids), else once per
    distinct text."""
    try:
        printable = "".join(values).isprintable()
    except TypeError:  # not all texts
        printable = False
    return values if printable else escaped(values, visible)


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


class _Rows:
    """The rows a plan's table writes without Rich: each column's texts as one Arrow array, with
    each text's width in cells, so that a plan's rows are padded and joined by Arrow's kernels
    (one element-wise concatenation per plan), never row by row in Python."""

    def __init__(
        self, texts: dict[str, Any], widths: dict[str, Any], statuses: Any, options: RenderOptions
    ) -> None:
        import pyarrow.compute as pc

        self.texts = texts  # heading → pa.StringArray, one text per result
        self.widths = widths  # heading → int array, each text's cells
        self.statuses = statuses  # each result's status (its style)
        # the columns whose every character is a cell wide: padded by Arrow's own kernel
        self.narrow = {
            name: bool((pc.utf8_length(texts[name]).to_numpy(False) == widths[name]).all())
            for name in HEADINGS
        }
        self.styles = None  # the colour codes before and after each status cell
        if options.color:
            self.styles = _styles(statuses)

    @classmethod
    def of(cls, results: Any, options: RenderOptions) -> _Rows | None:
        """The columns of :func:`_cells`, made in Arrow; None when a text is one Arrow cannot
        hold (Rich then lays every plan out)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        shown = shown_cells(results, options)
        markers = MARKERS if options.unicode else ASCII_MARKERS
        statuses = results["status"].to_numpy(dtype=object)
        codes, names = distinct(statuses)
        try:
            texts = {name: _visible_array(shown[name]) for name in FROM_INPUT}
            texts["status"] = pc.binary_join_element_wise(
                pa.array([f"{markers[s]} " for s in names], pa.string()).take(pa.array(codes)),
                pa.array(shown["status"], pa.string()),
                "",
            )
            texts["gap"] = pa.array(shown["gap"], pa.string())
        except (pa.ArrowException, UnicodeEncodeError, TypeError):
            return None
        widths = {name: cell_widths(texts[name]) for name in HEADINGS}
        return cls(texts, widths, statuses, options)

    def cells(self, rows: Any) -> dict[str, Any]:
        """The rows at positions ``rows`` as :func:`_cells` has them (for Rich)."""
        import pyarrow as pa

        chosen = pa.array(rows, pa.int64())
        cells = {
            name: self.texts[name].take(chosen).to_numpy(zero_copy_only=False) for name in HEADINGS
        }
        cells["_style"] = self.statuses[rows]
        return cells

    def lines(self, rows: Any, widths: dict[str, int], separator: str) -> Any:
        """The rows at positions ``rows`` (ascending), each cell padded to its column's width,
        each line ending in a newline: a pa.StringArray."""
        import pyarrow as pa
        import pyarrow.compute as pc

        from .columns import joined

        first, count = int(rows[0]), len(rows)
        if int(rows[-1]) - first + 1 == count:  # one run of rows (a plan's, as results are made)
            where: Any = slice(first, first + count)

            def taken(array: Any) -> Any:
                return array.slice(first, count)
        else:
            where = rows
            chosen = pa.array(rows)

            def taken(array: Any) -> Any:
                return array.take(chosen)

        pieces: list[Any] = []
        for n, name in enumerate(HEADINGS):
            text = taken(self.texts[name])
            right = JUSTIFY.get(name) == "right"
            if self.narrow[name]:  # as many cells as characters
                pad = pc.utf8_lpad if right else pc.utf8_rpad
                cell = [pad(text, width=widths[name], padding=" ")]
            else:
                padding = pc.binary_repeat(" ", pa.array(widths[name] - self.widths[name][where]))
                cell = [padding, text] if right else [text, padding]
            if name == "status" and self.styles is not None:
                cell = [taken(self.styles[0]), *cell, taken(self.styles[1])]
            pieces += [*cell, separator if n < len(HEADINGS) - 1 else "\n"]
        return joined(pieces)


def _visible_array(values: Any) -> Any:
    """:func:`_visible` of a column as a pa.StringArray: the texts as they are when every
    character is printable, which one look at their UTF-8 settles (what is not printable ASCII
    is few characters: units, names), else :func:`plancheck.text.visible` once per text."""
    import pyarrow as pa

    from .columns import utf8_of

    try:
        array = pa.array(values, pa.string())
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate: made visible first
        return pa.array(escaped(values, visible), pa.string())
    if printable_utf8(bytes(utf8_of(array))):
        return array
    return pa.array(escaped(values, visible), pa.string())


def _styles(statuses: Any) -> tuple[Any, Any]:
    """The colour codes before and after each status cell (pa.StringArrays)."""
    import pyarrow as pa

    codes, names = distinct(statuses)
    made = _style_codes()
    before = pa.array([made[s][0] for s in names], pa.string())
    after = pa.array([made[s][1] for s in names], pa.string())
    return before.take(pa.array(codes)), after.take(pa.array(codes))


def _fixed_width(
    out: Any, title: str, written: _Rows, rows: Any, options: RenderOptions
) -> list[str | memoryview] | None:
    """The plan's table with its rows written here (see the module's docstring): Rich's title,
    header and first row, then the other rows as UTF-8; None when Rich must lay it out (too
    wide to leave unwrapped, or the first row came out otherwise)."""
    from .columns import utf8_of

    widths = {name: cell_width(t(options.lang, f"col.{name}")) for name in HEADINGS}
    for name in HEADINGS:
        widths[name] = max(widths[name], int(written.widths[name][rows].max()))
    separator = "   " if options.unicode else " | "
    if sum(widths.values()) + len(separator) * (len(HEADINGS) - 1) >= NO_WRAP_WIDTH:
        return None
    lines = written.lines(rows, widths, separator)
    table = _table(title, options, widths)
    _add_row(table, written.cells(rows[:1]), 0)
    with out.capture() as capture:
        out.print(table)
    head = capture.get()
    if not head.endswith(str(utf8_of(lines.slice(0, 1)), "utf-8")):
        return None
    return [head, utf8_of(lines.slice(1))]


def cell_width(text: str) -> int:
    """The cells ``text`` takes in a terminal, as Rich counts them (CJK and emoji take two)."""
    from rich.cells import cell_len

    # Printable ASCII is one cell a character (a control character, zero, never reaches here).
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def cell_widths(texts: Any) -> Any:
    """:func:`cell_width` of each text (a sequence of texts, or a pa.StringArray without
    nulls), as an int array, all at once in Arrow's and numpy's loops: texts that repeat
    (statuses, names) measured once each, a character's size looked up once per distinct
    character."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .columns import repeats

    if not isinstance(texts, pa.Array):
        texts = list(texts)
        try:
            texts = pa.array(texts, pa.string())
        except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate: one by one
            return np.array([cell_width(text) for text in texts], dtype=np.int64)
    if len(texts) > _FEW_ROWS and repeats(texts):
        coded = pc.dictionary_encode(texts)
        return _measured(coded.dictionary)[coded.indices.to_numpy(zero_copy_only=False)]
    return _measured(texts)


# Columns of more texts than this are measured once per distinct text when their texts repeat;
# texts with at most this many distinct characters that are not a cell wide are measured by
# counting those characters.
_FEW_ROWS = 1024
_FEW_CHARACTERS = 16
# Characters by which Rich measures a text as a sequence of glyphs (rich.cells._cell_len).
_JOINERS = ("\u200d", "\ufe0f")


def _measured(texts: Any) -> Any:
    """:func:`cell_width` of each text of a pa.StringArray (no nulls).

    Rich sums each character's size (:func:`rich.cells.cell_len`), so a text's width is its
    length plus, for each character that is not one cell wide, its cells less one times its
    count in the text: one count per such character (a column of figures holds a few, "亿元"),
    or, for many, each character's size summed over all the texts' code points at once. A text
    that joins characters into one glyph (a zero-width joiner, an emoji presentation selector)
    is measured by Rich on its own."""
    import numpy as np
    import pyarrow.compute as pc
    from rich.cells import get_character_cell_size

    from .columns import utf8_of

    lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(np.int64)
    data = bytes(utf8_of(texts))
    # what is not printable ASCII: whole UTF-8 sequences (ASCII bytes are never inside one)
    others = data.translate(None, PRINTABLE_ASCII)
    if not others:
        return lengths  # a cell a character
    sizes = {char: get_character_cell_size(char) for char in set(str(others, "utf-8"))}
    odd = {char: size for char, size in sizes.items() if size != 1}
    widths = lengths
    if len(odd) <= _FEW_CHARACTERS:
        for char, size in odd.items():
            counts = pc.count_substring(texts, char).to_numpy(zero_copy_only=False)
            widths = widths + (size - 1) * counts.astype(np.int64)
    else:
        points = np.frombuffer(str(data, "utf-8").encode("utf-32-le"), dtype=np.uint32)
        size_of = np.ones(max(map(ord, odd)) + 1, dtype=np.int64)
        for char, size in odd.items():
            size_of[ord(char)] = size
        cells = size_of[np.minimum(points, len(size_of) - 1)]
        cells[points >= len(size_of)] = 1
        ends = np.cumsum(lengths)
        total = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(cells)])
        widths = total[ends] - total[ends - lengths]
    if any(joiner in sizes for joiner in _JOINERS):
        joined = pc.or_(*(pc.match_substring(texts, joiner) for joiner in _JOINERS))
        for row in np.flatnonzero(joined.to_numpy(zero_copy_only=False)).tolist():
            widths[row] = cell_width(texts[row].as_py())
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
