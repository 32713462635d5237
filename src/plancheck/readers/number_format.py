"""A stored spreadsheet number as the clerk sees it, decided by the cell's number format.

Excel stores 0.516 and shows ``51.6%`` when the format is ``0.0%``; it stores 1234567 and shows
``1,235`` when the format is ``#,##0,`` (each trailing comma divides by 1000); it shows
``123.45万元`` for ``0.00"万元"``. Reading the stored number alone would silently change the
figure or drop its unit, so this module turns (stored number, format) into the text the clerk
reads, or refuses with a reason:

- ``%`` (not quoted, not escaped) multiplies by 100 and the text ends in ``%``;
- literal text (quoted, escaped, or an unquoted character that is not a format code) stays
  before or after the number, so a unit the sheet shows travels with the figure;
- a scaling comma, a section that hides the number, or one that drops the minus sign is refused:
  the stored and the shown figure differ and nothing in the cell says which one is meant;
- display rounding (``0.0`` on 51.4999) is not applied: the stored value is the figure that was
  entered or computed, and rounding it here would move it across a target's boundary.

Arithmetic is in :class:`~decimal.Decimal`, starting from ``repr(float)`` (the shortest text that
round-trips the stored double), so 0.516 gives ``51.6%``, never ``51.60000000000001%``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

# Shown as they are but never meaning a unit: spacing, currency signs (the unit column says the
# currency), signs and the parentheses of accounting negatives, and the fraction bar.
_DECORATION = frozenset(" \u00a0\u3000$¥￥€£+-()/:")
_DIGIT_CODES = frozenset("0#?")


class FormatRefusal(Exception):
    """The stored number and the number the sheet shows differ in a way that cannot be carried."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Section:
    """What one ``;``-separated section of a number format does to the number it shows."""

    percent: int = 0  # each % multiplies the shown number by 100
    scale_commas: int = 0  # each trailing comma divides it by 1000
    prefix: str = ""  # literal text shown before the number
    suffix: str = ""  # and after it
    shows_number: bool = True  # False: no digit placeholder (";;;" hides the value)
    writes_minus: bool = False  # the section itself writes "-" or accounting parentheses
    condition: bool = False  # [>=100]-style condition: Excel picks sections by it


def decimal_text(number: Decimal) -> str:
    """Plain decimal text: ``2015`` for 2015.0, ``0.0000001`` for 1e-7; exponent only when huge."""
    if number == 0:
        return "0"
    number = number.normalize()
    if -20 <= number.adjusted() <= 20:
        return format(number, "f")
    return str(number)  # 1E+300: a plain rendering would be hundreds of digits


def stored_decimal(value: float) -> Decimal:
    """The exact decimal the clerk typed: the shortest text that gives back the stored double."""
    if not math.isfinite(value):
        raise FormatRefusal(
            f"the cell holds {value!r}, which is not a number",
            "type the figure again in Excel",
        )
    return Decimal(repr(value))


def number_text(value: float, number_format: str) -> str:
    """The text of ``value`` as ``number_format`` shows it (without display rounding)."""
    number = stored_decimal(value)
    section, own_negative = _section_for(number, number_format)
    if not section.shows_number:
        if number == 0:  # accounting formats show zero as a dash: the figure is still 0
            return "0"
        raise FormatRefusal(
            f"the number format '{number_format}' hides the stored number {decimal_text(number)}",
            "format the cell as Number (Format Cells → Number) so the figure can be seen",
        )
    if section.scale_commas:
        shown = number / Decimal(1000) ** section.scale_commas
        raise FormatRefusal(
            f"the number format '{number_format}' shows {decimal_text(shown)} but the cell"
            f" stores {decimal_text(number)} (each trailing comma divides by 1000)",
            "format the cell as Number without trailing commas and give the stored number's"
            " unit in the unit column",
        )
    if own_negative and not section.writes_minus:
        raise FormatRefusal(
            f"the number format '{number_format}' shows the negative number"
            f" {decimal_text(number)} without its minus sign",
            "format the cell as Number so the sign can be seen",
        )
    text = decimal_text(number * 100**section.percent) + "%" * section.percent
    return f"{section.prefix}{text}{section.suffix}"


def _section_for(number: Decimal, number_format: str) -> tuple[Section, bool]:
    """The section Excel uses for ``number``, and whether it is a negative number's own section
    (then Excel writes no minus sign of its own: the section must show one)."""
    sections = [_parse_section(s) for s in _split_sections(number_format)[:3]]
    if any(s.condition for s in sections):
        # Conditional sections ([>=1000]0.0,"k";0): accept only when every section shows the
        # number the same way, so whichever Excel picks, the text is the same.
        shapes = {(s.percent, s.scale_commas, s.prefix, s.suffix) for s in sections}
        if len(shapes) > 1:
            raise FormatRefusal(
                f"the conditional number format '{number_format}' shows numbers in"
                " different ways depending on their size",
                "format the cell as Number (Format Cells → Number)",
            )
        return sections[0], False
    if number < 0 and len(sections) >= 2:
        return sections[1], True
    if number == 0 and len(sections) >= 3:
        return sections[2], False
    return sections[0], False


