"""The HTML results table, made column-wise, is the table written row by row from the scalar
texts (common.target_text, actual_text, gap_text …) escaped one value at a time, exactly.

html_report builds each column once (distinct values escaped and marked up once, rows joined by
Arrow's kernels) and html_data codes the columns and the chart links; these tests write every
row the plain way, from the frame's own values, and compare byte for byte, on the demo report
with hostile texts put into its columns: markup, quotes, ampersands, control and bidi
characters, lone surrogates (in columns of Python objects: Arrow holds none), missing values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.evaluation import EvaluationOptions, Report, evaluate
from plancheck.render import Names, RenderOptions, columns, common, html_data, html_report
from plancheck.render.common import (
    actual_text,
    blank,
    gap_text,
    is_illustrative,
    status_label,
    target_text,
    text,
    year_text,
)
from plancheck.render.html_chart import STATUS_COLORS
from plancheck.render.html_escape import escape, escape_strings
from plancheck.render.i18n import t
from plancheck.text import visible

from .conftest import FIXTURES

HOSTILE = [
    "<script>alert(1)</script>",
    'a"b',
    "it's",
    "a&b",
    "&amp;",
    "x\x00y",
    "\x1b]52;c;\x07",
    "\u202eexe.txt",
    "\u200b",
    "a\nb",
    "under_score_id",
    "区域_1",
    "illustrative",
    "illustrative, <x>",
    "",
    " ",
    "between",
]
SURROGATES = ["\ud800", "a\udc80b"]
CHARS = st.one_of(
    st.characters(exclude_categories=["Cs"]), st.sampled_from(["<", ">", "&", '"', "'", "_"])
)
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=CHARS, max_size=6))


@pytest.fixture(scope="module")
def demo() -> tuple[Report, RenderOptions]:
    catalogue = load_catalogue(FIXTURES / "catalogue")
    report = evaluate(
        catalogue,
        read_actuals([FIXTURES / "actuals" / "demo.csv"], catalogue),
        EvaluationOptions(chart_series=True, method="ndrc"),
    )
    return report, RenderOptions(lang="en", names=Names.from_catalogue(catalogue))


def _opening(sort: str, numeric: bool) -> str:
    css = " class=num" if numeric else ""
    return f'<td data-sort="{escape(sort)}"{css}>' if sort else f"<td{css}>"


def _links(row: Any, chart_ids: dict[tuple[str, str], str]) -> list[str]:
    mine = chart_ids.get((str(row["indicator"]), str(row["region"])))
    inputs = row["progress_inputs"]
    theirs = (
        chart_ids.get((str(inputs["series"]), str(row["region"])))
        if isinstance(inputs, dict) and inputs.get("series")
        else None
    )
    if theirs != mine:
        return [chart for chart in (mine, theirs) if chart is not None]
    return [] if mine is None else [mine]


FLAGGED = ' class="illustrative"'


def reference_row(row: Any, options: RenderOptions, chart_ids: dict[tuple[str, str], str]) -> str:
    """One <tr> written from the row's values, each text escaped by itself."""
    lang = options.lang
    tid = escape(str(row["target_id"]))
    plan = escape(str(row["plan"]))
    links = _links(row, chart_ids)
    name = escape(options.names.indicator(row["indicator"], lang))
    if links:
        name = f'<a href="#{links[0]}">{name}</a>'
    flagged = is_illustrative(row["flag"])
    actual = escape(actual_text(row, lang))
    if flagged:
        badge = escape(t(lang, "html.illustrative"))
        actual += f' <span class="badge-illustrative">{badge}</span>'
    status = str(row["status"])
    year_sort = "" if blank(row["year"]) else str(int(row["year"]))
    gap_sort = "" if blank(row["gap"]) else repr(float(row["gap"]))
    method, category = text(row["progress_method"]), text(row["progress_category"])
    progress = (
        f'{_opening(category, False)}<span title="{escape(method)}">{escape(category)}</span>'
        if category
        else "<td>"
    )
    label = escape(status_label(status, bool(row["soft"]), lang))
    dot = f'<span class="dot" style="background:{STATUS_COLORS.get(status, "#6e7781")}"></span>'
    return (
        f'<tr data-target-id="{tid}" data-plan="{plan}" '
        f'data-region="{escape(str(row["region"]))}" '
        f'data-indicator="{escape(str(row["indicator"]))}" data-status="{escape(status)}" '
        f'data-nature="{escape(html_data.nature(row["nature"]))}" '
        f'data-charts="{escape(" ".join(links))}"'
        f"{FLAGGED if flagged else ''}>"
        f"<td>{plan.replace('_', '_<wbr>')}</td><td><code>{tid.replace('_', '_<wbr>')}</code></td>"
        f"<td>{name}</td><td>{escape(options.names.region(row['region'], lang))}</td>"
        f"{_opening(year_sort, True)}{escape(year_text(row))}</td>"
        f"<td>{escape(target_text(row, lang))}</td><td>{actual}</td>"
        f"{_opening(status, False)}{dot}{label}</td>"
        f"{_opening(gap_sort, True)}{escape(gap_text(row['gap']))}</td>{progress}</td></tr>\n"
    )


