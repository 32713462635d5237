"""One self-contained HTML page: plan summaries, a sortable and filterable results table, and charts.

Pure: everything drawn comes from the report (its results, series and canonical target values);
no file, network or clock is read. The page opens offline: inline CSS, a little vanilla JS, and
charts as inline SVG drawn here (no plotting library, no CDN, no web fonts). Every text from the
catalogue or the actuals is escaped. Each chart carries the numbers it draws as JSON in its
``data-points`` attribute, so tests (and scripts) can check the data behind the picture.

What the page shows is gathered in :mod:`.html_data`; this module and :mod:`.html_chart` (the
SVG) write it as HTML. The results table is written column by column and streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from html import escape as escape_html
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..evaluation import STATUSES, Report
from . import columns
from .html_assets import CSS, FONTS, JS
from .html_chart import STATUS_COLORS, charts_section
from .html_data import NATURES, Coded, Page, chart_specs, nature_word, page
from .html_escape import escape, escape_all, escape_strings
from .i18n import status_word, t
from .options import RenderOptions

__all__ = ["NATURES", "STATUS_COLORS", "chart_specs", "escape", "render", "render_chunks"]


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The page, part by part: each line ends in a newline (made as UTF-8, which a file takes
    as it is: columns.Utf8Chunks)."""
    return columns.Utf8Chunks(_utf8_chunks(report, options))


def _utf8_chunks(report: Report, options: RenderOptions) -> Iterator[bytes | memoryview]:
    shown = page(report, options)
    for parts in _parts(shown, options):
        if isinstance(parts, list):
            yield ("\n".join(parts) + "\n").encode("utf-8")
        else:  # the results table's rows
            yield parts


def _parts(page: Page, options: RenderOptions) -> Iterator[list[str] | memoryview]:
    yield _head(page)
    yield _plan_summaries(page)
    yield from _results_section(page, options)
    yield charts_section(page, options)
    yield [f"<script>{JS}</script>", "</body>", "</html>"]


def _head(page: Page) -> list[str]:
    lang = page.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="plancheck">',
        f"<title>{escape(t(lang, 'html.title'))} · {page.as_of}</title>",
        f"<style>{CSS.replace('FONTS', FONTS)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(t(lang, 'html.title'))}</h1>",
        f'<p class="overall">{escape(page.summary)}</p>',
    ]
    if page.methods:
        note = t(lang, "method_note", method=", ".join(page.methods))
        parts.append(f'<p class="note">{escape(note)}</p>')
    if page.actuals_files:
        files = t(lang, "html.actuals_files", files=", ".join(page.actuals_files))
        parts.append(f'<p class="note">{escape(files)}</p>')
    parts.append("</header>")
    return parts


# --- plan summaries ---------------------------------------------------------------------------


def _plan_summaries(page: Page) -> list[str]:
    lang = page.lang
    out = [f'<section id="plans"><h2>{escape(t(lang, "html.plans"))}</h2>', '<div class="plans">']
    for plan_id, title, overview in page.plans:
        rate = overview["completion_rate"]
        shown = [s for s in STATUSES if overview["counts"][s]]
        out += [
            f'<article class="plan-summary" data-plan="{escape(plan_id)}">',
            f"<h3>{escape(title)}</h3>",
            f'<p class="completion" data-completion-rate="{"" if rate is None else rate}">'
            f"{escape(t(lang, 'html.completion_rate'))} {_completion(overview, lang)}</p>",
            '<table class="counts">',
            f"<thead><tr><th scope='col'>{escape(t(lang, 'col.status'))}</th>"
            f"<th scope='col'>{escape(t(lang, 'html.count'))}</th>"
            f"<th scope='col'>{escape(t(lang, 'html.share'))}</th></tr></thead><tbody>",
        ]
        for s in shown:
            out.append(
                f'<tr data-status="{s}"><td><span class="dot" style="background:'
                f'{STATUS_COLORS[s]}"></span>{escape(status_word(s, lang))}</td>'
                f'<td class="num">{overview["counts"][s]}</td>'
                f'<td class="num">{overview["percentages"][s]:g}%</td></tr>'
            )
        out.append(
            f"<tr class='total'><td>Σ</td><td class='num'>{overview['total']}</td>"
            "<td class='num'>100%</td></tr></tbody></table>"
        )
        out += _by_nature(overview["by_nature"], shown, lang)
        out.append("</article>")
    out += ["</div>", "</section>"]
    return out


