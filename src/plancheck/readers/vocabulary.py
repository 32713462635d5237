"""The column vocabulary of actuals files: header names in English and Chinese.

It lives with the readers because they need it too: the encoding guesser checks that a decoded
header makes sense, and the spreadsheet reader looks for the header row below a title.
:mod:`plancheck.actuals` re-exports :data:`HEADER_ALIASES`.
"""

from __future__ import annotations

import re

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "指标", "指標", "indicator_id", "指标名称", "指標名稱"),
    "region": (
        "region",
        "地区",
        "地區",
        "region_id",
        "地区代码",
        "地區代碼",
        "地区名称",
        "地區名稱",
    ),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "数值", "數值", "值", "实际值", "實際值"),
    "unit": ("unit", "单位", "單位", "计量单位", "計量單位"),
    "source": ("source", "来源", "來源", "数据来源", "數據來源", "資料來源"),
    "note": ("note", "备注", "備註", "说明", "說明"),
    "date": ("date", "完成日期", "日期"),
    "flag": ("flag", "标记", "標記", "flags"),
}

# A wide-layout year column: 2015, 2015年, 2015年度 (full-width digits are normalised first).
YEAR_COLUMN = re.compile(r"((?:19|20)\d\d)(?:\.0)?(?:年度?)?")

_KNOWN = {
    name.casefold(): canonical for canonical, names in HEADER_ALIASES.items() for name in names
}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def header_key(name: str) -> str:
    """A header cell as it is looked up: trimmed, case-folded, full-width digits made half-width."""
    return re.sub(r"\s+", "", str(name)).translate(_FULLWIDTH_DIGITS).casefold()


def canonical_column(name: str) -> str | None:
    """The canonical column a header cell names, or None."""
    return _KNOWN.get(header_key(name))


def year_of_column(name: str) -> int | None:
    """The year a wide-layout column header names (``2015``, ``2015年``), or None."""
    match = YEAR_COLUMN.fullmatch(header_key(name))
    return int(match.group(1)) if match else None


def header_hits(cells: list[str]) -> int:
    """How many header cells are known column names or year columns."""
    return sum(1 for c in cells if canonical_column(c) is not None or year_of_column(c) is not None)
