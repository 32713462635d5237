"""Names as yearbooks print them resolve to catalogue ids; the catalogue refuses names it could
not tell apart."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.names import NameIndex, NameParts, fold, split_name
from plancheck.problems import InputError, Problem, did_you_mean

from .conftest import REPO


@pytest.fixture(scope="module")
def bundled() -> Catalogue:
    return load_catalogue(REPO / "targets")


def resolve_indicator(catalogue: Catalogue, cell: str) -> str | None:
    return catalogue.indicator_index().resolve(split_name(cell).name)


def resolve_region(catalogue: Catalogue, cell: str) -> str | None:
    return catalogue.region_index().resolve(split_name(cell).name)


# --- split_name ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("森林覆盖率", NameParts("森林覆盖率")),
        ("  森林覆盖率  ", NameParts("森林覆盖率")),
        ("森林覆盖率(%)", NameParts("森林覆盖率", unit="%")),
        ("森林覆盖率（％）", NameParts("森林覆盖率", unit="%")),
        ("森林覆盖率 [%]", NameParts("森林覆盖率", unit="%")),
        ("森林覆盖率%", NameParts("森林覆盖率", unit="%")),
        ("森林公园数(个)", NameParts("森林公园数", unit="个")),
        ("金额（亿元）", NameParts("金额", unit="亿元")),
        ("固定宽带接入用户数【万户】", NameParts("固定宽带接入用户数", unit="万户")),
        ("地区生产总值(单位：亿元)", NameParts("地区生产总值", unit="亿元")),
        ("人均可支配收入(元/人)", NameParts("人均可支配收入", unit="元/人")),
        ("面积(㎞²)", NameParts("面积", unit="km2")),
        ("森林覆盖率①", NameParts("森林覆盖率", markers="①")),
        ("森林覆盖率⑳", NameParts("森林覆盖率", markers="⑳")),
        ("森林覆盖率³", NameParts("森林覆盖率", markers="³")),
        ("森林覆盖率₁", NameParts("森林覆盖率", markers="₁")),
        ("森林覆盖率ᵃ", NameParts("森林覆盖率", markers="ᵃ")),
        ("森林覆盖率*", NameParts("森林覆盖率", markers="*")),
        ("森林覆盖率†‡", NameParts("森林覆盖率", markers="†‡")),
        ("森林覆盖率 ❶", NameParts("森林覆盖率", markers="❶")),
        ("森林覆盖率(1)", NameParts("森林覆盖率", markers="(1)")),
        ("森林覆盖率［12］", NameParts("森林覆盖率", markers="［12］")),
        # markers and the unit in either order
        ("森林覆盖率(%)①", NameParts("森林覆盖率", unit="%", markers="①")),
        ("森林覆盖率①(%)", NameParts("森林覆盖率", unit="%", markers="①")),
        ("森林覆盖率②（%）*", NameParts("森林覆盖率", unit="%", markers="②*")),
        # of-which rows
        ("#工业", NameParts("工业", of_which=True)),
        ("＃ 工业(亿元)", NameParts("工业", unit="亿元", of_which=True)),
        ("其中：工业", NameParts("工业", of_which=True)),
        ("其中:工业", NameParts("工业", of_which=True)),
        ("  其中 ： 工业①", NameParts("工业", markers="①", of_which=True)),
        # qualifiers stay part of the name: they change what is counted
        ("森林覆盖率(初步)", NameParts("森林覆盖率(初步)")),
        ("珠江三角洲(含深汕)", NameParts("珠江三角洲(含深汕)")),
        (
            "广州与清远间交通通达时间(1小时交通圈)",
            NameParts("广州与清远间交通通达时间(1小时交通圈)"),
        ),
        ("无线局域网接入热点(AP)数量", NameParts("无线局域网接入热点(AP)数量")),
        # a single Latin letter may be a footnote or flag as well as a unit: left in the name
        ("Grain output (t)", NameParts("Grain output (t)")),
        ("森林覆盖率(p)", NameParts("森林覆盖率(p)")),
        # one unit only: a second unit bracket stays, so the name does not resolve
        ("森林覆盖率(亿元)(%)", NameParts("森林覆盖率(亿元)", unit="%")),
        # a bare number in brackets is a footnote, not the dimensionless unit "1"
        ("比例(1)", NameParts("比例", markers="(1)")),
        # nothing is taken off that would leave no name
        ("①", NameParts("①")),
        ("(%)", NameParts("(%)")),
        ("#", NameParts("#")),
        ("%", NameParts("%")),
        ("", NameParts("")),
    ],
)
def test_split_name(cell: str, parts: NameParts) -> None:
    assert split_name(cell) == parts


# --- fold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("森林覆蓋率", "森林覆盖率"),
        ("珠江三角洲地區", "珠江三角洲地区"),
        ("森 林 覆 盖 率", "森林覆盖率"),
        ("森林\u3000覆盖率\u200b", "森林覆盖率"),
        ("ＧＤＰ", "gdp"),
        ("Forest Coverage Rate", "forest coverage rate"),
        ("「三舊」改造面積", "“三旧”改造面积"),
        ("汽车整车-零部件", "汽车整车—零部件"),
        ("研究与试验发展（Ｒ＆Ｄ）经费", "研究与试验发展(R&D)经费"),
    ],
)
def test_fold_joins_spellings_of_one_name(one: str, other: str) -> None:
    assert fold(one) == fold(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("森林覆盖率", "森林覆盖面积"), ("珠江三角洲", "珠江三角洲(含深汕)"), ("gdp", "gdp2")],
)
def test_fold_keeps_different_names_apart(one: str, other: str) -> None:
    assert fold(one) != fold(other)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(st.sampled_from("森林覆蓋率盖地區区 -'\"aBz09%()#"), max_size=12))
def test_folds_fast_path_agrees_with_the_full_one(text: str) -> None:
    """Plain ASCII/CJK text takes a shortcut; a zero-width space forces the full path."""
    assert fold(text) == fold(text + "\u200b") == fold("\u200b" + text)


def test_fold_never_turns_a_marker_into_a_digit() -> None:
    """NFKC would read ① as 1 and ³ as 3; fold keeps every marker split_name knows as it is."""
    markers = [chr(c) for c in range(0x80, 0x10000) if split_name("率" + chr(c)).markers]
    assert {"①", "⑳", "³", "¹", "₁", "❶", "㉑", "⑴", "⒈", "ᵃ"} <= set(markers)
    for marker in markers:
        folded = fold("森林覆盖率" + marker)
        assert not any(c.isascii() and c.isdigit() for c in folded), (marker, folded)
        assert folded.startswith("森林覆盖率") and len(folded) == 6
    assert fold("森林覆盖率①") != fold("森林覆盖率1")


# --- the bundled catalogue ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "indicator"),
    [
        ("forest_coverage", "forest_coverage"),
        ("森林覆盖率", "forest_coverage"),
        ("森林覆蓋率", "forest_coverage"),
        ("森林覆盖率(%)", "forest_coverage"),
        ("森林覆蓋率（％）", "forest_coverage"),
        ("森林覆盖率①", "forest_coverage"),
        ("森林覆盖率³", "forest_coverage"),
        ("森林覆盖率*", "forest_coverage"),
        ("森 林 覆 盖 率", "forest_coverage"),
        ("FOREST COVERAGE RATE (%)", "forest_coverage"),
        ("Forest coverage", "forest_coverage"),
        ("森林公园数(个)", "forest_parks"),
        ("森林公园个数", "forest_parks"),
        ("R&D经费投入强度", "rd_expenditure_gdp_ratio"),
        ("研究与试验发展（Ｒ＆Ｄ）经费投入强度(%)", "rd_expenditure_gdp_ratio"),
        ("研究與試驗發展經費支出佔地區生產總值比重", "rd_expenditure_gdp_ratio"),
        ("R&D经费支出占GDP比重", "rd_expenditure_gdp_ratio"),
        ("地区生产总值(亿元)", "gdp"),
        ("地區生產總值", "gdp"),
        ("GDP", "gdp"),
        ("ＧＤＰ", "gdp"),
        ("国内生产总值", "gdp"),
        ("#工业增加值", "industrial_value_added"),
        ("其中：工业增加值（亿元）", "industrial_value_added"),
        ("服務業增加值", "tertiary_industry_value_added"),
        ("城镇常住居民人均可支配收入(元)", "urban_disposable_income_per_capita"),
        ("互联网宽带接入用户(万户)", "fixed_broadband_users"),
        ("「三舊」改造面積", "sanjiu_renovation_area"),
    ],
)
def test_printed_indicator_names_resolve(bundled: Catalogue, cell: str, indicator: str) -> None:
    assert resolve_indicator(bundled, cell) == indicator


@pytest.mark.parametrize(
    ("cell", "region"),
    [
        ("prd", "prd"),
        ("珠江三角洲地区", "prd"),
        ("珠江三角洲", "prd"),
        ("珠三角地区", "prd"),
        ("珠江三角洲地區", "prd"),
        ("珠江三角洲地區①", "prd"),
        ("Pearl River Delta", "prd"),
        ("肇庆", "zhaoqing"),
        ("肇慶市", "zhaoqing"),
        ("ZHAOQING", "zhaoqing"),
        ("441200", "zhaoqing"),
        ("广  州", "guangzhou"),
        ("廣州市*", "guangzhou"),
        ("＃清城区", "qingcheng"),
        ("雲浮", "yunfu"),
        ("Macau", "macao"),
    ],
)
def test_printed_region_names_resolve(bundled: Catalogue, cell: str, region: str) -> None:
    assert resolve_region(bundled, cell) == region


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("森林覆盖率(初步)", "indicator"),  # a qualifier is part of the name
        ("森林覆盖面积", "indicator"),
        ("年末常住人口", "indicator"),
        ("城市污水处理率", "indicator"),  # 城市 is narrower than 城镇: not an alias
        ("珠江三角洲(含深汕)", "region"),
        ("广东省珠三角", "region"),
    ],
)
def test_other_names_do_not_resolve(bundled: Catalogue, cell: str, kind: str) -> None:
    index = bundled.indicator_index() if kind == "indicator" else bundled.region_index()
    assert index.resolve(split_name(cell).name) is None


def test_every_catalogue_spelling_resolves_to_its_own_entry(bundled: Catalogue) -> None:
    for index, items in (
        (bundled.indicator_index(), bundled.indicators),
        (bundled.region_index(), bundled.regions),
    ):
        assert index.conflicts == []
        for item_id, item in items.items():
            for spelling in (item_id, item.name_zh, item.name_en, *item.aliases):
                assert index.resolve(spelling) == item_id, spelling
                assert index.resolve(split_name(spelling).name) == item_id, spelling


def test_indexes_are_built_once(bundled: Catalogue) -> None:
    assert bundled.indicator_index() is bundled.indicator_index()
    assert bundled.region_index() is bundled.region_index()
    assert bundled.region_index() is not bundled.indicator_index()


def test_region_lookup_still_serves_its_callers(bundled: Catalogue) -> None:
    lookup = bundled.region_lookup()
    assert lookup["肇庆"] == lookup["441200"] == lookup["zhaoqing"] == "zhaoqing"


# --- ambiguity -----------------------------------------------------------------------------------


def test_index_resolves_an_ambiguous_key_to_neither() -> None:
    index = NameIndex("region", {"a": ["a", "廣州"], "b": ["b", "广州"], "c": ["c", "佛山"]})
    assert index.resolve("广州") is None and index.resolve("廣州") is None
    assert index.resolve("佛山") == "c"
    (clash,) = index.conflicts
    assert (clash.first_id, clash.first_spelling, clash.other_id, clash.other_spelling) == (
        "a",
        "廣州",
        "b",
        "广州",
    )


def catalogue_problems(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as err:
        load_catalogue(root)
    return err.value.problems


def add_line(path: Path, after: str, line: str) -> int:
    """Insert ``line`` after the line holding ``after``; return the new line's number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, text in enumerate(lines) if after in text) + 1
    lines.insert(at, line)
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def test_alias_equal_to_another_indicators_name_is_refused_with_its_line(
    catalogue_dir: Path,
) -> None:
    path = catalogue_dir / "indicators.yaml"
    line = add_line(path, "name_en: R&D expenditure", "  aliases: [研发强度, 森林覆盖率]\n")
    (problem,) = catalogue_problems(catalogue_dir)
    assert problem.type == "ambiguous-indicator-name"
    assert (problem.file, problem.line, problem.field) == (str(path), line, "rd_share.aliases.1")
    assert "'森林覆盖率' names both indicator 'forest_coverage' and indicator 'rd_share'" in (
        problem.message
    )
    assert problem.value == "森林覆盖率" and "one indicator only" in (problem.hint or "")


