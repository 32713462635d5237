"""The column vocabulary of actuals files: header names in English and Chinese.

It lives with the readers because they need it too: the encoding guesser checks that a decoded
header makes sense, and the spreadsheet reader looks for the header row below a title.
:mod:`plancheck.actuals` re-exports :data:`HEADER_ALIASES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..cells import MARKERS  # footnote markers after a year: 2015年③

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": (
        "indicator",
        "指标",
        "指標",
        "indicator_id",
        "指标名称",
        "指標名稱",
        "项目",
        "項目",
    ),
    "region": (
        "region",
        "地区",
        "地區",
        "region_id",
        "地区代码",
        "地區代碼",
        "地区名称",
        "地區名稱",
        "城市",
        "region_name",
    ),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "数值", "數值", "值", "实际值", "實際值"),
    "unit": ("unit", "单位", "單位", "计量单位", "計量單位"),
    "source": ("source", "来源", "來源", "数据来源", "數據來源", "資料來源"),
    "note": ("note", "备注", "備註", "说明", "說明"),
    "date": ("date", "完成日期", "日期"),
    "flag": ("flag", "标记", "標記", "flags", "数据标记", "數據標記"),
}

# Observation flags that yearbooks print after a year (2015年(初步), 2015p, 2015年（快报）).
YEAR_QUALIFIERS = {
    "p": "p", "初步": "p", "初步核算": "p", "快报": "p", "快報": "p", "初步数": "p",
    "初步數": "p", "预计": "e", "預計": "e", "估计": "e", "估計": "e", "e": "e", "修订": "r",
    "修訂": "r", "r": "r", "b": "b",
}  # fmt: skip
_YEAR = re.compile(
    r"(?P<year>(?:19|20)\d\d|2100)(?:\.0)?(?:年度?)?"
    r"(?P<qualifier>[a-z]|\((?P<inner>[^()]*)\))?(?P<markers>[" + MARKERS + r"]*)"
)
_BRACKETED = re.compile(r"(?P<base>.*?)\((?P<inner>[^()]*)\)")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "[": "(", "]": ")", "【": "(", "】": ")"})

_KNOWN = {
    name.casefold(): canonical for canonical, names in HEADER_ALIASES.items() for name in names
}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}


@dataclass(frozen=True)
class HeaderCell:
    """What one header cell says: a known column or a year, and any unit or flag it carries."""

    canonical: str | None = None  # indicator, region, year, value, unit, …
    year: int | None = None  # a wide-layout year column
    unit: str = ""  # a unit in brackets: 数值（亿元）, 2015年(%)
    flag: str = ""  # a year column's qualifier as an observation flag: 2015年(初步) → p
    unknown_qualifier: str = ""  # a year column with a qualifier plancheck does not know


def header_key(name: str) -> str:
    """A header cell as it is looked up: trimmed, case-folded, full-width forms made half-width.

    Zero-width characters are removed too: they are invisible in a spreadsheet, and a header
    that looks like ``value`` must be read as ``value``.
    """
    text = re.sub(r"[\s\u200b-\u200d\u2060\ufeff]+", "", str(name))
    return text.translate(_FULLWIDTH).translate(_BRACKETS).casefold()


@lru_cache(maxsize=4096)
def parse_header(name: str) -> HeaderCell:
    """Read one header cell: ``value``, ``数值（亿元）``, ``2015``, ``2015年(初步)``, ``2015p``."""
    key = header_key(name)
    if not key:
        return HeaderCell()
    if key in _KNOWN:
        return HeaderCell(canonical=_KNOWN[key])
    year = _YEAR.fullmatch(key)
    if year:
        markers = year.group("markers")
        qualifier = (
            year.group("inner") if year.group("inner") is not None else year.group("qualifier")
        )
        qualifier = qualifier or ""
        flag, unit, unknown = "", "", ""
        if qualifier in YEAR_QUALIFIERS:
            flag = YEAR_QUALIFIERS[qualifier]
        elif qualifier and year.group("inner") is not None and _looks_like_unit(qualifier):
            unit = qualifier
        elif qualifier:
            unknown = qualifier
        flag = ",".join(f for f in (flag, markers) if f)
        return HeaderCell(
            year=int(year.group("year")), unit=unit, flag=flag, unknown_qualifier=unknown
        )
    bracketed = _BRACKETED.fullmatch(key)
    if bracketed and bracketed.group("base") in _KNOWN:
        return HeaderCell(canonical=_KNOWN[bracketed.group("base")], unit=bracketed.group("inner"))
    return HeaderCell()


def _looks_like_unit(text: str) -> bool:
    """A bracket after a year holds a unit rather than a qualifier: %, 亿元, 万户, km2 …"""
    from .. import units

    return units.is_known(text) or units.is_known(text.lstrip("万亿千百"))


def canonical_column(name: str) -> str | None:
    """The canonical column a header cell names, or None."""
    return parse_header(name).canonical


def year_of_column(name: str) -> int | None:
    """The year a wide-layout column header names (``2015``, ``2015年``, ``2015p``), or None."""
    return parse_header(name).year


def header_hits(cells: list[str]) -> int:
    """How many header cells are known column names or year columns."""
    hits = 0
    for cell in cells:
        parsed = parse_header(cell)
        hits += parsed.canonical is not None or parsed.year is not None
    return hits


# The columns whose few distinct texts repeat down millions of rows: parsed dictionary-encoded
# (each row an integer into the column's distinct texts), so that every later stage reads each
# text once. The value column (figures, mostly distinct) and unknown columns stay plain text.
CODED = frozenset({"indicator", "region", "year", "unit", "source", "note", "date", "flag"})


def coded_columns(header: list[str]) -> frozenset[int]:
    """The positions of the header's columns that are parsed dictionary-encoded."""
    return frozenset(j for j, name in enumerate(header) if canonical_column(name) in CODED)
