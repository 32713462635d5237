"""What the HTML report shows, as plain data built from the report: no markup here.

:func:`page` gathers the header's lines, each plan's overview, the filter choices, the results
table column by column (texts before escaping, one array per column) and the charts' numbers
(:func:`chart_specs`). :mod:`.html_report` turns it into HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import STATUSES, Report
from ..evaluation.chart_paths import level_target, path
from ..evaluation.report import Series
from .columns import float_texts
from .common import (
    actual_texts,
    blank,
    distinct,
    gap_text,
    is_illustrative,
    per_distinct_coded,
    per_value,
    per_value_coded,
    plan_title,
    status_label,
    summary_line,
    target_texts,
    text,
    texts,
    year_text,
)
from .i18n import status_word, t
from .options import RenderOptions

NATURES = ("binding", "expected", "unspecified")


def nature(value: Any) -> str:
    return "unspecified" if blank(value) else str(value)


def nature_word(nature: str, lang: str) -> str:
    return t(lang, f"nature.{nature}") if nature in NATURES else nature


Choices = list[tuple[str, str]]  # (value, shown)


@dataclass(frozen=True)
class Page:
    lang: str
    as_of: int
    summary: str
    methods: list[str]  # the progress methods used, for the note under the summary
    actuals_files: list[str]
    plans: list[tuple[str, str, dict[str, Any]]]  # (plan id, title, overview), catalogue order
    filters: list[tuple[str, str, Choices]]  # (key, label, choices)
    rows: dict[str, Any]  # the results table, column by column (see results_columns)
    year_inferred: bool
    illustrative: bool
    charts: list[dict[str, Any]]
    chart_ids: dict[tuple[str, str], str]  # (indicator, region) → the chart's element id
    # (series drawn, series the shown targets have) when a page could not draw them all
    charts_capped: tuple[int, int] | None = None


def page(report: Report, options: RenderOptions) -> Page:
    lang = options.lang
    results = report.results
    keys = row_keys(results) if report.series else None
    charts = chart_specs(report, keys)
    chart_ids = {(c["indicator"], c["region"]): f"chart-{n}" for n, c in enumerate(charts, 1)}
    rows = results_columns(results, options, chart_ids, keys)
    methods = distinct(results["progress_method"])[1]
    return Page(
        lang=lang,
        as_of=report.as_of,
        summary=summary_line(report, lang),
        methods=sorted({str(m) for m in methods if not blank(m)}),
        actuals_files=list(report.actuals_files),
        plans=[
            (plan_id, plan_title(report, plan_id, lang), overview)
            for plan_id, overview in report.plan_overviews().items()
        ],
        filters=filters(results, options),
        rows=rows,
        year_inferred=bool(results["year_inferred"].astype(bool).any()),
        illustrative=bool(rows["illustrative"].any()),  # common.any_illustrative, at hand
        charts=charts,
        chart_ids=chart_ids,
        charts_capped=(len(report.series), report.series_total)
        if report.series_total > len(report.series)
        else None,
    )


def filters(results: pd.DataFrame, options: RenderOptions) -> list[tuple[str, str, Choices]]:
    """The results table's filters: plan, region, status and nature, with the values present."""
    lang, names = options.lang, options.names
    plans = [str(p) for p in distinct(results["plan"])[1]]  # in order of first appearance
    regions = [str(r) for r in distinct(results["region"])[1]]
    present = set(distinct(results["status"])[1])
    natures = {nature(n) for n in distinct(results["nature"])[1]}
    return [
        ("plan", t(lang, "col.plan"), [(p, p) for p in plans]),
        ("region", t(lang, "col.region"), [(r, names.region(r, lang)) for r in regions]),
        ("status", t(lang, "col.status"), [(s, status_word(s, lang)) for s in STATUSES if s in present]),
        ("nature", t(lang, "html.nature_col"), [(n, nature_word(n, lang)) for n in NATURES if n in natures]),
    ]  # fmt: skip


@dataclass(frozen=True)
class Coded:
    """A column of few distinct values: each row's index into ``values`` (one made per distinct
    input, before escaping: a text, or a tuple of texts)."""

    codes: np.ndarray  # int32, one per row
    values: list[Any]

    def spread(self) -> list[Any]:
        """Each row's value (tests, and small reports)."""
        return [self.values[code] for code in self.codes.tolist()]


def coded_distinct(results: pd.DataFrame, columns: tuple[str, ...], make: Any) -> Coded:
    codes, made = per_distinct_coded(results, columns, make)
    return Coded(codes.astype(np.int32), list(made))