@lru_cache(maxsize=512)
def _split_sections(number_format: str) -> tuple[str, ...]:
    sections: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    bracket = 0
    for ch in number_format:
        if escaped:
            escaped = False
        elif quoted:
            quoted = ch != '"'
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = True
        elif ch == "[":
            bracket += 1
        elif ch == "]":
            bracket = max(0, bracket - 1)
        elif ch == ";" and not bracket:
            sections.append("".join(current))
            current = []
            continue
        current.append(ch)
    sections.append("".join(current))
    return tuple(sections)


@lru_cache(maxsize=512)
def _parse_section(code: str) -> Section:
    """Tokenise one section: digit codes, commas, points, percent signs and literal text."""
    found = _SectionTokens()
    i = 0
    while i < len(code):
        i = _read_token(code, i, found)
    return Section(
        percent=found.percent,
        scale_commas=_scaling_commas(found.tokens),
        prefix="".join(found.before).strip(),
        suffix="".join(found.after).strip(),
        shows_number="d" in found.tokens,
        writes_minus=found.writes_minus,
        condition=found.condition,
    )


@dataclass
class _SectionTokens:
    """What a section's code says, as it is read left to right."""

    tokens: list[str] = field(default_factory=list)  # "d" digit code, "," ".", "%", "e" exponent
    before: list[str] = field(default_factory=list)  # literal text before the first digit code
    after: list[str] = field(default_factory=list)  # and after it
    percent: int = 0
    writes_minus: bool = False  # a literal "-" or "(": the section shows the sign itself
    condition: bool = False

    def literal(self, text: str) -> None:
        if "-" in text or "(" in text:
            self.writes_minus = True
        kept = "".join(ch for ch in text if ch not in _DECORATION)
        (self.after if "d" in self.tokens else self.before).append(kept)


def _read_token(code: str, i: int, found: _SectionTokens) -> int:
    """The token that starts at ``code[i]``: quoted or escaped text, padding, a bracket, or a
    number code (:func:`_read_number_code`); the index after it."""
    ch = code[i]
    if ch == '"':
        end = _closing(code, '"', i)
        found.literal(code[i + 1 : end])
        return end + 1
    if ch == "\\":
        found.literal(code[i + 1 : i + 2])
        return i + 2
    if ch in "_*":  # _x pads with the width of x, *x repeats x: neither is shown text
        return i + 2
    if ch == "[":
        end = _closing(code, "]", i)
        # [$¥-804] is a currency sign and locale, [Red] a colour, [DBNum1] a numeral style:
        # none changes the figure. [<0], [>=100] are conditions.
        if code[i + 1 : end][:1] in ("<", ">", "="):
            found.condition = True
        return end + 1
    return _read_number_code(code, i, found)


def _read_number_code(code: str, i: int, found: _SectionTokens) -> int:
    """A digit code (0 # ? @ General), a comma, point, percent sign or exponent; anything else
    is literal text. The index after it."""
    ch = code[i]
    if code[i : i + 7].lower() == "general":
        found.tokens.append("d")
        return i + 7
    if ch in _DIGIT_CODES or ch == "@":
        found.tokens.append("d")
    elif ch in ",.":
        found.tokens.append(ch)
    elif ch == "%":
        found.tokens.append("%")
        found.percent += 1
    elif ch in "Ee" and code[i + 1 : i + 2] in ("+", "-"):
        found.tokens.append("e")
        return i + 2
    else:
        found.literal(ch)
    return i + 1


def _closing(code: str, char: str, i: int) -> int:
    """The index of the ``char`` that closes what opens at ``i`` (the end when none does)."""
    end = code.find(char, i + 1)
    return len(code) if end < 0 else end


def _scaling_commas(tokens: list[str]) -> int:
    """Commas right after a digit code and not followed by one: each divides by 1000.

    ``#,##0`` groups thousands (digit codes on both sides); ``#,##0,`` and ``0.0,,`` scale.
    """
    scale = 0
    i = 0
    while i < len(tokens):
        if tokens[i] != ",":
            i += 1
            continue
        run_end = i
        while run_end < len(tokens) and tokens[run_end] == ",":
            run_end += 1
        after_run = tokens[run_end] if run_end < len(tokens) else None
        if i > 0 and tokens[i - 1] == "d" and after_run != "d":
            scale += run_end - i
        i = run_end
    return scale
