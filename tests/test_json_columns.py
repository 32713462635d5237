"""The JSON report's column-at-once encodings (render/columns.py, render/json_report.py) against
the per-value functions they replace: ``number_text``, ``int.__repr__`` and the JSON string of
one text (``_string``), value by value, on generated values (controls, invisible and non-ASCII
characters, lone surrogates, missing values, signed zeros, huge and tiny floats)."""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plancheck import output
from plancheck.render import columns, json_report
from plancheck.text import has_hidden

from .conftest import REPO

# --- helpers ---------------------------------------------------------------------------------


def rows_of(texts: columns.Texts, rows: int) -> list[str]:
    """Each row's text, as a block of every row gives it."""
    made: list[str] = texts.block(slice(0, rows)).to_pylist()
    return made


def number_reference(value: Any, pointless: bool) -> str:
    """``number_text`` of a float that was written with (or without) a point."""
    return columns.number_text(str(int(value)) if pointless and value.is_integer() else value)


finite_floats = st.floats(allow_nan=False, allow_infinity=False)
scaled_floats = st.builds(  # the figures a report holds: a few digits at any scale
    lambda digits, exponent, negative: (-1 if negative else 1) * digits * 10.0**exponent,
    st.integers(0, 10**17),
    st.integers(-30, 30),
    st.booleans(),
)


# --- numbers ---------------------------------------------------------------------------------


@settings(max_examples=300)
@given(st.lists(st.tuples(st.one_of(finite_floats, scaled_floats), st.booleans()), max_size=60))
@example([(-0.0, False), (0.0, True), (1e16, False), (1e-4, False), (9.999999999999999e-05, False)])
@example([(2.0**53, True), (2.0**53 + 2, True), (1e15, False), (1e15, True), (5e-324, False)])
@example([(1.7976931348623157e308, False), (123456789012345.6, False), (0.1, True)])
def test_float_texts_are_number_text_value_by_value(pairs: list[tuple[float, bool]]) -> None:
    numbers = np.array([n for n, _ in pairs], dtype=np.float64)
    pointless = np.array([p for _, p in pairs], dtype=bool)
    made = columns.float_texts(numbers, pointless).to_pylist()
    assert made == [number_reference(n, p) for n, p in pairs]
    as_floats = columns.float_texts(numbers, None).to_pylist()
    assert as_floats == [float.__repr__(n + 0.0) for n, _ in pairs]


@given(
    st.lists(st.one_of(st.none(), finite_floats, scaled_floats), max_size=60),
    st.sampled_from(["float64", "Float64"]),  # NaN or NA for a missing value
)
def test_a_float_column_is_number_text_or_null_by_row(
    values: list[float | None], dtype: str
) -> None:
    missing = math.nan if dtype == "float64" else pd.NA
    column = pd.Series([missing if v is None else v for v in values], dtype=dtype)
    texts = columns.number_column(column, "null")
    assert texts is not None
    expected = ["null" if v is None else float.__repr__(v + 0.0) for v in values]
    assert rows_of(texts, len(values)) == expected


def test_a_float_that_is_no_number_is_refused() -> None:
    with pytest.raises(ValueError, match="no number"):
        columns.number_column(pd.Series([1.0, math.inf]), "null")


decimal_texts = st.one_of(
    st.from_regex(r"-?[0-9]{1,18}(\.[0-9]{0,18})?", fullmatch=True),
    st.from_regex(r"-?\.[0-9]{1,8}", fullmatch=True),
    st.from_regex(r"[+-]?[0-9]{1,4}(\.[0-9]{1,4})?[eE][+-]?[0-9]{1,3}", fullmatch=True),
    finite_floats.map(repr),
    scaled_floats.map(repr),
    st.sampled_from(["0", "-0", "0.0", "-0.0", "5.", ".5", "1.0", "0.0001", "0.00001", "007.50"]),
)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.none(), decimal_texts), max_size=60))
@example(["1e400"])  # no float: refused as before
def test_decimal_texts_are_number_text_value_by_value(values: list[str | None]) -> None:
    column = pd.Series(values, dtype="str")
    try:
        expected = ["null" if v is None else columns.number_text(v) for v in values]
    except ValueError:  # inf
        with pytest.raises(ValueError, match="no number"):
            columns.number_column(column, "null")
        return
    texts = columns.number_column(column, "null")
    assert texts is not None
    assert rows_of(texts, len(values)) == expected


