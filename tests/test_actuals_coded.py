"""The dictionary-encoded reading of actuals (text columns as integer codes into their distinct
texts) gives what the plain reading (every cell a text) gives: the same canonical table, the
same problems, notices and counts, on clean and on messy input, for CSV and Parquet."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import plancheck.readers.csv_reader as csv_reader
import plancheck.readers.parquet_reader as parquet_reader
from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.problems import InputError
from plancheck.readers import READERS, ReadOptions
from plancheck.readers.csv_reader import may_hold_newlines

from .conftest import FIXTURES

CATALOGUE = load_catalogue(FIXTURES / "catalogue")

# Cells as submissions write them: ids, names, padded and traditional spellings, blanks,
# unknown names, markers, units in several places, dates good and bad.
INDICATORS = [
    "forest_coverage", " forest_coverage", "森林覆盖率", "森林覆蓋率 ", "森林覆盖率(%)",
    "森林覆盖率①", "gdp", "地区生产总值", "railway_opened", "铁路建成通车", "pilot_projects",
    "", " ", "no_such_indicator", "gdp_x",
]  # fmt: skip
REGIONS = [
    "guangdong", "广东", " 廣東", "zhaoqing", "肇庆市 ", "440600", "prd", "", "atlantis",
]  # fmt: skip
YEARS = ["2015", " 2016", "2015年", "２０１７", "2018.0", "0000", "abc", "", "15"]
VALUES = [
    "51.5", " 51.50 ", "1,234.5", "-3", "+2", ".5", "7.", "…", "-", "—", "", "x", "51.5%",
    "2250万", "1e3", "是", "否", "建成", "完成", "1e308", "９９", "12③",
]  # fmt: skip
UNITS = ["", "%", " % ", "亿元", "万元", "万户", "个", "处", "bogus", "公里"]
DATES = ["", "2015-03-01", " 2016-06 ", "2017", "2015-13-01", "soon"]
FLAGS = ["", "p", " e ", "①"]
NOTES = ["", "ok", "two\nlines", '"quoted"', "a, b"]

OPTIONAL = {"unit": UNITS, "date": DATES, "flag": FLAGS, "note": NOTES, "source": NOTES}


@st.composite
def tables(draw: Any) -> tuple[list[str], list[list[str]]]:
    """A header (the required columns and some optional ones, in any order) and its rows."""
    optional = draw(st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True))
    header = draw(st.permutations(["indicator", "region", "year", "value", *optional]))
    pools = {"indicator": INDICATORS, "region": REGIONS, "year": YEARS, "value": VALUES}
    pools.update(OPTIONAL)
    row = st.tuples(*(st.sampled_from(pools[name]) for name in header)).map(list)
    rows = draw(st.lists(row, min_size=1, max_size=12))
    if draw(st.booleans()) and rows:  # a key repeated, with its value or another
        rows.append(list(draw(st.sampled_from(rows))))
    return header, rows


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([header, *rows])
    return out.getvalue()


def outcome(path: Path, options: ReadOptions) -> tuple[Any, ...]:
    """What reading ``path`` gives: its table, notices and counts, or its problems."""
    try:
        actuals = read_actuals([path], CATALOGUE, options)
    except InputError as err:
        return ("refused", err.problems)
    return ("read", actuals.table, actuals.notices, actuals.counts, actuals.details)


def plain_outcome(path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The same reading with no column dictionary-encoded (every cell parsed as a text)."""
    with monkeypatch.context() as patched:
        patched.setattr(csv_reader, "coded_columns", lambda header: frozenset())
        patched.setattr(parquet_reader, "coded_columns", lambda header: frozenset())
        return outcome(path, options)


def assert_same(coded: tuple[Any, ...], plain: tuple[Any, ...]) -> None:
    assert coded[0] == plain[0]
    if coded[0] == "refused":
        assert coded[1] == plain[1]
        return
    pd.testing.assert_frame_equal(coded[1], plain[1], check_exact=True)
    for column in coded[1].columns:  # the same arrays, not only equal values
        assert type(coded[1][column].array) is type(plain[1][column].array), column
    assert coded[2:] == plain[2:]


