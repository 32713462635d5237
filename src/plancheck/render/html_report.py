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

from ..evaluation import STATUSES, Report
from .common import distinct, per_value
from .html_assets import CSS, FONTS, JS
from .html_chart import STATUS_COLORS, charts_section
from .html_data import NATURES, Page, chart_specs, nature_word, page
from .html_escape import escape, escape_all
from .i18n import status_word, t
from .options import RenderOptions

__all__ = ["NATURES", "STATUS_COLORS", "chart_specs", "escape", "render", "render_chunks"]

# Rows of the results table per chunk of output.
BLOCK_ROWS = 10_000


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The page, part by part: each line ends in a newline."""
    shown = page(report, options)
    for parts in _parts(shown, options):
        yield "\n".join(parts) + "\n"


def _parts(page: Page, options: RenderOptions) -> Iterator[list[str]]:
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


def _results_section(page: Page, options: RenderOptions) -> Iterator[list[str]]:
    lang = page.lang
    total = len(page.rows["target"])
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


def _escaped(values: Any) -> list[str]:
    """escape() of each value, column-wise (see html_escape)."""
    return escape_all(np.asarray(values, dtype=object).tolist())


def _openings(sorts: Any, numeric: bool) -> list[str]:
    """Each cell's <td>, with ``data-sort`` where its sort key is not empty."""
    codes, keys = distinct(sorts)
    css = " class=num" if numeric else ""
    made = np.empty(len(keys), dtype=object)
    made[:] = [
        f'<td data-sort="{escaped}"{css}>' if key else f"<td{css}>"
        for key, escaped in zip(keys, escape_all(keys), strict=True)
    ]
    return list(made[codes].tolist())


def _per_pair(first: Any, second: Any, make: Callable[[Any, Any], str]) -> list[str]:
    """``make(a, b)`` once per distinct pair of values, spread to every position."""
    a_codes, a_values = distinct(first)
    b_codes, b_values = distinct(second)
    pairs, codes = np.unique(a_codes * len(b_values) + b_codes, return_inverse=True)
    made = np.empty(len(pairs), dtype=object)
    made[:] = [make(a_values[p // len(b_values)], b_values[p % len(b_values)]) for p in pairs]
    return list(made[codes].tolist())


def _opening(sort: str, numeric: bool) -> str:
    """A cell's <td>, with ``data-sort`` when its sort key is not empty."""
    css = " class=num" if numeric else ""
    return f'<td data-sort="{escape(sort)}"{css}>' if sort else f"<td{css}>"


def _result_blocks(rows: Mapping[str, Any], lang: str) -> Iterator[list[str]]:
    """Each result's <tr>, BLOCK_ROWS at a time, each row written in one piece from its cells."""
    columns = _row_parts(rows, lang)
    for start in range(0, len(columns[0]), BLOCK_ROWS):
        block = [column[start : start + BLOCK_ROWS] for column in columns]
        yield [
            f'<tr data-target-id="{tid}" data-plan="{plan}" data-region="{region_id}" '
            f'data-indicator="{indicator_id}" data-status="{status_id}" data-nature="{nature}" '
            f'data-charts="{charts}"{flagged}><td>{plan_cell}</td><td><code>{code}</code></td>'
            f"<td>{name}</td><td>{region}</td>{year_open}{year}</td><td>{target}</td>"
            f"<td>{shown}</td>{status_cell}</td>{gap_open}{gap}</td>{progress_cell}</td></tr>"
            for (
                tid,
                plan,
                region_id,
                indicator_id,
                status_id,
                nature,
                charts,
                flagged,
                plan_cell,
                code,
                name,
                region,
                year_open,
                year,
                target,
                shown,
                status_cell,
                gap_open,
                gap,
                progress_cell,
            ) in zip(*block, strict=True)
        ]


def _row_parts(rows: Mapping[str, Any], lang: str) -> tuple[list[str], ...]:
    """What each row is written from, column by column, in the order _result_blocks reads it.
    Every cell's text is escaped column-wise (html_escape.escape_all); cells of few distinct
    values are marked up once per value."""
    target_id = _escaped(rows["target_id"])
    target_code = [_breakable(escaped) for escaped in target_id]
    first_chart = [ids[0] if ids else "" for ids in rows["charts"]]
    indicator = _escaped(rows["indicator"])
    for i in np.flatnonzero(np.asarray(first_chart, dtype=object) != ""):
        indicator[i] = f'<a href="#{first_chart[i]}">{indicator[i]}</a>'
    badge = f' <span class="badge-illustrative">{escape(t(lang, "html.illustrative"))}</span>'
    actual = _escaped(rows["actual"])
    flagged = np.flatnonzero(rows["illustrative"])
    for i in flagged:
        actual[i] += badge
    flag = [""] * len(actual)
    for i in flagged:
        flag[i] = ' class="illustrative"'
    # Few distinct values: made whole per value, escaped as they are made.
    status = per_value(
        rows["status_id"],
        lambda s: (
            f'{_opening(s, False)}<span class="dot" style="background:'
            f'{STATUS_COLORS.get(s, "#6e7781")}"></span>'
        ),
    ) + np.asarray(_escaped(rows["status"]), dtype=object)
    progress = _per_pair(
        rows["method"],
        rows["category"],
        lambda method, category: (
            f'{_opening(category, False)}<span title="{escape(method)}">{escape(category)}</span>'
            if category
            else "<td>"
        ),
    )
    return (
        target_id,
        _escaped(rows["plan"]),
        _escaped(rows["region_id"]),
        _escaped(rows["indicator_id"]),
        _escaped(rows["status_id"]),
        _escaped(rows["nature"]),
        _escaped([" ".join(ids) for ids in rows["charts"]]),
        flag,
        list(per_value(rows["plan"], lambda plan: _breakable(escape(plan))).tolist()),
        target_code,
        indicator,
        _escaped(rows["region"]),
        _openings(rows["year_sort"], True),
        _escaped(rows["year"]),
        _escaped(rows["target_value"]),
        actual,
        status.tolist(),
        _openings(rows["gap_sort"], True),
        _escaped(rows["gap"]),
        progress,
    )
