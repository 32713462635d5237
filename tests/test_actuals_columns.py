"""The canonical actuals table as built column by column (issue 15: national scale).

Each test pins a path the column-wise build takes only in some files: numbers that are not all
plain, years spelled several ways, milestones beside numbers, repeated keys, and a large CSV
whose lines are found without keeping its text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck import keys
from plancheck.actuals import (
    _NUMBER_BYTES,
    _first_and_repeated,
    _only_number_bytes,
    _pairs,
    read_actuals,
)
from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.problems import InputError, Problem
from plancheck.readers import ReadOptions
from plancheck.readers.csv_reader import CsvReader

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(FIXTURES / "catalogue")


def write(tmp_path: Path, text: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, catalogue: Catalogue) -> list[Problem]:
    with pytest.raises(InputError) as err:
        read_actuals([path], catalogue)
    return err.value.problems


def test_numbers_milestones_and_cell_units_side_by_side(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # Plain numbers, numbers read one by one (separators, a unit in the cell) and milestones
    # (whose "1" looks like a plain number) in one table.
    path = write(
        tmp_path,
        "indicator,region,year,value,unit\n"
        "forest_coverage,guangdong,2015,51.5,%\n"
        'gdp,guangdong,2015,"1,234.5",亿元\n'
        "rd_share,guangdong,2015,2.7%,\n"
        "railway_opened,guangdong,2015,1,\n"
        "railway_opened,zhaoqing,2015,否,\n"
        "pm25,guangdong,2015,-3,\n",
    )
    table = read_actuals([path], catalogue).table
    assert table["value_text"].tolist() == ["51.5", "1234.5", "2.7", "", "", "-3"]
    assert table["unit"].tolist() == ["%", "亿元", "%", "", "", "微克每立方米"]
    assert table["done"].tolist() == [pd.NA, pd.NA, pd.NA, True, False, pd.NA]
    assert np.isnan(table["value"].iloc[3]) and table["value"].iloc[5] == -3.0
    # The ids stay Python strings, as the evaluation joins them (not re-inferred as Arrow text).
    assert table["indicator"].dtype == object and table["region"].dtype == object


def test_years_spelled_several_ways_are_read_once_each_and_refused_where_they_are(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = ["2015", "２０１６", "2017年", "2018.0", "15", "2019", "15", "0000"]
    path = write(
        tmp_path,
        "indicator,region,year,value,unit\n"
        + "".join(f"forest_coverage,guangdong,{y},51.5,%\n" for y in rows),
    )
    found = problems_of(path, catalogue)
    assert [(p.type, p.row, p.line, p.value) for p in found] == [
        ("type-error", 5, 6, "15"),
        ("type-error", 7, 8, "15"),
        ("type-error", 8, 9, "0000"),
    ]
    good = write(
        tmp_path,
        "indicator,region,year,value,unit\n"
        + "".join(
            f"forest_coverage,{r},{y},51.5,%\n"
            for r, y in zip(["guangdong", "zhaoqing", "foshan", "prd"], rows[:4], strict=True)
        ),
        "good.csv",
    )
    assert read_actuals([good], catalogue).table["year"].tolist() == [2015, 2016, 2017, 2018]


def test_a_repeated_key_keeps_the_first_row_and_a_different_value_is_refused(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    same = write(
        tmp_path,
        "indicator,region,year,value,unit\n"
        "forest_coverage,guangdong,2015,51.5,%\n"
        "forest_coverage,zhaoqing,2015,40,%\n"
        "forest_coverage,guangdong,2015,51.50,%\n",
    )
    table = read_actuals([same], catalogue).table
    assert table["row"].tolist() == [1, 2] and table["value_text"].tolist() == ["51.5", "40"]
    other = write(
        tmp_path,
        "indicator,region,year,value,unit\n"
        "forest_coverage,guangdong,2015,51.5,%\n"
        "forest_coverage,guangdong,2015,52,%\n",
        "b.csv",
    )
    (problem,) = problems_of(other, catalogue)
    assert (problem.type, problem.row) == ("conflicting-actuals", 2)


def _large(rows: int, extra: str = "") -> str:
    body = "".join(
        f"forest_coverage,{region},{1000 + i},51.5,%,ok\n"
        for i in range(rows)
        for region in ("guangdong", "zhaoqing", "foshan")
    )
    return "indicator,region,year,value,unit,note\n" + body + extra


def test_a_large_clean_csv_finds_lines_without_keeping_its_text(tmp_path: Path) -> None:
    path = write(tmp_path, _large(9000))
    assert path.stat().st_size > 1 << 20
    raw = CsvReader().read(path, str(path), ReadOptions())
    assert raw.line_offset == 1 and raw.line_of is not None and raw.line_of(27000) == 27001
    held = [cell.cell_contents for cell in raw.line_of.__closure__ or ()]
    assert all(isinstance(value, int) for value in held)  # no bytes, no decoded text


def test_a_large_csv_with_a_line_break_in_a_cell_still_names_the_right_line(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    text = _large(9000, 'forest_coverage,prd,2015,abc,%,"two\nlines"\nrd_share,prd,2015,x,%,ok\n')
    path = write(tmp_path, text)
    found = problems_of(path, catalogue)
    # The quoted line break puts the last row one line further than its row number says.
    assert [(p.row, p.line, p.value) for p in found] == [(27001, 27002, "abc"), (27002, 27004, "x")]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from([3, 1000, 10**6]), st.integers(1000, 9999)),
        min_size=1,
        max_size=60,
    )
)
def test_first_and_repeated_rows_are_those_pandas_finds(
    rows: list[tuple[int, int, int]],
) -> None:
    # Keys packed closely (counted in an array) and spread wide (hashed) alike.
    key = np.array([(p % spread) * keys.YEARS + year for p, spread, year in rows], dtype="int64")
    first, repeated = _first_and_repeated(key)
    series = pd.Series(key)
    assert first.tolist() == (~series.duplicated(keep="first")).tolist()
    assert repeated.tolist() == series.duplicated(keep=False).tolist()


@given(
    st.lists(
        st.tuples(st.integers(-1, 50), st.integers(-1, 30), st.integers(1000, 9999)),
        max_size=40,
    )
)
def test_row_keys_are_the_same_with_or_without_unknown_names(
    rows: list[tuple[int, int, int]],
) -> None:
    indicator, region, year = (
        (np.array(c, dtype="int64") for c in zip(*rows, strict=True))
        if rows
        else (np.zeros(0, "int64"),) * 3
    )
    got = keys.row_keys(indicator, region, year, 31)
    want = [
        -1 if i < 0 or r < 0 else (i * 31 + r) * keys.YEARS + y
        for i, r, y in zip(indicator, region, year, strict=True)
    ]
    assert got.tolist() == want


@given(st.binary(max_size=30))
def test_number_bytes_are_checked_as_the_table_of_them_says(text: bytes) -> None:
    # Every byte alone (the table's edges: * , / : and the rest), then random runs.
    for byte in range(256):
        alone = np.array([byte], dtype=np.uint8)
        assert _only_number_bytes(alone) == bool(_NUMBER_BYTES[alone].all())
    data = np.frombuffer(text, dtype=np.uint8)
    assert _only_number_bytes(data) == bool(_NUMBER_BYTES[data].all())


@pytest.mark.parametrize("bad", [ord(","), ord("/"), ord("*"), ord(":"), ord("e")])
@pytest.mark.parametrize("at", [0, (1 << 22) - 1, 1 << 22, (3 << 22) + 5, -1])
def test_number_bytes_are_checked_in_every_piece(bad: int, at: int) -> None:
    # Longer than one piece: a byte that is no part of a number is found wherever it is.
    data = np.frombuffer(b"0123456789.+-" * 1_000_000, dtype=np.uint8).copy()
    assert _only_number_bytes(data)
    data[at] = bad
    assert not _only_number_bytes(data)


@given(
    st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=40),
    st.sampled_from([31, 10**9]),
)
def test_pairs_number_the_numeric_rows_codes_as_factorizing_them_would(
    rows: list[tuple[int, bool]], size: int
) -> None:
    # size 31: counted in an array; 10**9: hashed. Either way position[slot] is each row's
    # place among the distinct codes of the numeric rows (-1: not numeric).
    code = np.array([c for c, _ in rows], dtype="int64")
    numeric = np.array([n for _, n in rows], dtype=bool)
    slot, pairs, position = _pairs(code, numeric, size)
    distinct = sorted(set(code[numeric].tolist()))
    if size > 31:  # hashed: in order of first appearance
        distinct = list(dict.fromkeys(code[numeric].tolist()))
    assert pairs.tolist() == distinct
    expected = [distinct.index(c) if n else -1 for c, n in rows]
    assert position[slot].tolist() == expected
