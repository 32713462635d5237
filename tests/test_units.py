"""Exact unit factors: shares, 万/亿 magnitudes, classifiers; different measures never convert."""

from __future__ import annotations

from fractions import Fraction

import pytest

from plancheck.units import UnitError, conversion_factor


@pytest.mark.parametrize(
    ("source", "target", "factor"),
    [
        ("ratio", "%", Fraction(100)),
        ("", "%", Fraction(100)),
        ("%", "‰", Fraction(10)),
        ("％", "%", Fraction(1)),
        ("万户", "户", Fraction(10_000)),
        ("萬戶", "万户", Fraction(1)),
        ("亿元", "万元", Fraction(10_000)),
        ("万亿元", "亿元", Fraction(10_000)),
        ("億元", "亿元", Fraction(1)),
        ("万亩", "公顷", Fraction(2000, 3)),
        ("万公顷", "公顷", Fraction(10_000)),
        ("亩", "平方米", Fraction(2000, 3)),
        ("公里", "km", Fraction(1)),
        ("千米", "米", Fraction(1000)),
        ("万立方米", "立方米", Fraction(10_000)),
        ("万吨", "吨", Fraction(10_000)),
        ("小时", "分钟", Fraction(60)),
        ("处", "个", Fraction(1)),
        ("家", "所", Fraction(1)),
        ("万个", "个", Fraction(10_000)),
        ("人次", "万人次", Fraction(1, 10_000)),
    ],
)
def test_exact_factors(source: str, target: str, factor: Fraction) -> None:
    assert conversion_factor(source, target) == factor


def test_point_zero_two_seven_is_exactly_two_point_seven_percent() -> None:
    from decimal import Decimal

    assert Fraction(Decimal("0.027")) * conversion_factor("ratio", "%") == Fraction(Decimal("2.7"))


@pytest.mark.parametrize(
    ("a", "b"),
    [("人次", "人"), ("户", "人"), ("元", "美元"), ("公里", "公顷"), ("%", "个"), ("吨", "立方米")],
)
def test_different_measures_never_convert(a: str, b: str) -> None:
    with pytest.raises(UnitError) as err:
        conversion_factor(a, b)
    assert err.value.kind == "incompatible-unit"
    assert a in str(err.value) and b in str(err.value)


def test_unknown_unit() -> None:
    with pytest.raises(UnitError) as err:
        conversion_factor("furlongs-ish", "公里")
    assert err.value.kind == "unknown-unit"


def test_identical_unknown_units_need_no_registry() -> None:
    assert conversion_factor("微克每立方米", "微克每立方米") == 1
