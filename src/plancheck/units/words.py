"""Units written as one word, read from ``definitions.txt`` without pint.

pint takes 0.3 s to import and build its registry; most unit spellings plancheck meets are one
word that ``definitions.txt`` defines (``个``, ``萬畝``, ``万亿元``, ``fraction``) or plainly no
unit at all (a bracket's ``(Qingyuan)``, ``(1小时交通圈)``, ``(9+2)``). :func:`quick` answers
those exactly as pint would and leaves every other spelling to pint (``None``).

Why the answers are pint's (tests/test_units_words.py checks each against pint):

- A word: a letter, then letters, ASCII digits or ``_``. pint's preprocessing leaves it alone
  and Python's tokenizer reads it as one name, which pint looks up as written, else as
  prefix + unit + plural ``s`` in the order its registry lists them (the first reading wins).
  ``%`` and ``‰`` are pint's own rewrites for ``percent`` and ``permille``.
- A spelling of ASCII digits and non-ASCII letters only, with a letter that no definition
  uses: that letter lands in a name pint cannot define, so pint refuses the spelling.
- Two or more whole numbers added (``9+2``): pint reads a number other than 1, which it
  refuses as a unit.

The answers are those of a fresh registry. pint keeps each prefixed unit it has read under its
name (``wanmu``) and reads that name under a further prefix from then on (``wanwanmu``, no unit
before): here a spelling means the same whatever was read before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

DEFINITIONS = Path(__file__).with_name("definitions.txt")
PINT_REWRITES = {"%": "percent", "‰": "permille"}  # pint's preprocessors, for a whole spelling
SPECIAL_WORDS = ("dimensionless", "nan")  # pint treats these apart: it answers them itself
_DIGITS = frozenset("0123456789")
_SUM = re.compile(r"[1-9][0-9]*(?:\+[1-9][0-9]*)+")
_TOKEN = re.compile(r"\s*(\*\*|[*/()]|[0-9]+(?:\.[0-9]*)?|[^\s*/()]+)")

Dimensions = tuple[tuple[str, int], ...]  # sorted (dimension, power), e.g. (("[length]", 2),)


@dataclass(frozen=True)
class Unit:
    """A unit as its base units measure it: ``value * factor`` in base units."""

    name: str  # the canonical name, as pint names it ("hectare", "wan" + "mu")
    factor: Fraction
    dimensions: Dimensions


class NotAUnit:
    """pint's answer for a spelling it cannot read as a unit."""


NOT_A_UNIT = NotAUnit()


@dataclass(frozen=True)
class Definitions:
    """definitions.txt as pint's registry holds it: every spelling of a prefix and of a unit."""

    prefixes: dict[str, tuple[str, Fraction]]  # spelling → (name, factor); "" first, file order
    units: dict[str, Unit]  # name, symbol or alias → unit
    letters: frozenset[str]  # every character some prefix or unit spelling uses

    def word(self, word: str) -> Unit | None:
        """The unit a one-word spelling names, or None: pint's lookup (name, then prefix + unit
        + suffix, in the registry's order; a reading with a prefix beats the same unit without)."""
        direct = self.units.get(word)
        if direct is not None:
            return direct
        found = list(dict.fromkeys(self._readings(word)))
        for prefix, unit in list(found):
            if prefix:
                found = [r for r in found if r != ("", prefix + unit)]
        if not found:
            return None
        prefix, name = found[0]
        return self._prefixed(prefix, name)

    def _readings(self, word: str) -> Iterator[tuple[str, str]]:
        for suffix in ("", "s"):  # pint's suffixes: none, and a plural s
            if not word.endswith(suffix):
                continue
            for spelling, (prefix, _) in self.prefixes.items():
                if not word.startswith(spelling):
                    continue
                rest = word[len(spelling) :]
                if suffix:
                    rest = rest[: -len(suffix)]
                    if len(rest) == 1:  # pint: a one-letter unit takes no plural s
                        continue
                unit = self.units.get(rest)
                if unit is not None:
                    yield prefix, unit.name

    def _prefixed(self, prefix: str, name: str) -> Unit:
        unit = next(u for u in self.units.values() if u.name == name)
        if not prefix:
            return unit
        factor = next(f for n, f in self.prefixes.values() if n == prefix)
        return Unit(prefix + name, factor * unit.factor, unit.dimensions)


def quick(spelling: str) -> Unit | NotAUnit | None:
    """pint's reading of a normalised spelling (see the module's docstring), or None when only
    pint can tell."""
    spelling = PINT_REWRITES.get(spelling, spelling)
    if _is_word(spelling):
        if spelling in SPECIAL_WORDS or spelling.lower() == "nan":
            return None
        found = definitions().word(spelling)
        return NOT_A_UNIT if found is None else found
    if _has_foreign_letter(spelling) or _SUM.fullmatch(spelling):
        return NOT_A_UNIT
    return None