def test_alias_folding_to_another_indicators_name_is_refused(catalogue_dir: Path) -> None:
    path = catalogue_dir / "indicators.yaml"
    line = add_line(path, "name_en: Wetland parks", "  aliases: [森林覆蓋率]\n")
    (problem,) = catalogue_problems(catalogue_dir)
    assert (problem.type, problem.line, problem.field) == (
        "ambiguous-indicator-name",
        line,
        "wetland_parks.aliases.0",
    )
    assert "reads the same as '森林覆盖率' of indicator 'forest_coverage'" in problem.message


def test_alias_equal_to_another_indicators_id_is_refused(catalogue_dir: Path) -> None:
    add_line(catalogue_dir / "indicators.yaml", "name_en: Wetland parks", "  aliases: [RD_Share]\n")
    (problem,) = catalogue_problems(catalogue_dir)
    assert (problem.type, problem.field) == ("ambiguous-indicator-name", "wetland_parks.aliases.0")
    assert "'RD_Share' of indicator 'wetland_parks' reads the same as 'rd_share'" in problem.message


def test_region_alias_folding_to_another_region_is_refused_with_its_line(
    catalogue_dir: Path,
) -> None:
    path = catalogue_dir / "regions.yaml"
    text = path.read_text(encoding="utf-8").replace("aliases: [佛山]", "aliases: [佛山, 肇慶縣]")
    text = text.replace("aliases: [肇庆, 肇慶, 肇慶市]", "aliases: [肇庆, 肇慶, 肇慶市, 肇庆县]")
    path.write_text(text, encoding="utf-8")
    (problem,) = catalogue_problems(catalogue_dir)
    assert problem.type == "ambiguous-region-name" and problem.field == "foshan.aliases.1"
    lines = text.splitlines()
    assert problem.line == next(i for i, t in enumerate(lines, 1) if "肇慶縣" in t)


