"""Exact decimals at the boundary, vectorised: int64 rationals where the figures fit, fractions
where they do not, and the same verdict either way."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.evaluation.lookup import rows_by_file_row
from plancheck.evaluation.methods import exact

from .conftest import FIXTURES
from .test_evaluation import result, run, status


def test_decimal_text_is_read_exactly() -> None:
    texts = ["51.50", "51.5", ".5", "-0.25", "+7", "007.10", "1e3", "1234567890123456789", ""]
    read = exact.from_decimal_text(np.array(texts, dtype=object))
    assert read.exact.tolist() == [True] * 6 + [False] * 3  # exponents, 19 digits, no figure
    assert [read.fraction(i) for i in range(6)] == [
        Fraction("51.5"),
        Fraction("51.5"),
        Fraction(1, 2),
        Fraction(-1, 4),
        Fraction(7),
        Fraction("7.1"),
    ]
    sign, is_exact = exact.compare(read.take(np.array([0])), read.take(np.array([1])))
    assert sign.tolist() == [0] and is_exact.tolist() == [True]  # 51.50 is 51.5


def test_a_converted_fraction_equals_the_percent_exactly() -> None:
    # 0.027 × 100 in binary floating point is 2.7000000000000006.
    converted = exact.from_decimal_text(["0.027"]) * exact.conversion_factors(
        np.array(["ratio"], dtype=object), np.array(["%"], dtype=object)
    )
    sign, is_exact = exact.compare(converted, exact.from_decimal_text(["2.7"]))
    assert sign.tolist() == [0] and is_exact.tolist() == [True]


def test_products_that_would_overflow_are_marked_not_exact() -> None:
    big = exact.from_decimal_text(["999999999999.999999", "2"])
    squared = big * big
    assert squared.exact.tolist() == [False, True] and squared.fraction(1) == 4
    sign, is_exact = exact.compare(big, exact.from_decimal_text(["3", "2"]))
    assert is_exact.tolist() == [True, True] and sign.tolist() == [1, 0]


def test_sums_powers_and_quotients() -> None:
    step = exact.constant(1, 2) + exact.from_decimal_text(["0.1", "-0.5"])
    assert [step.fraction(i) for i in range(2)] == [Fraction(11, 10), Fraction(1, 2)]
    powered = step.power(np.array([2, 3]))
    assert [powered.fraction(i) for i in range(2)] == [Fraction(121, 100), Fraction(1, 8)]
    quotient = exact.from_decimal_text(["1210", "5"]) / exact.from_decimal_text(["1000", "-0"])
    assert quotient.exact.tolist() == [True, False]  # no dividing by zero
    assert quotient.fraction(0) == Fraction(121, 100)


def test_objects_are_read_once_per_object_and_none_is_not_exact() -> None:
    from decimal import Decimal

    shared = Decimal("51.50")
    values = np.array([shared, shared, Fraction(1, 3), None, 2.5], dtype=object)
    read = exact.from_objects(values)
    assert read.exact.tolist() == [True, True, True, False, False]  # a float is not a decimal
    assert read.fraction(0) == Fraction(103, 2) and read.fraction(2) == Fraction(1, 3)
    assert np.isnan(exact.floats_of(values)[3]) and exact.floats_of(values)[0] == 51.5


# demo_forest_2015 is ">= 51.50 %" for prd: figures too long for int64 take the Fraction path.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("51.49999999999999999999", "not_met"),  # equal to 51.5 as a float
        ("51.50000000000000000000", "met"),
        ("5.15e1", "met"),
        ("5.149e1", "not_met"),
    ],
)
def test_long_figures_at_the_boundary(tmp_path: Path, value: str, expected: str) -> None:
    report = run(tmp_path, f"forest_coverage,prd,2015,{value},%,,\n", plans=("demo_plan",))
    assert status(report, "demo_forest_2015") == expected


def test_average_growth_with_long_levels_is_exact(tmp_path: Path) -> None:
    # 10 % a year for two years needs exactly 1.21 times the base; as floats both are 1.21.
    just_short = "gdp,zhaoqing,2013,1000.000000000000000000,亿元,,\ngdp,zhaoqing,2015,1209.99999999999999999,亿元,,\n"
    assert status(run(tmp_path, just_short), "demo_gdp_growth_2015") == "not_met"
    exactly = "gdp,zhaoqing,2013,1000.000000000000000000,亿元,,\ngdp,zhaoqing,2015,1210,亿元,,\n"
    r = result(run(tmp_path, exactly), "demo_gdp_growth_2015")
    assert r["status"] == "met" and r["actual_value"] == "10.00"


def test_a_growth_band_computed_from_levels(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "catalogue", catalogue)
    plan = catalogue / "plans" / "demo_plan.yaml"
    text = plan.read_text(encoding="utf-8")
    asked = '    year: 2014\n    comparator: ">="\n    value: 20\n    unit: "%"\n'
    assert asked in text
    band = (
        '    year: 2014\n    comparator: between\n    value: 15\n    value_max: 20\n    unit: "%"\n'
    )
    plan.write_text(text.replace(asked, band), encoding="utf-8")
    verdicts = {}
    for now in ("919.99", "920", "960", "960.01"):
        rows = f"tech_investment,guangdong,2013,800,亿元,,\ntech_investment,guangdong,2014,{now},亿元,,\n"
        verdicts[now] = status(run(tmp_path, rows, catalogue), "demo_tech_growth_2014")
    assert verdicts == {"919.99": "not_met", "920": "met", "960": "met", "960.01": "not_met"}


def test_rows_are_found_by_file_and_row_in_any_order() -> None:
    table = pd.DataFrame(
        {"file": ["b.csv", "a.csv", "a.csv", "b.csv", "a.csv"], "row": [1, 2, 1, 1, 3]}
    )
    files = pd.Series(["a.csv", "b.csv", "a.csv", None, "c.csv", "a.csv"], dtype=object)
    rows = pd.Series([1, 1, 3, 1, 1, pd.NA], dtype="Int64")
    # b.csv row 1 is there twice: the first is found, as a left join's first match would be.
    assert rows_by_file_row(table, files, rows).tolist() == [2, 0, 4, -1, -1, -1]
    ordered = table.iloc[[2, 1, 4, 0]].reset_index(drop=True).astype({"file": "category"})
    assert rows_by_file_row(ordered, files, rows).tolist() == [0, 3, 2, -1, -1, -1]


_DECIMAL_SHAPE = re.compile(r"[+-]?[0-9]*\.?[0-9]*")


def _plain_reading(text: str | None) -> Fraction | None:
    """What from_decimal_text must give, read the plain way: a sign, digits with at most one
    point (1 to 18 digits) is its exact value; anything else is not exact."""
    if text is None or not _DECIMAL_SHAPE.fullmatch(text):
        return None
    digits = sum(c.isdigit() for c in text)
    return Fraction(Decimal(text)) if 0 < digits <= 18 else None


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet="0123456789+-. e١", max_size=22),
            st.from_regex(r"[+-]?[0-9]{0,20}\.?[0-9]{0,20}", fullmatch=True),
        ),
        max_size=40,
    )
)
def test_decimal_texts_read_as_the_plain_reading_does(texts: list[str | None]) -> None:
    """Arrow-backed and Python texts alike: each exact where the plain reading is, and equal."""
    for given_texts in (texts, pd.Series(texts, dtype="str")):
        read = exact.from_decimal_text(given_texts)
        for i, text in enumerate(texts):
            expected = _plain_reading(text)
            assert bool(read.exact[i]) is (expected is not None), text
            if expected is not None:
                assert read.fraction(i) == expected, text