@given(st.lists(st.one_of(st.none(), decimal_texts), min_size=8, max_size=40))
def test_mostly_missing_decimal_texts_are_written_too(values: list[str | None]) -> None:
    values = values + [None] * (3 * len(values))  # a range maximum: most targets have none
    column = pd.Series(values, dtype="str")
    if not all(v is None or math.isfinite(float(v)) for v in values):
        with pytest.raises(ValueError, match="no number"):
            columns.number_column(column, "")
        return
    texts = columns.number_column(column, "")
    expected = ["" if v is None else columns.number_text(v) for v in values]
    assert texts is not None and rows_of(texts, len(values)) == expected


def test_a_decimal_text_arrow_cannot_parse_goes_value_by_value() -> None:
    # Python's float() reads "1_000", Arrow does not: the renderer's per-value path writes it
    assert columns.number_column(pd.Series(["1_000", "2.5"], dtype="str"), "null") is None
    report_values = pd.Series(["1_000", "2.5", None], dtype="str")
    texts = json_report._numbers(report_values)
    assert rows_of(texts, 3) == ["1000", "2.5", "null"]


@given(st.lists(st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)), max_size=50))
def test_int_columns_are_pythons_ints(values: list[int | None]) -> None:
    column = pd.Series(values, dtype="Int64")
    texts = columns.int_column(column, "null")
    assert rows_of(texts, len(values)) == ["null" if v is None else repr(v) for v in values]


@pytest.mark.parametrize("dtype", ["Int64", "int32", "UInt64", object])
def test_int_columns_of_distinct_ids_are_made_row_by_row(dtype: Any) -> None:
    column = pd.Series(range(10_000), dtype=dtype)
    texts = columns.int_column(column, "null")
    assert (texts.codes is None) == (dtype in ("Int64", "int32"))  # every value its own
    assert rows_of(texts, 10_000) == [str(v) for v in range(10_000)]


# --- strings ---------------------------------------------------------------------------------

# Characters JSON escapes here (quotes, backslashes, C0/C1 controls, bidi and zero-width marks,
# astral format characters) beside plain ASCII, CJK, emoji and separators Python thinks
# unprintable but does not hide (U+3000, U+00A0).
tricky = st.sampled_from(
    [
        *'"\\\x00\x07\n\r\t\x1b\x7f\x85\x9f\u00ad\u061c\u200b\u200e\u2028\u202e\u2066\ufeff',
        "\U000110bd",
        "\U000e0041",
        "\u3000",
        "\u00a0",
        "中",
        "亿",
        "😀",
        "é",
        "a",
        " ",
        "/",
    ]
)
# (no lone surrogate: an Arrow text column cannot hold one; a column of objects can, below)
texts_with_tricks = st.text(
    st.one_of(tricky, st.characters(blacklist_categories=("Cs",))), max_size=12
)
any_text = st.text(st.characters(blacklist_categories=()), max_size=12)  # lone surrogates too


def json_string_reference(value: str | None) -> str:
    return "null" if value is None else json_report._string(value)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.none(), texts_with_tricks), max_size=40), st.booleans())
def test_arrow_text_columns_are_the_json_strings_value_by_value(
    values: list[str | None], repeated: bool
) -> None:
    if repeated:  # coded: a few texts over many rows
        values = values * 3
    column = pd.Series(values, dtype="str")
    texts = json_report._words(column)
    made = rows_of(texts, len(values))
    assert made == [json_string_reference(v) for v in values]
    assert not any(has_hidden(m) for m in made)  # nothing hidden reaches the file raw
    assert [None if m == "null" else json.loads(m) for m in made] == values


