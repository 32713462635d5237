"""Submitted files as they really arrive: encodings, layouts, cell syntax, units, names, strict YAML."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest

from plancheck.actuals import HEADER_ALIASES, read_actuals
from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.problems import InputError, Problem
from plancheck.readers import READERS, ReadOptions, reader_for
from plancheck.readers.encoding import decode

from .conftest import FIXTURES, run_cli

CATALOGUE = FIXTURES / "catalogue"
HEADER = "indicator,region,year,value,unit\n"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


def read(path: Path, catalogue: Catalogue, **options: str) -> object:
    return read_actuals([path], catalogue, ReadOptions(**options)).table  # type: ignore[arg-type]


def problems_of(path: Path, catalogue: Catalogue, **options: str) -> list[Problem]:
    with pytest.raises(InputError) as err:
        read_actuals([path], catalogue, ReadOptions(**options))  # type: ignore[arg-type]
    return err.value.problems


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def one_value(
    tmp_path: Path, catalogue: Catalogue, indicator: str, value: str, unit: str = ""
) -> tuple[str, str, float]:
    path = write(tmp_path, "a.csv", HEADER + f'{indicator},guangdong,2015,"{value}",{unit}\n')
    table = read(path, catalogue)
    assert len(table) == 1  # type: ignore[arg-type]
    row = table.iloc[0]  # type: ignore[attr-defined]
    return row["value_text"], row["unit"], row["value"]


# --- encodings -------------------------------------------------------------------------------

TEXT_ZH = (
    "指标,地区,年份,数值,单位\n森林覆盖率,广东省,2015,51.5,%\n湿地公园数量,肇庆市,2015,67,个\n"
)
TEXT_TW = "指標,地區,年份,數值,單位,來源\nforest_coverage,廣東,2015,51.5,%,廣東省林業廳\nwetland_parks,肇慶市,2015,67,個,濕地公園數量\n"
TEXT_EN_TW = "indicator,region,year,value,unit\nforest_coverage,廣東省,2015,51.5,%\nwetland_parks,肇慶市,2015,67,個\n"


@pytest.mark.parametrize(
    ("text", "encoding", "reported"),
    [
        (TEXT_ZH, "utf-8", "utf-8"),
        (TEXT_ZH, "utf-8-sig", "utf-8-sig"),
        (TEXT_ZH, "utf-16", "utf-16"),  # with a BOM, as Excel writes it
        (TEXT_ZH, "utf-16-le", "utf-16-le"),  # no BOM: told by the NUL bytes
        (TEXT_ZH, "utf-16-be", "utf-16-be"),
        (TEXT_ZH, "utf-32", "utf-32"),
        (TEXT_ZH, "gb18030", "gb18030"),
        (TEXT_ZH, "gbk", "gb18030"),  # GBK and GB2312 are read as their superset
        (TEXT_ZH, "gb2312", "gb18030"),
        (TEXT_TW, "big5", "big5hkscs"),  # decodes as GB18030 too, into nonsense: the header decides
        (TEXT_TW, "cp950", "big5hkscs"),
        (TEXT_EN_TW, "big5", "big5hkscs"),  # English header: the share of common characters decides
        (TEXT_TW, "gb18030", "gb18030"),  # traditional characters in GB18030 stay GB18030
    ],
)
def test_encoding_is_detected(text: str, encoding: str, reported: str) -> None:
    decoded, used = decode(text.encode(encoding), "f.csv")
    assert used == reported
    assert decoded.lstrip("\ufeff") == text


def test_big5_bytes_really_do_decode_as_gb18030() -> None:
    """The trap the header check is for."""
    garbage = TEXT_TW.encode("big5").decode("gb18030")
    assert garbage != TEXT_TW


def test_forced_encoding_wins_and_is_reported(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "a.csv", TEXT_TW, "big5")
    actuals = read_actuals([path], catalogue, ReadOptions(encoding="big5"))
    assert actuals.details[str(path)]["encoding"] == "big5"
    problems = problems_of(path, catalogue, encoding="utf-8")
    assert problems[0].type == "encoding-error" and problems[0].line == 1


@pytest.mark.parametrize("name", ["gbk", "GB2312", "cp936", "euc-cn"])
def test_forced_gbk_family_reads_as_gb18030(name: str) -> None:
    text = "指标,地区\n𠀀,广东\n"  # U+20000 exists in GB18030 only
    assert decode(text.encode("gb18030"), "f.csv", name) == (text, "gb18030")


def test_unknown_forced_encoding_is_a_usage_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", TEXT_ZH)
    result = run_cli("check", "--targets", CATALOGUE, "-a", path, "--encoding", "klingon")
    assert result.exit_code == 2 and "usage-error" in result.stderr and "klingon" in result.stderr


def test_undecodable_bytes_name_the_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(HEADER.encode() + b"gdp,zhaoqing,2015,\x80\xff,\n")
    (problem,) = problems_of(path, catalogue)
    assert (
        problem.type == "encoding-error"
        and problem.line == 2
        and "--encoding" in (problem.hint or "")
    )


def test_verbose_reports_reader_encoding_delimiter_and_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", TEXT_ZH.replace(",", "\t"), "utf-16")
    result = run_cli("check", "--targets", CATALOGUE, "-a", path, "--verbose", "-q")
    assert result.exit_code == 1
    assert f"read {path}: reader csv, encoding utf-16, delimiter tab, layout long" in result.stderr
    quiet = run_cli("check", "--targets", CATALOGUE, "-a", path, "-q")
    assert "read " not in quiet.stderr


def test_validate_prints_the_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", TEXT_TW, "big5")
    result = run_cli("validate", CATALOGUE, path)
    assert result.exit_code == 0, result.stderr
    assert "encoding big5hkscs" in result.stdout


def test_header_vocabulary_is_what_the_guess_checks() -> None:
    assert {"指标", "地区", "年份", "数值", "单位", "指標", "地區", "數值", "單位"} <= {
        n for names in HEADER_ALIASES.values() for n in names
    }


# --- readers and layouts ---------------------------------------------------------------------


def test_every_format_has_a_registered_reader() -> None:
    assert set(READERS) == {"csv", "xlsx", "parquet", "json", "yaml"}
    for name, reader in (("a.CSV", "csv"), ("a.tsv", "csv"), ("a.txt", "csv"), ("a.xlsx", "xlsx"),
                         ("a.parquet", "parquet"), ("a.json", "json"), ("a.yml", "yaml")):  # fmt: skip
        found = reader_for(Path(name))
        assert found is not None and found.name == reader


def test_unsupported_suffix(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "a.docx", "x")
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "unsupported-format" and ".xlsx" in (problem.hint or "")


def test_wide_layout_in_chinese_is_melted(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "w.csv",
        "指标,地区,单位,2013年,2014年,2015年\n地区生产总值,肇庆,亿元,1660,,2000\n",
    )
    table = read(path, catalogue)
    assert sorted(zip(table["year"], table["value_text"], table["row"], strict=True)) == [
        (2013, "1660", 1),
        (2015, "2000", 1),
    ]  # type: ignore[index]


def test_problem_in_a_wide_file_points_at_row_and_year_column(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(
        tmp_path,
        "w.csv",
        "indicator,region,unit,2013,2014,2015\ngdp,zhaoqing,亿元,1660,,2000\ngdp,foshan,亿元,1,2,x3\n",
    )
    (problem,) = problems_of(path, catalogue)
    assert (problem.type, problem.row, problem.line, problem.field, problem.value) == (
        "type-error",
        2,
        3,
        "2015",
        "x3",
    )


def test_wide_xlsx_problem_names_the_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["indicator", "region", "unit", 2013, 2014, 2015])
    ws.append(["gdp", "zhaoqing", "亿元", 1660, None, 2000])
    ws.append(["gdp", "foshan", "亿元", 1, "n.a.!", None])
    wb.save(tmp_path / "w.xlsx")
    (problem,) = problems_of(tmp_path / "w.xlsx", catalogue)
    assert (problem.cell, problem.row, problem.field, problem.value) == (
        "Data!E3",
        2,
        "2014",
        "n.a.!",
    )
    result = run_cli("check", "--targets", CATALOGUE, "-a", tmp_path / "w.xlsx")
    assert result.exit_code == 2 and "cell Data!E3" in result.stderr


def test_xlsx_long_sheet_with_offset_and_title_and_sheet_option(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "填报说明"
    ws = wb.create_sheet("2015 data")
    ws["B2"] = "2015年实际值"
    for i, row in enumerate(
        [
            ["指标", "地区", "年份", "数值", "单位"],
            ["gdp", "肇庆", 2015, 2000, "亿元"],
            [],
            ["gdp", "佛山", 2015, "二千", "亿元"],
        ]
    ):
        for j, value in enumerate(row):
            ws.cell(row=4 + i, column=2 + j, value=value)
    wb.save(tmp_path / "l.xlsx")
    # Without --sheet the only sheet holding a header is read (the cover sheet gets a notice).
    (problem,) = problems_of(tmp_path / "l.xlsx", catalogue)
    assert problem.cell == "'2015 data'!E7" and problem.row == 3
    (problem,) = problems_of(tmp_path / "l.xlsx", catalogue, sheet="2015 data")
    assert problem.cell == "'2015 data'!E7" and problem.row == 3
    (problem,) = problems_of(tmp_path / "l.xlsx", catalogue, sheet="2015 dat")
    assert problem.type == "unknown-sheet" and "2015 data" in (problem.hint or "")


def test_json_records_plain_list_and_duplicate_keys(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "a.json",
        json.dumps([{"indicator": "gdp", "region": "肇庆", "year": "2015", "value": 2000}]),
    )
    assert read(path, catalogue)["value_text"].tolist() == ["2000"]  # type: ignore[index]
    path = write(tmp_path, "b.json", '[{"indicator": "gdp", "indicator": "x"}]')
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "duplicate-key"
    path = write(
        tmp_path, "c.json", '[{"indicator": "gdp", "region": "肇庆", "year": 2015, "value": NaN}]'
    )
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "type-error" and problem.value == "NaN"
    path = write(tmp_path, "d.json", '[{"indicator": "gdp"}, 3]')
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "malformed-row" and problem.row == 2


def test_parquet_nested_column_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.table({"indicator": ["gdp"], "region": ["zhaoqing"], "year": [2015], "value": [[1.0]]}),
        tmp_path / "a.parquet",
    )
    (problem,) = problems_of(tmp_path / "a.parquet", catalogue)
    assert problem.type == "type-error" and problem.field == "value"


def test_blank_rows_and_excel_trailing_commas_are_not_data(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(
        tmp_path,
        "a.csv",
        HEADER + "gdp,zhaoqing,2013,1660,亿元\n,,,,\n\ngdp,zhaoqing,2015,x,亿元\n",
    )
    (problem,) = problems_of(path, catalogue)
    assert problem.row == 3 and problem.line == 5  # the ",,,," row counts, the empty line does not


def test_quoted_newlines_keep_lines_right(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "a.csv", "indicator,region,year,value,unit,note\n"
                 'gdp,zhaoqing,2013,1660,亿元,"two\nlines"\ngdp,zhaoqing,2015,x,亿元,\n')  # fmt: skip
    (problem,) = problems_of(path, catalogue)
    assert (problem.row, problem.line) == (2, 4)


def test_values_are_never_inferred_by_the_parser(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "a.csv",
        HEADER + "forest_coverage,prd,2015,51.50,%\nforest_coverage,prd,2014,051.0,%\n",
    )
    assert sorted(read(path, catalogue)["value_text"]) == ["051.0", "51.50"]  # type: ignore[index]


def test_semicolon_delimited(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path, "a.csv", "indicator;region;year;value;unit\ngdp;zhaoqing;2015;2000;亿元\n"
    )
    assert read(path, catalogue)["value_text"].tolist() == ["2000"]  # type: ignore[index]


def test_folder_with_every_format(tmp_path: Path, catalogue: Catalogue) -> None:
    write(tmp_path, "a.csv", HEADER + "gdp,zhaoqing,2013,1660,亿元\n")
    write(
        tmp_path,
        "b.json",
        '[{"indicator": "gdp", "region": "zhaoqing", "year": 2015, "value": 2000}]',
    )
    write(tmp_path, "c.yaml", "- {indicator: gdp, region: foshan, year: 2015, value: 9000}\n")
    write(tmp_path, "~$lock.xlsx", "")  # Excel's lock file is not data
    actuals = read_actuals([tmp_path], catalogue)
    assert len(actuals.table) == 3 and len(actuals.files) == 3


# --- cell syntax -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "cell", "unit", "value_text", "unit_out", "value"),
    [
        ("tech_investment", "1,234.5", "亿元", "1234.5", "亿元", 1234.5),
        ("tech_investment", "1,234,567", "元", "1234567", "元", 0.01234567),
        ("forest_coverage", "５１．５％", "", "51.5", "%", 51.5),
        ("forest_coverage", "51.5%", "", "51.5", "%", 51.5),
        ("forest_coverage", "51.5 %", "%", "51.5", "%", 51.5),
        ("forest_coverage", "515‰", "", "515", "‰", 51.5),
        ("forest_coverage", "0.515", "ratio", "0.515", "ratio", 51.5),
        ("broadband_users", "2250万户", "", "2250", "万户", 2250.0),
        (
            "broadband_users",
            "2250万",
            "户",
            "2250",
            "万户",
            2250.0,
        ),  # a magnitude scales the column's unit
        ("broadband_users", "2250万户", "万户", "2250", "万户", 2250.0),
        ("broadband_users", "0.225亿户", "", "0.225", "亿户", 2250.0),
        ("tech_investment", "1000亿元", "", "1000", "亿元", 1000.0),
        ("tech_investment", "1000億元", "", "1000", "億元", 1000.0),
        ("tech_investment", "１０００", "亿元", "1000", "亿元", 1000.0),
        ("unemployment_rate", "-0.3", "%", "-0.3", "%", -0.3),
        ("unemployment_rate", "－０．３", "%", "-0.3", "%", -0.3),
        ("unemployment_rate", "−0.3", "%", "-0.3", "%", -0.3),  # U+2212 minus sign
        ("unemployment_rate", "+0.3%", "", "+0.3", "%", 0.3),
        ("tech_investment", "1.2e3", "亿元", "1.2e3", "亿元", 1200.0),
        ("tech_investment", " 1 000 ", "亿元", "1000", "亿元", 1000.0),
        ("wetland_parks", "67个", "", "67", "个", 67.0),
        ("wetland_parks", "67个", "处", "67", "处", 67.0),  # classifiers: the same measure
        ("wetland_parks", "67座", "", "67", "座", 67.0),
        ("pilot_projects", "1万个", "", "1", "万个", 10000.0),
        ("pm25", "38", "微克每立方米", "38", "微克每立方米", 38.0),
    ],
)
def test_cell_syntax(tmp_path: Path, catalogue: Catalogue, indicator: str, cell: str, unit: str,
                     value_text: str, unit_out: str, value: float) -> None:  # fmt: skip
    assert one_value(tmp_path, catalogue, indicator, cell, unit)[:2] == (value_text, unit_out)
    assert one_value(tmp_path, catalogue, indicator, cell, unit)[2] == pytest.approx(value)


@pytest.mark.parametrize(
    "cell", ["", "—", "——", "-", "－", "--", "N/A", "n/a", "NA", "…", "无数据", "  "]
)
def test_no_figure(tmp_path: Path, catalogue: Catalogue, cell: str) -> None:
    path = write(tmp_path, "a.csv", HEADER + f'gdp,zhaoqing,2015,"{cell}",亿元\n')
    assert len(read(path, catalogue)) == 0  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["约2000", "2000?", "1,23", "12.5.3", "1e", "两千", "2000亿元左右", "2000 abc",
                                  "≥51.5", "51.5%%x", "0x10", "1 000,5"])  # fmt: skip
def test_not_a_number(tmp_path: Path, catalogue: Catalogue, cell: str) -> None:
    path = write(tmp_path, "a.csv", HEADER + f'gdp,zhaoqing,2015,"{cell}",\n')
    (problem,) = problems_of(path, catalogue)
    assert (problem.type, problem.row, problem.line, problem.field, problem.value) == (
        "type-error",
        1,
        2,
        "value",
        cell,
    )
    assert str(path) == problem.file
    assert "expected a number" in (problem.hint or "")


def test_unit_in_cell_conflicting_with_unit_column_names_both(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(tmp_path, "a.csv", HEADER + "forest_coverage,prd,2015,51.5%,ratio\n")
    (problem,) = problems_of(path, catalogue)
    assert (
        problem.type == "unit-conflict"
        and "'%'" in problem.message
        and "'ratio'" in problem.message
    )


def test_unit_in_cell_of_a_different_measure(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "a.csv", HEADER + "broadband_users,guangdong,2015,2250万人,\n")
    (problem,) = problems_of(path, catalogue)
    assert (
        problem.type == "incompatible-unit"
        and "万人" in problem.message
        and "万户" in problem.message
    )


def test_excel_numbers_and_years(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "a.csv",
        HEADER + "gdp,zhaoqing,2015.0,2000,亿元\ngdp,zhaoqing,２０１４年,1900,亿元\n",
    )
    assert sorted(read(path, catalogue)["year"]) == [2014, 2015]  # type: ignore[index]


# --- units ------------------------------------------------------------------------------------


def test_67_classifier_units_meet_a_target_of_59_places(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", HEADER + "wetland_parks,guangdong,2015,67,个\n")
    result = run_cli("check", "--targets", CATALOGUE, "-a", path, "--format", "json")
    statuses = {r["target_id"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses["demo_wetland_2015"] == "met"


@pytest.mark.parametrize(("unit", "other"), [("人次", "户"), ("人", "户")])
def test_people_person_times_and_households_never_convert(
    tmp_path: Path, catalogue: Catalogue, unit: str, other: str
) -> None:
    path = write(tmp_path, "a.csv", HEADER + f"broadband_users,guangdong,2015,2250,万{unit}\n")
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "incompatible-unit" and f"万{unit}" in problem.message


# --- regions and indicators -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    ["zhaoqing", "ZhaoQing", "Zhaoqing", "肇庆市", "肇庆", "肇慶", "肇慶市", "441200", " 肇庆 "],
)
def test_region_spellings_resolve(tmp_path: Path, catalogue: Catalogue, spelling: str) -> None:
    path = write(tmp_path, "a.csv", HEADER + f"gdp,{spelling},2015,2000,亿元\n")
    assert read(path, catalogue)["region"].tolist() == ["zhaoqing"]  # type: ignore[index]


@pytest.mark.parametrize(
    "spelling", ["gdp", "地区生产总值", "Gross regional product", "gross regional product"]
)
def test_indicator_spellings_resolve(tmp_path: Path, catalogue: Catalogue, spelling: str) -> None:
    path = write(tmp_path, "a.csv", HEADER + f"{spelling},zhaoqing,2015,2000,亿元\n")
    assert read(path, catalogue)["indicator"].tolist() == ["gdp"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("column", "spelling", "suggestion"),
    [
        ("region", "肇庆县", "(zhaoqing)"),
        ("region", "foshann", "'foshan'"),
        ("region", "440601", "'440600' (foshan)"),
        ("indicator", "forest_coverge", "'forest_coverage'"),
        ("indicator", "森林覆盖", "'森林覆盖率' (forest_coverage)"),
    ],
)
def test_unknown_names_suggest_the_closest(
    tmp_path: Path, catalogue: Catalogue, column: str, spelling: str, suggestion: str
) -> None:
    row = {"indicator": "gdp", "region": "zhaoqing"} | {column: spelling}
    path = write(tmp_path, "a.csv", HEADER + f"{row['indicator']},{row['region']},2015,2000,亿元\n")
    (problem,) = problems_of(path, catalogue)
    assert (
        problem.type == f"unknown-{column}"
        and problem.field == column
        and problem.value == spelling
    )
    assert (problem.hint or "").startswith("did you mean") and suggestion in (problem.hint or "")


# --- strict YAML actuals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("- indicator: !!python/object/apply:os.system ['true']\n", "forbidden-tag", 1),
        ("- !!python/name:os.system {}\n", "forbidden-tag", 1),
        (
            "- {indicator: gdp, region: zhaoqing}\n- indicator: gdp\n  indicator: gdp\n",
            "duplicate-key",
            3,
        ),
        ("- {indicator: gdp, region: 010, year: 2015, value: 1}\n", "ambiguous-number", 1),
        ("- {indicator: gdp, region: zhaoqing, year: 2015, value: 0x10}\n", "ambiguous-number", 1),
        ("records:\n- {indicator: gdp}\nrecords: []\n", "duplicate-key", 3),
        ("- {indicator: gdp\n", "invalid-yaml", 2),
        ("---\n- {}\n---\n- {}\n", "invalid-yaml", 3),
    ],
)
def test_yaml_actuals_are_read_strictly(
    tmp_path: Path, catalogue: Catalogue, text: str, kind: str, line: int
) -> None:
    path = write(tmp_path, "a.yaml", text)
    (problem,) = problems_of(path, catalogue)
    assert (problem.type, problem.line) == (kind, line)
    if kind == "duplicate-key":
        assert (
            f"again at line {line}" in problem.message
            and "first defined at line" in problem.message
        )


def test_yaml_billion_laughs_is_bounded(tmp_path: Path, catalogue: Catalogue) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    path = write(tmp_path, "a.yaml", "\n".join(lines) + "\nrecords: *i\n")
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "alias-limit"


def test_yaml_small_aliases_are_allowed(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        "- &g {indicator: gdp, region: zhaoqing, year: 2015, value: 2000, unit: 亿元}\n- *g\n",
    )
    assert len(read(path, catalogue)) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("written", "kept"), [("no", "no"), ("on", "on"), ("1e3", "1E+3"), ("'010'", "010")]
)
def test_yaml_words_and_numbers_are_not_coerced(
    tmp_path: Path, catalogue: Catalogue, written: str, kept: str
) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        f"- {{indicator: gdp, region: zhaoqing, year: 2015, value: 1, unit: {written}}}\n",
    )
    (problem,) = problems_of(path, catalogue)
    assert problem.type == "unknown-unit" and problem.value == kept


def test_yaml_milestone_words(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        "- {indicator: railway_opened, region: guangdong, year: 2014, value: no}\n",
    )
    assert read(path, catalogue)["done"].tolist() == [False]  # type: ignore[index]


# --- progress ---------------------------------------------------------------------------------


def test_progress_observer_sees_every_file(tmp_path: Path, catalogue: Catalogue) -> None:
    for i in range(3):
        write(tmp_path, f"{i}.csv", HEADER + f"gdp,zhaoqing,{2013 + i},1,亿元\n")
    seen: list[tuple[str, int, int]] = []
    read_actuals([tmp_path], catalogue, progress=lambda p, i, n: seen.append((Path(p).name, i, n)))
    assert seen == [("0.csv", 0, 3), ("1.csv", 1, 3), ("2.csv", 2, 3), ("", 3, 3)]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", HEADER + "gdp,zhaoqing,2015,2000,亿元\n")
    result = run_cli("check", "--targets", CATALOGUE, "-a", path, "--format", "json")
    assert result.stderr == ""
    json.loads(result.stdout)


def test_progress_bar_appears_on_a_slow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from plancheck import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(cli.sys, "stderr", terminal)
    # After its script the clock stays at 5.3 s: Rich reads it too, from its refresh thread,
    # as often as it likes, and a clock that ran out would fail there, not here.
    clock = itertools.chain([0.0, 0.1, 5.0, 5.1, 5.2], itertools.repeat(5.3))
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    observe = cli._progress_observer()
    assert observe is not None
    observe("a.csv", 0, 2)  # 0.1 s: nothing yet
    assert terminal.getvalue() == ""
    observe("b.csv", 1, 2)  # 5 s: the bar starts
    observe("", 2, 2)
    assert "reading actuals" in terminal.getvalue()  # the bar was drawn
    monkeypatch.setattr(cli.sys, "stderr", io.StringIO())
    assert cli._progress_observer() is None


def test_validate_takes_the_sheet_option() -> None:
    workbook = Path(__file__).parent / "data" / "corpus" / "wide.xlsx"
    result = run_cli("validate", CATALOGUE, workbook, "--sheet", "主要指标")
    assert result.exit_code == 0, result.stderr
    assert "reader xlsx, sheet 主要指标, layout wide" in result.stdout
    # Without --sheet the only sheet with a header is chosen; the notes sheet is not read.
    chosen = run_cli("validate", CATALOGUE, workbook)
    assert chosen.exit_code == 0 and "sheet 主要指标" in chosen.stdout


@pytest.mark.parametrize("header_note", ["", '"value\nas submitted"'])
def test_header_of_a_large_file_is_read_from_its_start(
    tmp_path: Path, catalogue: Catalogue, header_note: str
) -> None:
    # Files over 64 KiB take the header from a prefix; a header cell holding a line break and
    # blank lines before the header must still come out whole.
    header = "indicator,region,year,value,unit" + ("," + header_note if header_note else "") + "\n"
    rows = "".join(
        f"forest_coverage,prd,{year},51.5,%{',x' if header_note else ''}\n"
        for year in range(1000, 9000)
    )
    path = write(tmp_path, "large.csv", "\n\n" + header + rows)
    assert path.stat().st_size > 1 << 16
    table = read(path, catalogue)
    assert len(table) == 8000  # type: ignore[arg-type]
    assert set(table["value_text"]) == {"51.5"}  # type: ignore[index]


def _large_csv(rows: int, last: str = "") -> str:
    """Over 1 MiB of clean long rows (the CSV reader's fast path), then ``last``."""
    body = "".join(
        f"forest_coverage,{region},{year},{50 + (year % 7) / 4:.2f},%,第{year}行\n"
        for region in ("prd", "guangdong", "肇庆市")
        for year in range(1000, 1000 + rows)
    )
    return "indicator,region,year,value,unit,note\n" + body + last


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_large_utf8_file_reads_as_the_general_path_does(
    tmp_path: Path, catalogue: Catalogue, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plancheck.readers.csv_reader as csv_reader

    path = write(tmp_path, "large.csv", _large_csv(9000), encoding)
    assert path.stat().st_size > 1 << 20
    with monkeypatch.context() as patched:  # the fast path never decodes the whole file
        patched.setattr(csv_reader, "decode", lambda *a: pytest.fail("decoded"))
        fast = read_actuals([path], catalogue)
    general = read_actuals([path], catalogue, ReadOptions(encoding=encoding))  # forced: general
    assert fast.details[str(path)]["encoding"] == encoding
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(fast.table, general.table)
    assert len(fast.table) == 27000


def test_large_file_with_a_bad_row_names_its_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "large.csv", _large_csv(9000, "forest_coverage,prd,2015,51.5\n"))
    (problem,) = problems_of(path, catalogue)
    assert (problem.type, problem.line) == ("malformed-row", 27002)


def test_large_gb18030_file_that_starts_in_ascii_is_not_taken_for_utf8(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = "".join(
        f"forest_coverage,{region},{year},51.5,%,ok\n"
        for region in ("guangdong", "zhaoqing", "foshan", "prd")
        for year in range(1000, 10000)
    )
    text = "indicator,region,year,value,unit,note\n" + rows + "rd_share,prd,2015,2.7,%,广东\n"
    path = write(tmp_path, "large.csv", text, "gb18030")
    assert path.stat().st_size > 1 << 20 and path.read_bytes()[: 1 << 16].isascii()
    result = read_actuals([path], catalogue)
    assert result.details[str(path)]["encoding"] == "gb18030"
    assert result.table["note"].iloc[-1] == "广东"


def test_large_file_with_a_bad_cell_names_its_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "large.csv", _large_csv(9000, "forest_coverage,prd,2015,abc,%,x\n"))
    (problem,) = problems_of(path, catalogue)
    assert (problem.type, problem.line, problem.value) == ("type-error", 27002, "abc")