def test_a_name_with_a_unit_or_marker_is_refused_as_unreachable(catalogue_dir: Path) -> None:
    path = catalogue_dir / "indicators.yaml"
    line = add_line(path, "name_en: Wetland parks", "  aliases: [湿地公园(处), 湿地公园②]\n")
    found = catalogue_problems(catalogue_dir)
    assert [(p.type, p.line, p.field) for p in found] == [
        ("unreachable-name", line, "wetland_parks.aliases.0"),
        ("unreachable-name", line, "wetland_parks.aliases.1"),
    ]
    assert "never matches" in found[0].message


# --- suggestions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "spelling", "hint"),
    [
        ("region", "肇庆县", "did you mean '肇庆' (zhaoqing), '德庆县' (deqing)?"),
        ("region", "foshann", "did you mean 'foshan', 'zhongshan', 'hainan'?"),
        (
            "region",
            "440601",
            "did you mean '440600' (foshan), '445300' (yunfu), '445200' (jieyang)?",
        ),
        (
            "indicator",
            "forest_coverge",
            "did you mean 'forest_coverage', 'forest_carbon_storage', 'forest_parks'?",
        ),
        ("indicator", "森林覆盖", "did you mean '森林覆盖率' (forest_coverage)?"),
        (
            "indicator",
            "年末常住人口",
            "use an id or name from the catalogue's indicators (plancheck list)",
        ),
        ("region", "", "use an id or name from the catalogue's regions (plancheck list)"),
    ],
)
def test_suggest(bundled: Catalogue, kind: str, spelling: str, hint: str) -> None:
    index = bundled.indicator_index() if kind == "indicator" else bundled.region_index()
    assert index.suggest(spelling) == hint


