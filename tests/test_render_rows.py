"""The table's and Markdown's rows made column by column in Arrow are the rows made one by one.

A table written to a file has its rows padded and joined by Arrow (each text's width in cells
measured for a whole column at once); Markdown's cells are checked and escaped by Arrow's
kernels. Here each is compared value by value with the scalar functions (Rich's ``cell_len``,
``markdown.cell``) on generated texts (CJK, combining and zero-width characters, joiners,
controls, markup), and whole tables with Rich laying out every row.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from plancheck.evaluation import Report
from plancheck.render import Names, RenderOptions, chunks, common, markdown, table

from .test_render_columns import HOSTILE, bundled, hostile

# Characters whose width is not one cell, or that Rich measures otherwise: CJK and full-width
# (2), combining and zero-width (0), joiners and presentation selectors (a glyph of several
# characters), controls, emoji, a soft hyphen, box drawing and single-cell Latin/Greek.
_TRICKY = "中文亿元个ＡＢ\u0301\u0300\u200b\u200d\ufe0f\u00ad\x1b\x7f\x85👩💻⚠🇨🇳─ΩéÅ–—≥ "
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT | st.sampled_from(HOSTILE), max_size=30))
def test_cell_widths_of_a_column_are_richs_cell_len_of_each_text(texts: list[str]) -> None:
    assert table.cell_widths(texts).tolist() == [cell_len(text) for text in texts]


@settings(max_examples=25, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8), st.data())
def test_cell_widths_of_a_long_repeating_column_are_measured_once_per_text(
    texts: list[str], data: st.DataObject
) -> None:
    # More rows than _FEW_ROWS, few distinct texts: measured through a dictionary.
    picks = data.draw(
        st.lists(
            st.integers(0, len(texts) - 1),
            min_size=table._FEW_ROWS + 1,
            max_size=table._FEW_ROWS + 50,
        )
    )
    column = pa.array([texts[i] for i in picks], pa.string())
    assert table.cell_widths(column).tolist() == [cell_len(texts[i]) for i in picks]


def test_cell_widths_of_texts_with_many_distinct_wide_characters() -> None:
    # More wide characters than _FEW_CHARACTERS: each code point's size summed at once.
    rng = np.random.default_rng(7)
    wide = [chr(0x4E00 + int(n)) for n in rng.integers(0, 2000, size=400)]
    texts = [
        "".join(wide[i : i + int(rng.integers(0, 9))]) + ("a\u0301" if i % 3 else "")
        for i in range(300)
    ]
    texts += ["👩\u200d💻 dev", "⚠\ufe0f", "", "plain", "\x00中"]
    assert len({c for text in texts for c in text if cell_len(c) != 1}) > table._FEW_CHARACTERS
    assert table.cell_widths(texts).tolist() == [cell_len(text) for text in texts]


def test_a_lone_surrogate_is_measured_by_rich() -> None:
    texts = ["a\udc80b", "中"]
    assert table.cell_widths(texts).tolist() == [cell_len(text) for text in texts]


def _report_with(texts: list[str]) -> tuple[Report, Names]:
    """The bundled 2015 report with generated texts as target ids, units, flags and names."""
    report, names = bundled(2015)
    results = report.results.copy()
    n = len(results)
    results["target_id"] = [f"{texts[i % len(texts)]}{i}" for i in range(n)]
    results["actual_unit"] = [texts[(i + 1) % len(texts)] or None for i in range(n)]
    results["flag"] = [texts[(i + 2) % len(texts)] or None for i in range(n)]
    regions = {
        str(r): (texts[i % len(texts)], texts[(i + 3) % len(texts)])
        for i, r in enumerate(results["region"].unique())
    }
    names = Names(names.indicators, regions)
    return dataclasses.replace(report, results=results, selected=None), names


def _by_rich(report: Report, options: RenderOptions, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(table, "_fixed_width", lambda *args, **kwargs: None)
        return "".join(chunks("table")(report, options))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(_TEXT, min_size=1, max_size=6))
def test_table_rows_of_generated_texts_are_richs_layout(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report, names = _report_with(texts)
    options = RenderOptions(names=names)
    written: list[bool] = []
    own = table._fixed_width

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        made = own(*args, **kwargs)
        written.append(made is not None)
        return made

    with monkeypatch.context() as patched:
        patched.setattr(table, "_fixed_width", counted)
        text = "".join(chunks("table")(report, options))
    assert written and all(written)  # every plan's rows were written column-wise
    assert text == _by_rich(report, options, monkeypatch)


def _interleaved(report: Report) -> tuple[Report, Report]:
    """The report with its plans' rows interleaved (each plan's rows no longer one run), and
    the same rows grouped by plan in order of first appearance, as the renderers group them."""
    results = report.results
    order = np.argsort(np.arange(len(results)) % 3, kind="stable")
    mixed = results.iloc[order].reset_index(drop=True)
    grouped = mixed.iloc[np.concatenate([rows for _, rows in common.plan_blocks(mixed)])]
    return (
        dataclasses.replace(report, results=mixed, selected=None),
        dataclasses.replace(report, results=grouped.reset_index(drop=True), selected=None),
    )


@pytest.mark.parametrize("name", ["table", "markdown"])
def test_rows_of_plans_that_are_not_one_run_are_taken_in_order(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, names = bundled(2015)
    mixed, grouped = _interleaved(report)
    assert len(common.plan_blocks(mixed.results)) > 1
    runs = [rows for _, rows in common.plan_blocks(mixed.results)]
    assert any(rows[-1] - rows[0] + 1 != len(rows) for rows in runs)  # some plan is spread out
    options = RenderOptions(names=names)
    text = "".join(chunks(name)(mixed, options))
    assert text == "".join(chunks(name)(grouped, options))
    if name == "table":
        assert text == _by_rich(mixed, options, monkeypatch)


@pytest.mark.parametrize("name", ["table", "markdown"])
@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_a_file_takes_the_utf8_the_text_is_made_of(name: str, which: str) -> None:
    report, names = hostile() if which == "hostile" else bundled(2020)
    options = RenderOptions(names=names)
    made = chunks(name)(report, options)
    data = b"".join(bytes(piece) for piece in made.utf8_chunks())
    assert data.decode("utf-8") == "".join(chunks(name)(report, options))
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")


_CELL = st.one_of(
    st.text(alphabet=st.sampled_from("\\`*_<[]| a甲\x00\t\n") | st.characters(), max_size=10),
    st.sampled_from([*HOSTILE, " lead", "trail ", "a  b", "x|y", "", " ", "a\udc80"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_CELL, max_size=20)
    | st.lists(st.one_of(_CELL, st.integers(), st.none(), st.floats(allow_nan=True)), max_size=8)
)
def test_markdown_column_cells_are_each_cell_on_its_own(values: list[object]) -> None:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    made = markdown._column(column)
    made_list = made.to_pylist() if isinstance(made, pa.Array) else made.tolist()
    assert made_list == [markdown.cell(value) for value in values]


@pytest.mark.parametrize(
    "values",
    [
        ["plain", "b_c", "[x]", "a\\b", "甲|乙", "`*<"],  # plain texts with markup: Arrow's path
        ["a", "b "],  # a trailing space: value by value
        ["a", " b"],
        ["a  b"],
        ["a\tb"],
        ["x", None],
    ],
)
def test_markdown_column_takes_arrow_only_for_plain_texts(values: list[object]) -> None:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    made = markdown._column(column)
    assert isinstance(made, pa.Array) == (values[0] == "plain")
    made_list = made.to_pylist() if isinstance(made, pa.Array) else made.tolist()
    assert made_list == [markdown.cell(value) for value in values]


def test_markdown_rows_join_an_arrow_column_with_one_arrow_cannot_hold() -> None:
    columns = [pa.array(["a", "b"], pa.string()), np.array(["x\udc80", "y"], dtype=object)]
    joined = markdown._joined_rows(columns)
    assert isinstance(joined, np.ndarray)
    assert joined.tolist() == ["| a | x\udc80 |\n", "| b | y |\n"]


@pytest.mark.parametrize("which", ["2013", "2020", "hostile"])
def test_markdown_status_cells_are_each_rows_status_cell(which: str) -> None:
    report, names = hostile() if which == "hostile" else bundled(int(which))
    results = common.with_outcomes(report)
    labels = common.shown_cells(results, RenderOptions(names=names))["status"]
    made = markdown._status_cells(results, labels)
    expected = [
        markdown._status_cell(
            {"status": row["status"], "failing": row["outcome"] == common.FAIL, "label": label}
        )
        for (_, row), label in zip(results.iterrows(), labels, strict=True)
    ]
    assert made.tolist() == expected
    assert len(set(expected)) > 1


@pytest.mark.parametrize(
    "flags",
    [
        [None, "p", "p, illustrative", float("nan")],
        [None, "p", float("nan"), "illustrative-ish"],
        ["illustrative"],
        [],
    ],
)
def test_any_illustrative_by_distinct_flags_is_any_illustrative(flags: list[object]) -> None:
    report, _ = bundled(2015)
    results = report.results.iloc[: len(flags)].copy()
    results["flag"] = pd.Series(flags, index=results.index, dtype=object)
    expected = any(common.is_illustrative(flag) for flag in flags)
    assert common.any_illustrative_flag(results) == common.any_illustrative(results) == expected
    assert common.any_illustrative_flag(results.drop(columns="flag")) is False
