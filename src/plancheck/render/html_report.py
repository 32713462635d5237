"""One self-contained HTML page: plan summaries, a sortable and filterable results table, and charts.

Pure: everything drawn comes from the report (its results, series and canonical target values);
no file, network or clock is read. The page opens offline: inline CSS, a little vanilla JS, and
charts as inline SVG drawn here (no plotting library, no CDN, no web fonts). Every text from the
catalogue or the actuals is escaped. Each chart carries the numbers it draws as JSON in its
``data-points`` attribute, so tests (and scripts) can check the data behind the picture.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from html import escape as escape_html
from typing import Any

import pandas as pd

from ..evaluation import STATUSES, Report
from ..evaluation.report import Series
from ..text import visible
from .common import (
    actual_text,
    any_illustrative,
    blank,
    gap_text,
    is_illustrative,
    plan_title,
    status_label,
    summary_line,
    target_text,
    text,
    year_text,
)
from .i18n import status_word, t
from .options import RenderOptions

NATURES = ("binding", "expected", "unspecified")
STATUS_COLORS = {
    "met": "#1a7f37",
    "not_met": "#cf222e",
    "missing": "#bf8700",  # its own colour: due and no figure is not "not due yet"
    "on_track": "#1a7f37",
    "off_track": "#bc4c00",
    "insufficient_data": "#6e7781",
    "pending": "#6e7781",
    "open": "#6e7781",
}
ACTUAL_COLOR, PROJECTED_COLOR, REQUIRED_COLOR = "#0969da", "#8250df", "#57606a"
FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)


def escape(text: str, quote: bool = True) -> str:
    """HTML-escaped, with control and invisible characters shown as escapes (plancheck.text)."""
    return escape_html(visible(text), quote)


# Chart geometry (SVG user units; the SVG scales to its box).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 28, 30, 40


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    results = report.results
    charts = chart_specs(report)
    chart_ids = {(c["indicator"], c["region"]): f"chart-{n}" for n, c in enumerate(charts, 1)}
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="plancheck">',
        f"<title>{escape(t(lang, 'html.title'))} · {report.as_of}</title>",
        f"<style>{_CSS.replace('FONTS', FONTS)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(t(lang, 'html.title'))}</h1>",
        f'<p class="overall">{escape(summary_line(report, lang))}</p>',
    ]
    methods = sorted({str(m) for m in results["progress_method"] if not blank(m)})
    if methods:
        note = t(lang, "method_note", method=", ".join(methods))
        parts.append(f'<p class="note">{escape(note)}</p>')
    if report.actuals_files:
        files = t(lang, "html.actuals_files", files=", ".join(report.actuals_files))
        parts.append(f'<p class="note">{escape(files)}</p>')
    parts.append("</header>")
    parts += _plan_summaries(report, lang)
    parts += _results_section(report, options, chart_ids)
    parts += _charts_section(report, options, charts, chart_ids)
    parts += [f"<script>{_JS}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)


# --- plan summaries ---------------------------------------------------------------------------


def _plan_summaries(report: Report, lang: str) -> list[str]:
    out = [f'<section id="plans"><h2>{escape(t(lang, "html.plans"))}</h2>', '<div class="plans">']
    for plan_id, overview in report.plan_overviews().items():
        rate = overview["completion_rate"]
        shown = [s for s in STATUSES if overview["counts"][s]]
        out += [
            f'<article class="plan-summary" data-plan="{escape(plan_id)}">',
            f"<h3>{escape(plan_title(report, plan_id, lang))}</h3>",
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
            f"{escape(_nature_word(nature, lang))}</th>{cells}</tr>"
        )
    out.append("</tbody></table>")
    return out


def _nature_word(nature: str, lang: str) -> str:
    return t(lang, f"nature.{nature}") if nature in NATURES else nature


def _nature(value: Any) -> str:
    return "unspecified" if blank(value) else str(value)


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


def _results_section(
    report: Report, options: RenderOptions, chart_ids: Mapping[tuple[str, str], str]
) -> list[str]:
    lang, names = options.lang, options.names
    results = report.results
    total = len(results)
    out = [
        f'<section id="results"><h2>{escape(t(lang, "html.results"))}</h2>',
        '<form class="filters" onsubmit="return false">',
    ]
    plans = [str(p) for p in dict.fromkeys(results["plan"])]
    regions = [str(r) for r in dict.fromkeys(results["region"])]
    present = set(results["status"])
    natures = {_nature(n) for n in results["nature"]}
    controls: list[tuple[str, str, list[tuple[str, str]]]] = [
        ("plan", t(lang, "col.plan"), [(p, p) for p in plans]),
        ("region", t(lang, "col.region"), [(r, names.region(r, lang)) for r in regions]),
        (
            "status",
            t(lang, "col.status"),
            [(s, status_word(s, lang)) for s in STATUSES if s in present],
        ),
        (
            "nature",
            t(lang, "html.nature_col"),
            [(n, _nature_word(n, lang)) for n in NATURES if n in natures],
        ),
    ]
    for key, label, choices in controls:
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
    for _, row in results.iterrows():
        out.append(_result_row(row, report, options, chart_ids))
    out += ["</tbody></table></div>"]
    if results["year_inferred"].astype(bool).any():
        out.append(f'<p class="note">{escape(t(lang, "year_inferred_note"))}</p>')
    if any_illustrative(results):
        out.append(f'<p class="note illustrative">{escape(t(lang, "illustrative_note"))}</p>')
    out.append("</section>")
    return out


def _breakable(identifier: str) -> str:
    """An id that may wrap after its underscores (long ids would widen the table)."""
    return escape(identifier).replace("_", "_<wbr>")


def _row_charts(row: pd.Series, chart_ids: Mapping[tuple[str, str], str]) -> list[str]:
    keys = [(str(row["indicator"]), str(row["region"]))]
    inputs = row["progress_inputs"]
    if isinstance(inputs, dict) and inputs.get("series"):
        keys.append((str(inputs["series"]), str(row["region"])))
    return list(dict.fromkeys(chart_ids[k] for k in keys if k in chart_ids))


def _result_row(
    row: pd.Series,
    report: Report,
    options: RenderOptions,
    chart_ids: Mapping[tuple[str, str], str],
) -> str:
    lang, names = options.lang, options.names
    status = str(row["status"])
    charts = _row_charts(row, chart_ids)
    indicator = escape(names.indicator(str(row["indicator"]), lang))
    if charts:
        indicator = f'<a href="#{charts[0]}">{indicator}</a>'
    category = text(row["progress_category"])
    method = text(row["progress_method"])
    year = "" if blank(row["year"]) else str(int(row["year"]))
    gap = "" if blank(row["gap"]) else repr(float(row["gap"]))
    cells = [
        (_breakable(str(row["plan"])), ""),
        (f"<code>{_breakable(str(row['target_id']))}</code>", ""),
        (indicator, ""),
        (escape(names.region(str(row["region"]), lang)), ""),
        (escape(year_text(row)), year),
        (escape(target_text(row, lang)), ""),
        (_actual_cell(row, lang), ""),
        (
            f'<span class="dot" style="background:{STATUS_COLORS.get(status, "#6e7781")}">'
            f"</span>{escape(status_label(status, bool(row['soft']), lang))}",
            status,
        ),
        (escape(gap_text(row["gap"])), gap),
        (
            f'<span title="{escape(method)}">{escape(category)}</span>' if category else "",
            category,
        ),
    ]
    tds = "".join(
        f'<td data-sort="{escape(sort)}"{" class=num" if COLUMNS[i][1] == "num" else ""}>{html}</td>'
        if sort
        else f"<td{' class=num' if COLUMNS[i][1] == 'num' else ''}>{html}</td>"
        for i, (html, sort) in enumerate(cells)
    )
    attrs = {
        "data-target-id": str(row["target_id"]),
        "data-plan": str(row["plan"]),
        "data-region": str(row["region"]),
        "data-indicator": str(row["indicator"]),
        "data-status": status,
        "data-nature": _nature(row["nature"]),
        "data-charts": " ".join(charts),
    }
    if is_illustrative(row["flag"]):
        attrs["class"] = "illustrative"
    attr_text = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
    return f"<tr {attr_text}>{tds}</tr>"


def _actual_cell(row: pd.Series, lang: str) -> str:
    """The actual as text; an illustrative figure also gets a visible badge."""
    shown = escape(actual_text(row, lang))
    if not is_illustrative(row["flag"]):
        return shown
    return f'{shown} <span class="badge-illustrative">{escape(t(lang, "html.illustrative"))}</span>'


# --- chart data -------------------------------------------------------------------------------


def chart_specs(report: Report) -> list[dict[str, Any]]:
    """One chart per (indicator, region) with a series, in results order: the numbers it draws.

    ``actuals``: the series; ``targets``: each target's value in the indicator's canonical unit at
    its year (for an average-growth target not yet due, on its level series, the level the planned
    rate reaches); ``paths``: for targets not yet due, the projected path (latest value → projected
    value) or, when the method projects none, the required path (base value → target).
    """
    specs: dict[tuple[str, str], dict[str, Any]] = {}

    def spec(key: tuple[str, str], series: Series) -> dict[str, Any]:
        if key not in specs:
            specs[key] = {
                "indicator": key[0],
                "region": key[1],
                "unit": series.unit,
                "actuals": [[year, value] for year, value in series.points],
                "targets": [],
                "paths": [],
            }
        return specs[key]

    for _, row in report.results.iterrows():
        if row["kind"] not in ("level", "growth"):
            continue
        own = (str(row["indicator"]), str(row["region"]))
        lo, hi = report.target_levels.get(str(row["target_id"]), (None, None))
        if own in report.series and lo is not None and not blank(row["year"]):
            spec(own, report.series[own])["targets"].append(
                _target(row, int(row["year"]), lo, hi, None)
            )
        inputs = row["progress_inputs"]
        if not isinstance(inputs, dict) or blank(row["year"]) or int(row["year"]) <= report.as_of:
            continue
        key = (str(inputs.get("series")), str(row["region"]))
        if key not in report.series:
            continue
        chart = spec(key, report.series[key])
        level = _level_target(inputs)
        if key != own and level is not None:  # an average-growth target, on its level series
            chart["targets"].append(_target(row, int(row["year"]), level, None, "average_growth"))
        path = _path(row, inputs, level)
        if path is not None:
            chart["paths"].append(path)
    return list(specs.values())


def _target(
    row: pd.Series, year: int, value: float, value_max: float | None, derived: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "target_id": str(row["target_id"]),
        "year": year,
        "comparator": text(row["comparator"]),
        "value": value,
        "value_max": value_max,
        "status": str(row["status"]),
    }
    if derived:
        item["derived_from"] = derived
    return item


def _number(value: Any) -> float | None:
    if value is None or blank(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _level_target(inputs: Mapping[str, Any]) -> float | None:
    """The target as a level of the series: its value, or the base grown at the planned rate."""
    target = _number(inputs.get("target_value"))
    if target is not None:
        return target
    growth, x0 = _number(inputs.get("average_growth")), _number(inputs.get("base_value"))
    t0, year = _number(inputs.get("base_year")), _number(inputs.get("target_year"))
    if growth is None or x0 is None or t0 is None or year is None:
        return None
    return x0 * (1 + growth) ** (year - t0)


def _path(row: pd.Series, inputs: Mapping[str, Any], level: float | None) -> dict[str, Any] | None:
    year = int(row["year"])
    projected = _number(row["projected_value"])
    tk, xk = _number(inputs.get("latest_year")), _number(inputs.get("latest_value"))
    if projected is not None and tk is not None and xk is not None:
        points = [[int(tk), xk], [year, projected]]
        return {"target_id": str(row["target_id"]), "kind": "projected", "points": points}
    t0, x0 = _number(inputs.get("base_year")), _number(inputs.get("base_value"))
    if t0 is None or x0 is None or level is None or int(t0) >= year:
        return None
    method = text(row["progress_method"]).split("/")[0]
    growth = _number(inputs.get("average_growth"))
    compound = growth is not None or (method in ("eurostat", "unsd") and x0 > 0 and level > 0)
    if compound:  # the planned (or required) compound rate, drawn year by year
        rate = growth if growth is not None else (level / x0) ** (1 / (year - t0)) - 1
        points = [[y, x0 * (1 + rate) ** (y - t0)] for y in range(int(t0), year + 1)]
        points[-1][1] = level
    else:  # ndrc, linear: the share of the change in proportion to the time elapsed
        points = [[int(t0), x0], [year, level]]
    return {"target_id": str(row["target_id"]), "kind": "required", "points": points}


# --- charts -----------------------------------------------------------------------------------


def _charts_section(
    report: Report,
    options: RenderOptions,
    charts: list[dict[str, Any]],
    chart_ids: Mapping[tuple[str, str], str],
) -> list[str]:
    lang = options.lang
    out = [f'<section id="charts"><h2>{escape(t(lang, "html.charts"))}</h2>']
    if not charts:
        out += [f'<p class="note">{escape(t(lang, "html.no_charts"))}</p>', "</section>"]
        return out
    out.append('<div class="charts">')
    for chart in charts:
        chart_id = chart_ids[(chart["indicator"], chart["region"])]
        out.append(_figure(chart, chart_id, report.as_of, options))
    out += ["</div>", "</section>"]
    return out


def _figure(chart: dict[str, Any], chart_id: str, as_of: int, options: RenderOptions) -> str:
    lang, names = options.lang, options.names
    indicator = names.indicator(chart["indicator"], lang)
    region = names.region(chart["region"], lang)
    title = f"{indicator} · {region}"
    unit = chart["unit"]
    points_text = ", ".join(f"{y}: {_fmt(v)}" for y, v in chart["actuals"])
    targets_text = (
        t(
            lang,
            "html.chart_targets",
            targets=", ".join(
                f"{x['year']} {x['comparator']} {_fmt(x['value'])}" for x in chart["targets"]
            ),
        )
        if chart["targets"]
        else ""
    )
    desc = t(
        lang,
        "html.chart_desc",
        indicator=indicator,
        region=region,
        unit=unit,
        points=points_text,
        targets=targets_text,
    ).strip()
    data = json.dumps(chart, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    legend = [("key-actual", t(lang, "html.actual")), ("key-target", t(lang, "html.target"))]
    kinds = {p["kind"] for p in chart["paths"]}
    if "projected" in kinds:
        legend.append(("key-projected", t(lang, "html.projected")))
    if "required" in kinds:
        legend.append(("key-required", t(lang, "html.required")))
    keys = "".join(
        f'<span class="key {cls}"></span>{escape(label)} ' for cls, label in legend
    ).strip()
    return (
        f'<figure class="chart" id="{chart_id}" data-indicator="{escape(chart["indicator"])}" '
        f'data-region="{escape(chart["region"])}" data-points="{escape(data)}">'
        f"<h3>{escape(title)}</h3>"
        f"{_drawn(chart, chart_id, title, desc, as_of, lang)}"
        f"<figcaption>{keys} <span class='unit'>{escape(t(lang, 'html.unit', unit=unit))}"
        "</span></figcaption></figure>"
    )


# Beyond this, the axis arithmetic (span, padding, ticks) would overflow a float: such a chart
# is described in words (its values listed) instead of drawn.
DRAWABLE = 1e300


def _drawn(
    chart: dict[str, Any], chart_id: str, title: str, desc: str, as_of: int, lang: str
) -> str:
    values = [v for _, v in chart["actuals"]]
    values += [v for x in chart["targets"] for v in (x["value"], x["value_max"]) if v is not None]
    values += [v for path in chart["paths"] for _, v in path["points"]]
    if all(math.isfinite(v) and abs(v) <= DRAWABLE for v in values):
        return _svg(chart, chart_id, title, desc, as_of, lang)
    return f'<p class="note">{escape(desc)}</p>'


def _svg(chart: dict[str, Any], chart_id: str, title: str, desc: str, as_of: int, lang: str) -> str:
    years: list[float] = [y for y, _ in chart["actuals"]]
    values: list[float] = [v for _, v in chart["actuals"]]
    for target in chart["targets"]:
        years.append(target["year"])
        values += [v for v in (target["value"], target["value_max"]) if v is not None]
    for path in chart["paths"]:
        years += [y for y, _ in path["points"]]
        values += [v for _, v in path["points"]]
    x_lo, x_hi = min(years) - 0.5, max(years) + 0.5
    y_ticks = _nice_ticks(min(values), max(values))
    y_lo, y_hi = y_ticks[0], y_ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + (year - x_lo) / (x_hi - x_lo) * plot_w

    def y(value: float) -> float:
        return TOP + (y_hi - value) / (y_hi - y_lo) * plot_h

    decimals = _decimals(y_ticks)
    out = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" aria-label="{escape(title)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<text class="axis-unit" x="{LEFT - 8}" y="{TOP - 14}" text-anchor="end">'
        f"{escape(chart['unit'])}</text>",
    ]
    for tick in y_ticks:
        ty = _c(y(tick))
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty}" y2="{ty}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty}" dy="0.32em" text-anchor="end">'
            f"{_fmt_tick(tick, decimals)}</text>"
        )
    first, last = math.ceil(x_lo), math.floor(x_hi)
    span = last - first
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    for year in range(first, last + 1):
        if (year - first) % step:
            continue
        tx = _c(x(year))
        out.append(
            f'<line class="tick-mark" x1="{tx}" x2="{tx}" y1="{TOP + plot_h}" '
            f'y2="{TOP + plot_h + 5}"/><text class="tick" x="{tx}" y="{TOP + plot_h + 18}" '
            f'text-anchor="middle">{year}</text>'
        )
    out.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" '
        f'y2="{TOP + plot_h}"/><line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" '
        f'y2="{TOP + plot_h}"/>'
    )
    if x_lo < as_of < x_hi and any(tg["year"] > as_of for tg in chart["targets"]):
        ax = _c(x(as_of))
        out.append(
            f'<line class="as-of" x1="{ax}" x2="{ax}" y1="{TOP}" y2="{TOP + plot_h}"/>'
            f'<text class="as-of-label" x="{_c(x(as_of) - 4)}" y="{TOP + plot_h - 6}" '
            f'text-anchor="end">{escape(t(lang, "html.as_of", year=as_of))}</text>'
        )
    for path in chart["paths"]:
        coords = " ".join(f"{_c(x(py))},{_c(y(pv))}" for py, pv in path["points"])
        out.append(
            f'<polyline class="path path-{path["kind"]}" points="{coords}">'
            f"<title>{escape(t(lang, 'html.' + path['kind']))} ({escape(path['target_id'])})"
            "</title></polyline>"
        )
    out += _target_marks(chart, x, y, lang)  # under the actual values, which stay visible
    if len(chart["actuals"]) > 1:
        coords = " ".join(f"{_c(x(py))},{_c(y(pv))}" for py, pv in chart["actuals"])
        out.append(f'<polyline class="actual" points="{coords}"/>')
    for py, pv in chart["actuals"]:
        out.append(
            f'<circle class="point" cx="{_c(x(py))}" cy="{_c(y(pv))}" r="3.5">'
            f"<title>{py}: {_fmt(pv)} {escape(chart['unit'])}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def _target_marks(chart: dict[str, Any], x: Any, y: Any, lang: str) -> list[str]:
    out: list[str] = []
    for target in chart["targets"]:
        color = STATUS_COLORS.get(target["status"], "#6e7781")
        tx, ty = x(target["year"]), y(target["value"])
        half = min(18.0, (x(target["year"] + 1) - x(target["year"])) * 0.35)
        label = (
            f"{_fmt(target['value'])}–{_fmt(target['value_max'])}"
            if target["value_max"] is not None
            else f"{target['comparator']} {_fmt(target['value'])}".strip()
        )
        tip = (
            f"{t(lang, 'html.target')} {target['target_id']}: {target['year']} {label} "
            f"{chart['unit']} ({status_word(target['status'], lang)})"
        )
        shape = [f'<g class="target" style="color:{color}"><title>{escape(tip)}</title>']
        if target["value_max"] is not None:
            top = y(target["value_max"])
            shape.append(
                f'<rect x="{_c(tx - 4)}" y="{_c(top)}" width="8" height="{_c(max(ty - top, 1))}" '
                'class="range"/>'
            )
        else:
            shape.append(
                f'<line x1="{_c(tx - half)}" x2="{_c(tx + half)}" y1="{_c(ty)}" y2="{_c(ty)}" '
                'class="target-line"/>'
                f'<path d="M{_c(tx)} {_c(ty - 6)} l6 6 l-6 6 l-6 -6 z" class="diamond"/>'
            )
        right_side = tx < LEFT + (WIDTH - LEFT - RIGHT) * 0.7
        lx = tx + half + 4 if right_side else tx - half - 4
        # Above the mark, or below it for an upper bound: the side the path does not come from.
        dy = "1.1em" if target["comparator"] in ("<", "<=") else "-0.4em"
        shape.append(
            f'<text class="target-label" x="{_c(lx)}" y="{_c(ty)}" dy="{dy}" '
            f'text-anchor="{"start" if right_side else "end"}">{escape(label)}</text></g>'
        )
        out.append("".join(shape))
    return out


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round axis values covering [lo, hi]: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if hi == lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    else:
        pad = (hi - lo) * 0.08
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)
    start, end = math.floor(lo / step), math.ceil(hi / step)
    return [i * step for i in range(start, end + 1)]


def _decimals(ticks: Iterable[float]) -> int:
    for decimals in range(0, 8):
        if all(abs(round(v, decimals) - v) < 1e-9 * max(1.0, abs(v)) for v in ticks):
            return decimals
    return 8


def _fmt_tick(value: float, decimals: int) -> str:
    shown = f"{value:,.{decimals}f}"
    return "0" if shown.strip("-0.,") == "" else shown


def _fmt(value: float) -> str:
    return f"{value:,.10g}" if abs(value) >= 1e4 else f"{value:.10g}"


def _c(value: float) -> str:
    """An SVG coordinate: two decimals are finer than a pixel."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0 auto; padding: 16px 24px 48px; max-width: 1400px;
  color: #1f2328; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0.4em 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 1.6em; }
