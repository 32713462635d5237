"""plancheck.text: control characters shown visibly, spreadsheet formulas made inert."""

from __future__ import annotations

import re
import sys
import unicodedata

import pytest

from plancheck.text import HIDDEN_CLASS, has_hidden, inert, is_formula, visible


def test_hidden_class_is_exactly_the_control_format_separator_and_surrogate_characters() -> None:
    pattern = re.compile(f"[{HIDDEN_CLASS}]")
    categories = {"Cc", "Cf", "Cs", "Zl", "Zp"}
    wrong = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if (unicodedata.category(chr(code)) in categories) != bool(pattern.match(chr(code)))
        # Characters assigned after this Python's Unicode version may differ: not ours to pin.
        and unicodedata.category(chr(code)) != "Cn"
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain 广东省 text", "plain 广东省 text"),
        ("a\nb", "a\\nb"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),
        ("\x9b31m", "\\x9b31m"),
        ("file\u202egpj.exe", "file\\u202egpj.exe"),
        ("bad\udc80byte", "bad\\udc80byte"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("C:\\data\\new.csv", "C:\\data\\new.csv"),
    ],
)
def test_visible_writes_each_hidden_character_as_an_escape(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert has_hidden(raw) == (raw != shown)


def test_a_forged_workflow_command_stays_on_the_line_it_came_in() -> None:
    shown = visible("x\n::error file=README.md,line=1::FAKE")
    assert "\n" not in shown and shown.startswith("x\\n::error")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "\\t=1"),
        ("\r=1", "\\r=1"),
        ("-3.5", "-3.5"),
        ("+4", "+4"),
        ("-1e3", "-1e3"),
        ("广东 = 1", "广东 = 1"),
        ("", ""),
    ],
)
def test_inert_neutralises_formulas_and_keeps_numbers(cell: str, safe: str) -> None:
    assert inert(cell) == safe
    assert not is_formula(inert(cell))
