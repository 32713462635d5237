"""Renderers built column by column write what the row-by-row texts and Rich's own layout write.

The texts (target, actual, year, status, gap, names) are made once per distinct input and spread
to the rows; the table's rows are padded and joined here instead of by Rich when nothing wraps.
Both are checked here against the scalar functions and against Rich laying out every row, on the
bundled reports and on a report whose values are hostile, wide (CJK, emoji) or markup.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from plancheck.app import Request, run
from plancheck.evaluation import EvaluationOptions, Report
from plancheck.render import Names, RenderOptions, chunks, common, table
from plancheck.result_schema import FIELDS_BY_NAME
from plancheck.text import visible

from .conftest import REPO


@cache
def bundled(as_of: int) -> tuple[Report, Names]:
    outcome = run(
        Request(
            targets=REPO / "targets",
            actuals=(REPO / "actuals",),
            evaluation=EvaluationOptions(as_of=as_of),
        )
    )
    return outcome.report, Names.from_catalogue(outcome.catalogue)


# Values a submitted file or a catalogue edit could hold: markup Rich would read, control and
# bidi characters, wide characters, emoji with joiners, combining accents, a long cell.
HOSTILE = (
    "[bold red]markup[/]",
    "[link=http://x]click[/link]",
    "中文地区名称",
    "ＡＢ全角",
    "e\u0301te\u0301",
    "👩\u200d💻 dev",
    "⚠\ufe0f warn",
    "a\x1b]52;c;Zm9v\x07b",
    "exe\u202etxt",
    "line\nbreak\ttab",
    "|pipe|`code`*star*_u_<b>",
    '=HYPERLINK("http://x")',
    "x" * 300,
    "",
)


@cache
def hostile() -> tuple[Report, Names]:
    report, names = bundled(2015)
    results = report.results.copy()
    n = len(results)
    pick = [HOSTILE[i % len(HOSTILE)] for i in range(n)]
    results["target_id"] = [f"{p}{i}" for i, p in enumerate(pick)]
    results["actual_unit"] = [pick[(i + 3) % n] or None for i in range(n)]
    results["flag"] = [pick[(i + 5) % n] or None for i in range(n)]
    # Zeros of both signs: equal to a hash table, printed "+0" and "-0".
    results["gap"] = [
        (-0.0, 0.0, 1.5, -0.0)[i % 4] if i % 3 == 0 else g for i, g in enumerate(results["gap"])
    ]
    results.loc[results.index[0], "year_inferred"] = False
    regions = {
        str(r): (HOSTILE[i % len(HOSTILE)], HOSTILE[(i + 7) % len(HOSTILE)])
        for i, r in enumerate(results["region"].unique())
    }
    names = Names(names.indicators, regions)
    return dataclasses.replace(report, results=results, selected=None), names


REPORTS = {"2013": lambda: bundled(2013), "2020": lambda: bundled(2020), "hostile": hostile}


def rendered(name: str, report: Report, options: RenderOptions) -> str:
    return "".join(chunks(name)(report, options))


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("unicode", [True, False])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_table_rows_written_here_are_richs_layout_byte_for_byte(
    which: str, color: bool, unicode: bool, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, names = REPORTS[which]()
    options = RenderOptions(color=color, unicode=unicode, lang=lang, names=names)
    written = []
    own = table._fixed_width

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        text = own(*args, **kwargs)
        written.append(text is not None)
        return text

    monkeypatch.setattr(table, "_fixed_width", counted)
    fast = rendered("table", report, options)
    assert written and all(written)  # every plan's rows were written here, none fell back
    monkeypatch.setattr(table, "_fixed_width", lambda *args, **kwargs: None)
    assert fast == rendered("table", report, options)


def test_a_table_too_wide_to_leave_unwrapped_is_laid_out_by_rich(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report, names = bundled(2015)
    results = report.results.copy()
    results["target_id"] = "t" * (table.NO_WRAP_WIDTH + 10)
    wide = dataclasses.replace(report, results=results, selected=None)
    written = []
    own = table._fixed_width
    monkeypatch.setattr(
        table, "_fixed_width", lambda *a, **k: written.append(own(*a, **k)) or written[-1]
    )
    out = rendered("table", wide, RenderOptions(names=names))
    assert written and all(text is None for text in written)  # Rich laid every plan out
    assert out.endswith(common.summary_line(wide) + "\n")


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_column_texts_equal_the_texts_of_each_row(which: str, lang: str) -> None:
    report, names = REPORTS[which]()
    options = RenderOptions(lang=lang, names=names)
    results = report.results
    shown = common.shown_cells(results, options)
    for i, (_, row) in enumerate(results.iterrows()):
        assert shown["target"][i] == str(row["target_id"])
        assert shown["indicator"][i] == names.indicator(row["indicator"], lang)
        assert shown["region"][i] == names.region(row["region"], lang)
        assert shown["year"][i] == common.year_text(row)
        assert shown["target_value"][i] == common.target_text(row, lang)
        assert shown["actual"][i] == common.actual_text(row, lang)
        assert shown["status"][i] == common.status_label(row["status"], bool(row["soft"]), lang)
        assert shown["gap"][i] == common.gap_text(row["gap"])


def test_the_columns_texts_read_are_result_fields() -> None:
    for name in (*common.TARGET_TEXT_COLUMNS, *common.ACTUAL_TEXT_COLUMNS):
        assert name in FIELDS_BY_NAME


def test_plan_blocks_are_the_plans_in_order_with_their_rows() -> None:
    report, _ = bundled(2015)
    blocks = common.plan_blocks(report.results)
    expected = [(str(p), rows.index) for p, rows in report.results.groupby("plan", sort=False)]
    assert [p for p, _ in blocks] == [p for p, _ in expected]
    for (_, positions), (_, index) in zip(blocks, expected, strict=True):
        assert list(report.results.index[positions]) == list(index)


@pytest.mark.parametrize(
    "text",
    [*HOSTILE, "✓ met", "—", "≥ 12 亿元", "…", "\u0300", "🇨🇳", "a\u200db", "x" * 70 + "中"],
)
def test_cell_widths_are_richs(text: str) -> None:
    assert table.cell_widths([text, "ab", text])[0] == cell_len(text)
    assert table.cell_width(text) == cell_len(text)


def test_cell_widths_of_many_texts_at_once() -> None:
    texts = [*HOSTILE, "中文", "", "abc", "Ω≈ç", "\U0001f600x"]
    assert list(table.cell_widths(texts)) == [cell_len(s) for s in texts]
    assert len(table.cell_widths([])) == 0
    # Texts of one length (no padding between them): every character counts.
    assert list(table.cell_widths(["ab", "cd", "中文"])) == [2, 2, 4]
    assert list(table.cell_widths(["a"])) == [1]


def test_per_value_and_per_distinct_spread_missing_values_too() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"a": pd.array([1, None, 1, None], dtype="Int64"), "b": ["x", "y", "x", None]}
    )
    made = common.per_distinct(
        frame, ("a", "b", "absent"), lambda r: f"{r['a']}|{common.text(r['b'])}"
    )
    assert list(made) == ["1|x", "<NA>|y", "1|x", "<NA>|"]
    assert list(common.per_value([1.5, np.nan, 1.5], common.gap_text)) == ["+1.5", "", "+1.5"]


def test_fixture_catalogue_exists() -> None:
    assert Path(REPO / "targets").is_dir()


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_messages_by_column_equal_the_messages_of_each_row(which: str, lang: str) -> None:
    report, names = REPORTS[which]()
    options = RenderOptions(lang=lang, names=names)
    results = report.results
    misses = common.miss_messages(results, options)
    notes = common.note_messages(results, report, lang)
    sources = common.provenances(results, lang)
    for i, (_, row) in enumerate(results.iterrows()):
        assert misses[i] == common.miss_message(row, options)
        assert notes[i] == common.note_message(row, report, lang)
        assert sources[i] == common.provenance(row, lang)


@pytest.mark.parametrize("which", sorted(REPORTS))
def test_junit_is_laid_out_as_elementtree_writes_it(which: str) -> None:
    import xml.etree.ElementTree as ET

    report, names = REPORTS[which]()
    # Catalogue ids are checked when loaded (no control characters); the rest stays hostile.
    ids = report.results["target_id"].map(visible)
    report = dataclasses.replace(report, results=report.results.assign(target_id=ids))
    text = rendered("junit", report, RenderOptions(names=names))
    root = ET.fromstring(text.encode())
    ET.indent(root)
    header = '<?xml version="1.0" encoding="UTF-8"?>\n'
    assert text == header + ET.tostring(root, encoding="unicode") + "\n"
    assert len(root.findall("testsuite/testcase")) == len(report.results)


def test_junit_of_no_results_is_an_empty_testsuites() -> None:
    report, names = bundled(2015)
    empty = dataclasses.replace(report, results=report.results.iloc[:0], selected=None)
    assert rendered("junit", empty, RenderOptions(names=names)).endswith(
        '<testsuites name="plancheck" tests="0" failures="0" errors="0" time="0" />\n'
    )


@pytest.mark.parametrize("which", sorted(REPORTS))
def test_gitlab_is_laid_out_as_json_dumps_writes_it(which: str) -> None:
    import json

    report, names = REPORTS[which]()
    text = rendered("gitlab", report, RenderOptions(names=names))
    issues = json.loads(text)
    assert text == json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
    assert issues and all(issue["location"]["lines"]["begin"] >= 1 for issue in issues)
    assert (
        rendered(
            "gitlab", dataclasses.replace(report, results=report.results.iloc[:0]), RenderOptions()
        )
        == "[]\n"
    )


@pytest.mark.parametrize("which", sorted(REPORTS))
def test_markdown_ends_with_one_newline_with_or_without_notes(which: str) -> None:
    report, names = REPORTS[which]()
    plain = report.results.assign(year_inferred=False, flag=None, year_approximate=False)
    for results in (report.results, plain):
        text = rendered(
            "markdown", dataclasses.replace(report, results=results), RenderOptions(names=names)
        )
        assert text.endswith("\n") and not text.endswith("\n\n")


@pytest.mark.parametrize(
    "text",
    [*HOSTILE, " lead", "trail ", "a  b", "a\u3000b", "a\xa0b", "a\u2028b", "plain text", "x|y"],
)
def test_a_markdown_cell_of_printable_text_is_flattened_as_any_other(text: str) -> None:
    import re

    from plancheck.render.markdown import cell

    flat = visible(" ".join(text.split()))
    assert cell(text) == re.sub(r"([\\`*_<\[\]|])", r"\\\1", flat)


@given(
    st.lists(
        st.one_of(
            st.text(max_size=12),
            st.sampled_from([*HOSTILE, " lead", "trail ", "a  b", "x|y", "", "*b*", "\x00", " "]),
            st.integers(),
            st.none(),
        ),
        max_size=12,
    )
)
def test_markdown_cells_of_a_column_equal_each_cell_on_its_own(values: list[object]) -> None:
    # The one-pass path (plain texts joined) must give what cell() gives value by value.
    from plancheck.render.markdown import cell, cells

    assert cells(values) == [cell(value) for value in values]


@pytest.mark.parametrize(
    "values", [["a", "b_c", "[x]", "", "甲|乙"], ["plain", "two words"], ["a", "b "], []]
)
def test_markdown_cells_of_plain_columns(values: list[object]) -> None:
    from plancheck.render.markdown import cell, cells

    assert cells(values) == [cell(value) for value in values]


@given(st.text(alphabet=st.sampled_from("\\`*_<[]|ab 甲\x00"), max_size=30) | st.text(max_size=30))
def test_markdown_markup_escapes_each_markup_character_once(text: str) -> None:
    # One backslash before each markup character (a backslash too) in one pass, as a regular
    # expression substitution does: the replace chain must not escape its own backslashes.
    import re

    from plancheck.render.markdown import _escape_markup

    assert _escape_markup(text) == re.sub(r"([\\`*_<\[\]|])", r"\\\1", text)


@given(
    st.lists(
        st.lists(st.text(max_size=8), min_size=3, max_size=3),  # a row of three cells
        max_size=12,
    )
)
def test_markdown_rows_joined_in_arrow_are_the_rows_joined_by_hand(rows: list[list[str]]) -> None:
    # Lone surrogates come in through st.text: those rows take the Python path, the same text.
    import pyarrow as pa

    from plancheck.render.markdown import _joined_rows

    columns = [np.array([row[n] for row in rows], dtype=object) for n in range(3)]
    joined = _joined_rows(columns)
    lines = joined.to_pylist() if isinstance(joined, pa.Array) else joined.tolist()
    assert lines == ["| " + " | ".join(row) + " |\n" for row in rows]
    assert all(type(line) is str for line in lines)
    # a column Arrow holds already (an escaped column) joins the same way
    if isinstance(joined, pa.Array):
        assert _joined_rows([pa.array(column, pa.string()) for column in columns]) == joined


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["1.5", None, "", "x"], dtype="str"),
        pd.Series([1.5, float("nan"), -0.0], dtype="float64"),
        pd.Series([None, pd.NA, float("nan"), pd.NaT, "a", 0], dtype=object),
        pd.Series([], dtype="str"),
    ],
)
def test_blanks_of_a_column_are_blank_of_each_value(values: pd.Series) -> None:
    assert common.blanks(values).tolist() == [common.blank(v) for v in values.tolist()]


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["t_1", "t_2", "甲"], dtype="str"),
        pd.Series(["t_1", None], dtype="str"),
        pd.Series(["t_1", 2, None], dtype=object),
    ],
)
def test_texts_of_a_column_are_str_of_each_value(values: pd.Series) -> None:
    assert common.texts(values).tolist() == common.per_value(values, str).tolist()