@given(st.lists(st.one_of(st.none(), any_text), max_size=30))
def test_object_text_columns_are_the_json_strings_value_by_value(
    values: list[str | None],
) -> None:
    column = pd.Series(values, dtype=object)
    made = rows_of(json_report._words(column), len(values))
    assert made == [json_string_reference(v) for v in values]


@given(st.lists(texts_with_tricks, min_size=1, max_size=30))
def test_plain_says_whether_every_text_is_its_json_string_in_quotes(values: list[str]) -> None:
    strings = pa.array(values, pa.string())
    assert json_report._plain(strings) == all(json_report._string(v) == f'"{v}"' for v in values)


def test_a_milestone_word_and_figures_share_the_actual_column() -> None:
    results = pd.DataFrame(
        {
            "kind": ["level", "milestone", "growth", "milestone", "level"],
            "actual_value": pd.Series(["51.50", "done", "7", 'not "done"', None], dtype="str"),
        }
    )
    field = next(f for _, fs in json_report.json_layout() for f in fs if f.kind == "actual")
    texts = json_report._texts(results, field, 6)
    assert rows_of(texts, 5) == ["51.5", '"done"', "7", '"not \\"done\\""', "null"]


# --- the record ------------------------------------------------------------------------------


def coded(texts: list[str], rows: int, seed: int) -> columns.Texts:
    codes = np.random.default_rng(seed).integers(0, len(texts), rows).astype(np.int32)
    return columns.Texts(codes, pa.array(texts, pa.string()))


@given(
    st.lists(
        st.one_of(
            st.text(max_size=4),  # a literal
            st.lists(st.text(max_size=5), min_size=1, max_size=4),  # coded column's texts
            st.just(None),  # a column with a text of its own in each row
        ),
        min_size=1,
        max_size=10,
    ),
    st.integers(0, 2**16),
)
def test_a_compacted_record_is_the_same_text_in_each_row(
    plan: list[str | list[str] | None], seed: int
) -> None:
    rows = 23
    pieces: list[str | columns.Texts] = []
    for number, item in enumerate(plan):
        if isinstance(item, str):
            pieces.append(item)
        elif item is None:
            pieces.append(columns.Texts.per_row(pa.array([f"r{r}" for r in range(rows)])))
        else:
            pieces.append(coded(item, rows, seed + number))
    if all(isinstance(p, str) for p in pieces):
        pieces.append(columns.constant("", rows))

    def each_row(record: list[str | columns.Texts]) -> list[str]:
        texts = [[p] * rows if isinstance(p, str) else rows_of(p, rows) for p in record]
        return ["".join(row) for row in zip(*texts, strict=True)]

    compact = columns.compacted(pieces)
    assert each_row(compact) == each_row(pieces)
    assert len(compact) <= len(pieces)
    whole = columns.joined([p if isinstance(p, str) else p.block(slice(0, rows)) for p in compact])
    assert whole.to_pylist() == each_row(pieces)


def test_members_of_an_absent_object_leave_only_its_null() -> None:
    there = np.array([True, False, True])
    first = columns.within(coded(["1", "2"], 3, 0), there, "{a: ", "", "null")
    last = columns.within(columns.Texts.per_row(pa.array(["x", "y", "z"])), there, ", b: ", "}", "")
    assert [f + s for f, s in zip(rows_of(first, 3), rows_of(last, 3), strict=True)] == [
        "{a: " + rows_of(coded(["1", "2"], 3, 0), 3)[0] + ", b: x}",
        "null",
        "{a: " + rows_of(coded(["1", "2"], 3, 0), 3)[2] + ", b: z}",
    ]


# --- chunks as bytes -------------------------------------------------------------------------


