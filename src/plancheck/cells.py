"""Where a submitted cell becomes a number, a date or a done / not-done answer.

One function per cell kind, each working on one distinct text; :mod:`plancheck.actuals` calls
them once per distinct spelling (never once per row), so a file of millions of rows costs as
many calls as it has different spellings. Plain numbers (``51.5``) never get here: they take
the vectorised fast path in :mod:`plancheck.actuals`.

Every accepted syntax is listed in docs/catalogue-format.md ("Actuals"); everything else is
refused with the reason, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Footnote markers printed after a name, a year or a number: circled numbers, superscript and
# subscript digits and letters, asterisks and daggers. They are never digits. (The readers'
# header vocabulary uses them too, for a year column's markers: they live here, below both.)
MARKERS = (
    "\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf\u3280-\u3289"
    "\u00b2\u00b3\u00b9\u2070-\u209f\u1d2c-\u1d6a*\u2020\u2021\uff0a"
)
# "No figure", compared after spaces are removed, full-width forms made half-width, case folded.
# Each kind is counted separately in `check -v`: yearbooks give them different meanings.
NO_FIGURE = {
    "": "blank",
    "…": "below the smallest unit shown",
    "...": "below the smallest unit shown",
    "……": "below the smallest unit shown",
    "—": "not applicable",
    "——": "not applicable",
    "–": "not applicable",
    "―": "not applicable",
    "-": "not applicable",
    "--": "not applicable",
    "/": "not applicable",
    "n/a": "not available",
    "na": "not available",
    "无数据": "not available",
    "無數據": "not available",
}
DONE_WORDS = {
    "是": True, "否": False, "完成": True, "未完成": False, "已完成": True, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "done": True, "not done": False, "y": True,
    "n": False, "未建成": False, "達成": True, "完成了": True, "已完成了": True,
}  # fmt: skip
# 万/亿 after a number scale it: "2250万" in a 户 row is 2250 万户.
MAGNITUDES = ("万亿", "萬億", "千万", "千萬", "百万", "百萬", "万", "萬", "亿", "億")
MAX_EXPONENT = 300  # beyond this a float64 overflows or loses every digit: no statistic is there

# Full-width ASCII → ASCII, and the other dashes, spaces and signs clerks type. (Not NFKC on the
# whole cell: NFKC turns the footnote markers ³ ① ₁ into digits.)
_HALF_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {
    0x3000: " ", 0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x2007: " ", 0x2212: "-", 0xFE63: "-",
    0x3002: ".", 0xFE52: ".", 0x2030: "‰",
}  # fmt: skip
_SPACES = "[ ]"
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)\s*"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)?"
    r"(?P<frac>\.[0-9]+)?"
    r"(?P<exp>[eE][+-]?[0-9]+)?"
    r"\s*(?P<unit>[^\s0-9.,+\-].*?)?"
)
_MARKERS_AT_END = re.compile(r"(?P<body>.*?)\s*(?P<markers>[" + MARKERS + r"]+)")
_DATE = re.compile(
    r"(?P<y>[0-9]{4})(?:[-/.年](?P<m>[0-9]{1,2})(?:[-/.月](?P<d>[0-9]{1,2})日?)?月?)?(?:年)?"
)


@dataclass(frozen=True)
class NumberCell:
    """A value cell read: the number as exact decimal text, or why it is not one."""

    number: str = ""  # plain decimal text: sign, digits, optional fraction and exponent
    unit: str = ""  # a unit written in the cell (%, 万户), "" if none
    magnitude: str = ""  # 万/亿 written alone after the number: scales the row's unit
    markers: str = ""  # footnote markers split off the end (³, ①, *)
    no_figure: str = ""  # why the cell holds no figure (blank, not applicable, …)
    error: str = ""  # why the cell is refused


def half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


@lru_cache(maxsize=65536)
def read_number(cell: str) -> NumberCell:
    """One value cell → a number with its unit and markers, no figure, or the reason it is not."""
    text = half_width(cell).strip()
    folded = re.sub(r"\s+", "", text).casefold()
    if folded in NO_FIGURE:
        return NumberCell(no_figure=NO_FIGURE[folded])
    text, markers = _split_markers(text)
    match = _NUMBER.fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        return NumberCell(error=_why_not_a_number(text))
    return _number_with_unit(match, markers)


def _split_markers(text: str) -> tuple[str, str]:
    """Footnote markers off the end of a cell: 51.5³ → (51.5, ³); a unit's power stays (km²)."""
    split = _MARKERS_AT_END.fullmatch(text)
    if not split or not split["body"]:
        return text, ""
    body, markers = split["body"], split["markers"]
    if body[-1].isascii() and body[-1].isalpha() and markers[0] in "²³":
        # km², m³: the power of a unit, not a footnote marker
        return body + markers[0], markers[1:]
    return body, markers


def _number_with_unit(match: re.Match[str], markers: str) -> NumberCell:
    """A number as _NUMBER matched it → its exact decimal text and the unit or 万/亿 after it."""
    unit = re.sub(r"\s+", "", match["unit"] or "")
    if any(_digit_like(ch) for ch in unit.rstrip("²³")):
        return NumberCell(error="it holds a digit-like character that is not a digit")
    if match["exp"] and abs(int(match["exp"][1:])) > MAX_EXPONENT:
        return NumberCell(error="the number is out of range")
    integer = (match["int"] or "0").replace(",", "").replace(" ", "")
    number = f"{match['sign']}{integer}{match['frac'] or ''}{match['exp'] or ''}"
    unit = unicodedata.normalize("NFKC", unit)  # ㎞ → km, ㎡ → m2 (markers are gone by now)
    if unit in MAGNITUDES:
        return NumberCell(number=number, magnitude=unit, markers=markers)
    if unit and not _known_unit(unit):
        return NumberCell(error=f"'{unit}' after the number is not a unit plancheck knows")
    return NumberCell(number=number, unit=unit, markers=markers)