def test_suggest_compares_folded_spellings_when_nothing_is_close_as_written() -> None:
    index = NameIndex("region", {"taiwan": ["taiwan", "台湾地区"]})
    assert did_you_mean("臺灣地區省", ["台湾地区"]) is None
    assert index.suggest("臺灣地區省") == "did you mean '台湾地区' (taiwan)?"


def test_did_you_mean_is_one_function() -> None:
    from plancheck.catalogue import checks, files
    from plancheck.readers import workbook

    assert checks.did_you_mean is files.did_you_mean is workbook.did_you_mean is did_you_mean
    assert did_you_mean("Sheet 1", ["Sheet1", "Data"]) == "did you mean 'Sheet1'?"
    assert did_you_mean("zzz", ["Sheet1"]) is None
    # a choice read from a file is shown with its control characters escaped
    assert did_you_mean("Sheet1", ["Sheet1\x1b"]) == "did you mean 'Sheet1\\x1b'?"
    # each id once, the closest spelling shown
    assert did_you_mean("广州", ["广州市", "广州区"], meaning={"广州市": "gz", "广州区": "gz"}) == (
        "did you mean '广州市' (gz)?"
    )


def test_fold_is_nfkc_apart_from_markers() -> None:
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("㎡") == unicodedata.normalize("NFKC", "㎡")