def test_utf8_chunks_are_text_when_iterated_and_bytes_for_a_file(tmp_path: Path) -> None:
    made = [b'{"a": "\xe4\xba\xbf\xe5\x85\x83",\n', memoryview(b' "b": 1}\n')]
    assert list(columns.Utf8Chunks(iter(made))) == ['{"a": "亿元",\n', ' "b": 1}\n']
    target = tmp_path / "report.json"
    output.write_atomically([(target, columns.Utf8Chunks(iter(made)))])
    assert target.read_bytes() == b"".join(bytes(m) for m in made)
    plain = tmp_path / "plain.txt"
    output.write_atomically([(plain, iter(["亿", "元\n"]))])  # text chunks: encoded
    assert plain.read_text(encoding="utf-8") == "亿元\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt", "report.json"]


# --- worker threads and the writer ------------------------------------------------------------


def test_blocks_made_ahead_come_in_order_and_closing_early_drops_the_rest() -> None:
    begun: list[int] = []
    lock = threading.Lock()

    def made(number: int) -> int:
        with lock:
            begun.append(number)
        return number * number

    with columns.workers() as pool:
        assert list(columns.made_ahead(made, 50, pool)) == [n * n for n in range(50)]
    assert sorted(begun) == list(range(50))
    begun.clear()
    with columns.workers() as pool:
        given = columns.made_ahead(made, 50, pool)
        assert [next(given), next(given)] == [0, 1]
        given.close()
    # at most WORKERS + 1 made ahead of the one given: the rest were never begun
    assert sorted(begun) == list(range(len(begun)))
    assert len(begun) <= 2 + columns.WORKERS + 1


def test_a_field_that_cannot_be_encoded_fails_the_render_and_leaves_no_thread(
    tmp_path: Path,
) -> None:
    from plancheck.actuals import read_actuals
    from plancheck.catalogue import load_catalogue
    from plancheck.evaluation import EvaluationOptions, evaluate
    from plancheck.render import Names, RenderOptions

    catalogue = load_catalogue(REPO / "targets")
    data = read_actuals(sorted((REPO / "actuals").glob("*.csv")), catalogue)
    report = evaluate(catalogue, data, EvaluationOptions(as_of=2016))
    results = report.results.copy()
    results["gap"] = results["gap"].astype(float)
    results.loc[results.index[-1], "gap"] = math.inf  # no JSON number
    broken = replace(report, results=results, selected=None)
    options = RenderOptions(names=Names.from_catalogue(catalogue))
    target = tmp_path / "report.json"
    with pytest.raises(ValueError, match="no number"):
        output.write_atomically([(target, json_report.render_chunks(broken, options))])
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert not [t for t in threading.enumerate() if t.name.startswith("plancheck-render")]
    good = json_report.render(report, options)  # the same report unbroken renders
    assert json.loads(good)["results"][-1]["target_id"] == report.results["target_id"].iloc[-1]


def test_a_streamed_file_is_handed_to_the_disk_part_by_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    advised: list[tuple[int, int, int]] = []

    def advise(fd: int, start: int, length: int, advice: int) -> None:
        assert advice == os.POSIX_FADV_DONTNEED
        assert os.fstat(fd).st_size >= start + length  # only what is already written
        advised.append((start, length, advice))

    monkeypatch.setattr(output, "WRITEBACK_BYTES", 10)
    monkeypatch.setattr(os, "posix_fadvise", advise, raising=False)
    made: list[bytes | memoryview] = [b"abcdef", memoryview(b"ghijklmnop"), b"q", bytes(range(40))]
    target = tmp_path / "report.bin"
    output.write_atomically([(target, columns.Utf8Chunks(iter(made)))])
    assert target.read_bytes() == b"".join(bytes(m) for m in made)
    # each part starts where the one before ended; every chunk but the last is handed over
    assert [(s, n) for s, n, _ in advised] == [(0, 16), (16, 41)]
