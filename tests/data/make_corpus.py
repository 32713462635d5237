"""Write the actuals test corpus: one real-looking file of each kind, and malformed variants.

Run from the repository root: ``python tests/data/make_corpus.py``. The output is byte-for-byte
reproducible (fixed zip timestamps in the workbooks), so the generated files are committed and
this script only needs running when the corpus changes. Every file is read against the fixture
catalogue in tests/fixtures/catalogue; tests/test_corpus.py holds each file's expected outcome.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent / "corpus"

# The same figures in every format, so that every good file leads to the same report.
LONG_EN = ["indicator", "region", "year", "value", "unit", "source"]
LONG_ZH = ["指标", "地区", "年份", "数值", "单位", "来源"]
LONG_TW = ["指標", "地區", "年份", "數值", "單位", "來源"]


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(c: str) -> str:
        return f'"{c}"' if (delimiter in c or '"' in c) else c

    return "".join(delimiter.join(cell(c) for c in row) + "\r\n" for row in rows)


def good_text_files() -> None:
    # Excel "CSV UTF-8": a BOM, English header, the cell syntax clerks really type.
    write(
        "utf8_bom.csv",
        csv_text(
            [
                LONG_EN,
                ["forest_coverage", "珠三角", "2015", "５１．５０％", "", "广东省林业厅, 公报"],
                ["rd_share", "prd", "2014", "0.026", "ratio", "统计局"],
                ["broadband_users", "440000", "2015", "2250万户", "", "通信管理局"],
                ["wetland_parks", "廣東", "2015", "67个", "", "林业厅"],
                ["tech_investment", "广东省", "2014", "1,000", "亿元", "经信委"],
                ["tech_investment", "guangdong", "2013", "83,300,000,000", "元", "经信委"],
                ["gdp", "肇庆", "2015", "2000亿元", "", "统计局"],
                ["pm25", "佛山", "2015", "—", "", "未公布"],
                ["railway_opened", "广东", "2014", "是", "", "铁路局"],
            ]
        ).encode("utf-8-sig"),
    )
    # Excel "Unicode text": UTF-16LE with a BOM, tab-delimited, Chinese header.
    write(
        "utf16_tab.txt",
        csv_text(
            [
                LONG_ZH,
                ["森林覆盖率", "珠江三角洲地区", "2015", "51.5", "%", "林业厅"],
                ["研发经费支出占地区生产总值比重", "珠三角", "2015", "2.69", "%", "统计局"],
                ["城镇登记失业率", "广东省", "2015", "3.6", "%", "人社厅"],
            ],
            "\t",
        ).encode("utf-16"),
    )
    # Chinese Excel's plain "CSV": GB18030 (GBK) bytes, Chinese header.
    write(
        "gb18030.csv",
        csv_text(
            [
                LONG_ZH,
                ["地区生产总值", "肇庆市", "2013", "1660", "亿元", "肇庆市统计局"],
                ["地区生产总值", "肇庆市", "2015", "2000", "亿元", "肇庆市统计局"],
                ["试点项目数", "佛山", "2014", "3", "个", "佛山市"],
                ["固定宽带接入用户", "广东省", "2015", "22,500,000", "户", "通信管理局"],
            ]
        ).encode("gb18030"),
    )
    # A traditional-character office: Big5 bytes (which GB18030 would decode into nonsense).
    write(
        "big5.csv",
        csv_text(
            [
                LONG_TW,
                ["forest_coverage", "珠三角", "2015", "51.69", "%", "廣東省林業廳"],
                ["wetland_parks", "廣東", "2015", "67", "個", "廣東省林業廳"],
                ["pilot_projects", "肇慶市", "2015", "2", "個", "肇慶市統計局"],
            ]
        ).encode("big5hkscs"),
    )
    # A yearbook table as CSV: wide layout, English header.
    write(
        "wide.csv",
        csv_text(
            [
                ["indicator", "region", "unit", "2013", "2014", "2015"],
                ["gdp", "zhaoqing", "亿元", "1660", "", "2000"],
                ["tech_investment", "guangdong", "亿元", "833", "1000", ""],
            ]
        ).encode("utf-8"),
    )


def bad_text_files() -> None:
    head = ",".join(LONG_EN) + "\n"
    files = {
        "bad_value.csv": head + "gdp,zhaoqing,2013,1660,亿元,x\ngdp,zhaoqing,2015,约2000,亿元,x\n",
        "bad_year.csv": head + "gdp,zhaoqing,二〇一五,2000,亿元,x\n",
        "unit_conflict.csv": head + "broadband_users,guangdong,2015,2250万户,户,x\n",
        "incompatible_unit.csv": head + "broadband_users,guangdong,2015,2250,万人次,x\n",
        "unknown_region.csv": head + "gdp,zhaoqing,2013,1660,亿元,x\ngdp,肇庆x,2015,2000,亿元,x\n",
        "unknown_indicator.csv": head + "gpd,zhaoqing,2013,1660,亿元,x\n",
        "malformed_row.csv": head
        + "gdp,zhaoqing,2013,1660,亿元,x\ngdp,zhaoqing,2015,2,000,亿元,x\n",
        "missing_column.csv": "indicator,year,value,unit\ngdp,2013,1660,亿元\n",
        "conflicting.csv": head + "gdp,zhaoqing,2013,1660,亿元,x\ngdp,肇庆市,2013,1700,亿元,y\n",
        "duplicate_year.csv": "指标,地区,单位,2015,2015年\ngdp,zhaoqing,亿元,1,2\n",
        "bad_milestone.csv": head + "railway_opened,guangdong,2014,差不多,,x\n",
        "empty.csv": "",
        "bad.json": '[{"indicator": "gdp", "region": "zhaoqing",\n  "year": 2013 "value": 1}]\n',
        "not_records.json": '{"indicator": "gdp"}\n',
        "nested_value.json": '[{"indicator": "gdp", "region": "zhaoqing", "year": 2013, "value": [1660]}]\n',
        "python_tag.yaml": "- indicator: !!python/object/apply:os.system ['echo hi']\n  region: zhaoqing\n",
        "duplicate_key.yaml": "- indicator: gdp\n  region: zhaoqing\n  year: 2013\n  value: 1660\n  value: 1700\n",
        "octal.yaml": "- {indicator: gdp, region: 010, year: 2013, value: 1660}\n",
        "billion_laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "records: [*i]\n",
        "yes_no.yaml": "- {indicator: gdp, region: zhaoqing, year: 2013, value: 1660, unit: no}\n",
    }
    for name, text in files.items():
        write(name, text.encode("utf-8"))
    write(
        "bad_encoding.csv",
        (head + "gdp,zhaoqing,2013,1660,亿元,").encode("utf-8") + b"\x80\x80\xff\n",
    )


def structured_files() -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [
        {"indicator": "gdp", "region": "肇慶", "year": 2013, "value": "1660", "unit": "亿元"},
        {"indicator": "gdp", "region": "441200", "year": 2015, "value": "2000.00", "unit": "亿元"},
        {
            "indicator": "railway_opened",
            "region": "guangdong",
            "year": 2014,
            "value": True,
            "unit": None,
        },
        {
            "indicator": "forest_coverage",
            "region": "prd",
            "year": 2015,
            "value": "51.50",
            "unit": "%",
        },
    ]
    text = json.dumps({"records": records}, ensure_ascii=False, indent=1)
    # Numbers as JSON numbers, written as the clerk wrote them (2000.00 keeps its decimals).
    for r in records:
        if isinstance(r["value"], str):
            text = text.replace(f'"value": "{r["value"]}"', f'"value": {r["value"]}')
    write("records.json", text.encode("utf-8"))
    yaml_text = (
        "# actuals as YAML records\n"
        "- {indicator: gdp, region: 肇慶, year: 2013, value: 1660, unit: 亿元}\n"
        "- {indicator: gdp, region: '441200', year: 2015, value: 2000.00, unit: 亿元}\n"
        "- {indicator: railway_opened, region: guangdong, year: 2014, value: yes}\n"
        "- indicator: forest_coverage\n  region: prd\n  year: 2015\n  value: 51.50\n  unit: '%'\n"
    )
    write("records.yaml", yaml_text.encode("utf-8"))
    # As a statistics system exports it: typed columns, a float value, a null unit.
    table = pa.table(
        {
            "indicator": ["gdp", "gdp", "tech_investment", "tech_investment", "rd_share"],
            "region": ["zhaoqing", "zhaoqing", "guangdong", "guangdong", "prd"],
            "year": pa.array([2013, 2015, 2013, 2014, 2015], pa.int32()),
            "value": pa.array([1660.0, 2000.0, 833.0, 1000.0, 0.0269], pa.float64()),
            "unit": ["亿元", "亿元", "亿元", None, "ratio"],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    write("long.parquet", buffer.getvalue())
    write("garbage.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1")


def workbooks() -> None:
    import openpyxl

    # A yearbook sheet: a title, a blank row, then 指标 / 地区 / 单位 / 2013年 … (wide layout).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表数据来源：广东省统计局"])
    data = wb.create_sheet("主要指标")
    data.append(["2013—2015年主要指标"])
    data.append([])
    data.append(["指标", "地区", "单位", "2013年", "2014年", "2015年"])
    data.append(["地区生产总值", "肇庆市", "亿元", 1660, None, 2000])
    data.append(["工业技改投资", "广东省", "亿元", 833, 1000, None])
    data.append(["森林覆盖率", "珠三角", "%", None, None, 51.5])
    data.append([])
    write("wide.xlsx", _reproducible(wb))

    # The same table with a typo in a cell: the problem names the sheet and cell (主要指标!E5).
    data["E5"] = "一千"
    write("bad_cell.xlsx", _reproducible(wb))

    # A long sheet, first sheet, English header, numbers and a boolean milestone.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(LONG_EN)
    ws.append(["gdp", "zhaoqing", 2013, 1660, "亿元", "统计局"])
    ws.append(["railway_opened", "guangdong", 2014, True, None, "铁路局"])
    ws.append(["forest_coverage", "prd", 2015, 0.515, "ratio", "林业厅"])
    write("long.xlsx", _reproducible(wb))

    full = _reproducible(wb)
    write("truncated.xlsx", full[: len(full) // 2])
    write("not_a_workbook.xlsx", b"indicator,region\n")

    # Percent-formatted cells (Excel stores 0.516 and shows 51.6%), a region merged down over two
    # rows, and a hidden first sheet with stale figures that must not be read.
    wb = openpyxl.Workbook()
    stale = wb.active
    stale.title = "旧数据"
    stale.append(LONG_EN)
    stale.append(["forest_coverage", "prd", 2015, 0.4, "ratio", "旧"])
    stale.sheet_state = "hidden"
    ws = wb.create_sheet("Sheet1")
    ws.append(LONG_EN)
    ws.append(["forest_coverage", "prd", 2015, 0.516, "%", "林业厅"])
    ws.append(["unemployment_rate", "guangdong", 2015, 0.042, "%", "人社厅"])
    ws.append(["rd_share", "prd", 2015, 0.0269, "%", "科技厅"])
    ws.append(["gdp", "肇庆", 2013, 1660, "亿元", "统计局"])
    ws.append(["gdp", None, 2015, 2000, "亿元", "统计局"])
    ws.merge_cells("B5:B6")
    for cell, fmt in (("D2", "0.0%"), ("D3", "0.0%"), ("D4", "0.00%")):
        ws[cell].number_format = fmt
    write("percent.xlsx", _reproducible(wb))

    # Cells that hold no figure, and a stray far cell: each refused with its cell.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(LONG_EN)
    ws.append(["gdp", "zhaoqing", 2013, 1660, "亿元", "统计局"])
    ws.append(["gdp", "zhaoqing", 2015, "#DIV/0!", "亿元", "统计局"])
    write("excel_error.xlsx", _reproducible(wb))
    ws["D3"] = "=D2*1.2"  # openpyxl saves no result, as a generator that never opened Excel
    write("formula_no_result.xlsx", _reproducible(wb))
    ws["D3"] = 2000
    ws["XFD1048576"] = 0  # one stray cell makes the sheet 17 billion cells
    write("far_cell.xlsx", _reproducible(wb))


def _reproducible(wb: object) -> bytes:
    """Save a workbook with fixed timestamps, so the bytes do not change between runs."""
    fixed = dt.datetime(2020, 1, 1)
    wb.properties.created = fixed  # type: ignore[attr-defined]
    wb.properties.modified = fixed  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    wb.save(buffer)  # type: ignore[attr-defined]
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if (
                info.filename == "docProps/core.xml"
            ):  # openpyxl stamps "modified" with the time of saving
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-01T00:00:00Z", data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    good_text_files()
    bad_text_files()
    structured_files()
    workbooks()
    print(f"wrote {len(list(HERE.iterdir()))} files to {HERE}")


if __name__ == "__main__":
    main()