def _completion(overview: Mapping[str, Any], lang: str) -> str:
    """The rate, large, then how many due targets were met (指标完成率 = met ÷ due)."""
    if overview["completion_rate"] is None:
        return f'<span class="rate">—</span> {escape(t(lang, "completion.none"))}'
    rate = f"{100 * overview['completion_rate']:.1f}%"
    detail = t(lang, "html.completion_detail", met=overview["met_due"], due=overview["due"])
    return f'<span class="rate">{rate}</span> {escape(detail)}'


def _by_nature(
    by_nature: Mapping[str, Mapping[str, int]], shown: list[str], lang: str
) -> list[str]:
    natures = [n for n in NATURES if n in by_nature] + sorted(set(by_nature) - set(NATURES))
    head = "".join(f"<th scope='col'>{escape(status_word(s, lang))}</th>" for s in shown)
    out = [
        '<table class="by-nature">',
        f"<caption>{escape(t(lang, 'html.by_nature'))}</caption>",
        f"<thead><tr><th scope='col'>{escape(t(lang, 'html.nature_col'))}</th>{head}</tr></thead>",
        "<tbody>",
    ]
    for nature in natures:
        cells = "".join(f"<td class='num'>{by_nature[nature].get(s, 0)}</td>" for s in shown)
        out.append(
            f'<tr data-nature="{escape(nature)}"><th scope="row">'
            f"{escape(nature_word(nature, lang))}</th>{cells}</tr>"
        )
    out.append("</tbody></table>")
    return out


# --- results table ----------------------------------------------------------------------------

COLUMNS = (
    ("plan", "text"),
    ("target", "text"),
    ("indicator", "text"),
    ("region", "text"),
    ("year", "num"),
    ("target_value", "text"),
    ("actual", "text"),
    ("status", "text"),
    ("gap", "num"),
    ("progress", "text"),
)


