"""Provenance: every target's quote must stand verbatim in its plan's source document."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..problems import Problem, short
from .loader import Catalogue

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CHINESE_RUN = re.compile(f"[{''.join([*_DIGITS, *_SMALL, *_LARGE])}]+")
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _figure(value: Decimal) -> str:
    return format(value, "f")


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral such as 五百, 十二, 一千二百, 百 (None if it is not one)."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row (二三) is not a numeral
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        elif ch in _LARGE:
            total = (total + section + (digit or 0)) * _LARGE[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def figures_in(quote: str) -> set[Decimal]:
    """Every number a clause states, in Arabic or Chinese numerals (万/亿 may belong to the unit)."""
    text = unicodedata.normalize("NFKC", quote)
    found: set[Decimal] = set()
    for match in _ARABIC.findall(text):
        try:
            found.add(Decimal(match.replace(",", "")))
        except InvalidOperation:
            continue
    for run in _CHINESE_RUN.findall(text):
        for end in range(len(run), 0, -1):
            value = chinese_number(run[:end])
            if value is not None:
                found.add(Decimal(value))
    return found


def check_sources(catalogue: Catalogue, sources: Path) -> tuple[list[Problem], int]:
    """Problems for quotes (and stated figures) not found in the source files; and the count checked."""
    problems: list[Problem] = []
    checked = 0
    for plan in catalogue.plans.values():
        path = sources / plan.meta.source_file
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError:
            problems.append(
                Problem(
                    "missing-file",
                    f"source document '{plan.meta.source_file}' of plan '{plan.meta.id}' not found in {sources}",
                    plan.file,
                    hint="check plan.source_file or --sources",
                )
            )
            continue
        for t, line in zip(plan.targets, plan.target_lines, strict=True):
            checked += 1
            if t.source.quote not in text:
                problems.append(
                    Problem(
                        "quote-not-found",
                        f"target '{t.id}': its quote does not occur verbatim in {plan.meta.source_file}",
                        plan.file,
                        line=line,
                        field="source.quote",
                        value=short(t.source.quote),
                        hint="copy the clause from the source file exactly (same characters and punctuation)",
                    )
                )
                continue
            stated = figures_in(t.source.quote)
            for figure in (t.value, t.value_max):
                if figure is not None and figure not in stated:
                    problems.append(
                        Problem(
                            "figure-not-in-quote",
                            f"target '{t.id}': the figure {_figure(figure)} is not written in its quote",
                            plan.file,
                            line=line,
                            field="value",
                            value=short(t.source.quote),
                            hint="the quote must be the clause that states this figure",
                        )
                    )
    return problems, checked
