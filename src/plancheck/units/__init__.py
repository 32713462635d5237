"""Unit conversion with exact factors.

Units are named as plans and clerks write them (``%``, ``万户``, ``亿元``, ``公里``, ``处``) and
looked up in a pint registry built from ``definitions.txt``. Factors are :class:`Fraction`, so a
value converted from ``0.027`` (fraction) to percent is exactly ``2.7``. pint takes 0.3 s to
import and build its registry, so it is asked only when it must be: identical unit strings need
no registry at all, and a spelling that is one defined word (``萬畝``, ``个``) or plainly no unit
is answered from the definitions themselves (:mod:`.words`, which gives pint's answers).
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from . import words

_DEFINITIONS = words.DEFINITIONS
_FULLWIDTH = str.maketrans({"％": "%", "‰": "‰", "（": "(", "）": ")", "²": "²", "³": "³"})
_DIMENSIONLESS = {"", "1", "fraction", "ratio", "比例", "比率"}


class UnitError(ValueError):
    """A unit that is unknown, or two units that measure different things."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "unknown-unit" or "incompatible-unit"


def normalise(unit: str) -> str:
    """The unit as the registry spells it: no spaces, half-width symbols."""
    text = re.sub(r"\s+", "", unit.translate(_FULLWIDTH))
    return "fraction" if text.lower() in _DIMENSIONLESS else text


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint  # imported here: most runs compare like with like and never need it

    return pint.UnitRegistry(str(_DEFINITIONS), non_int_type=Fraction, cache_folder=None)


@lru_cache(maxsize=4096)
def _parse(unit: str) -> Any:
    registry = _registry()
    try:
        return registry.parse_units(unit)
    except Exception:  # pint raises several types for text it cannot read
        raise _unknown(unit) from None


@lru_cache(maxsize=4096)
def _quick(unit: str) -> words.Unit | words.NotAUnit | None:
    return words.quick(unit)


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> Fraction:
    """The exact factor f with ``value[from_unit] * f == value[to_unit]``."""
    a, b = normalise(from_unit), normalise(to_unit)
    if a == b:
        return Fraction(1)
    source = _quick(a)
    target = _quick(b) if source is not None else None
    for unit, found in ((a, source), (b, target)):
        if isinstance(found, words.NotAUnit):
            raise _unknown(unit)
    if isinstance(source, words.Unit) and isinstance(target, words.Unit):
        if source.dimensions != target.dimensions:
            raise _other_terms(from_unit, to_unit)
        return source.factor / target.factor
    return _pint_factor(from_unit, to_unit)


def _pint_factor(from_unit: str, to_unit: str) -> Fraction:
    """:func:`conversion_factor` as pint reads the two units."""
    a, b = normalise(from_unit), normalise(to_unit)
    registry = _registry()
    source, target = _parse(a), _parse(b)
    different = UnitError(
        "incompatible-unit",
        f"'{from_unit}' cannot be converted to '{to_unit}': they measure different things",
    )
    if _terms(source) != _terms(target):
        raise _other_terms(from_unit, to_unit)
    try:
        magnitude = registry.Quantity(Fraction(1), source).to(target).magnitude
    except Exception:
        raise different from None
    return Fraction(magnitude)


def _unknown(unit: str) -> UnitError:
    return UnitError("unknown-unit", f"unknown unit '{unit}'")


def _other_terms(from_unit: str, to_unit: str) -> UnitError:
    return UnitError(
        "incompatible-unit",
        f"'{from_unit}' cannot be converted to '{to_unit}': its terms measure other things "
        "than the indicator's unit, term by term (a ratio of two lengths is not a %)",
    )


def _terms(unit: Any) -> list[tuple[tuple[tuple[str, Any], ...], Any]]:
    """What each term of a unit measures, with its power, before anything cancels.

    pint would convert ``km/m`` to ``%`` (both dimensionless after cancelling) and ``1/%`` to
    a fraction, silently scaling a value by 1000 or 10000; a clerk's expression is accepted
    only when it measures the same things as the indicator's unit, term by term (万元/人 for
    元/人, 万亩 for 公顷).
    """
    import pint

    registry = _registry()
    container = pint.util.to_units_container(unit, registry)
    return sorted(
        (tuple(sorted(registry.get_dimensionality(name).items())), power)
        for name, power in container.items()
    )


def is_known(unit: str) -> bool:
    spelling = normalise(unit)
    found = _quick(spelling)
    if found is not None:
        return isinstance(found, words.Unit)
    try:
        _parse(spelling)
    except UnitError:
        return False
    return True
