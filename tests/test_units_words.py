"""units.words answers one-word spellings without pint: every answer it gives is pint's.

Each check reads the same spelling both ways: ``words.quick`` and the pint registry
(``units._parse``), then compares what the unit measures (its factor in base units and its
terms) and every conversion between two such units.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck import units
from plancheck.units import words

DEFINED = words.definitions()


def _fresh_registry() -> Any:
    import pint

    return pint.UnitRegistry(str(words.DEFINITIONS), non_int_type=Fraction, cache_folder=None)


@lru_cache(maxsize=1)
def _pint() -> tuple[Any, dict[str, Any]]:
    """A registry of its own, and the units it defines before it reads anything."""
    registry = _fresh_registry()
    return registry, dict(registry._units.maps[0])


def _pint_reading(spelling: str) -> tuple[Fraction, list[Any]] | None:
    """(factor in base units, terms) as pint reads ``spelling``, or None when it cannot.

    Read as by a fresh registry: pint keeps each prefixed unit it reads under its name (wanmu)
    and from then on reads that name under a further prefix too (wanwanmu); see
    test_a_doubled_prefix_is_no_unit_whatever_pint_read_before.
    """
    import pint

    registry, defined = _pint()
    registry._units.maps[0].clear()
    registry._units.maps[0].update(defined)
    try:
        unit = registry.parse_units(spelling)
    except Exception:  # as units._parse: any error is an unknown unit
        return None
    factor, _ = registry.get_root_units(unit)
    assert isinstance(factor, (int, Fraction)), f"{spelling}: pint's factor is not exact"
    terms = sorted(  # as units._terms
        (tuple(sorted(registry.get_dimensionality(name).items())), power)
        for name, power in pint.util.to_units_container(unit, registry).items()
    )
    return Fraction(factor), terms


def _agrees_with_pint(spelling: str) -> bool:
    """Whether ``spelling`` is one quick answers; asserts the answer is pint's."""
    found = words.quick(spelling)
    if found is None:
        return False
    reading = _pint_reading(spelling)
    if isinstance(found, words.NotAUnit):
        assert reading is None, f"{spelling!r}: pint reads {reading}, quick says not a unit"
    else:
        assert reading is not None, f"{spelling!r}: quick reads {found}, pint cannot"
        assert reading == (found.factor, [(found.dimensions, 1)]), spelling
    return True


def _all_words() -> list[str]:
    """Every prefix + unit + plural spelling the definitions allow, and pint's rewrites."""
    spellings = [
        prefix + unit + suffix
        for prefix in DEFINED.prefixes
        for unit in DEFINED.units
        for suffix in ("", "s")
    ]
    return [*dict.fromkeys(spellings), *words.PINT_REWRITES]


def test_the_definitions_are_read_as_pint_reads_them() -> None:
    registry = _fresh_registry()
    assert list(DEFINED.prefixes) == list(registry._prefixes)  # the order decides a reading
    assert set(DEFINED.units) == set(registry._units)
    assert dict(registry._suffixes) == {"": "", "s": ""}
    for spelling, (name, factor) in DEFINED.prefixes.items():
        assert registry._prefixes[spelling].name == name
        assert registry._prefixes[spelling].converter.scale == factor
    for spelling, unit in DEFINED.units.items():
        assert registry._units[spelling].name == unit.name
        assert registry.get_root_units(unit.name)[0] == unit.factor, spelling
        dimensions = tuple(sorted(registry.get_dimensionality(unit.name).items()))
        assert dimensions == unit.dimensions, spelling


def test_every_defined_word_is_read_as_pint_reads_it() -> None:
    spellings = _all_words()
    answered = [s for s in spellings if _agrees_with_pint(s)]
    # pint is left only what is not one word: a unit spelled with a sign (万%, m², 千瓦‰)
    assert [s for s in spellings if s not in answered and s.isidentifier()] == []
    assert len(answered) > 4000


@pytest.mark.parametrize(
    "spelling",
    ["hotspots", "regionalGDP", "GDP", "Qingyuan", "1小时交通圈", "9+2", "12+3+4", "ms", "初步"],
)
def test_plainly_no_unit(spelling: str) -> None:
    assert isinstance(words.quick(spelling), words.NotAUnit)
    assert _pint_reading(spelling) is None


@pytest.mark.parametrize(
    "spelling",
    ["dimensionless", "nan", "NaN", "1+0", "m²", "元/人", "km/m", "1/%", "0+1", "个$", "_", "1个"],
)
def test_what_pint_reads_apart_is_left_to_pint(spelling: str) -> None:
    # pint's own rules for these (dimensionless, a scale of nan or 1, powers, operators, a
    # character its tokenizer skips) are not repeated here
    assert words.quick(spelling) is None


def _reads(registry: Any, spelling: str) -> bool:
    try:
        registry.parse_units(spelling)
    except Exception:
        return False
    return True


def test_a_doubled_prefix_is_no_unit_whatever_pint_read_before() -> None:
    # pint's own answer depends on what it read before; plancheck answers as a fresh registry
    # does, whatever order the cells come in
    registry = _fresh_registry()
    assert not _reads(registry, "wanwanmu")
    assert _reads(registry, "wanmu")
    assert _reads(registry, "wanwanmu")  # pint now reads wan + the 'wanmu' it has kept
    assert isinstance(words.quick("wanwanmu"), words.NotAUnit)


def test_conversions_between_words_are_pints() -> None:
    sample = [
        *("个", "萬個", "處", "户", "万户", "人", "人次", "万人次", "元", "億元", "万亿元"),
        *("美元", "公顷", "萬畝", "亩", "平方公里", "km2", "m", "公里", "吨", "万吨", "小时"),
        *("mins", "分钟", "度", "千瓦", "kW", "fraction", "percent", "%", "‰", "倍", "TEU", "次"),
    ]
    for a, b in itertools.permutations(sample, 2):
        try:
            expected: Fraction | str = units._pint_factor(a, b)
        except units.UnitError as err:
            expected = str(err)
        units.conversion_factor.cache_clear()
        try:
            got: Fraction | str = units.conversion_factor(a, b)
        except units.UnitError as err:
            got = str(err)
        assert got == expected, (a, b)


def test_an_unknown_word_is_named_as_pint_names_it() -> None:
    for a, b in (("公里", "furlongs"), ("furlongs", "公里"), ("furlongs", "m²")):
        with pytest.raises(units.UnitError) as quick_error:
            units.conversion_factor(a, b)
        with pytest.raises(units.UnitError) as pint_error:
            units._pint_factor(a, b)
        assert str(quick_error.value) == str(pint_error.value)
        assert quick_error.value.kind == pint_error.value.kind == "unknown-unit"


# Pieces a spelling is made of: the definitions' own, letters and digits, the signs pint reads
# apart (operators, powers, % and ‰, a character its tokenizer skips) and letters no unit uses.
_PIECES = sorted(
    {
        *DEFINED.prefixes,
        *DEFINED.units,
        *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        *"s_+-*/^%‰²⁻·°$#()",
        "**",
        *("圈", "交", "通", "ª", "〇", "℘", "é", "Ω", "ǅ", "nan", "per", "dimensionless"),
    }
)


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4).map("".join),
        st.text(alphabet=st.sampled_from(sorted(DEFINED.letters | set("0123+s圈x"))), max_size=6),
    )
)
def test_any_spelling_quick_answers_is_read_as_pint_reads_it(spelling: str) -> None:
    _agrees_with_pint(spelling)
