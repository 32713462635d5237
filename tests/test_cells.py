"""Where a cell becomes a number, a date or done / not done (plancheck.cells), one rule a case.

Each case here is a misread that once turned a missed target into `met` or the reverse
(issue 10); the expected outcome is the one a statistician reading the cell would give.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from plancheck.cells import read_date, read_done, read_number, strip_magnitude


@pytest.mark.parametrize(
    ("cell", "number", "unit", "markers"),
    [
        ("51.50", "51.50", "", ""),
        ("48³", "48", "", "³"),  # a footnote marker is never a digit (not 483)
        ("51.5¹", "51.5", "", "¹"),
        ("37①", "37", "", "①"),
        ("37₁", "37", "", "₁"),
        ("51.5*", "51.5", "", "*"),
        ("51.6%②", "51.6", "%", "②"),
        ("1 234 567", "1234567", "", ""),  # spaces as thousands groups
        ("1\u00a0234\u00a0567", "1234567", "", ""),  # no-break spaces, as Excel exports them
        ("1\u2009234", "1234", "", ""),  # thin space
        ("1,234.5", "1234.5", "", ""),
        ("５１．５％", "51.5", "%", ""),  # full-width, typed with a Chinese input method
        ("51.5 %", "51.5", "%", ""),
        ("2250万户", "2250", "万户", ""),
        ("−3", "-3", "", ""),  # U+2212 minus sign
        ("+3", "+3", "", ""),
        ("1.5e3", "1.5e3", "", ""),
        ("15km²", "15", "km2", ""),  # a unit's power, not a footnote
        ("2.5‰", "2.5", "‰", ""),
    ],
)
def test_numbers_read_as_written(cell: str, number: str, unit: str, markers: str) -> None:
    read = read_number(cell)
    assert (read.number, read.unit, read.markers, read.error) == (number, unit, markers, "")
    assert Decimal(read.number) == Decimal(number)


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("51 5", "thousands separators"),  # not 515
        ("37 1", "thousands separators"),  # not 371
        ("1 23 456", "thousands separators"),
        ("4³8", "digit-like"),
        ("1e309", "out of range"),
        ("1E+400", "out of range"),
        ("Infinity", "not a finite number"),
        ("-inf", "not a finite number"),
        ("NaN", "not a finite number"),
        ("51,5", "thousands separator"),  # a decimal comma would be read as 515
        ("一千", "not a number"),
        ("51.5 apples", "not a unit"),
        ("0x10", "not a unit"),
    ],
)
def test_cells_that_are_not_numbers_say_why(cell: str, why: str) -> None:
    read = read_number(cell)
    assert read.number == ""
    assert why in read.error


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("", "blank"),
        ("—", "not applicable"),
        ("——", "not applicable"),
        ("-", "not applicable"),
        ("…", "below the smallest unit shown"),
        ("……", "below the smallest unit shown"),
        ("N/A", "not available"),
        ("无数据", "not available"),
    ],
)
def test_no_figure_is_never_a_number(cell: str, kind: str) -> None:
    read = read_number(cell)
    assert (read.number, read.no_figure, read.error) == ("", kind, "")


def test_a_magnitude_alone_is_kept_apart_from_the_unit() -> None:
    read = read_number("640万")
    assert (read.number, read.magnitude, read.unit) == ("640", "万", "")
    assert strip_magnitude("万户") == "户"
    assert strip_magnitude("亿元") == "元"
    assert strip_magnitude("万亿元") == "元"
    assert strip_magnitude("%") == "%"
    assert strip_magnitude("万") == "万"  # nothing would be left: not a magnitude prefix


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("2015", "2015"),
        ("2015-03", "2015-03"),
        ("2015-03-01", "2015-03-01"),
        ("2015/3/1", "2015-03-01"),
        ("2015年3月1日", "2015-03-01"),
        ("2016-02-29", "2016-02-29"),
        ("2014-13-45", None),  # no 13th month
        ("0000-00-00", None),  # a placeholder, not a date
        ("2015-02-29", None),  # 2015 is no leap year
        ("2015-04-31", None),
        ("soon", None),
    ],
)
def test_dates_must_exist(cell: str, date: str | None) -> None:
    assert read_date(cell) == date


@pytest.mark.parametrize(
    ("cell", "done", "markers"),
    [("是", True, ""), ("否", False, ""), ("已完成①", True, "①"), ("Not Done", False, "")],
)
def test_milestone_words(cell: str, done: bool, markers: str) -> None:
    read = read_done(cell)
    assert (read.done, read.markers) == (done, markers)


def test_unknown_milestone_word_is_not_guessed() -> None:
    assert read_done("基本完成").done is None