def column_wise(
    results: pd.DataFrame, options: RenderOptions, chart_ids: dict[tuple[str, str], str]
) -> str:
    rows = html_data.results_columns(results, options, chart_ids)
    made = b"".join(bytes(block) for block in html_report._result_blocks(rows, options.lang))
    return made.decode("utf-8")


def reference(
    results: pd.DataFrame, options: RenderOptions, chart_ids: dict[tuple[str, str], str]
) -> str:
    return "".join(reference_row(row, options, chart_ids) for _, row in results.iterrows())


def _chart_ids(results: pd.DataFrame, every: int) -> dict[tuple[str, str], str]:
    """Charts for every ``every``-th row's own series (by text, as the page keys them)."""
    keys = [
        (str(indicator), str(region))
        for indicator, region in zip(results["indicator"], results["region"], strict=True)
    ]
    return {key: f"chart-{n}" for n, key in enumerate(dict.fromkeys(keys[::every]), 1)}


def test_the_demo_table_is_the_table_written_row_by_row(
    demo: tuple[Report, RenderOptions],
) -> None:
    report, options = demo
    results = report.results
    for every in (1, 2, 5):
        ids = _chart_ids(results, every)
        assert column_wise(results, options, ids) == reference(results, options, ids)
    assert column_wise(results, options, {}) == reference(results, options, {})
    assert "<a href=" in column_wise(results, options, _chart_ids(results, 1))


def _put(results: pd.DataFrame, name: str, values: list[Any], start: int, dtype: str) -> None:
    """``values`` spread over the rows from ``start`` on (so values repeat), as ``dtype``."""
    spread = [values[(start + i) % len(values)] for i in range(len(results))]
    if dtype == "str":
        results[name] = pd.Series(spread, index=results.index, dtype="str")
    else:
        column = np.empty(len(spread), dtype=object)
        column[:] = spread
        results[name] = pd.Series(column, index=results.index, dtype=object)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ids=st.lists(TEXT.filter(bool), min_size=1, max_size=6),
    texts=st.lists(st.one_of(st.none(), TEXT), min_size=1, max_size=8),
    dtype=st.sampled_from(["str", "object"]),
    surrogates=st.booleans(),
    every=st.integers(min_value=1, max_value=4),
    lang=st.sampled_from(["en", "zh"]),
)
def test_hostile_texts_are_escaped_as_they_are_row_by_row(
    demo: tuple[Report, RenderOptions],
    ids: list[str],
    texts: list[str | None],
    dtype: str,
    surrogates: bool,
    every: int,
    lang: str,
) -> None:
    report, options = demo
    options = RenderOptions(lang=lang, names=options.names)
    results = report.results.copy()
    if surrogates and dtype == "object":  # Arrow holds no lone surrogate
        ids = [*ids, *SURROGATES]
        texts = [*texts, *SURROGATES]
    for start, name in enumerate(("target_id", "plan", "indicator", "region")):
        _put(results, name, ids, start, dtype)
    # (a missing target unit is no case: the catalogue requires one, and the column-wise text
    # of a missing one, "nan", has always differed from target_text's "None")
    _put(results, "target_unit", [text or "-" for text in texts], 0, dtype)
    for start, name in enumerate(("actual_unit", "flag", "nature"), 1):
        _put(results, name, texts, start, dtype)
    for start, name in enumerate(("progress_method", "progress_category")):
        _put(results, name, texts, start + 1, "object")
    # some rows read another row's series
    series = [None, {"series": ids[0]}, {"series": ids[-1], "other": 1}, {"series": ""}, "x"]
    _put(results, "progress_inputs", series, 0, "object")
    chart_ids = _chart_ids(results, every)
    assert column_wise(results, options, chart_ids) == reference(results, options, chart_ids)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=False),
            st.sampled_from([0.0, -0.0, 1e16, 1e-5, 123456.789, float("nan")]),
        ),
        max_size=30,
    ),
    st.booleans(),
)
def test_gap_cells_are_repr_and_gap_text_of_each(numbers: list[float], objects: bool) -> None:
    values = pd.Series(numbers, dtype=object if objects else np.float64)
    made = html_data.gaps(values).spread()
    assert made == [
        ("" if blank(g) else repr(float(g)), gap_text(g))
        for g in values.to_numpy(dtype=object).tolist()
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXT), max_size=30), st.sampled_from(["str", "object"]))
def test_coded_columns_spread_to_what_per_value_makes(values: list[str | None], dtype: str) -> None:
    column = pd.Series(values, dtype=dtype)
    codes, made = common.per_value_coded(column, repr)
    assert list(made[codes]) == list(common.per_value(column, repr))
    codes, uniques = common.distinct(column)
    objects = column.to_numpy(dtype=object)

    def shown(value: Any) -> str:  # a missing value may come back as NaN for None
        return "missing" if blank(value) else repr(value)

    assert [shown(v) for v in uniques[codes]] == [shown(v) for v in objects]
    frame = pd.DataFrame({"a": column, "b": column.iloc[::-1].to_numpy()})
    codes, made = common.per_distinct_coded(frame, ("a", "b", "absent"), repr)
    assert list(made[codes]) == list(common.per_distinct(frame, ("a", "b"), repr))


