"""Write the adversarial actuals corpus and the yearbook workbook (issue 10).

Run from the repository root: ``python tests/data/make_adversarial.py``. Like make_corpus.py (whose
helpers it uses) the output is byte-for-byte reproducible, so the generated files are committed.

- ``adversarial/``: one small file per way a submission has been misread (the table in issue 10)
  and per yearbook convention; read against tests/fixtures/catalogue.
  tests/test_adversarial.py holds each file's exact outcome.
- ``yearbook/``: a realistic yearbook sheet (title, 单位 line, Chinese-over-English header,
  unknown and traditional indicator names, unit suffixes, merged region cells, percent cells,
  footnotes) for the bundled catalogue in targets/. Its figures are illustrative test data.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from make_corpus import _reproducible, csv_text  # the corpus script beside this one

HERE = Path(__file__).parent
ADVERSARIAL = HERE / "adversarial"
YEARBOOK = HERE / "yearbook"
LONG = ["indicator", "region", "year", "value", "unit"]


def write(folder: Path, name: str, data: bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def text_files() -> None:
    files: dict[str, list[list[str]]] = {
        # Footnote markers after a figure: the figure, and the marker as its flag.
        "footnote_markers.csv": [
            LONG,
            ["wetland_parks", "guangdong", "2015", "48³", "处"],
            ["forest_coverage", "prd", "2015", "51.5¹", "%"],
            ["pilot_projects", "zhaoqing", "2015", "37①", "个"],
            ["pilot_projects", "foshan", "2014", "37₁", "个"],
        ],
        # A marker between digits is no footnote: refused, never 438.
        "marker_inside.csv": [LONG, ["wetland_parks", "guangdong", "2015", "4³8", "处"]],
        # Spaces that are not groups of three: refused, never 515 or 371.
        "spaces.csv": [
            LONG,
            ["forest_coverage", "prd", "2015", "51 5", "%"],
            ["pilot_projects", "zhaoqing", "2015", "37 1", "个"],
        ],
        # Spaces, NBSP and thin spaces as thousands separators: read.
        "thousands_spaces.csv": [
            LONG,
            ["broadband_users", "guangdong", "2015", "22 500 000", "户"],
            ["tech_investment", "guangdong", "2014", "100\u00a0000\u00a0000\u00a0000", "元"],
            ["gdp", "zhaoqing", "2015", "2\u2009000", "亿元"],
        ],
        # Numbers that overflow or are not finite: refused, each at its line.
        "nonfinite.csv": [
            LONG,
            ["gdp", "zhaoqing", "2011", "1e309", "亿元"],
            ["gdp", "zhaoqing", "2012", "1E+400", "亿元"],
            ["gdp", "zhaoqing", "2013", "9" * 400, "亿元"],
            ["gdp", "zhaoqing", "2014", "Infinity", "亿元"],
            ["gdp", "zhaoqing", "2015", "NaN", "亿元"],
        ],
        # Dates that are not in any calendar: refused, never "completed".
        "impossible_dates.csv": [
            ["indicator", "region", "year", "value", "date"],
            ["railway_opened", "guangdong", "2014", "是", "2014-13-45"],
            ["railway_opened", "zhaoqing", "2014", "是", "0000-00-00"],
            ["railway_opened", "foshan", "2014", "是", "2015年3月1日"],
        ],
        # Wide year headers with a qualifier: the year, and the qualifier as the flag.
        "year_qualifiers.csv": [
            ["指标", "地区", "单位", "2012年", "2013*", "2014p", "2015年(初步)", "2016年（快报）"],
            ["地区生产总值", "肇庆市", "亿元", "1500", "1660", "1800", "2000", "2100"],
            ["工业技改投资", "广东省", "亿元", "700", "833", "1000", "1100", "1200"],
        ],
        "year_qualifiers_er.csv": [
            ["指标", "地区", "2014年(修订)", "2015年(预计)", "2016e"],
            ["森林覆盖率", "珠三角", "51.3", "51.5", "51.7"],
        ],
        # Years run from 1900 to 2100: a 2100 column is a year column like any other.
        "year_2100_wide.csv": [
            ["指标", "地区", "1900", "2099年", "2100年"],
            ["森林覆盖率", "珠三角", "20.5", "60.5", "61.5"],
        ],
        # A qualifier plancheck does not know: refused at the header, never dropped.
        "year_qualifier_unknown.csv": [
            ["指标", "地区", "2014年", "2015年(估)"],
            ["森林覆盖率", "珠三角", "51.3", "51.5"],
        ],
        # A 单位 line above the header: the unit of every figure without its own unit.
        "unit_line.csv": [
            ["2014年工业技改投资", "", "", ""],
            ["单位：万元", "", "", ""],
            ["指标", "地区", "年份", "数值"],
            ["工业技改投资", "广东省", "2014", "9990000"],
            ["地区生产总值", "肇庆市", "2015", "20000000"],
            ["森林覆盖率(%)", "珠三角", "2015", "51.5"],
        ],
        # A unit in the header or after the indicator name.
        "unit_in_header.csv": [
            ["指标", "地区", "年份", "数值（亿元）"],
            ["地区生产总值", "肇庆市", "2015", "2000"],
            ["工业技改投资", "广东省", "2014", "1000"],
        ],
        "unit_in_name.csv": [
            ["指标", "地区", "年份", "数值"],
            ["森林覆盖率(%)", "珠三角", "2015", "51.5"],
            ["工业技改投资（亿元）", "广东省", "2014", "1000"],
            ["固定宽带接入用户(户)", "广东省", "2015", "22500000"],
        ],
        # The unit after the name and the unit column disagree: refused, naming both.
        "unit_name_conflict.csv": [
            ["指标", "地区", "年份", "数值", "单位"],
            ["工业技改投资（亿元）", "广东省", "2014", "1000", "万元"],
        ],
        # Two headers that are one after trimming and case folding.
        "ambiguous_columns.csv": [
            ["indicator", "region", "year", "value", "value "],
            ["gdp", "zhaoqing", "2015", "2000", "20"],
        ],
        # A long table that also has a year column.
        "long_with_year_column.csv": [
            ["indicator", "region", "year", "value", "2015"],
            ["gdp", "zhaoqing", "2015", "2000", "2100"],
        ],
        # Yearbook of-which rows: read as their own indicator, never added to the parent.
        "of_which.csv": [
            ["指标", "地区", "单位", "2014年", "2015年"],
            ["地区生产总值", "广东省", "亿元", "67810", "72813"],
            ["#工业技改投资", "广东省", "亿元", "1000", "1100"],
            ["其中：试点项目数", "肇庆市", "个", "2", "3"],
        ],
        "of_which_unknown.csv": [
            ["指标", "地区", "单位", "2015年"],
            ["地区生产总值", "广东省", "亿元", "72813"],
            ["#工业", "广东省", "亿元", "32000"],
        ],
        # …, —, blank and the other "no figure" marks: never a number.
        "no_figure.csv": [
            ["指标", "地区", "2012年", "2013年", "2014年", "2015年"],
            ["地区生产总值", "肇庆市", "…", "—", "", "2000"],
            ["工业技改投资", "广东省", "-", "/", "……", "n/a"],
            ["森林覆盖率", "珠三角", "无数据", "--", "–", "51.5"],
        ],
        # 640万 typed into a template row whose unit cell says 万户: 640万户, never 万万户.
        "template_640wan.csv": [
            ["indicator", "region", "year", "value", "unit"],
            ["broadband_users", "guangdong", "2015", "640万", "万户"],
            ["broadband_users", "guangdong", "2014", "2250万", "户"],
        ],
        # A magnitude in the cell is its own: 640万 in a 亿元 row is 640万元, 1.5亿 in 万元 is 1.5亿元.
        "magnitude_other_row.csv": [
            LONG,
            ["gdp", "zhaoqing", "2015", "640万", "亿元"],
            ["tech_investment", "guangdong", "2014", "1.5亿", "万元"],
        ],
        # The unit in the value header and the unit column disagree: refused, naming both.
        "header_unit_conflict.csv": [
            ["指标", "地区", "年份", "数值（亿元）", "单位"],
            ["地区生产总值", "肇庆市", "2015", "2000", "万元"],
        ],
        # The same figure in two units is one figure; a different one is a conflict.
        "identical_repeat.csv": [
            LONG,
            ["broadband_users", "guangdong", "2015", "2250万户", ""],
            ["broadband_users", "guangdong", "2015", "22500000", "户"],
            ["tech_investment", "guangdong", "2014", "0.1", "万亿元"],
            ["tech_investment", "guangdong", "2014", "1000", "亿元"],
        ],
        "different_repeat.csv": [
            LONG,
            ["broadband_users", "guangdong", "2015", "2250万户", ""],
            ["broadband_users", "guangdong", "2015", "22500001", "户"],
        ],
        # Decimal commas and formulas: refused, never 515 and never evaluated.
        "decimal_comma.csv": [LONG, ["forest_coverage", "prd", "2015", "51,5", "%"]],
        "formula_text.csv": [LONG, ["gdp", "zhaoqing", "2015", "=1000+1000", "亿元"]],
        # No region column: the region is stated once, in a 地区 line.
        "region_line.csv": [
            ["地区：肇庆市", "", ""],
            ["指标", "年份", "数值"],
            ["地区生产总值", "2015", "2000"],
            ["试点项目数", "2015", "2"],
        ],
        # Title rows and footnote rows around the table are not data.
        "title_and_footnotes.csv": [
            ["表1 2015年主要指标", "", "", "", ""],
            LONG,
            ["forest_coverage", "prd", "2015", "51.5", "%"],
            ["", "", "", "", ""],
            ["注：2015年为初步数。", "", "", "", ""],
            ["资料来源：示例数据。", "", "", "", ""],
        ],
    }
    for name, rows in files.items():
        write(ADVERSARIAL, name, csv_text(rows).encode("utf-8"))
    # Big5 (traditional names and headers) with full-width digits and a footnote marker.
    write(
        ADVERSARIAL,
        "traditional_big5.csv",
        csv_text(
            [
                ["指標", "地區", "年份", "數值", "單位"],
                ["森林覆蓋率", "珠江三角洲地區", "２０１５", "５１．６９％", ""],
                ["固定寬帶接入用戶", "廣東", "2015", "2250萬", "戶"],
                ["鐵路建成通車", "廣東省", "2014", "已完成", ""],
            ]
        ).encode("big5hkscs"),
    )


def records() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Parquet columns 'value' and 'value ': which one is the value? Refused.
    table = pa.table(
        {
            "indicator": ["gdp"],
            "region": ["zhaoqing"],
            "year": pa.array([2015], pa.int64()),
            "value": pa.array([2000.0], pa.float64()),
            "value ": ["20"],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    write(ADVERSARIAL, "ambiguous_columns.parquet", buffer.getvalue())
    # JSON keys that are one after full-width and case folding.
    write(
        ADVERSARIAL,
        "ambiguous_columns.json",
        '[{"indicator": "gdp", "region": "zhaoqing", "year": 2015, "value": 2000, "ＶＡＬＵＥ": 20}]\n'.encode(),
    )
    # JSON numbers out of range, written as numbers (never turned into floats first).
    rows: list[str] = []
    for year, number in ((2012, "1e309"), (2013, "1E+400"), (2014, "9" * 400), (2015, "-1e309")):
        rows.append(
            f'{{"indicator": "gdp", "region": "zhaoqing", "year": {year}, "value": {number}}}'
        )
    write(ADVERSARIAL, "nonfinite.json", ("[\n" + ",\n".join(rows) + "\n]\n").encode())
    data: list[dict[str, Any]] = [
        {"indicator": "forest_coverage", "region": "prd", "year": 2015, "value": 51.50, "unit": "%"}
    ]
    write(ADVERSARIAL, "plain.json", json.dumps(data).encode())


def workbooks() -> None:
    import openpyxl

    # Percent-formatted cells: Excel shows 51.6 %, stores 0.516.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["indicator", "region", "year", "value"])
    for indicator, region, value, shown in (
        ("forest_coverage", "prd", 0.516, "0.0%"),
        ("unemployment_rate", "guangdong", 0.042, "0.0%"),
        ("rd_share", "prd", 0.0269, "0.00%"),
    ):
        ws.append([indicator, region, 2015, value])
        ws.cell(row=ws.max_row, column=4).number_format = shown
    write(ADVERSARIAL, "percent_cells.xlsx", _reproducible(wb))

    # A hidden (and a very hidden) first sheet holding other figures: never read.
    for state in ("hidden", "veryHidden"):
        wb = openpyxl.Workbook()
        old = wb.active
        old.title = "旧数据"
        old.append(LONG)
        old.append(["forest_coverage", "prd", 2015, 10, "%"])
        old.sheet_state = state
        new = wb.create_sheet("Sheet2")
        new.append(LONG)
        new.append(["forest_coverage", "prd", 2015, 51.6, "%"])
        wb.active = 1
        write(ADVERSARIAL, f"{state.lower()}_first_sheet.xlsx", _reproducible(wb))

    # Two visible sheets that both hold a table: which one? Refused, naming both.
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "2014"
    first.append(LONG)
    first.append(["forest_coverage", "prd", 2014, 51.3, "%"])
    second = wb.create_sheet("2015")
    second.append(LONG)
    second.append(["forest_coverage", "prd", 2015, 51.6, "%"])
    write(ADVERSARIAL, "two_sheets.xlsx", _reproducible(wb))

    # Error cells and a formula Excel never calculated: refused with sheet!cell.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(LONG)
    ws.append(["gdp", "zhaoqing", 2013, "#DIV/0!", "亿元"])
    ws.append(["gdp", "zhaoqing", 2014, "#N/A", "亿元"])
    ws.append(["gdp", "zhaoqing", 2015, "=D2+D3", "亿元"])
    write(ADVERSARIAL, "error_cells.xlsx", _reproducible(wb))

    # A 单位 line and a percent cell in a workbook.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "主要指标"
    ws.append(["2014年主要指标"])
    ws.append(["单位：万元"])
    ws.append(["指标", "地区", "年份", "数值"])
    ws.append(["工业技改投资", "广东省", 2014, 9990000])
    ws.append(["森林覆盖率", "珠三角", 2015, 0.515])
    ws["D5"].number_format = "0.0%"
    write(ADVERSARIAL, "unit_line.xlsx", _reproducible(wb))

    # A percent-formatted cell (its own unit, %) in a row whose unit column says ratio.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(LONG)
    ws.append(["forest_coverage", "prd", 2015, 0.516, "ratio"])
    ws["D2"].number_format = "0.0%"
    write(ADVERSARIAL, "percent_cell_ratio_column.xlsx", _reproducible(wb))

    # The same in a wide row: two percent cells, one unit column that says 万元. One mistake (the
    # unit cell), so one problem for the row, naming the columns; not one per year.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["indicator", "region", "unit", "2014", "2015"])
    ws.append(["forest_coverage", "prd", "万元", 0.513, 0.516])
    ws["D2"].number_format = "0.0%"
    ws["E2"].number_format = "0.0%"
    write(ADVERSARIAL, "percent_cells_wide_unit_column.xlsx", _reproducible(wb))

    # A completion date typed as an Excel date.
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["indicator", "region", "year", "value", "date"])
    ws.append(["railway_opened", "guangdong", 2014, "是", dt.datetime(2014, 12, 26)])
    ws.append(["railway_opened", "zhaoqing", 2015, "否", None])
    write(ADVERSARIAL, "milestone_date_cell.xlsx", _reproducible(wb))

    # 年份 merged over the year columns, 指标/地区 merged down over two header rows, and a
    # region merged down over two data rows.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["指标", "地区", "年份", None, None])
    ws.append([None, None, "2013年", "2014年", "2015年"])
    ws.append(["地区生产总值", "肇庆市", 1660, 1800, 2000])
    ws.append(["试点项目数", None, 1, 2, 3])
    ws.append(["试点项目数", "佛山市", 3, None, 4])
    for merged in ("C1:E1", "A1:A2", "B1:B2", "B3:B4"):
        ws.merge_cells(merged)
    write(ADVERSARIAL, "merged_year_header.xlsx", _reproducible(wb))

    # A folder of old Excel files: the .xls is read, the backup is reported and left alone.
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for i, row in enumerate([LONG, ["forest_coverage", "prd", 2015, 51.6, "%"]]):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    buffer = io.BytesIO()
    book.save(buffer)
    write(ADVERSARIAL, "xls_folder/data.xls", buffer.getvalue())
    write(
        ADVERSARIAL,
        "xls_folder/data.csv.bak",
        csv_text([LONG, ["gdp", "zhaoqing", "2015", "1", "亿元"]]).encode(),
    )
    write(
        ADVERSARIAL,
        "bak_folder/old.csv.bak",
        csv_text([LONG, ["gdp", "zhaoqing", "2015", "1", "亿元"]]).encode(),
    )


def yearbook() -> None:
    """A yearbook sheet for the bundled catalogue (targets/), as statisticians copy it."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-3 主要指标"
    ws.append(["2013—2015年珠江三角洲和广东省主要指标"])
    ws.merge_cells("A1:E1")
    ws.append(["单位：万户"])
    ws.append(["指标", "地区", "2013年", "2014年", "2015年"])
    ws.append(["Indicator", "Region", "2013", "2014", "2015"])
    rows: list[list[Any]] = [
        ["森林覆蓋率(%)", "珠江三角洲地区", 51.16, 51.37, 0.5169],
        ["森林公園數(個)", None, 300, 340, 371],
        ["研究与试验发展经费支出占地区生产总值比重(%)", None, 2.37, 2.45, 2.61],
        ["城镇污水处理率(%)", None, 88.5, 90.2, 0.925],
        ["年末常住人口(万人)", None, 5715.19, 5763.38, 5874.27],
        ["固定宽带接入用户数", "广东省", 1960.5, 2105.3, 2303.6],
        ["粮食产量(万吨)", None, 1315.9, 1357.3, 1358.1],
        ["年末常住人口(万人)", None, 10644, 10724, 10849],
    ]
    for row in rows:
        ws.append(row)
    ws["E5"].number_format = "0.00%"
    ws["E8"].number_format = "0.0%"
    ws.merge_cells("B5:B9")
    ws.merge_cells("B10:B12")
    ws.append([])
    ws.append(["注：2015年为初步数；森林覆盖率按新标准计算。"])
    ws.append(["资料来源：示例数据，仅供测试，非官方统计。"])
    write(YEARBOOK, "yearbook_2015.xlsx", _reproducible(wb))


def main() -> None:
    ADVERSARIAL.mkdir(exist_ok=True)
    YEARBOOK.mkdir(exist_ok=True)
    text_files()
    records()
    workbooks()
    yearbook()
    made = [p for p in (*ADVERSARIAL.rglob("*"), *YEARBOOK.rglob("*")) if p.is_file()]
    print(f"wrote {len(made)} files to {ADVERSARIAL} and {YEARBOOK}")


if __name__ == "__main__":
    main()
