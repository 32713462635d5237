"""Read-back oracle: plancheck reads back exactly the values a generated table holds, or refuses.

Hypothesis draws a small table of known observations for the indicators of
tests/fixtures/oracle_catalogue (levels with 0–4 decimals, some negative, some with 12 integer
digits; ratios and percentages; counts; milestones with or without a date), then renders it the
way clerks and yearbooks write tables: long or wide layout; CSV in UTF-8, UTF-8 with BOM,
GB18030, UTF-16 (tab-separated) and Big5 (traditional script); xlsx with typed and text cells,
percent-formatted cells, merged region cells and two-row headers; Parquet with text or numeric
columns; JSON records with numbers kept as written. Units come from a unit column, the cell
(``51.5%``, ``2250万户``), a magnitude in the cell (``2250万``), the indicator name
(``森林覆盖率(%)``), the value or year header (``数值（亿元）``, ``2015年(%)``) or a ``单位：`` line
above the table; numbers with thousands separators (``,``, space, NBSP, thin space), full-width
digits, a plus sign, an exponent or a footnote marker (``48³``); names in simplified,
traditional or English spelling; title rows, a ``地区：`` line and footnote rows around the
table; wide year headers with a qualifier (``2015年(初步)`` → flag ``p``); CSV delimited by
comma, tab or semicolon; Parquet float, int or decimal128 columns; a hidden stale first sheet;
a repeated row with the same value in another unit.

The file is read with :func:`plancheck.actuals.read_actuals` and every canonical row is compared
exactly with what was generated: ``Fraction(Decimal(value_text)) * conversion_factor(unit,
indicator unit)`` must equal the generated value (computed here from the oracle's own table of
unit factors, not plancheck's), milestones must have the generated done/not-done and date, and
no row may appear or vanish; figures written as text keep their digits (``51.50``); every title,
unit, region and footnote line is named in a notice. A second property poisons one cell with a spelling the spec refuses
(``51 5``, ``4³8``, ``1e309``, ``NaN``, ``2014-13-45`` …) and asserts one problem pointing at that
cell, never a value.

The suite runs 2,000 derandomised examples (a fixed sequence, so CI is stable). For a longer
hunt, multiply every property's examples with an environment variable, e.g.::

    PLANCHECK_ORACLE_EXAMPLES=20000 pytest -q tests/test_oracle.py -p no:cacheprovider

(the number is the total across the properties; derandomised too, so a failure is repeatable).
Each example costs about 0.1 s, nearly all of it in ``read_actuals`` (its fixed cost on a tiny
file), so the default run takes a few minutes on a busy two-core machine.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, settings
from hypothesis import strategies as st

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.problems import InputError, Problem
from plancheck.units import conversion_factor

from .conftest import FIXTURES

pytestmark = (
    pytest.mark.slow
)  # the hypothesis oracle: 2,000 generated tables read back (~90 s); run with --slow

CATALOGUE = load_catalogue(FIXTURES / "oracle_catalogue")
WORK = Path(tempfile.mkdtemp(prefix="plancheck-oracle-"))
T = TypeVar("T")

# Examples per property; the default total is 2,000, PLANCHECK_ORACLE_EXAMPLES scales it.
_SHARE = {"csv": 800, "xlsx": 400, "parquet": 200, "json": 200, "poison": 400}
_TOTAL = int(os.environ.get("PLANCHECK_ORACLE_EXAMPLES") or sum(_SHARE.values()))
EXAMPLES = {k: max(1, v * _TOTAL // sum(_SHARE.values())) for k, v in _SHARE.items()}


def oracle_settings(kind: str) -> settings:
    return settings(
        max_examples=EXAMPLES[kind],
        deadline=None,
        derandomize=True,
        database=None,
        # Shrinking a seed only draws other tables: report the first failing table as it is.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- What the oracle knows, written out here (not taken from plancheck) ---------------------------

E4, E8 = Fraction(10**4), Fraction(10**8)


@dataclass(frozen=True)
class Ind:
    unit: str | None  # the catalogue's unit
    zh: str
    tw: str
    en: str
    units: dict[str, Fraction] = field(default_factory=dict)  # written unit → factor to `unit`
    base: tuple[str, Fraction] | None = None  # unit a bare 万/亿 scales, and its factor
    digits: int = 3  # at most this many integer digits
    places: int = 4  # at most this many decimals
    negative: bool = False


INDICATORS: dict[str, Ind] = {
    "forest_coverage": Ind(
        "%", "森林覆盖率", "森林覆蓋率", "Forest coverage rate",
        {"%": Fraction(1), "ratio": Fraction(100), "‰": Fraction(1, 10)}, digits=2,
    ),
    "rd_share": Ind(
        "%", "研发经费支出占地区生产总值比重", "研發經費支出佔地區生產總值比重",
        "R&D expenditure as a share of GDP", {"%": Fraction(1), "ratio": Fraction(100)}, digits=1,
    ),
    "fixed_investment": Ind(
        "亿元", "固定资产投资", "固定資產投資", "Fixed-asset investment",
        {"亿元": Fraction(1), "万元": 1 / E4, "元": 1 / E8}, ("元", 1 / E8), digits=12,
    ),
    "broadband_users": Ind(
        "万户", "固定宽带接入用户数", "固定寬帶接入用戶數", "Fixed broadband subscribers",
        {"万户": Fraction(1), "户": 1 / E4}, ("户", 1 / E4), digits=8,
    ),
    "forest_parks": Ind(
        "个", "森林公园数", "森林公園數", "Forest parks",
        {"个": Fraction(1), "家": Fraction(1), "处": Fraction(1)}, places=0,
    ),
    "hightech_enterprises": Ind(
        "家", "高新技术企业数", "高新技術企業數", "High-tech enterprises",
        {"家": Fraction(1), "个": Fraction(1)}, digits=5, places=0,
    ),
    "industry_growth": Ind(
        "%", "工业增加值增长", "工業增加值增長", "Industrial value added growth",
        {"%": Fraction(1)}, digits=2, negative=True,
    ),
    "resident_population": Ind(
        "万人", "常住人口", "常住人口", "Resident population",
        {"万人": Fraction(1), "人": 1 / E4}, ("人", 1 / E4), digits=9,
    ),
    "railway_opened": Ind(None, "铁路建成通车", "鐵路建成通車", "Railway opened to traffic"),
}  # fmt: skip
NUMERIC = [i for i, spec in INDICATORS.items() if spec.unit is not None]
# Every spelling of a region: id, name, alias, code, traditional name, English name.
REGIONS: dict[str, tuple[str, ...]] = {
    "guangdong": ("guangdong", "广东省", "广东", "440000", "廣東省", "Guangdong"),
    "guangzhou": ("guangzhou", "广州市", "广州", "440100", "廣州市", "Guangzhou"),
    "zhaoqing": ("zhaoqing", "肇庆市", "肇庆", "441200", "肇慶市", "Zhaoqing"),
    "prd": ("prd", "珠江三角洲地区", "珠三角", "珠江三角洲地區", "Pearl River Delta"),
}
MAGNITUDES = {"万": E4, "亿": E8, "百万": Fraction(10**6), "千万": Fraction(10**7)}
TRADITIONAL = {"万元": "萬元", "亿元": "億元", "万户": "萬戶", "户": "戶", "个": "個", "处": "處",
               "万人": "萬人", "万": "萬", "亿": "億", "百万": "百萬", "千万": "千萬"}  # fmt: skip
HEADERS = {
    "en": {"indicator": "indicator", "region": "region", "year": "year", "value": "value",
           "unit": "unit", "date": "date", "flag": "flag"},
    "zh": {"indicator": "指标", "region": "地区", "year": "年份", "value": "数值", "unit": "单位",
           "date": "完成日期", "flag": "标记"},
    "tw": {"indicator": "指標", "region": "地區", "year": "年份", "value": "數值", "unit": "單位",
           "date": "完成日期", "flag": "標記"},
}  # fmt: skip
# Wide year headers and the flag their qualifier gives.
YEAR_HEADERS: list[tuple[str, str]] = [
    ("{y}", ""), ("{y}年", ""), ("{y}年度", ""), ("{y}年(初步)", "p"), ("{y}p", "p"),
    # A marker after the year is kept as printed: its footnote says what it means.
    ("{y}P", "p"), ("{y}*", "*"), ("{y}年（快报）", "p"), ("{y}年(初步核算)", "p"),
    ("{y}年(预计)", "e"), ("{y}e", "e"), ("{y}年(修订)", "r"), ("{y}r", "r"),
]  # fmt: skip
DONE = {True: ["是", "完成", "已完成", "yes", "Yes", "true", "TRUE", "1", "done"],
        False: ["否", "未完成", "no", "No", "false", "FALSE", "0", "not done"]}  # fmt: skip
NO_FIGURE = ["", "—", "–", "-", "--", "……", "…", "/", "n/a", "NA", "无数据"]
MARKERS = ["³", "¹", "²", "①", "②", "₁", "*", "†"]
TITLES = [
    "2013—2015年主要指标",
    "表1 主要统计指标",
    "Table 1 Main indicators",
    "本表按当年价格计算",
]
FOOTNOTES = ["注：本表部分数据为初步统计数。", "资料来源：广东统计年鉴。", "数据来源:统计局",
             "Note: preliminary figures.", "Source: statistical yearbook.", "①含外资企业。",
             "*初步数。"]  # fmt: skip
ANY_FLAG = "<marker>"  # expected flag: any non-empty marker


def unit_text(unit: str, script: str) -> str:
    return TRADITIONAL.get(unit, unit) if script == "tw" else unit


def magnitude_of(unit: str) -> str | None:
    """The 万/亿 prefix of a unit (万户 → 万), None when it has none."""
    for m in sorted(MAGNITUDES, key=len, reverse=True):
        if unit.startswith(m) and len(unit) > len(m):
            return m
    return None


def decimal_text(value: Fraction) -> str:
    """An exact terminating fraction as plain decimal text."""
    with localcontext() as ctx:
        ctx.prec = 80
        text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- The generated table ----------------------------------------------------------------------


@dataclass
class Expected:
    exact: Fraction | None  # numeric: the value in the indicator's unit
    done: bool | None = None  # milestone
    date: tuple[int, ...] = ()  # milestone date parts (year, month, day), () when none
    flag: str = ""
    # The figure's text as plancheck must keep it (51.50 stays 51.50; grouping, full width and a
    # plus sign undone); None where the file stores a float or the cell shows an exponent.
    text: str | None = None


@dataclass
class Cell:
    """One cell: its text, and for typed formats the value to store (None: store the text)."""

    text: str
    typed: Any = None
    number_format: str | None = None  # xlsx number format (percent cells)


@dataclass(repr=False)
class Rendered:
    """A table laid out as a grid of cells (title rows, header rows, data, footnotes)."""

    grid: list[list[Cell]]
    header: list[str]  # the (last) header row's names, for record formats
    data_start: int  # grid index of the first data row
    data_end: int  # grid index after the last data row
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r1, c1, r2, c2 (0-based)
    expected: dict[tuple[str, str, int], Expected] = field(default_factory=dict)
    # grid (row, column) of every value cell that holds a number, and of milestone date cells
    value_cells: list[tuple[int, int, bool]] = field(default_factory=list)  # (r, c, is milestone)
    date_cells: list[tuple[int, int]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # lines the notices must name
    unit_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (r, c, indicator)

    def __repr__(self) -> str:  # hypothesis prints the falsifying table: as rows, not objects
        return "\n" + describe(self) + "\n"


class Draw:
    """The renderer's choices, restricted to what the file's encoding can hold.

    Hypothesis draws one seed per example and the choices come from ``random.Random(seed)``:
    a table takes a few hundred choices, and hypothesis fills the tail of a long choice sequence
    with its simplest values, which left the late features (two-row headers, merged cells, 地区
    lines) almost never drawn. A seeded generator draws every feature evenly; the falsifying
    table is printed whole (it is small), so shrinking is not missed.
    """

    def __init__(self, seed: int, encoding: str = "utf-8") -> None:
        self.random = random.Random(seed)
        self.encoding = encoding
        self.seed = seed

    def __repr__(self) -> str:
        return f"Draw(seed={self.seed})"

    def ok(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def pick(self, options: Sequence[T], text: Callable[[T], str] = str) -> T:
        usable = [o for o in options if self.ok(text(o))]
        return self.random.choice(usable)

    def chance(self, p: float = 0.5) -> bool:
        return self.random.random() < p

    def integer(self, lo: int, hi: int) -> int:
        return self.random.randint(lo, hi)

    def some(self, options: Sequence[T], lo: int, hi: int) -> list[T]:
        """Between lo and hi different options, in a random order."""
        return self.random.sample(list(options), self.integer(lo, min(hi, len(options))))

    def shuffled(self, items: Sequence[T]) -> list[T]:
        return self.random.sample(list(items), len(items))


def draw_decimal(d: Draw, ind: Ind, written_factor: Fraction) -> Decimal:
    """A figure as written: up to ``ind.digits`` integer digits (fewer for big units)."""
    digits = ind.digits
    if written_factor < 1:  # 元 for an indicator in 亿元: more digits, whole numbers
        digits = min(15, digits + len(str(int(1 / written_factor))) - 1)
    elif written_factor > 1:  # ratio for %: 0.xxxx
        digits = 1
    size = d.pick([1, 2, 3, digits, digits, digits])
    places = d.integer(0, ind.places)
    if written_factor < Fraction(1, 10**4):
        places = min(places, 2)
    if written_factor > 1:
        places = max(places, 2)
    integer = d.integer(0, 10 ** min(size, digits) - 1)
    frac = d.integer(0, 10**places - 1) if places else 0
    negative = ind.negative and d.chance(0.3) and (integer or frac)
    text = f"{'-' if negative else ''}{integer}" + (f".{frac:0{places}d}" if places else "")
    return Decimal(text)


_FULL = str.maketrans("0123456789.-+,%", "０１２３４５６７８９．－＋，％")


def number_text(d: Draw, value: Decimal, exponent: bool = True) -> str:
    """The figure as a clerk may type it: grouped, signed, full-width or in exponent form."""
    plain = format(value, "f")
    sign, body = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, _, frac = body.partition(".")
    style = d.pick(["plain", "plain", "plain", "plus", "comma", "space", "full", "exp"])
    if style == "plus" and not sign and value != 0:
        return "+" + plain
    if style in ("comma", "space") and len(whole) > 3:
        sep = "," if style == "comma" else d.pick([" ", "\u00a0", "\u2009"])
        groups = [whole[max(0, i - 3) : i] for i in range(len(whole), 0, -3)][::-1]
        return sign + sep.join(groups) + ("." + frac if frac else "")
    if style == "full":
        return plain.translate(_FULL)
    if style == "exp" and value != 0 and exponent:
        return d.pick([f"{value:e}", f"{value:E}"])
    return plain


def draw_date(d: Draw) -> tuple[str, tuple[int, ...], Any]:
    """A completion date as written, its parts, and (when it is a full date) a datetime."""
    y, m, day = d.integer(2010, 2020), d.integer(1, 12), d.integer(1, 28)
    form = d.pick(["y", "ym", "ymd", "ymd", "zh", "slash"])
    if form == "y":
        return str(y), (y,), None
    if form == "ym":
        return f"{y}-{m:02d}", (y, m), None
    stamp = dt.datetime(y, m, day)
    if form == "zh":
        return f"{y}年{m}月{day}日", (y, m, day), stamp
    if form == "slash":
        return f"{y}/{m}/{day}", (y, m, day), stamp
    return f"{y}-{m:02d}-{day:02d}", (y, m, day), stamp


@st.composite
def tables(draw: st.DrawFn, fmt: str) -> tuple[Rendered, dict[str, Any], Draw]:
    """A table of known observations rendered for ``fmt`` (csv, xlsx, parquet, json)."""
    return build_table(draw(st.integers(0, 2**64 - 1)), fmt)


def build_table(seed: int, fmt: str) -> tuple[Rendered, dict[str, Any], Draw]:
    """The table of ``seed`` for ``fmt``, with how it was rendered and the choices that follow."""
    d = Draw(seed)
    encoding = "utf-8"
    if fmt == "csv":
        encoding = d.pick(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"])
    d.encoding = "big5" if encoding == "big5" else "utf-8"
    script = "tw" if encoding == "big5" else d.pick(["zh", "zh", "tw"])
    language = "tw" if encoding == "big5" else d.pick(["en", "zh", script])
    layout = "long" if fmt == "json" else d.pick(["long", "wide"])
    sheet_like = fmt in ("csv", "xlsx")  # has room for title rows, unit lines, footnotes
    h = HEADERS[language]

    # Which observations: indicators, regions, years.
    indicators = d.some(list(INDICATORS), 1, 4)
    header_unit: str | None = None
    table_unit: str | None = None
    unit_place = d.pick(["none", "column", "column", "cell", "suffix", "header", "line"])
    if (unit_place == "header" and layout == "long") or (unit_place == "header" and d.chance(0.5)):
        numeric = [i for i in indicators if INDICATORS[i].unit is not None] or ["forest_coverage"]
        header_unit = d.pick(sorted(INDICATORS[numeric[0]].units), lambda u: unit_text(u, script))
        indicators = [i for i in NUMERIC if header_unit in INDICATORS[i].units]
        indicators = d.some(indicators, 1, 3)
    elif unit_place == "header":
        unit_place = "none"
    if unit_place == "line" and sheet_like:
        numeric = [i for i in indicators if INDICATORS[i].unit is not None] or ["fixed_investment"]
        table_unit = d.pick(sorted(INDICATORS[numeric[0]].units), lambda u: unit_text(u, script))
        indicators = [i for i in indicators if INDICATORS[i].unit is not None] or numeric
    has_unit_column = unit_place == "column" or (unit_place == "line" and d.chance(0.5))
    regions = d.some(list(REGIONS), 1, 3)
    region_line = sheet_like and len(regions) == 1 and d.chance(0.2)
    years = sorted(d.some(range(2011, 2021), 1, 4))
    if d.chance(0.05):
        years = sorted({*years, d.pick([1900, 1949, 2099, 2100])})

    has_date = layout == "long" and "railway_opened" in indicators and d.chance(0.7)
    has_flag = layout == "long" and d.chance(0.2)
    # Wide year headers: some with a qualifier (a flag for the whole column), some with a unit.
    year_headers: dict[int, tuple[str, str]] = {}
    for y in years:
        form, flag = "{y}", ""
        if layout == "wide":
            qualified = d.chance(0.4)
            form, flag = d.pick(
                [f for f in YEAR_HEADERS if bool(f[1]) is qualified], lambda f: f[0]
            )
        if header_unit is not None:
            form, flag = d.pick(["{y}", "{y}年"]), ""
        text = form.format(y=y)
        if language == "tw":
            text = text.replace("快报", "快報").replace("预计", "預計").replace("修订", "修訂")
        if header_unit is not None:
            text += d.pick(["({u})", "（{u}）"]).format(u=unit_text(header_unit, script))
        year_headers[y] = (text, flag)
    markers_allowed = not has_flag and not any(f for _, f in year_headers.values())
    two_row = sheet_like and header_unit is None and markers_allowed and d.chance(0.3)

    # Columns.
    columns = ["indicator"] + ([] if region_line else ["region"])
    if layout == "long":
        columns += ["year", "value"]
    if has_unit_column:
        columns.append("unit")
    if has_date:
        columns.append("date")
    if has_flag:
        columns.append("flag")
    columns = d.shuffled(columns) if d.chance(0.3) else columns
    if layout == "wide":
        columns += [f"@{y}" for y in years]
    names: list[str] = []
    for c in columns:
        if c.startswith("@"):
            names.append(year_headers[int(c[1:])][0])
        elif c == "value" and header_unit is not None:
            u = unit_text(header_unit, script)
            names.append(h["value"] + d.pick([f"（{u}）", f" ({u})", f"({u})"]))
        else:
            names.append(h[c])

    # Rows: long has one per observation, wide one per (indicator, region).
    keys: list[tuple[str, str]] = [(i, r) for i in indicators for r in regions]
    keys = d.some(keys, 1, 6)
    if region_line:
        keys = [(i, regions[0]) for i in dict.fromkeys(i for i, _ in keys)]
    # cells, (year, is milestone) of each value it holds, and its (indicator, region, year)
    rows: list[tuple[dict[str, Cell], list[tuple[int, bool]], tuple[str, str, int]]] = []
    expected: dict[tuple[str, str, int], Expected] = {}

    def name_cell(iid: str, row_unit: str | None) -> Cell:
        spec = INDICATORS[iid]
        if row_unit is not None:  # a unit suffix needs the name
            name = spec.tw if script == "tw" else spec.zh
            brackets = d.pick(["({u})", "（{u}）"])
            return Cell(name + brackets.format(u=unit_text(row_unit, script)))
        options = [iid, spec.en, spec.en.upper(), spec.tw] + ([] if script == "tw" else [spec.zh])
        text = d.pick(options)
        if text == spec.zh and d.chance(0.2):
            text = "\u3000" + text  # yearbooks indent names with ideographic spaces
        if markers_allowed and text in (spec.zh, spec.tw) and d.chance(0.1):
            return Cell(text + d.pick(["①", "*"]))
        return Cell(text)

    merge_regions = fmt == "xlsx" and not region_line and d.chance(0.4)
    spelled: dict[str, str] = {}  # merged cells need one spelling per region

    def region_cell(rid: str) -> Cell:
        text = d.pick(list(REGIONS[rid]))
        if merge_regions:
            text = spelled.setdefault(rid, text)
        if text.isdigit() and fmt in ("xlsx",) and d.chance(0.5):
            return Cell(text, int(text))
        return Cell(text)

    def value_cell(
        iid: str, row_unit: str | None, row_unit_source: str
    ) -> tuple[Cell, Expected, bool]:
        """A value cell and what it must read as; True when it may take a marker flag."""
        spec = INDICATORS[iid]
        if spec.unit is None:
            done = d.chance(0.6)
            word = d.pick(DONE[done])
            typed: Any = None
            if fmt == "xlsx" and d.chance(0.3):
                typed = done if d.chance(0.5) else int(done)
            if fmt in ("json", "parquet") and d.chance(0.3):
                typed = done
            return Cell(word, typed), Expected(None, done), False
        # The unit this row's figures are in, before the cell says anything.
        effective = row_unit
        if effective is None:
            effective = (
                header_unit or (table_unit if table_unit in spec.units else None) or spec.unit
            )
        own_unit_ok = row_unit_source in ("none", "line") and header_unit is None
        choice = d.pick(["plain", "plain", "plain", "cell", "magnitude", "percent", "percent"])
        if choice == "cell" and own_unit_ok:
            unit = d.pick(sorted(spec.units), lambda u: unit_text(u, script))
            value = draw_decimal(d, spec, spec.units[unit])
            text = number_text(d, value, exponent=False)
            space = " " if unit in ("%",) and d.chance(0.3) else ""
            u = unit_text(unit, script)
            if u == "%" and re.search("[０-９]", text):  # a full-width figure, a full-width ％
                u = "％"
            exp = Expected(Fraction(value) * spec.units[unit], text=format(value, "f"))
            return Cell(text + space + u), exp, False
        if choice == "magnitude" and spec.base is not None:
            have = magnitude_of(effective)
            options = [m for m in MAGNITUDES if have in (None, m)]
            if spec.base[0] == "户" or spec.base[0] == "人":
                options = [m for m in options if m == "万"]
            if options:
                mag = d.pick(options, lambda m: unit_text(m, script))
                value = draw_decimal(d, Ind(None, "", "", "", digits=5), Fraction(1))
                text = number_text(d, value, exponent=False) + unit_text(mag, script)
                exact = Fraction(value) * MAGNITUDES[mag] * spec.base[1]
                return Cell(text), Expected(exact), False
        factor = spec.units.get(effective)
        assert factor is not None, (iid, effective)
        value = draw_decimal(d, spec, factor)
        exact = Fraction(value) * factor
        if (
            choice == "percent"
            and fmt == "xlsx"
            and effective == "%"
            and row_unit_source != "suffix"
        ):
            places = -value.as_tuple().exponent  # type: ignore[operator]
            fmt_text = "0" + ("." + "0" * places if places else "") + "%"
            return Cell(f"{value}%", float(value / 100), fmt_text), Expected(exact), False
        text = number_text(d, value)
        significant = len(format(value, "f").replace("-", "").replace(".", "").lstrip("0"))
        typed_format = fmt in ("xlsx", "parquet", "json")
        if typed_format and text == format(value, "f") and significant <= 15 and d.chance(0.5):
            typed = int(value) if value == value.to_integral_value() and d.chance(0.5) else value
            kept = (
                None
                if fmt != "json"
                else format(typed, "f")
                if isinstance(typed, Decimal)
                else str(typed)
            )
            return Cell(text, typed), Expected(exact, text=kept), True
        kept = None if "e" in text.lower() else format(value, "f")
        return Cell(text), Expected(exact, text=kept), True

    for iid, rid in keys:
        spec = INDICATORS[iid]
        # Where this row's unit comes from.
        source = "none"
        row_unit: str | None = None
        if spec.unit is not None and header_unit is None:
            if has_unit_column and d.chance(0.7):
                source = "column"
            elif unit_place == "suffix" and d.chance(0.7):
                source = "suffix"
            if table_unit is not None and table_unit not in spec.units and source == "none":
                source = "column" if has_unit_column else "suffix"
            if source != "none":
                row_unit = d.pick(sorted(spec.units), lambda u: unit_text(u, script))
            elif table_unit is not None:
                source = "line"
        cells: dict[str, Cell] = {
            "indicator": name_cell(iid, row_unit if source == "suffix" else None),
        }
        if not region_line:
            cells["region"] = region_cell(rid)
        if has_unit_column:
            cells["unit"] = Cell(
                unit_text(row_unit, script) if source == "column" and row_unit else ""
            )
        if has_date:
            cells["date"] = Cell("")
        if has_flag:
            cells["flag"] = Cell("")
        row_years = years if layout == "wide" else [d.pick(years)]
        if layout == "long":
            taken = {(k[0], k[1], k[2]) for k in expected}
            free = [y for y in years if (iid, rid, y) not in taken]
            if not free:
                continue
            row_years = [d.pick(free)]
        filled: list[tuple[int, Any]] = []
        for y in row_years:
            column = f"@{y}" if layout == "wide" else "value"
            if layout == "wide" and (len(years) > 1 or len(keys) > 1) and d.chance(0.25):
                cells[column] = Cell(d.pick(NO_FIGURE) if spec.unit is not None else "")
                continue
            cell, exp, markable = value_cell(iid, row_unit, source)
            exp.flag = year_headers[y][1] if layout == "wide" else ""
            if cells["indicator"].text[-1:] in ("①", "*"):
                exp.flag = ANY_FLAG
            elif (
                markable
                and markers_allowed
                and cell.typed is None
                and "e" not in cell.text.lower()
                and d.chance(0.08)
            ):
                cell = Cell(cell.text + d.pick(MARKERS))
                exp.flag = ANY_FLAG
            cells[column] = cell
            if spec.unit is None and has_date and d.chance(0.7):
                text, parts, stamp = draw_date(d)
                cells["date"] = Cell(text, stamp if fmt == "xlsx" and d.chance(0.3) else None)
                exp.date = parts
            if has_flag and exp.flag == "" and d.chance(0.5):
                exp.flag = d.pick(["p", "e", "r"])
                cells["flag"] = Cell(exp.flag)
            expected[(iid, rid, y)] = exp
            filled.append((y, spec.unit is None))
        if layout == "long" and "year" in columns:
            y = row_years[0]
            year_text = d.pick([str(y), str(y), f"{y}年", str(y).translate(_FULL), f"{y}.0"])
            typed_year = y if fmt in ("xlsx", "parquet", "json") and d.chance(0.6) else None
            cells["year"] = Cell(year_text, typed_year)
        rows.append((cells, filled, (iid, rid, row_years[0])))
    if d.chance(0.2):
        rows = d.shuffled(rows)
    repeated = False
    # Long layout: a repeat of a row with the same value in another unit, after it: dropped as
    # identical, the first kept.
    repeatable = [
        (cells, key)
        for cells, filled, key in rows
        if layout == "long"
        and filled
        and INDICATORS[key[0]].unit is not None
        and cells.get("unit", Cell("")).text != ""
        and expected[key].flag == ""
    ]
    if layout == "long" and repeatable and d.chance(0.3):
        cells, key = d.pick(repeatable, lambda r: "")
        spec = INDICATORS[key[0]]
        other = d.pick(sorted(spec.units), lambda u: unit_text(u, script))
        exact = expected[key].exact
        assert exact is not None
        again = dict(cells, unit=Cell(unit_text(other, script)))
        again["value"] = Cell(decimal_text(exact / spec.units[other]))
        rows.append((again, [], key))
        repeated = True
    if layout == "long" and d.chance(0.2):
        iid, rid = d.pick(keys, lambda k: "")
        iid = iid if INDICATORS[iid].unit is not None else "forest_coverage"
        free = [y for y in range(2001, 2011) if (iid, rid, y) not in expected]
        blank = {c: Cell("") for c in columns}
        blank["indicator"] = name_cell(iid, None)
        if not region_line:
            blank["region"] = region_cell(rid)
        blank["year"] = Cell(str(d.pick(free)))
        blank["value"] = Cell(d.pick([t for t in NO_FIGURE if t]))
        rows.append((blank, [], (iid, rid, 0)))

    # Merged region cells (xlsx): rows of one region next to each other, merged down.
    if merge_regions:
        order = {r: i for i, r in enumerate(regions)}
        rows.sort(key=lambda row: order[_region_of(row[0], regions)])

    # Lay the grid out.
    grid: list[list[Cell]] = []
    width = len(columns)

    def line(text: str) -> None:
        grid.append([Cell(text)] + [Cell("") for _ in range(width - 1)])
        if text:
            left_out.append(text)

    left_out: list[str] = []  # title, unit, region and footnote lines: reported, not data

    if sheet_like:
        for _ in range(d.integer(0, 2)):
            line(d.pick(TITLES))
        if table_unit is not None:
            u = unit_text(table_unit, script)
            line(d.pick(["单位：{u}", "计量单位：{u}", "Unit: {u}", "單位：{u}"]).format(u=u))
        if region_line:
            names_of = [n for n in REGIONS[regions[0]] if not n.isdigit()]
            line(d.pick(["地区：{r}", "Region: {r}", "地區：{r}"]).format(r=d.pick(names_of)))
    merges: list[tuple[int, int, int, int]] = []
    if two_row:
        top = len(grid)
        if layout == "wide" and d.chance(0.5):  # 年份 merged over the year columns
            first_year = width - len(years)
            grid.append(
                [Cell(n) for n in names[:first_year]]
                + [Cell(h["year"])]
                + [Cell("")] * (len(years) - 1)
            )
            grid.append(
                [Cell("") for _ in names[:first_year]] + [Cell(n) for n in names[first_year:]]
            )
            if fmt == "xlsx":
                if len(years) > 1:
                    merges.append((top, first_year, top, width - 1))
                merges.extend((top, j, top + 1, j) for j in range(first_year))
            if d.chance(0.5):  # a third row: the English names under both
                english = [HEADERS["en"][c] for c in columns[:first_year]]
                grid.append([Cell(n) for n in english] + [Cell(str(y)) for y in years])
        else:  # Chinese over English
            english = [HEADERS["en"][c] if not c.startswith("@") else c[1:] for c in columns]
            zh = [
                n if c.startswith("@") else HEADERS["tw" if script == "tw" else "zh"][c]
                for n, c in zip(names, columns, strict=True)
            ]
            grid.append([Cell(n) for n in zh])
            grid.append([Cell(n) for n in english])
            names = english
    else:
        grid.append([Cell(n) for n in names])
    data_start = len(grid)
    rendered = Rendered(grid, names, data_start, data_start, merges, expected, left_out=left_out)
    region_col = columns.index("region") if "region" in columns else None
    for cells, filled, key in rows:
        r = len(grid)
        grid.append([cells.get(c, Cell("")) for c in columns])
        has_figure = bool(filled) or cells.get("value", Cell("")).text not in NO_FIGURE
        if "unit" in columns and cells["unit"].text and has_figure:  # no figure: no unit needed
            rendered.unit_cells.append((r, columns.index("unit"), key[0]))
        for y, milestone in filled:
            at = columns.index(f"@{y}" if layout == "wide" else "value")
            rendered.value_cells.append((r, at, milestone))
            if milestone and has_date and cells["date"].text:
                rendered.date_cells.append((r, columns.index("date")))
    rendered.data_end = len(grid)
    if merge_regions and region_col is not None:
        start = data_start
        for r in range(data_start + 1, len(grid) + 1):
            if r == len(grid) or grid[r][region_col].text != grid[start][region_col].text:
                if r - start > 1:
                    merges.append((start, region_col, r - 1, region_col))
                    for k in range(start + 1, r):
                        grid[k][region_col] = Cell("")
                start = r
    if sheet_like:
        if d.chance(0.3):
            line("")
        for _ in range(d.integer(0, 2)):
            text = d.pick(FOOTNOTES)
            line(text)
    how = {"encoding": encoding, "layout": layout, "language": language, "script": script,
           "units": unit_place, "table_unit": table_unit, "header_unit": header_unit,
           "two_row": two_row, "region_line": region_line, "merges": len(merges),
           "repeated": repeated}  # fmt: skip
    return rendered, how, d


def _region_of(cells: dict[str, Cell], regions: list[str]) -> str:
    text = cells["region"].text
    for rid in regions:
        if text in REGIONS[rid]:
            return rid
    return regions[0]


# --- Writers ----------------------------------------------------------------------------------


def write_csv(table: Rendered, encoding: str, path: Path, d: Draw) -> None:
    import csv

    delimiter = "\t" if encoding == "utf-16" else d.pick([",", ",", ",", "\t", ";"])
    if delimiter == ";" and any(";" in c.text for row in table.grid for c in row):
        delimiter = ","
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in table.grid:
        writer.writerow([c.text for c in row])
    # Big5 as plancheck documents reading it (Big5-HKSCS: ① is C6A1 there, C7E9 in cp950)
    path.write_bytes(buffer.getvalue().encode("big5hkscs" if encoding == "big5" else encoding))


def write_xlsx(table: Rendered, path: Path, sheet: str, hidden: str | None = None) -> None:
    """The table on one sheet; with ``hidden``, a hidden first sheet of other figures before it."""
    import openpyxl

    wb = openpyxl.Workbook()
    if hidden is not None:  # a stale copy whose every figure is 999: it must never be read
        stale = wb.active
        assert stale is not None
        stale.title = "旧表"
        figures = {(r, c) for r, c, _ in table.value_cells}
        for i, row in enumerate(table.grid, start=1):
            for j, cell in enumerate(row, start=1):
                text = "999" if (i - 1, j - 1) in figures else cell.text
                if text:
                    stale.cell(row=i, column=j).value = text
        stale.sheet_state = hidden  # type: ignore[assignment]
        ws = wb.create_sheet(sheet)
        wb.active = 1
    else:
        ws = wb.active
        assert ws is not None
        ws.title = sheet
    for i, row in enumerate(table.grid, start=1):
        for j, cell in enumerate(row, start=1):
            value = cell.text if cell.typed is None else cell.typed
            if isinstance(value, Decimal):
                value = float(value)
            if value == "":
                continue
            target = ws.cell(row=i, column=j)
            target.value = value
            if isinstance(value, str):
                target.data_type = "s"  # never a formula, whatever the text starts with
            if cell.number_format:
                target.number_format = cell.number_format
    for r1, c1, r2, c2 in table.merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    wb.save(path)


def write_parquet(table: Rendered, path: Path, d: Draw) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns: dict[str, Any] = {}
    rows = table.grid[table.data_start : table.data_end]
    for j, name in enumerate(table.header):
        cells = [row[j] for row in rows]
        typed = [c.typed for c in cells if c.text != ""]
        if typed and all(isinstance(t, bool) for t in typed) and len(typed) == len(cells):
            columns[name] = pa.array([c.typed for c in cells], pa.bool_())
        elif (
            typed
            and all(isinstance(t, int) and not isinstance(t, bool) for t in typed)
            and d.chance(0.7)
        ):
            columns[name] = pa.array([c.typed if c.text != "" else None for c in cells], pa.int64())
        elif (
            typed
            and all(isinstance(t, (int, Decimal)) and not isinstance(t, bool) for t in typed)
            and d.chance(0.7)
        ):
            if d.chance(0.5):
                columns[name] = pa.array(
                    [float(c.typed) if c.text != "" else None for c in cells], pa.float64()
                )
            else:  # exact decimals, as a database exports NUMERIC(38, s)
                scale = max(-Decimal(t).as_tuple().exponent for t in typed)  # type: ignore[operator]
                columns[name] = pa.array(
                    [Decimal(c.typed) if c.text != "" else None for c in cells],
                    pa.decimal128(38, scale),
                )
        else:
            columns[name] = pa.array([c.text for c in cells], pa.string())
    pq.write_table(pa.table(columns), path)


def write_json(table: Rendered, path: Path, d: Draw) -> None:
    records: list[str] = []
    rows = table.grid[table.data_start : table.data_end]
    for row in rows:
        parts = []
        for name, cell in zip(table.header, row, strict=True):
            if cell.typed is not None and not isinstance(cell.typed, dt.datetime):
                if isinstance(cell.typed, bool):
                    token = "true" if cell.typed else "false"
                else:
                    token = (
                        format(cell.typed, "f")
                        if isinstance(cell.typed, Decimal)
                        else str(cell.typed)
                    )
            elif cell.text == "" and d.chance(0.3):
                token = "null"
            else:
                token = json.dumps(cell.text, ensure_ascii=d.chance(0.3))
            parts.append(f"{json.dumps(name, ensure_ascii=False)}: {token}")
        records.append("{" + ", ".join(parts) + "}")
    body = "[\n " + ",\n ".join(records) + "\n]"
    if d.chance(0.3):
        body = '{"records": ' + body + "}"
    path.write_text(body + "\n", encoding="utf-8")


def write(fmt: str, table: Rendered, how: dict[str, Any], d: Draw) -> Path:
    suffix = {"csv": ".csv", "xlsx": ".xlsx", "parquet": ".parquet", "json": ".json"}[fmt]
    if fmt == "csv" and how["encoding"] == "utf-16" and d.chance(0.5):
        suffix = ".txt"
    path = WORK / f"oracle{suffix}"
    for old in WORK.iterdir():
        old.unlink()
    if fmt == "csv":
        write_csv(table, how["encoding"], path, d)
    elif fmt == "xlsx":
        hidden = d.pick(["hidden", "veryHidden"]) if d.chance(0.15) else None
        write_xlsx(table, path, d.pick(["Sheet1", "主要指标", "表1"]), hidden)
    elif fmt == "parquet":
        write_parquet(table, path, d)
    else:
        write_json(table, path, d)
    return path


# --- The comparison ---------------------------------------------------------------------------


def describe(table: Rendered) -> str:
    return "\n".join(
        " | ".join(repr(c.typed) if c.typed is not None else c.text for c in row)
        for row in table.grid
    )


def date_parts(text: object) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", str(text or "")))


def assert_reads_back(path: Path, table: Rendered) -> None:
    try:
        actuals = read_actuals([path], CATALOGUE)
    except InputError as err:
        shown = "\n".join(f"{p.location()}: {p.type}: {p.message}" for p in err.problems)
        raise AssertionError(f"a valid table was refused:\n{shown}") from None
    # Nothing dropped silently: every title, unit, region and footnote line is named in a notice.
    said = "\n".join(n.message for n in actuals.notices)
    for text in table.left_out:
        assert text in said, f"{text!r} left out without a word; notices: {said}"
    found: dict[tuple[str, str, int], Any] = {}
    for row in actuals.table.itertuples(index=False):
        key = (str(row.indicator), str(row.region), int(str(row.year)))
        assert key not in found, f"{key} read twice"
        found[key] = row
    assert set(found) == set(table.expected), (
        f"read {sorted(found)}, expected {sorted(table.expected)}"
    )
    for key, exp in table.expected.items():
        row = found[key]
        flag = "" if row.flag is None or row.flag != row.flag else str(row.flag)
        if exp.flag == ANY_FLAG:
            assert flag != "", (key, "a footnote marker must become the flag")
        else:
            assert flag == exp.flag, (key, flag, exp.flag)
        if exp.exact is None:
            assert bool(row.done) is exp.done, (key, row.done, exp.done)
            assert date_parts(row.date) == exp.date, (key, row.date, exp.date)
            continue
        indicator_unit = INDICATORS[key[0]].unit
        assert indicator_unit is not None
        read = Fraction(Decimal(row.value_text)) * conversion_factor(row.unit, indicator_unit)
        assert read == exp.exact, (
            f"{key}: read {row.value_text!r} {row.unit!r} = {read}, generated {exp.exact}"
        )
        assert row.value == pytest.approx(float(exp.exact), rel=1e-12, abs=1e-12), key
        if exp.text is not None:
            assert row.value_text.lstrip("+") == exp.text, (key, row.value_text, exp.text)


def check_format(fmt: str, data: st.DataObject) -> None:
    table, how, d = data.draw(tables(fmt))
    path = write(fmt, table, how, d)
    note(f"{fmt} {how}\n{describe(table)}")
    assert_reads_back(path, table)


@oracle_settings("csv")
@given(st.data())
def test_csv_reads_back_exactly(data: st.DataObject) -> None:
    check_format("csv", data)


@oracle_settings("xlsx")
@given(st.data())
def test_xlsx_reads_back_exactly(data: st.DataObject) -> None:
    check_format("xlsx", data)


@oracle_settings("parquet")
@given(st.data())
def test_parquet_reads_back_exactly(data: st.DataObject) -> None:
    check_format("parquet", data)


@oracle_settings("json")
@given(st.data())
def test_json_reads_back_exactly(data: st.DataObject) -> None:
    check_format("json", data)


# --- Refused spellings: one problem at the poisoned cell, never a value ----------------------

POISON_NUMBERS = ["51 5", "37 1", "1 23", "12 345 67", "4³8", "1e309", "1E+400", "-1e309",
                  "Infinity", "-Infinity", "NaN", "nan", "inf", "1" * 400, "51,5", "1,23",
                  "约2000", "12a", "1.2.3", "0x10", "++3", "５１ ５"]  # fmt: skip
POISON_DATES = ["2014-13-45", "0000-00-00", "2015-02-30", "2015年13月1日", "2015/2/29"]


# A unit of another kind for each indicator unit: in the unit column, the row is refused.
OTHER_KIND = {"%": "万元", "亿元": "人", "万户": "人次", "个": "吨", "家": "公里", "万人": "户"}


def position_matches(
    problem: Problem, fmt: str, table: Rendered, r: int, c: int, row_only: bool = False
) -> bool:
    """The problem is at grid cell (r, c); with ``row_only``, anywhere in grid row r."""
    if row_only:
        if fmt == "csv":
            return problem.line == r + 1
        if fmt == "xlsx":
            return (
                problem.cell is not None
                and re.fullmatch(rf"[A-Z]+{r + 1}", problem.cell.split("!")[-1]) is not None
            )
        return problem.row == r - table.data_start + 1
    if fmt == "csv":
        return problem.line == r + 1
    if fmt == "xlsx":
        from plancheck.readers.xlsx_reader import column_letter

        return (
            problem.cell is not None and problem.cell.split("!")[-1] == f"{column_letter(c)}{r + 1}"
        )
    return problem.row == r - table.data_start + 1 and problem.field == table.header[c]


@oracle_settings("poison")
@given(st.data())
def test_refused_spelling_is_one_problem_at_its_cell(data: st.DataObject) -> None:
    fmt = data.draw(st.sampled_from(["csv", "csv", "xlsx", "parquet", "json"]))
    table, how, d = data.draw(tables(fmt))
    targets = [(r, c, "value") for r, c, milestone in table.value_cells if not milestone]
    targets += [(r, c, "date") for r, c in table.date_cells]
    targets += [(r, c, "unit") for r, c, _ in table.unit_cells]
    if not targets:
        targets = [(r, c, "milestone") for r, c, _ in table.value_cells]
    assume(targets)  # a table with no figure at all has no cell to poison
    r, c, kind = d.pick(targets)
    if kind == "unit":  # a unit of another kind: one problem for the row, whatever its years
        indicator = next(i for rr, cc, i in table.unit_cells if (rr, cc) == (r, c))
        unit = INDICATORS[indicator].unit
        assert unit is not None
        text = OTHER_KIND[unit]
    elif kind == "value":
        text = d.pick(POISON_NUMBERS)
    elif kind == "date":
        text = d.pick(POISON_DATES)
    else:
        text = d.pick(["差不多", "基本完成", "2"])
    table.grid[r][c] = Cell(text)
    path = write(fmt, table, how, d)
    note(f"{fmt} {how} poisoned {kind} at grid ({r}, {c}) with {text!r}\n{describe(table)}")
    with pytest.raises(InputError) as err:
        read_actuals([path], CATALOGUE)
    problems = err.value.problems
    shown = [f"{p.location()}: {p.type}: {p.message}" for p in problems]
    assert len(problems) == 1, shown
    assert position_matches(problems[0], fmt, table, r, c, row_only=kind == "unit"), shown
    assert problems[0].file == str(path)
    assert problems[0].hint, shown


# --- The oracle's own coverage: every rendering above is actually drawn --------------------------


def test_the_tables_drawn_cover_every_rendering() -> None:
    """Over the first 600 seeds, each rendering the docstring promises occurs (no reading)."""
    seen: set[str] = set()
    for seed in range(600):
        fmt = ("csv", "csv", "xlsx", "parquet", "json")[seed % 5]
        table, how, _ = build_table(seed, fmt)
        seen |= {f"{fmt}:{how['encoding']}", f"{fmt}:{how['layout']}", f"units:{how['units']}"}
        seen |= {f"language:{how['language']}", f"script:{how['script']}"}
        seen |= {k for k in ("two_row", "region_line", "merges", "repeated") if how[k]}
        if how["table_unit"]:
            seen.add("unit line")
        texts = [c.text for row in table.grid for c in row]
        checks = {
            "percent cell": any(c.number_format for row in table.grid for c in row),
            "magnitude": any(re.search(r"\d(万|亿|萬|億|百万|千万|百萬|千萬)$", x) for x in texts),
            "full width": any(re.search("[０-９]", x) for x in texts),
            "comma groups": any(re.search(r"\d,\d{3}", x) for x in texts),
            "space groups": any(re.search(r"\d[ \u00a0\u2009]\d{3}", x) for x in texts),
            "exponent": any(re.fullmatch(r"-?\d(\.\d+)?[eE][+-]\d+", x) for x in texts),
            "marker": any(re.search(r"\d[³¹²①②₁*†]$", x) for x in texts),
            "footnote": any(x.startswith(("注：", "资料来源", "Note:", "Source:")) for x in texts),
            "three-row header": table.data_start >= 3 and how["two_row"],
            "no figure": any(x in NO_FIGURE[1:] for x in texts),
            "negative": any(e.exact is not None and e.exact < 0 for e in table.expected.values()),
            "milestone date": any(e.date for e in table.expected.values()),
            "year 1900/2100": any(k[2] in (1900, 2100) for k in table.expected),
            "typed number": any(
                isinstance(c.typed, (Decimal, int)) and not isinstance(c.typed, bool)
                for row in table.grid
                for c in row
            ),
        }
        seen |= {name for name, found in checks.items() if found}
        seen |= {f"flag:{e.flag}" for e in table.expected.values()}
    wanted = {f"csv:{e}" for e in ("utf-8", "utf-8-sig", "gb18030", "utf-16", "big5")}
    wanted |= {f"{f}:{layout}" for f in ("csv", "xlsx", "parquet") for layout in ("long", "wide")}
    wanted |= {f"units:{u}" for u in ("none", "column", "cell", "suffix", "header", "line")}
    wanted |= {"language:en", "language:zh", "language:tw", "script:zh", "script:tw"}
    wanted |= {"two_row", "region_line", "merges", "repeated", "unit line", "json:long"}
    wanted |= {"flag:p", "flag:e", "flag:r", f"flag:{ANY_FLAG}", "flag:"}
    wanted |= {
        "percent cell", "magnitude", "full width", "comma groups", "space groups", "exponent",
        "marker", "footnote", "three-row header", "no figure", "negative", "milestone date",
        "year 1900/2100", "typed number",
    }  # fmt: skip
    assert wanted - seen == set()