def test_a_text_column_is_coded_by_arrow_as_by_python_objects() -> None:
    column = pd.Series(["b", "a", "b", "区", "a"], dtype="str")
    codes, uniques = common.distinct(column)
    assert codes.tolist() == [0, 1, 0, 2, 1] and uniques.tolist() == ["b", "a", "区"]
    with_missing = pd.Series(["b", None, "b"], dtype="str")
    codes, uniques = common.distinct(with_missing)
    assert codes.tolist() == [0, 1, 0] and uniques[0] == "b" and blank(uniques[1])


def test_rows_on_charts_are_those_whose_series_has_one(demo: tuple[Report, RenderOptions]) -> None:
    report, _ = demo
    results = report.results
    keys = html_data.row_keys(results)
    charts = list(report.series)
    own, read = html_data._chart_numbers(keys, charts)
    for i, (_, row) in enumerate(results.iterrows()):
        mine = (str(row["indicator"]), str(row["region"]))
        assert own[i] == (charts.index(mine) if mine in charts else -1)
        inputs = row["progress_inputs"]
        theirs = (
            (str(inputs["series"]), str(row["region"]))
            if isinstance(inputs, dict) and inputs.get("series")
            else None
        )
        assert read[i] == (charts.index(theirs) if theirs in charts else -1)
    assert (own >= 0).any()


def test_a_table_of_several_blocks_is_the_table_row_by_row() -> None:
    """Blocks of BLOCK_ROWS: a table longer than one block is the same as row by row."""
    catalogue = load_catalogue(FIXTURES / "catalogue")
    report = evaluate(
        catalogue,
        read_actuals([FIXTURES / "actuals" / "demo.csv"], catalogue),
        EvaluationOptions(chart_series=True),
    )
    options = RenderOptions(lang="en", names=Names.from_catalogue(catalogue))
    repeat = columns.BLOCK_ROWS // len(report.results) + 2
    results = pd.concat([report.results] * repeat, ignore_index=True)
    results["target_id"] = [f"<t>_{i}" for i in range(len(results))]
    ids = _chart_ids(results, 3)
    assert column_wise(results, options, ids) == reference(results, options, ids)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(alphabet=CHARS, max_size=8))))
def test_arrow_escaping_is_escape_of_each_text_or_declines(texts: list[str]) -> None:
    import pyarrow as pa

    escaped = escape_strings(pa.array(texts, pa.string()))
    if any(visible(text) != text for text in texts):  # a control character: value by value
        assert escaped is None
    else:
        assert escaped is not None and escaped.to_pylist() == [escape(text) for text in texts]