def _results_section(page: Page, options: RenderOptions) -> Iterator[list[str] | memoryview]:
    lang = page.lang
    total = len(page.rows["target_id"])
    out = [
        f'<section id="results"><h2>{escape(t(lang, "html.results"))}</h2>',
        '<form class="filters" onsubmit="return false">',
    ]
    for key, label, choices in page.filters:
        options_html = "".join(
            f'<option value="{escape(value)}">{escape(shown)}</option>' for value, shown in choices
        )
        out.append(
            f'<label>{escape(label)} <select id="filter-{key}" data-filter="{key}">'
            f'<option value="">{escape(t(lang, "html.all"))}</option>{options_html}</select></label>'
        )
    out.append("</form>")
    shown_text = t(lang, "html.shown", shown="\x00", total=total)
    before, _, after = escape_html(shown_text).partition("\x00")  # our own marker
    out.append(
        f'<p class="note"><span>{before}</span><span id="shown-count">{total}</span>'
        f"<span>{after}</span> {escape(t(lang, 'html.sort_hint'))}</p>"
    )
    head = "".join(
        f'<th scope="col" aria-sort="none"><button type="button" data-col="{i}" '
        f'data-type="{kind}">{escape(t(lang, f"col.{name}"))}</button></th>'
        for i, (name, kind) in enumerate(COLUMNS)
    )
    out += [
        '<div class="scroll"><table id="results-table">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    yield out
    yield from _result_blocks(page.rows, lang)
    out = ["</tbody></table></div>"]
    if page.year_inferred:
        out.append(f'<p class="note">{escape(t(lang, "year_inferred_note"))}</p>')
    if page.illustrative:
        out.append(f'<p class="note illustrative">{escape(t(lang, "illustrative_note"))}</p>')
    out.append("</section>")
    yield out


def _breakable(escaped: str) -> str:
    """An escaped id that may wrap after its underscores (long ids would widen the table)."""
    return escaped.replace("_", "_<wbr>")


def _opening(sort: str, numeric: bool) -> str:
    """A cell's <td>, with ``data-sort`` when its sort key is not empty."""
    css = " class=num" if numeric else ""
    return f'<td data-sort="{escape(sort)}"{css}>' if sort else f"<td{css}>"


def _result_blocks(rows: Mapping[str, Any], lang: str) -> Iterator[memoryview]:
    """Each result's <tr> and a newline, columns.BLOCK_ROWS at a time, as UTF-8: every column made once
    (its distinct texts escaped and marked up once) and the rows joined by Arrow's kernels."""
    pieces = columns.compacted(_row_pieces(rows, lang))
    for block in columns.blocks(len(rows["target_id"])):
        parts = [piece if isinstance(piece, str) else piece.block(block) for piece in pieces]
        yield columns.utf8_of(columns.joined(parts))


def _row_pieces(rows: Mapping[str, Any], lang: str) -> list[str | columns.Texts]:
    """A row of the results table, as literal texts and columns end to end. Every text from
    input is escaped (html_escape): once per distinct value in a coded column, the column
    joined into one text otherwise (escape_all)."""
    tid = _per_row(rows["target_id"])
    code = columns.Texts.per_row(pc.replace_substring(tid.texts, "_", "_<wbr>"))
    charts: Coded = rows["charts"]
    first_chart = Coded(charts.codes, [ids[0] if ids else "" for ids in charts.values])
    indicator = _paired(
        rows["indicator"],
        first_chart,
        lambda name, chart: f'<a href="#{chart}">{escape(name)}</a>' if chart else escape(name),
    )
    illustrative = np.asarray(rows["illustrative"], dtype=bool)
    actual = _per_row(rows["actual"])
    if illustrative.any():
        badge = f' <span class="badge-illustrative">{escape(t(lang, "html.illustrative"))}</span>'
        marked = pc.if_else(
            pa.array(illustrative),
            pc.binary_join_element_wise(actual.texts, badge, ""),
            actual.texts,
        )
        actual = columns.Texts.per_row(marked)
    flag = columns.Texts(illustrative.astype(np.int8), pa.array(["", ' class="illustrative"']))
    return [
        '<tr data-target-id="',
        tid,
        '" data-plan="',
        _made(rows["plan"], escape),
        '" data-region="',
        _made(rows["region_id"], escape),
        '" data-indicator="',
        _made(rows["indicator_id"], escape),
        '" data-status="',
        _made(rows["status"], lambda status: escape(status[0])),
        '" data-nature="',
        _made(rows["nature"], escape),
        '" data-charts="',
        _made(charts, lambda ids: escape(" ".join(ids))),
        '"',
        flag,
        "><td>",
        _made(rows["plan"], lambda plan: _breakable(escape(plan))),
        "</td><td><code>",
        code,
        "</code></td><td>",
        indicator,
        "</td><td>",
        _made(rows["region"], escape),
        "</td>",
        _sorted_cells(rows["year"]),
        "</td><td>",
        _per_row(rows["target_value"]),
        "</td><td>",
        actual,
        "</td>",
        _made(
            rows["status"],
            lambda status: (
                f'{_opening(status[0], False)}<span class="dot" style="background:'
                f'{STATUS_COLORS.get(status[0], "#6e7781")}"></span>{escape(status[1])}'
            ),
        ),
        "</td>",
        _sorted_cells(rows["gap"]),
        "</td>",
        _made(rows["progress"], _progress_cell),
        "</td></tr>\n",
    ]


def _progress_cell(progress: tuple[str, str]) -> str:
    method, category = progress
    if not category:
        return "<td>"
    return f'{_opening(category, False)}<span title="{escape(method)}">{escape(category)}</span>'


def _sorted_cells(coded: Coded) -> columns.Texts:
    """Numeric cells from (sort key, text) values: the opening <td> with its sort key, then
    the text; both escaped a column at a time (a national report has ~10^5 distinct gaps)."""
    sorts = escape_all([sort for sort, _ in coded.values])
    shown = escape_all([text for _, text in coded.values])
    made = [
        f'<td data-sort="{sort}" class=num>{text}' if sort else f"<td class=num>{text}"
        for sort, text in zip(sorts, shown, strict=True)
    ]
    return columns.Texts(coded.codes, pa.array(made, pa.string()))


def _per_row(values: Any) -> columns.Texts:
    """A column of each row's own text, escaped: by Arrow's kernels, or value by value
    (escape_all) when a text holds a control character or one Arrow cannot hold."""
    texts = np.asarray(values, dtype=object).tolist()
    try:
        strings = pa.array(texts, pa.string())
    except (UnicodeEncodeError, pa.ArrowException):  # a lone surrogate, or not a text
        strings = None
    if strings is not None and strings.null_count == 0:
        escaped = escape_strings(strings)
        if escaped is not None:
            return columns.Texts.per_row(escaped)
    return columns.Texts.per_row(pa.array(escape_all(texts), pa.string()))


def _made(coded: Coded, make: Callable[[Any], str]) -> columns.Texts:
    """A coded column's cells: ``make`` (which escapes) once per distinct value."""
    return columns.Texts(coded.codes, pa.array([make(v) for v in coded.values], pa.string()))


def _paired(first: Coded, second: Coded, make: Callable[[Any, Any], str]) -> columns.Texts:
    """``make(a, b)`` once per distinct pair of two coded columns' values."""
    pairs, codes = np.unique(
        first.codes.astype(np.int64) * len(second.values) + second.codes, return_inverse=True
    )
    made = [
        make(first.values[p // len(second.values)], second.values[p % len(second.values)])
        for p in pairs.tolist()
    ]
    return columns.Texts(codes.reshape(-1).astype(np.int32), pa.array(made, pa.string()))