def _is_word(text: str) -> bool:
    return (
        text[:1].isalpha()
        and text.isidentifier()
        and all(c.isalpha() or c in _DIGITS or c == "_" for c in text)
    )


def _has_foreign_letter(text: str) -> bool:
    """Only ASCII digits and non-ASCII letters (each a name's start to Python's tokenizer),
    one of which no definition uses."""
    if not text or not all(
        c in _DIGITS or (not c.isascii() and c.isalpha() and c.isidentifier()) for c in text
    ):
        return False
    return not set(text) - _DIGITS <= definitions().letters


@lru_cache(maxsize=1)
def definitions() -> Definitions:
    return parse(DEFINITIONS.read_text(encoding="utf-8"))


def parse(text: str) -> Definitions:
    """The prefixes and units of a definitions file in the subset of pint's format plancheck
    writes: ``name- = factor = symbol- = alias- …`` and ``name = [dimension] or expression =
    symbol = alias …`` (``_``: no symbol). Anything else raises ValueError."""
    prefixes: dict[str, tuple[str, Fraction]] = {"": ("", Fraction(1))}
    units: dict[str, Unit] = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = [part.strip() for part in line.split("#", 1)[0].split("=")]
        if parts == [""]:
            continue
        if len(parts) < 2 or not all(parts) or parts[0].startswith("@"):
            raise ValueError(f"definitions line {number}: not a prefix or unit: {line!r}")
        name, value, spellings = parts[0], parts[1], parts[2:]
        if spellings[:1] == ["_"]:
            spellings = spellings[1:]
        if name.endswith("-"):
            factor = _evaluate(value, units, prefixes).factor
            for spelling in (name, *spellings):
                prefixes[spelling.removesuffix("-")] = (name[:-1], factor)
            continue
        if value.startswith("[") and value.endswith("]"):
            unit = Unit(name, Fraction(1), ((value, 1),))
        else:
            found = _evaluate(value, units, prefixes)
            unit = Unit(name, found.factor, found.dimensions)
        for spelling in (name, *spellings):
            units[spelling] = unit
    letters = frozenset(c for spelling in (*prefixes, *units) for c in spelling)
    return Definitions(prefixes, units, letters)


def _evaluate(text: str, units: dict[str, Unit], prefixes: dict[str, tuple[str, Fraction]]) -> Unit:
    """A definition's expression (numbers, units, ``*``, ``/``, ``**`` and brackets)."""
    tokens = _tokens(text)
    known = Definitions(prefixes, units, frozenset())
    value, end = _product(tokens, 0, known)
    if end != len(tokens):
        raise ValueError(f"definitions: cannot read {text!r}")
    return value


def _tokens(text: str) -> list[str]:
    tokens, at = [], 0
    while at < len(text.rstrip()):
        match = _TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"definitions: cannot read {text!r}")
        tokens.append(match.group(1))
        at = match.end()
    return tokens


def _product(tokens: list[str], at: int, known: Definitions) -> tuple[Unit, int]:
    value, at = _power(tokens, at, known)
    while at < len(tokens) and tokens[at] in ("*", "/"):
        operator = tokens[at]
        right, at = _power(tokens, at + 1, known)
        value = _combine(value, right, 1 if operator == "*" else -1)
    return value, at


def _power(tokens: list[str], at: int, known: Definitions) -> tuple[Unit, int]:
    value, at = _atom(tokens, at, known)
    if at < len(tokens) and tokens[at] == "**":
        exponent = int(tokens[at + 1])
        value = Unit(
            value.name,
            value.factor**exponent,
            tuple((d, p * exponent) for d, p in value.dimensions),
        )
        at += 2
    return value, at


def _atom(tokens: list[str], at: int, known: Definitions) -> tuple[Unit, int]:
    token = tokens[at] if at < len(tokens) else ""
    if token == "(":
        value, at = _product(tokens, at + 1, known)
        if tokens[at : at + 1] != [")"]:
            raise ValueError("definitions: a bracket is not closed")
        return value, at + 1
    if token[:1].isdigit():
        return Unit("", Fraction(Decimal(token)), ()), at + 1
    unit = known.word(token) if token else None
    if unit is None:
        raise ValueError(f"definitions: unknown unit {token!r}")
    return unit, at + 1


def _combine(left: Unit, right: Unit, sign: int) -> Unit:
    powers = dict(left.dimensions)
    for dimension, power in right.dimensions:
        powers[dimension] = powers.get(dimension, 0) + sign * power
    factor = left.factor * right.factor if sign > 0 else left.factor / right.factor
    return Unit("", factor, tuple(sorted((d, p) for d, p in powers.items() if p)))
