"""The HTML report's charts as inline SVG, drawn here (no plotting library): each chart's
numbers (html_data.chart_specs) become axes, the actual series, target marks and paths. Each
figure carries the numbers it draws as JSON in its ``data-points`` attribute.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .html_data import Page
from .html_escape import escape
from .i18n import status_word, t
from .options import RenderOptions

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

# Chart geometry (SVG user units; the SVG scales to its box).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 76, 28, 30, 40


def charts_section(page: Page, options: RenderOptions) -> list[str]:
    lang = options.lang
    out = [f'<section id="charts"><h2>{escape(t(lang, "html.charts"))}</h2>']
    if not page.charts:
        out += [f'<p class="note">{escape(t(lang, "html.no_charts"))}</p>', "</section>"]
        return out
    if page.charts_capped:
        drawn, total = page.charts_capped
        note = t(lang, "html.charts_capped", drawn=f"{drawn:,}", total=f"{total:,}")
        out.append(f'<p class="note">{escape(note)}</p>')
    out.append('<div class="charts">')
    for chart in page.charts:
        chart_id = page.chart_ids[(chart["indicator"], chart["region"])]
        out.append(_figure(chart, chart_id, page.as_of, options))
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


@dataclass(frozen=True)
class _Frame:
    """The plot's ranges: years along x, values along y (the y ticks' ends)."""

    x_lo: float
    x_hi: float
    y_ticks: list[float]

    @property
    def plot_w(self) -> int:
        return WIDTH - LEFT - RIGHT

    @property
    def plot_h(self) -> int:
        return HEIGHT - TOP - BOTTOM

    def x(self, year: float) -> float:
        return LEFT + (year - self.x_lo) / (self.x_hi - self.x_lo) * self.plot_w

    def y(self, value: float) -> float:
        y_lo, y_hi = self.y_ticks[0], self.y_ticks[-1]
        return TOP + (y_hi - value) / (y_hi - y_lo) * self.plot_h


def _frame(chart: dict[str, Any]) -> _Frame:
    years: list[float] = [y for y, _ in chart["actuals"]]
    values: list[float] = [v for _, v in chart["actuals"]]
    for target in chart["targets"]:
        years.append(target["year"])
        values += [v for v in (target["value"], target["value_max"]) if v is not None]
    for path in chart["paths"]:
        years += [y for y, _ in path["points"]]
        values += [v for _, v in path["points"]]
    return _Frame(min(years) - 0.5, max(years) + 0.5, _nice_ticks(min(values), max(values)))


def _svg(chart: dict[str, Any], chart_id: str, title: str, desc: str, as_of: int, lang: str) -> str:
    frame = _frame(chart)
    x, y = frame.x, frame.y
    out = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" aria-label="{escape(title)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<text class="axis-unit" x="{LEFT - 8}" y="{TOP - 14}" text-anchor="end">'
        f"{escape(chart['unit'])}</text>",
    ]
    out += _axes(frame)
    out += _as_of_line(frame, chart, as_of, lang)
    for path in chart["paths"]:
        coords = " ".join(f"{_c(x(py))},{_c(y(pv))}" for py, pv in path["points"])
        out.append(
            f'<polyline class="path path-{path["kind"]}" points="{coords}">'
            f"<title>{escape(t(lang, 'html.' + path['kind']))} ({escape(path['target_id'])})"
            "</title></polyline>"
        )
    out += _target_marks(chart, x, y, lang)  # under the actual values, which stay visible
    points = [(_c(x(py)), _c(y(pv))) for py, pv in chart["actuals"]]  # each drawn twice
    if len(points) > 1:
        coords = " ".join(f"{px},{py}" for px, py in points)
        out.append(f'<polyline class="actual" points="{coords}"/>')
    unit = escape(chart["unit"])
    for (year, value), (px, py) in zip(chart["actuals"], points, strict=True):
        out.append(
            f'<circle class="point" cx="{px}" cy="{py}" r="3.5">'
            f"<title>{year}: {_fmt(value)} {unit}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)


def _axes(frame: _Frame) -> list[str]:
    """Grid lines with the value ticks, year ticks (every 1, 2 or 5 years) and the two axes."""
    out = []
    decimals = _decimals(frame.y_ticks)
    for tick in frame.y_ticks:
        ty = _c(frame.y(tick))
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty}" y2="{ty}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{ty}" dy="0.32em" text-anchor="end">'
            f"{_fmt_tick(tick, decimals)}</text>"
        )
    out.append(_year_axis(frame.x_lo, frame.x_hi))
    return out


@functools.lru_cache(maxsize=256)
def _year_axis(x_lo: float, x_hi: float) -> str:
    """The year ticks and the two axes: the same for every chart over the same years (a
    national page draws 1,000 charts over a handful of spans)."""
    frame = _Frame(x_lo, x_hi, [0.0, 1.0])  # the value range plays no part here
    out = []
    first, last = math.ceil(frame.x_lo), math.floor(frame.x_hi)
    span = last - first
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    bottom = TOP + frame.plot_h
    for year in range(first, last + 1):
        if (year - first) % step:
            continue
        tx = _c(frame.x(year))
        out.append(
            f'<line class="tick-mark" x1="{tx}" x2="{tx}" y1="{bottom}" '
            f'y2="{bottom + 5}"/><text class="tick" x="{tx}" y="{bottom + 18}" '
            f'text-anchor="middle">{year}</text>'
        )
    out.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" '
        f'y2="{bottom}"/><line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" '
        f'y2="{bottom}"/>'
    )
    return "".join(out)


def _as_of_line(frame: _Frame, chart: dict[str, Any], as_of: int, lang: str) -> list[str]:
    """The as-of year, when the chart has a target after it."""
    if not (frame.x_lo < as_of < frame.x_hi and any(tg["year"] > as_of for tg in chart["targets"])):
        return []
    ax = _c(frame.x(as_of))
    bottom = TOP + frame.plot_h
    return [
        f'<line class="as-of" x1="{ax}" x2="{ax}" y1="{TOP}" y2="{bottom}"/>'
        f'<text class="as-of-label" x="{_c(frame.x(as_of) - 4)}" y="{bottom - 6}" '
        f'text-anchor="end">{escape(t(lang, "html.as_of", year=as_of))}</text>'
    ]


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
    # Values equal but for float rounding (0.3 and 3000 万元 in 亿元, 0.30000000000000004) are
    # one value: their difference is below the step a float can resolve, and an axis over it
    # would have a single tick, or equal first and last ones (a division by zero when drawn).
    # Figures nearer zero than 1e-300 are refused on input, so that is the smallest span.
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi), 1e-300):
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