def write_parquet(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {
        name: pa.array([row[j] or None for row in rows], pa.string())  # blanks as nulls
        for j, name in enumerate(header)
    }
    pq.write_table(pa.table(columns), path)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=tables(), skip_unknown=st.booleans())
def test_coded_and_plain_readings_agree_on_csv(
    table: tuple[list[str], list[list[str]]],
    skip_unknown: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header, rows = table
    path = tmp_path / "messy.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    options = ReadOptions(skip_unknown=skip_unknown)
    assert_same(outcome(path, options), plain_outcome(path, options, monkeypatch))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=tables())
def test_coded_and_plain_readings_agree_on_parquet(
    table: tuple[list[str], list[list[str]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, rows = table
    path = tmp_path / "messy.parquet"
    write_parquet(path, header, rows)
    options = ReadOptions()
    assert_same(outcome(path, options), plain_outcome(path, options, monkeypatch))


def test_text_columns_are_read_as_codes(tmp_path: Path) -> None:
    # Not a vacuous comparison: the reader does hand the stages dictionary-encoded columns.
    path = tmp_path / "a.csv"
    path.write_text(
        csv_text(
            ["indicator", "region", "year", "value", "unit", "remark"],
            [
                ["gdp", " 广东", "2015", "2000", "亿元", "x"],
                ["gdp", "广东", "2016", "2100", "", ""],
            ],
        ),
        encoding="utf-8",
    )
    frame = READERS["csv"].read(path, "a.csv", ReadOptions()).frame
    kinds = {name: isinstance(frame[name].dtype, pd.CategoricalDtype) for name in frame.columns}
    assert kinds == {
        "indicator": True,
        "region": True,
        "year": True,
        "value": False,  # figures, mostly distinct: plain text
        "unit": True,
        "remark": False,  # a column plancheck does not read
    }
    assert frame["region"].tolist() == [" 广东", "广东"]  # as written; stripped later
    table = read_actuals([path], CATALOGUE).table
    assert table["region"].tolist() == ["guangdong", "guangdong"]
    assert table["unit"].tolist() == ["亿元", "亿元"]


def test_large_file_with_padded_and_repeated_cells(tmp_path: Path) -> None:
    """The fast path (over 1 MiB) reads padded names, blanks and markers as the plain one."""
    rows = [
        [
            (" forest_coverage", "研发经费支出占地区生产总值比重 ", "城鎮登記失業率")[i % 3],
            ("prd", "zhaoqing ", "佛山")[i // 3 % 3],
            str(1000 + i // 9),
            ("51.5", " 52 ", "…", "", "53.25")[i % 5],
            ("%", "", " % ")[i % 3],
            ("", "p")[i % 2],
        ]
        for i in range(9 * 4000)
    ]
    path = tmp_path / "large.csv"
    path.write_text(csv_text(["indicator", "region", "year", "value", "unit", "flag"], rows))
    assert path.stat().st_size > 1 << 20
    coded = outcome(path, ReadOptions())
    assert coded[0] == "read" and len(coded[1]) == 9 * 4000 * 3 // 5
    with pytest.MonkeyPatch.context() as patched:
        assert_same(coded, plain_outcome(path, ReadOptions(), patched))


def test_large_file_with_a_quoted_line_break_keeps_lines_right(tmp_path: Path) -> None:
    # A quote below the header: pyarrow must look for line breaks inside quoted cells.
    body = "".join(
        f"forest_coverage,{region},{year},51.5,%,第{year}行\n"
        for region in ("prd", "guangdong", "foshan")
        for year in range(1000, 10000)
    )
    text = (
        "indicator,region,year,value,unit,note\n"
        'forest_coverage,zhaoqing,2015,51.5,%,"two\nlines"\n' + body + "gdp,prd,2015,x,亿元,\n"
    )
    path = tmp_path / "large.csv"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 1 << 20
    with pytest.raises(InputError) as err:
        read_actuals([path], CATALOGUE)
    (problem,) = err.value.problems
    assert (problem.type, problem.row, problem.line) == ("type-error", 27002, 27004)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"a,b\n1,2\n", False),  # no quote anywhere
        (b'"a","b"\n1,2\n', False),  # quoted header cells, all closed on their line
        (b'"a ""x""",b\n1,2\n', False),  # an escaped quote inside a quoted cell
        (b'a"b,c\n1,2\n', False),  # a quote inside an unquoted cell is a character
        (b'"a\nb",c\n1,2\n', True),  # a header cell holding a line break
        (b'a,b\n1,"2\n3"\n', True),  # a quote below the header
        (b'a,"b\r,c\n1,2\n', True),  # a lone carriage return inside a quoted cell
        (b"a,b", True),  # one line: nothing to gain
        (b'\xef\xbb\xbf"a",b\n1,2\n', False),  # after a byte-order mark (start=3)
    ],
)
def test_may_hold_newlines(text: bytes, expected: bool) -> None:
    start = 3 if text.startswith(b"\xef\xbb\xbf") else 0
    assert may_hold_newlines(text, start, ",") is expected


# Whitespace of every kind Python or Arrow may strip, and characters whose UTF-8 bytes end or
# start like theirs (是 ends with the byte that ends U+202F).
_PIECES = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u1680",
           "\u2000", "\u200a", "\u2028", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b",
           "是", "否", "5", ".", "a", "%", "…", "—"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(st.lists(st.sampled_from(_PIECES), max_size=4).map("".join), max_size=40),
    chunk=st.integers(1, 8),
)
def test_stripping_looks_only_where_it_must(cells: list[str], chunk: int) -> None:
    """The stripped value column equals pandas' strip of every cell, however it is held."""
    import pyarrow as pa

    from plancheck.actuals import _stripped

    pieces = [
        pa.array(cells[i : i + chunk], pa.large_string()) for i in range(0, len(cells), chunk)
    ]
    held = pd.Series(pd.array(pa.chunked_array(pieces, pa.large_string()), dtype="str"))
    expected = pd.Series(cells, dtype="str").str.strip()
    assert _stripped(held).tolist() == expected.tolist()
    tail = pd.Series(pd.array(pa.array(["  x", *cells], pa.large_string())[1:], dtype="str"))
    assert _stripped(tail).tolist() == expected.tolist()  # an array with an offset


@settings(max_examples=300, deadline=None)
@given(
    cells=st.lists(
        st.tuples(
            st.lists(st.sampled_from(list("0123456789.+-eEinfa 是")), max_size=6).map("".join),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_plain_numbers_are_those_the_pattern_matches(cells: list[tuple[str, bool]]) -> None:
    """Reading the numbers in Arrow finds the plain numbers the regular expression finds,
    in the numeric rows, and reads them as the number column later would."""
    import numpy as np

    from plancheck.actuals import _NUMBER, _floats, _plain_numbers

    text = pd.Series([c for c, _ in cells], dtype="str")
    numeric = np.array([n for _, n in cells], dtype=bool)
    plain, floats = _plain_numbers(text, numeric)
    expected = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool)
    assert (plain[numeric] == expected[numeric]).all()
    if floats is not None:  # read here: every numeric cell was plain or empty
        read = _floats(text.where(numeric & plain, ""))
        assert np.array_equal(floats[numeric & plain], read[numeric & plain])
        assert np.isnan(floats[~numeric]).all()


def test_plain_numbers_read_in_arrow_keep_the_pattern() -> None:
    # Every form of a plain number read in Arrow; then each near miss sends the column back
    # to the regular expression (Arrow would read 1e5, inf and nan as numbers).
    import numpy as np

    from plancheck.actuals import _plain_numbers

    forms = ["1.", ".5", "+5", "-.5", "00", "-0", "51.50", ""]
    numeric = np.ones(len(forms) + 1, dtype=bool)
    numeric[-1] = False  # a milestone's cell is not looked at
    plain, floats = _plain_numbers(pd.Series([*forms, "是"], dtype="str"), numeric)
    assert floats is not None
    assert plain.tolist() == [True] * 7 + [False, False]
    assert floats[:7].tolist() == [1.0, 0.5, 5.0, -0.5, 0.0, -0.0, 51.5]
    everywhere = np.ones(len(forms) + 1, dtype=bool)
    for miss in ("1e5", "inf", "nan", "1-2", ".", "+"):
        plain, floats = _plain_numbers(pd.Series([*forms, miss], dtype="str"), everywhere)
        assert floats is None and plain.tolist() == [True] * 7 + [False, False], miss
