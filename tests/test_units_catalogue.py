"""The unit definitions cover every unit the catalogue and the actuals use, with exact factors."""

from __future__ import annotations

from fractions import Fraction

import pytest

from plancheck.units import UnitError, conversion_factor


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        # Shares.
        ("‰", "%", Fraction(1, 10)),
        ("fraction", "‰", Fraction(1000)),
        ("比例", "%", Fraction(100)),
        ("%", "ratio", Fraction(1, 100)),
        # Length.
        ("km", "公里", Fraction(1)),
        ("公里", "米", Fraction(1000)),
        ("万公里", "公里", Fraction(10_000)),
        # Area.
        ("平方公里", "公顷", Fraction(100)),
        ("万平方米", "平方米", Fraction(10_000)),
        ("公顷", "亩", Fraction(15)),
        ("万亩", "亩", Fraction(10_000)),
        ("万公顷", "万亩", Fraction(15)),
        ("亩", "公顷", Fraction(1, 15)),
        # Money.
        ("元", "万元", Fraction(1, 10_000)),
        ("亿元", "元", Fraction(100_000_000)),
        ("万元", "亿元", Fraction(1, 10_000)),
        # Volume and mass.
        ("万立方米", "立方米", Fraction(10_000)),
        ("亿立方米", "万立方米", Fraction(10_000)),
        ("吨", "万吨", Fraction(1, 10_000)),
        ("亿吨", "万吨", Fraction(10_000)),
        # Time.
        ("分钟", "小时", Fraction(1, 60)),
        ("min", "h", Fraction(1, 60)),
        ("小时", "min", Fraction(60)),
        # Classifiers: the indicator says what is counted.
        ("个", "处", Fraction(1)),
        ("所", "家", Fraction(1)),
        ("座", "项", Fraction(1)),
        ("万个", "处", Fraction(10_000)),
        ("万家", "个", Fraction(10_000)),
        # People and households, each with magnitudes.
        ("亿人次", "万人次", Fraction(10_000)),
        ("萬人", "人", Fraction(10_000)),
        ("万户", "户", Fraction(10_000)),
    ],
)
def test_catalogue_units_convert_exactly(source: str, target: str, factor: Fraction) -> None:
    assert conversion_factor(source, target) == factor


@pytest.mark.parametrize(
    ("a", "b"),
    [("人", "人次"), ("户", "人"), ("万户", "万人"), ("个", "人"), ("个", "户"), ("处", "人次"),
     ("平方米", "立方米"), ("吨", "元"), ("小时", "公里"), ("%", "万元")],
)  # fmt: skip
def test_different_measures_never_convert_and_the_error_names_both(a: str, b: str) -> None:
    with pytest.raises(UnitError) as err:
        conversion_factor(a, b)
    assert err.value.kind == "incompatible-unit"
    assert f"'{a}'" in str(err.value) and f"'{b}'" in str(err.value)