@lru_cache(maxsize=4096)
def _known_unit(unit: str) -> bool:
    from . import units

    return units.is_known(unit) or units.is_known(strip_magnitude(unit))


def _digit_like(ch: str) -> bool:
    """A character that looks like a digit but is none of 0–9 (³ ① ₁ Ⅷ ٣)."""
    return not ("0" <= ch <= "9") and unicodedata.category(ch) in ("No", "Nl", "Nd")


def _why_not_a_number(text: str) -> str:
    if re.fullmatch(r"[+-]?(?:inf(?:inity)?|nan)", text, re.I):
        return "it is not a finite number"
    if re.fullmatch(r"[+-]?[0-9][0-9 ]*[0-9](?:\.[0-9]+)?", text):
        return "spaces inside a number are read only as thousands separators (1 234 567)"
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]{1,2}", text):
        return "a comma is a thousands separator here, not a decimal point"
    if any(unicodedata.category(ch) in ("No", "Nl") for ch in text):
        return "it holds a digit-like character (a footnote marker?) inside the number"
    return "it is not a number"


def strip_magnitude(unit: str) -> str:
    """万户 → 户, 亿元 → 元: the unit without a leading 万/亿 (unchanged when it has none)."""
    for magnitude in MAGNITUDES:
        if unit.startswith(magnitude) and len(unit) > len(magnitude):
            return unit[len(magnitude) :]
    return unit


# Milestone report words (simplified and traditional) that name a stage → that stage. Whether
# the stage reaches the one a target asks for is the evaluation's business (methods/stages.py).
_REPORT_WORDS: dict[str, str] = {}
for _stage, _words in {
    "preparatory": "前期 前期工作 开展前期工作 開展前期工作",
    "started": "开工 已开工 动工 开工建设 已启动 启动 開工 已開工 動工 開工建設 已啟動 啟動",
    "under_construction": "在建 建设中 续建 推进中 实施中 建設中 續建 推進中 實施中",
    "completed": "建成 已建成 基本建成 竣工 已竣工 完工 建成验收 已建成 竣工驗收",
    "in_operation": (
        "通车 建成通车 已通车 投产 建成投产 已投产 开通 已开通 运营 投入运营 投入使用 通航 "
        "通車 建成通車 已通車 投產 建成投產 已投產 開通 已開通 運營 投入運營"
    ),
    "issued": "出台 已出台 印发 已印发 发布 已发布 出臺 已出臺 印發 已印發 發布 已發布",
    "approved": "获批 已获批 批复 已批复 獲批 已獲批 批覆 已批覆",
    "established": "成立 已成立 建立 已建立 设立 已设立 挂牌 設立 已設立 掛牌",
    "signed": "签署 已签署 签订 已签订 簽署 已簽署 簽訂 已簽訂",
    "held": "举办 已举办 召开 已召开 舉辦 已舉辦 召開 已召開",
    "achieved": "实现 已实现 达到 已达到 达标 實現 已實現 達到 已達到 達標",
}.items():
    for _word in _words.split():
        _REPORT_WORDS[_word] = _stage


@dataclass(frozen=True)
class Reported:
    """A report word read: the stage it names (None: a plain yes for the target's own stage)."""

    stage: str | None


def reported_stage(text: str) -> Reported | None:
    """The stage a report word names, or None when the word is not a stage word."""
    word = text.strip()
    if word in _REPORT_WORDS:
        return Reported(_REPORT_WORDS[word])
    return None


@dataclass(frozen=True)
class DoneCell:
    done: bool | None = None
    markers: str = ""
    no_figure: str = ""
    stage: str = ""  # a report word that names a stage (建成, 通车): done up to that stage


@lru_cache(maxsize=4096)
def read_done(cell: str) -> DoneCell:
    """A milestone cell: 是/否, 完成/未完成, yes/no … (a footnote marker may follow)."""
    text = half_width(cell).strip()
    folded = re.sub(r"\s+", " ", text).casefold()
    if re.sub(r"\s+", "", folded) in NO_FIGURE:
        return DoneCell(no_figure=NO_FIGURE[re.sub(r"\s+", "", folded)])
    markers = ""
    split = _MARKERS_AT_END.fullmatch(folded)
    if split and split["body"]:
        folded, markers = split["body"].strip(), split["markers"]
    reported = reported_stage(folded)
    if reported is not None:  # 已建成 says "completed", not yes to any stage
        return DoneCell(done=True, markers=markers, stage=reported.stage or "")
    return DoneCell(done=DONE_WORDS.get(folded), markers=markers)


@lru_cache(maxsize=4096)
def read_date(cell: str) -> str | None:
    """A completion date → YYYY, YYYY-MM or YYYY-MM-DD; None when it is no real date."""
    match = _DATE.fullmatch(re.sub(r"\s+", "", half_width(cell)))
    if match is None:
        return None
    year = int(match["y"])
    if year < 1000:  # 0000-00-00 and the like are placeholders, not dates
        return None
    month, day = match["m"], match["d"]
    try:
        dt.date(year, int(month or 1), int(day or 1))
    except ValueError:
        return None
    if day:
        return f"{year:04d}-{int(month):02d}-{int(day):02d}"
    return f"{year:04d}-{int(month):02d}" if month else f"{year:04d}"