def coded_values(values: Any, make: Any) -> Coded:
    codes, made = per_value_coded(values, make)
    return Coded(codes.astype(np.int32), list(made))


def results_columns(
    results: pd.DataFrame,
    options: RenderOptions,
    chart_ids: Mapping[tuple[str, str], str],
    keys: RowKeys | None = None,
) -> dict[str, Any]:
    """The results table's texts, column by column: each row's own text (an object array) for
    the columns whose values hardly repeat (target ids, target and actual figures), a
    :class:`Coded` column for the others. The texts are :func:`common.shown_cells`' (``year``:
    (sort key, text); ``status``: (id, label); ``gap``: (sort key, text); ``progress``:
    (method, category); ``charts``: the chart ids each row links to)."""
    lang = options.lang
    return {
        "target_id": texts(results["target_id"]),
        "plan": coded_values(results["plan"], str),
        "region_id": coded_values(results["region"], str),
        "indicator_id": coded_values(results["indicator"], str),
        "indicator": coded_values(results["indicator"], lambda i: options.names.indicator(i, lang)),
        "region": coded_values(results["region"], lambda r: options.names.region(r, lang)),
        "year": coded_distinct(
            results,
            ("year", "year_inferred", "year_approximate"),
            lambda row: ("" if blank(row["year"]) else str(int(row["year"])), year_text(row)),
        ),
        "target_value": target_texts(results, lang),
        "actual": actual_texts(results, lang),
        "status": coded_distinct(
            results,
            ("status", "soft"),
            lambda row: (
                str(row["status"]),
                status_label(str(row["status"]), bool(row["soft"]), lang),
            ),
        ),
        "gap": gaps(results["gap"]),
        "progress": coded_distinct(
            results,
            ("progress_method", "progress_category"),
            lambda row: (text(row["progress_method"]), text(row["progress_category"])),
        ),
        "nature": coded_values(results["nature"], nature),
        "illustrative": per_value(results["flag"], is_illustrative).astype(bool),
        "charts": row_charts(results, chart_ids, keys),
    }


def gaps(values: pd.Series) -> Coded:
    """Each gap's (sort key, text): ``repr`` of the number and common.gap_text."""
    codes, numbers = distinct(values)
    if not (isinstance(values.dtype, np.dtype) and values.dtype.kind == "f"):
        made = [("" if blank(g) else repr(float(g)), gap_text(g)) for g in numbers]
    else:  # floats (NaN: missing), as blank() and gap_text read them; repr by Arrow's kernel
        floats = np.asarray(numbers, dtype=np.float64)
        missing = np.isnan(floats)
        sorts = float_texts(floats, None, missing).to_pylist()  # float.__repr__, but of -0.0
        for i in np.flatnonzero((floats == 0) & np.signbit(floats)).tolist():
            sorts[i] = repr(floats[i].item())
        made = [
            ("", "") if gone else (sort, f"{g:+,.10g}")
            for g, sort, gone in zip(floats.tolist(), sorts, missing.tolist(), strict=True)
        ]
    return Coded(codes.astype(np.int32), made)