h3 { font-size: 1rem; margin: 0 0 6px; }
.overall { font-size: 1.05rem; font-weight: 600; }
.note { color: #59636e; font-size: 0.9rem; margin: 4px 0; }
tr.illustrative td { font-style: italic; background: #fff8c5; }
.badge-illustrative { font-style: normal; font-size: 0.75rem; border: 1px solid #bf8700;
  border-radius: 4px; padding: 0 4px; color: #7d4e00; }
.plans { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.plan-summary { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
.completion { margin: 4px 0 8px; }
.rate { font-size: 1.5rem; font-weight: 700; margin: 0 0.25em; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { padding: 3px 8px; text-align: left; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.counts, .by-nature { margin: 4px 12px 4px 0; display: inline-table; }
.by-nature caption { text-align: left; font-weight: 600; font-size: 0.85rem; }
.total td { font-weight: 600; }
.dot { display: inline-block; width: 0.6em; height: 0.6em; border-radius: 50%;
  margin-right: 0.35em; vertical-align: 0.05em; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 8px 0; }
.filters select { font: inherit; margin-left: 4px; max-width: 22em; }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px; }
#results-table { width: 100%; }
#results-table thead th { position: sticky; top: 0; background: #f6f8fa; z-index: 1;
  border-bottom: 1px solid #d0d7de; }
#results-table th button { font: inherit; font-weight: 600; border: 0; background: none;
  padding: 0; cursor: pointer; color: inherit; white-space: nowrap; }
#results-table th[aria-sort="ascending"] button::after { content: " ▲"; }
#results-table th[aria-sort="descending"] button::after { content: " ▼"; }
#results-table tbody tr:hover { background: #f6f8fa; }
#results-table code { font-size: 0.95em; }
#results-table td:nth-child(1) { max-width: 12em; }
#results-table td:nth-child(2) { max-width: 19em; }
#results-table td:nth-child(3) { min-width: 14em; }
#results-table td:nth-child(4) { min-width: 8em; }
#results-table td:nth-child(6), #results-table td:nth-child(7),
#results-table td:nth-child(8) { white-space: nowrap; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
figure.chart svg { width: 100%; height: auto; display: block; overflow: visible; }
figure.chart svg text { font-family: FONTS; }
figcaption { font-size: 0.8rem; color: #59636e; }
.key { display: inline-block; width: 22px; height: 0; border-top: 2px solid; margin: 0 4px 0 8px;
  vertical-align: middle; }
.key-actual { border-color: #0969da; }
.key-target { border-color: #1f2328; border-top-width: 3px; }
.key-projected { border-color: #8250df; border-top-style: dashed; }
.key-required { border-color: #57606a; border-top-style: dashed; }
.unit { margin-left: 8px; }
.grid { stroke: #eaeef2; }
.axis, .tick-mark { stroke: #8c959f; }
.tick { font-size: 11px; fill: #59636e; }
.axis-unit { font-size: 11px; fill: #59636e; }
.actual { fill: none; stroke: #0969da; stroke-width: 2; }
.point { fill: #0969da; stroke: #fff; stroke-width: 1; }
.path { fill: none; stroke-width: 1.8; stroke-dasharray: 6 4; }
.path-projected { stroke: #8250df; }
.path-required { stroke: #57606a; }
.target-line { stroke: currentColor; stroke-width: 2.5; }
.diamond { fill: currentColor; fill-opacity: 0.85; }
.range { fill: currentColor; fill-opacity: 0.35; }
.target-label { font-size: 11px; fill: currentColor; font-weight: 600; }
.as-of { stroke: #8c959f; stroke-dasharray: 2 3; }
.as-of-label { font-size: 10px; fill: #8c959f; }
[hidden] { display: none !important; }
"""

_JS = """
(function () {
  "use strict";
  var table = document.getElementById("results-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var charts = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
  function applyFilters() {
    var shown = 0, visibleCharts = {};
    Array.prototype.forEach.call(body.rows, function (row) {
      var ok = selects.every(function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter")) === s.value;
      });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
        (row.getAttribute("data-charts") || "").split(" ").forEach(function (id) {
          if (id) { visibleCharts[id] = true; }
        });
      }
    });
    document.getElementById("shown-count").textContent = String(shown);
    charts.forEach(function (figure) { figure.hidden = !visibleCharts[figure.id]; });
  }
  selects.forEach(function (s) { s.addEventListener("change", applyFilters); });
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  function key(row, col, type) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    if (type === "num") { return raw === "" ? null : parseFloat(raw); }
    return raw.trim();
  }
  headers.forEach(function (th) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var col = parseInt(button.getAttribute("data-col"), 10);
      var type = button.getAttribute("data-type");
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
        return { row: row, key: key(row, col, type), i: i };
      });
      rows.sort(function (a, b) {
        if (a.key === b.key) { return a.i - b.i; }
        if (a.key === null || a.key === "") { return 1; }
        if (b.key === null || b.key === "") { return -1; }
        var c = type === "num" ? a.key - b.key : String(a.key).localeCompare(String(b.key));
        return c === 0 ? a.i - b.i : c * dir;
      });
      rows.forEach(function (r) { body.appendChild(r.row); });
    });
  });
  applyFilters();
})();
"""
