"""How the strict YAML loader reads an untagged plain scalar: YAML 1.2's core schema, exactly.

Shared by the event-based loader (strict_yaml) and the fast block-style reader (yaml_block), so
that both give the same value, and refuse the same text with the same words, for every scalar.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .problems import short

NULL = frozenset({"", "~", "null", "Null", "NULL"})
BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SMALLEST, _LARGEST = Decimal("1e-300"), Decimal("1e300")
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")
# Plain scalars that YAML 1.1 reads as numbers in surprising ways.
_AMBIGUOUS = [
    (re.compile(r"[-+]?0[0-9]+(\.[0-9]*)?"), "a leading zero (YAML 1.1 reads 010 as octal 8)"),
    (re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+"), "a hexadecimal, octal or binary prefix"),
    (re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?"), "digit-group underscores"),
    (re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)"), "a non-finite number"),
]
# Only text that starts like a number can be one: the rest skips the patterns above.
_NUMBER_START = frozenset("+-.0123456789")
# A number written the usual way (no leading zero, prefix or underscore): none of the patterns
# above can match it, so it is read at once. Most catalogue figures are written so.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?")
# Written so in at most 300 characters, a number is 0 or lies within 1e-298 … 1e300 - 1: in
# range (_in_range) without comparing it.
_PLAIN_IN_RANGE = 300


class ScalarError(Exception):
    """A scalar the loader refuses: the problem's type, message, value and hint."""

    def __init__(self, type_: str, message: str, value: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.type = type_
        self.message = message
        self.value = value
        self.hint = hint


def number(text: str) -> int | Decimal | None:
    """The number ``text`` writes (int, or Decimal as written), None if it is not one."""
    if text[:1] not in _NUMBER_START:
        return None
    usual = _PLAIN_NUMBER.fullmatch(text)
    if usual is not None:
        if len(text) <= _PLAIN_IN_RANGE:
            return int(text) if usual.group(1) is None else Decimal(text)
        return _in_range(text, whole=usual.group(1) is None)
    # Ambiguous forms first: '010' must not slip through as the decimal 10.
    for pattern, why in _AMBIGUOUS:
        if pattern.fullmatch(text):
            raise ScalarError(
                "ambiguous-number",
                f"'{text}' has {why} and would not be read as written",
                text,
                f"quote it ('{text}') if it is text, or write the number plainly",
            )
    whole = _INT.fullmatch(text) is not None
    if not whole and _DECIMAL.fullmatch(text) is None:
        return None
    return _in_range(text, whole=whole)


def _in_range(text: str, *, whole: bool) -> int | Decimal:
    """The number of a numeric text, refused beyond the range of float64 (checked before the
    text becomes an int: a 5,000-digit int is an error of its own)."""
    # Values are compared as float64 first: beyond its range a figure becomes inf and meets
    # every ">=" target. No statistic is that large (or that small).
    exact = Decimal(text)
    if exact != 0 and not _SMALLEST <= abs(exact) <= _LARGEST:
        raise ScalarError(
            "number-out-of-range",
            f"'{short(text)}' is out of the range plancheck compares",
            short(text),
            "check the figure; numbers must lie between 1e-300 and 1e300",
        )
    return int(text) if whole else exact


def plain_value(text: str) -> Any:
    """An untagged plain scalar: null, true/false, a number, or the text as written."""
    if text in NULL:
        return None
    if text in BOOL:
        return BOOL[text]
    value = number(text)
    return text if value is None else value