def row_charts(
    results: pd.DataFrame,
    chart_ids: Mapping[tuple[str, str], str],
    keys: RowKeys | None = None,
) -> Coded:
    """The charts each result links to: its own series, then the series its progress read."""
    if not chart_ids:
        return Coded(np.zeros(len(results), dtype=np.int32), [[]])
    ids = list(chart_ids.values())
    own, read = _chart_numbers(keys or row_keys(results), list(chart_ids))

    def linked(mine: int, theirs: int) -> list[str]:
        if theirs != mine:
            return [ids[chart] for chart in (mine, theirs) if chart >= 0]
        return [] if mine < 0 else [ids[mine]]

    count = len(ids) + 1  # -1 (no chart) … len(ids) - 1
    pairs, codes = np.unique((own + 1) * count + (read + 1), return_inverse=True)
    made = [linked(p // count - 1, p % count - 1) for p in pairs.tolist()]
    return Coded(codes.reshape(-1).astype(np.int32), made)


@dataclass(frozen=True)
class RowKeys:
    """What each result is charted by, as codes: its region and indicator, and the series its
    progress read (``read_any``: it read one); each code's text (``str`` of the value) in
    ``*_texts``. Made once per page: the links and which rows draw on a chart both read it."""

    regions: Any
    region_texts: list[str]
    indicators: Any
    indicator_texts: list[str]
    series: Any
    series_texts: list[str]
    read_any: Any


def row_keys(results: pd.DataFrame) -> RowKeys:
    regions, region_texts = _text_codes(results["region"])
    indicators, indicator_texts = _text_codes(results["indicator"])
    inputs = results["progress_inputs"]
    given = inputs.notna().to_numpy(dtype=bool)  # a missing value is no dict: no series read
    read = [
        str(value["series"]) if isinstance(value, dict) and value.get("series") else None
        for value in inputs.to_numpy(dtype=object)[given].tolist()
    ]
    read_any = np.zeros(len(results), dtype=bool)
    read_any[given] = [text is not None for text in read]
    series = np.full(len(results), "", dtype=object)
    series[given] = [text or "" for text in read]
    series_codes, series_texts = _text_codes(pd.Series(series, dtype=object))
    return RowKeys(
        regions, region_texts, indicators, indicator_texts, series_codes, series_texts, read_any
    )


def _chart_numbers(keys: RowKeys, charts: list[tuple[str, str]]) -> tuple[Any, Any]:
    """For each row, the index in ``charts`` of its own (indicator, region) and of the (series,
    region) its progress read; -1 where there is none. Keys are compared as texts (``str`` of
    each value), each distinct text looked up once."""
    regions = {text: code for code, text in enumerate(keys.region_texts)}
    width = len(keys.region_texts)

    def numbers(codes: Any, texts: list[str]) -> Any:
        where = {text: code for code, text in enumerate(texts)}
        known = {
            where[first] * width + regions[second]: number
            for number, (first, second) in enumerate(charts)
            if first in where and second in regions
        }
        found = pd.Index(list(known), dtype=np.int64).get_indexer(
            codes.astype(np.int64) * width + keys.regions
        )
        chart = np.array([*known.values(), -1], dtype=np.int64)
        return chart[found]  # found -1: the last, no chart

    own = numbers(keys.indicators, keys.indicator_texts)
    read = np.where(keys.read_any, numbers(keys.series, keys.series_texts), -1)
    return own, read


def _text_codes(values: pd.Series) -> tuple[Any, list[str]]:
    """Each row's code, and ``str`` of each distinct value: values of the same text (1 and
    "1") share a code."""
    codes, uniques = distinct(values)
    merged, texts = pd.factorize(np.array([str(value) for value in uniques], dtype=object))
    return np.asarray(merged, dtype=np.int64)[codes], [str(text) for text in texts]


# --- charts -----------------------------------------------------------------------------------

CHART_COLUMNS = (
    "target_id",
    "indicator",
    "region",
    "year",
    "kind",
    "comparator",
    "status",
    "progress_inputs",
    "progress_method",
    "projected_value",
)


def chart_specs(report: Report, keys: RowKeys | None = None) -> list[dict[str, Any]]:
    """One chart per (indicator, region) with a series, in results order: the numbers it draws.

    ``actuals``: the series; ``targets``: each target's value in the indicator's canonical unit at
    its year (for an average-growth target not yet due, on its level series, the level the planned
    rate reaches); ``paths``: for targets not yet due, the projected path (latest value → projected
    value) or, when the method projects none, the required path (base value → target).
    """
    if not report.series:  # nothing to draw (a report built without chart series)
        return []
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

    results = report.results
    kinds = results["kind"].isin(("level", "growth")).to_numpy(dtype=bool)
    own, read = _chart_numbers(keys or row_keys(results), list(report.series))
    # only the columns read are taken (a national frame has 45)
    drawn = results[list(CHART_COLUMNS)][kinds & ((own >= 0) | (read >= 0))]
    values = [drawn[c].to_numpy(dtype=object) for c in CHART_COLUMNS]
    for record in zip(*values, strict=True):
        row = dict(zip(CHART_COLUMNS, record, strict=True))
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
        level = level_target(inputs)
        if key != own and level is not None:  # an average-growth target, on its level series
            chart["targets"].append(_target(row, int(row["year"]), level, None, "average_growth"))
        drawn_path = path(
            int(row["year"]), row["projected_value"], text(row["progress_method"]), inputs, level
        )
        if drawn_path is not None:
            kind, points = drawn_path
            chart["paths"].append(
                {"target_id": str(row["target_id"]), "kind": kind, "points": points}
            )
    return list(specs.values())


def _target(
    row: Mapping[str, Any], year: int, value: float, value_max: float | None, derived: str | None
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


__all__ = ["NATURES", "Page", "chart_specs", "nature", "nature_word", "np", "page"]
