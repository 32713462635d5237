"""The Excel reader: every cell read as the clerk sees it, refused with its cell, or reported.

Workbooks are built with openpyxl in tmp_path; where openpyxl cannot write a case (a formula
with a saved result, a cell hidden under a merged range, an entity bomb), its saved XML is edited.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from plancheck.problems import InputError, Problem
from plancheck.readers import READERS, ReadOptions, xlsx_reader
from plancheck.readers.base import Grid
from plancheck.readers.xlsx_reader import read_grid

from .conftest import FIXTURES, run_cli

HEADER = ["indicator", "region", "year", "value", "unit"]
CATALOGUE = FIXTURES / "catalogue"


def save(wb: Any, path: Path) -> Path:
    wb.save(path)
    return path


def grid_of(path: Path, sheet: str | None = None) -> Grid:
    return read_grid(path, path.name, ReadOptions(sheet=sheet))


def refused(path: Path, sheet: str | None = None) -> list[Problem]:
    with pytest.raises(InputError) as err:
        read_grid(path, path.name, ReadOptions(sheet=sheet))
    return err.value.problems


def rows(grid: Grid) -> list[list[str]]:
    return [list(row) for row in grid.cells]


def sheet_with(rows_: list[list[object]], title: str = "Data") -> Any:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows_:
        ws.append(row)
    return wb


def edit_part(path: Path, part: str, edit: Any) -> Path:
    """Rewrite one XML part of a saved workbook (what openpyxl cannot write itself)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts[part] = edit(parts[part].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


# --- numbers as shown ----------------------------------------------------------------------------


def test_percent_cells_are_read_as_the_percent_shown(tmp_path: Path) -> None:
    wb = sheet_with([HEADER])
    ws = wb.active
    for value, fmt in [
        (0.516, "0.0%"),
        (0.042, "0.0%"),
        (0.027, "0.0%"),
        (1.0, "0%"),
        (51.6, r"0.0\%"),
    ]:
        ws.append(["unemployment", "prd", 2015, value, "%"])
        ws.cell(row=ws.max_row, column=4).number_format = fmt
    grid = grid_of(save(wb, tmp_path / "p.xlsx"))
    assert [row[3] for row in rows(grid)[1:]] == ["51.6%", "4.2%", "2.7%", "100%", "51.6%"]


def test_plain_numbers_keep_the_stored_figure_without_display_rounding(tmp_path: Path) -> None:
    wb = sheet_with(
        [HEADER, ["gdp", "prd", 2015.0, 51.4999, "亿元"], ["gdp", "prd", 2016, 1e-7, "x"]]
    )
    wb.active["D2"].number_format = "0.0"  # Excel shows 51.5; the figure stays 51.4999
    wb.active["E3"], wb.active["F3"] = 0.25, 0.5
    wb.active["F3"].number_format = "0.0%"
    path = save(wb, tmp_path / "n.xlsx")
    # Excel writes some doubles with 17 digits; the figure is the shortest text of the double.
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v>0.25</v>", "<v>0.30000000000000004</v>").replace(
            "<v>0.5</v>", "<v>0.51600000000000001</v>"
        ),
    )
    grid = grid_of(path)
    assert rows(grid)[1][2:4] == ["2015", "51.4999"]
    assert rows(grid)[2][3:6] == ["0.0000001", "0.30000000000000004", "51.6%"]


def test_a_unit_in_the_number_format_stays_with_the_figure(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, 123.45, ""]])
    wb.active["D2"].number_format = '0.00"万元"'
    assert rows(grid_of(save(wb, tmp_path / "u.xlsx")))[1][3] == "123.45万元"


@pytest.mark.parametrize(
    ("fmt", "value", "words"),
    [
        ("#,##0,", 1234567, "shows 1234.567 but the cell stores 1234567"),
        ("0.0,,", 2500000, "shows 2.5 but the cell stores 2500000"),
        (";;;", 5, "hides the stored number 5"),
        ("0;0", -5, "without its minus sign"),
    ],
)
def test_a_format_that_changes_the_figure_is_refused_with_its_cell(
    tmp_path: Path, fmt: str, value: float, words: str
) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, value, "亿元"]])
    wb.active["D2"].number_format = fmt
    (problem,) = refused(save(wb, tmp_path / "s.xlsx"))
    assert (problem.type, problem.cell, problem.value) == ("number-format", "Data!D2", str(value))
    assert words in problem.message and problem.hint


def test_thousands_grouping_accounting_and_negative_sections_read_the_figure(
    tmp_path: Path,
) -> None:
    wb = sheet_with([HEADER, ["a", "b", 1234.5, -3, 0]])
    ws = wb.active
    ws["C2"].number_format = "#,##0.00"
    ws["D2"].number_format = "#,##0;(#,##0)"
    ws["E2"].number_format = '_-* #,##0_-;-* #,##0_-;_-* "-"??_-;_-@_-'  # zero shows as "-"
    assert rows(grid_of(save(wb, tmp_path / "g.xlsx")))[1][2:] == ["1234.5", "-3", "0"]


def test_dates_and_booleans(tmp_path: Path) -> None:
    wb = sheet_with(
        [
            ["indicator", "region", "date", "value", "note"],
            ["railway", "gd", dt.date(2015, 3, 4), True, dt.datetime(2015, 3, 4, 12, 30)],
            ["railway", "gd", None, False, None],
        ]
    )
    grid = grid_of(save(wb, tmp_path / "d.xlsx"))
    assert rows(grid)[1][2:] == ["2015-03-04", "true", "2015-03-04 12:30:00"]
    assert rows(grid)[2][2:] == ["", "false", ""]


def test_a_cjk_builtin_date_format_is_a_date(tmp_path: Path) -> None:
    # Chinese Excel writes yyyy"年"m"月"d"日" as built-in format 31, which openpyxl does not list.
    wb = sheet_with([["indicator", "date"], ["railway", dt.date(2015, 3, 4)]])
    path = save(wb, tmp_path / "c.xlsx")
    edit_part(path, "xl/styles.xml", lambda xml: re.sub(r'numFmtId="1\d\d"', 'numFmtId="31"', xml))
    assert rows(grid_of(path))[1] == ["railway", "2015-03-04"]


# --- cells that are no figure --------------------------------------------------------------------


def test_error_cells_are_refused_naming_sheet_and_cell(tmp_path: Path) -> None:
    wb = sheet_with(
        [HEADER, ["gdp", "prd", 2015, "#DIV/0!", "亿元"], ["gdp", "gz", 2015, "#N/A", "亿元"]]
    )
    problems = refused(save(wb, tmp_path / "e.xlsx"))
    assert [(p.type, p.cell, p.value) for p in problems] == [
        ("excel-error", "Data!D2", "#DIV/0!"),
        ("excel-error", "Data!D3", "#N/A"),
    ]


def test_a_formula_without_a_saved_result_is_refused(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, "=1000+1000", "亿元"]])
    (problem,) = refused(save(wb, tmp_path / "f.xlsx"))  # openpyxl saves no results
    assert (problem.type, problem.cell) == ("formula-without-result", "Data!D2")
    assert "save it" in (problem.hint or "")


def test_a_formula_with_a_saved_result_reads_the_result(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, "=1000+1000", "亿元"]])
    path = save(wb, tmp_path / "f.xlsx")
    edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("<v />", "<v>2000</v>"))
    assert rows(grid_of(path))[1][3] == "2000"


# --- sheets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_not_read_and_is_reported(tmp_path: Path, state: str) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, 1, "亿元"]], title="old")
    wb.active.sheet_state = state
    shown = wb.create_sheet("new")
    for row in [HEADER, ["gdp", "prd", 2015, 2, "亿元"]]:
        shown.append(row)
    path = save(wb, tmp_path / "h.xlsx")
    grid = grid_of(path)
    assert grid.details == {"sheet": "new"} and rows(grid)[1][3] == "2"
    (notice,) = grid.notices
    assert notice.type == "ignored-sheet" and state in notice.message and notice.value == "old"
    # Named with --sheet, the hidden sheet is read, and that is said too.
    grid = grid_of(path, sheet="old")
    assert rows(grid)[1][3] == "1"
    assert [n.type for n in grid.notices] == ["hidden-sheet-read", "ignored-sheet"]


def test_only_hidden_sheets_is_refused(tmp_path: Path) -> None:
    wb = sheet_with([HEADER])
    wb.create_sheet("other").sheet_state = "hidden"
    path = save(wb, tmp_path / "o.xlsx")  # openpyxl keeps one sheet visible: hide it by hand
    edit_part(
        path,
        "xl/workbook.xml",
        lambda xml: xml.replace('state="visible"', 'state="hidden"'),
    )
    (problem,) = refused(path)
    assert problem.type == "no-visible-sheet" and "--sheet" in (problem.hint or "")


def test_several_sheets_with_a_table_are_refused_naming_them(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, 1, "亿元"]], title="2014")
    wb.create_sheet("封面")["A1"] = "填报说明"
    second = wb.create_sheet("2015年")
    second.append(["指标", "地区", "年份", "数值"])
    path = save(wb, tmp_path / "m.xlsx")
    (problem,) = refused(path)
    assert problem.type == "ambiguous-sheet"
    assert "'2014'" in problem.message and "'2015年'" in problem.message
    assert "封面" not in problem.message and "--sheet" in (problem.hint or "")
    grid = grid_of(path, sheet="2015年")
    assert rows(grid)[0] == ["指标", "地区", "年份", "数值"]
    assert {n.value for n in grid.notices} == {"2014", "封面"}
    (problem,) = refused(path, sheet="2015")
    assert problem.type == "unknown-sheet" and "2015年" in (problem.hint or "")


def test_without_any_header_the_first_visible_sheet_is_read(tmp_path: Path) -> None:
    wb = sheet_with([["just", "notes"]], title="a")
    wb.create_sheet("b")["A1"] = "more notes"
    grid = grid_of(save(wb, tmp_path / "n.xlsx"))
    assert grid.details == {"sheet": "a"} and rows(grid) == [["just", "notes"]]
    (notice,) = grid.notices
    assert notice.value == "b" and "no header row" in notice.message


# --- layout --------------------------------------------------------------------------------------


def test_merged_cells_are_filled_down_and_across(tmp_path: Path) -> None:
    wb = sheet_with(
        [
            ["指标", "地区", "年份", None, None],
            [None, None, "2013年", "2014年", "2015年"],
            ["地区生产总值", "珠三角", 1, 2, 3],
            [None, None, 4, 5, 6],
            ["森林覆盖率", "广东", 7, 8, 9],
        ]
    )
    ws = wb.active
    ws.merge_cells("C1:E1")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    grid = grid_of(save(wb, tmp_path / "m.xlsx"))
    assert rows(grid)[0] == ["指标", "地区", "年份", "年份", "年份"]
    assert rows(grid)[3][:2] == ["地区生产总值", "珠三角"]
    assert grid.ref is not None and grid.ref(3, 1) == "Data!B4"


def test_a_value_hidden_under_a_merged_range_is_refused(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "珠三角", 2015, 1, "亿元"], ["gdp", None, 2016, 2, "亿元"]])
    wb.active.merge_cells("B2:B3")
    path = save(wb, tmp_path / "m.xlsx")
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            '<c r="C3"', '<c r="B3" t="inlineStr"><is><t>广州</t></is></c><c r="C3"'
        ),
    )
    (problem,) = refused(path)
    assert (problem.type, problem.cell, problem.value) == (
        "merged-cell-conflict",
        "Data!B3",
        "广州",
    )


def test_grid_starts_at_the_first_filled_cell_and_refs_point_back(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2015 data"
    ws["C4"], ws["D5"] = "indicator", "x"
    grid = grid_of(save(wb, tmp_path / "o.xlsx"))
    assert rows(grid) == [["indicator", ""], ["", "x"]]
    assert grid.ref is not None and grid.ref(1, 1) == "'2015 data'!D5"


# --- hostile files -------------------------------------------------------------------------------


def test_a_cell_at_xfd1048576_is_refused_at_once(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, 1, "亿元"]])
    wb.active["XFD1048576"] = 1
    path = save(wb, tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    (problem,) = refused(path)
    assert problem.type == "sheet-too-large" and problem.cell == "Data!XFD1048576"
    assert "1,048,576 rows x 16,384 columns" in problem.message


def test_a_far_cell_on_a_sheet_not_read_does_not_matter(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, 1, "亿元"]])
    wb.create_sheet("junk")["XFD1048576"] = 1
    grid = grid_of(save(wb, tmp_path / "far.xlsx"))
    assert grid.details == {"sheet": "Data"} and grid.cells.shape == (2, 5)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    path = save(sheet_with([HEADER]), tmp_path / "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/media/pad.bin", "w") as f,
    ):
        block = bytes(1 << 20)
        for _ in range(xlsx_reader.UNZIPPED_LIMIT // len(block) + 1):
            f.write(block)
    assert path.stat().st_size < 2_000_000
    (problem,) = refused(path)
    assert problem.type == "file-too-large" and "MiB" in problem.message


def test_an_entity_bomb_in_the_sheet_is_refused(tmp_path: Path) -> None:
    path = save(sheet_with([HEADER]), tmp_path / "laughs.xlsx")
    entities = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<worksheet", entities + "]><worksheet", 1).replace(
            "<t>unit</t>", "<t>&i;</t>"
        ),
    )
    (problem,) = refused(path)
    assert problem.type == "malformed-file"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04garbage", b"indicator,region\n"])
def test_garbage_is_a_malformed_or_empty_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "g.xlsx"
    path.write_bytes(data)
    (problem,) = refused(path)
    assert problem.type in ("malformed-file", "empty-file") and problem.hint


# --- through the reader and the CLI --------------------------------------------------------------


def test_reader_turns_the_grid_into_a_table_with_its_notices(tmp_path: Path) -> None:
    wb = sheet_with([["2015年主要指标"], HEADER, ["gdp", "zhaoqing", 2015, 2000, "亿元"]])
    wb.create_sheet("备注").sheet_state = "hidden"
    raw = READERS["xlsx"].read(save(wb, tmp_path / "r.xlsx"), "r.xlsx", ReadOptions())
    assert raw.frame.values.tolist() == [["gdp", "zhaoqing", "2015", "2000", "亿元"]]
    assert raw.cell_of is not None and raw.cell_of(1, "value") == "Data!D3"
    assert "ignored-sheet" in {n.type for n in raw.notices}


def test_cli_refuses_an_error_cell_with_exit_2(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "zhaoqing", 2015, "#DIV/0!", "亿元"]])
    result = run_cli("check", "--targets", CATALOGUE, "-a", save(wb, tmp_path / "e.xlsx"))
    assert result.exit_code == 2
    assert "cell Data!D2" in result.stderr and "excel-error" in result.stderr
    assert "Traceback" not in result.stderr


# --- legacy .xls ---------------------------------------------------------------------------------


def xls_workbook(tmp_path: Path, name: str = "old.xls", hidden_first: bool = False) -> Path:
    import xlwt

    wb = xlwt.Workbook()
    if hidden_first:
        stale = wb.add_sheet("stale")
        for j, text in enumerate(HEADER):
            stale.write(0, j, text)
        stale.visibility = 1
    ws = wb.add_sheet("数据")
    for j, text in enumerate(HEADER):
        ws.write(0, j, text)
    percent = xlwt.easyxf(num_format_str="0.0%")
    ws.write(1, 0, "unemployment")
    ws.write_merge(1, 2, 1, 1, "珠三角")  # a region merged down over two rows
    ws.write(1, 2, 2015.0)
    ws.write(1, 3, 0.042, percent)
    ws.write(1, 4, "%")
    ws.write(2, 0, "railway")
    ws.write(2, 2, 2016)
    ws.write(2, 3, True)
    ws.write(3, 0, "opened")
    ws.write(3, 1, "gd")
    ws.write(3, 2, dt.datetime(2015, 3, 4), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(3, 3, 1234.5, xlwt.easyxf(num_format_str='0.0"万元"'))
    path = tmp_path / name
    wb.save(str(path))
    return path


def test_xls_is_read_by_the_same_rules(tmp_path: Path) -> None:
    grid = grid_of(xls_workbook(tmp_path))
    assert rows(grid) == [
        HEADER,
        ["unemployment", "珠三角", "2015", "4.2%", "%"],
        ["railway", "珠三角", "2016", "true", ""],
        ["opened", "gd", "2015-03-04", "1234.5万元", ""],
    ]
    assert grid.ref is not None and grid.ref(1, 3) == "数据!D2"


def test_xls_hidden_sheet_is_reported_and_a_renamed_xls_still_reads(tmp_path: Path) -> None:
    grid = grid_of(xls_workbook(tmp_path, "old.xlsx", hidden_first=True))  # content decides
    assert grid.details == {"sheet": "数据"}
    (notice,) = grid.notices
    assert notice.type == "ignored-sheet" and notice.value == "stale" and "hidden" in notice.message


def test_xls_error_cells_and_scaled_formats_are_refused(tmp_path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    for j, text in enumerate(HEADER):
        ws.write(0, j, text)
    ws.write(1, 3, 1234567, xlwt.easyxf(num_format_str="#,##0,"))
    ws.row(2).set_cell_error(3, "#DIV/0!")
    path = tmp_path / "bad.xls"
    wb.save(str(path))
    problems = refused(path)
    assert [(p.type, p.cell) for p in problems] == [
        ("number-format", "Data!D2"),
        ("excel-error", "Data!D3"),
    ]
    assert problems[0].value == "1234567" and problems[1].value == "#DIV/0!"


def test_a_web_page_saved_as_xls_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><td>indicator</td></tr></table></html>")
    (problem,) = refused(path)
    assert problem.type == "malformed-file" and "web page or text" in problem.message
    assert ".xlsx" in (problem.hint or "")


def test_a_folder_with_an_xls_file_reads_it(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    xls_workbook(folder)
    result = run_cli("validate", CATALOGUE, folder)
    # Read, not skipped: its rows reach the catalogue check, which names their cells.
    assert result.exit_code == 2 and "skipped" not in result.stderr
    assert "old.xls, cell 数据!A2, row 1, column 'indicator': unknown-indicator" in result.stderr


def test_a_cell_longer_than_excel_allows_is_refused_and_shown_short(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2015, "placeholder", "亿元"]])
    path = save(wb, tmp_path / "long.xlsx")  # openpyxl cuts text at Excel's limit: write by hand
    edit_part(
        path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace("placeholder", "9" * 40_000)
    )
    (problem,) = refused(path)
    assert (problem.type, problem.cell) == ("cell-too-long", "Data!D2")
    assert "(40,000 characters)" in problem.message and len(problem.message) < 200
    assert problem.value is not None and len(problem.value) == 60


def test_a_merged_range_over_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    path = save(sheet_with([HEADER]), tmp_path / "merge.xlsx")
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            "</sheetData>", '</sheetData><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells>'
        ),
    )
    (problem,) = refused(path)
    assert problem.type == "sheet-too-large" and problem.cell == "Data!A1"


def test_a_cell_written_twice_is_refused(tmp_path: Path) -> None:
    path = save(sheet_with([HEADER, ["gdp", "prd", 2015, 1, "亿元"]]), tmp_path / "twice.xlsx")
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace('<c r="E2"', '<c r="D2" t="n"><v>2</v></c><c r="E2"'),
    )
    (problem,) = refused(path)
    assert (problem.type, problem.cell) == ("malformed-file", "Data!D2")
    assert "'1' and as '2'" in problem.message


@pytest.mark.parametrize("stored", ["1E+400", "NaN", "²", "12abc"])
def test_a_number_cell_holding_no_finite_number_is_refused(tmp_path: Path, stored: str) -> None:
    path = save(sheet_with([HEADER, ["gdp", "prd", 2015, 12345, "亿元"]]), tmp_path / "n.xlsx")
    edit_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v>12345</v>", f"<v>{stored}</v>"),
    )
    (problem,) = refused(path)
    assert problem.cell == "Data!D2" and problem.type in ("number-format", "malformed-file")


def test_hidden_rows_and_columns_are_read_and_reported(tmp_path: Path) -> None:
    wb = sheet_with([HEADER, ["gdp", "prd", 2014, 1, "亿元"], ["gdp", "prd", 2015, 2, "亿元"]])
    ws = wb.active
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["E"].hidden = True
    ws.column_dimensions["H"].hidden = True  # empty: not worth a word
    grid = grid_of(save(wb, tmp_path / "h.xlsx"))
    assert rows(grid)[2] == ["gdp", "prd", "2015", "2", "亿元"]
    (notice,) = grid.notices
    assert notice.type == "hidden-cells-read" and notice.cell == "Data!A3"
    assert "1 hidden row (3)" in notice.message and "1 hidden column (E)" in notice.message


def test_xls_hidden_rows_are_reported(tmp_path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    for i, row in enumerate([HEADER, ["gdp", "prd", 2015, 2, "亿元"]]):
        for j, value in enumerate(row):
            ws.write(i, j, value)
    ws.row(1).hidden = True
    path = tmp_path / "h.xls"
    wb.save(str(path))
    (notice,) = grid_of(path).notices
    assert notice.type == "hidden-cells-read" and notice.cell == "Data!A2"


def test_dates_of_a_1904_workbook(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = sheet_with([])
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["railway", dt.date(2015, 3, 4)])
    path = save(wb, tmp_path / "mac.xlsx")
    with zipfile.ZipFile(path) as z:
        assert b"date1904" in z.read("xl/workbook.xml")
    assert rows(grid_of(path)) == [["railway", "2015-03-04"]]


# --- number formats, directly --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (0.516, "0.0%", "51.6%"),
        (-0.05, "0.0%", "-5%"),
        (0.0269, "0.00%;[Red]-0.00%", "2.69%"),
        (1.0, "0%", "100%"),
        (0.5, "0.0%%", "5000%%"),  # each % multiplies by 100
        (2015.0, "General", "2015"),
        (1e21, "General", "1E+21"),
        (1234.5, "#,##0.00_);(#,##0.00)", "1234.5"),
        (-1234.5, "#,##0.00_);(#,##0.00)", "-1234.5"),
        (0.1, "[$¥-804]#,##0.00", "0.1"),  # a currency sign: the unit column says the currency
        (123.45, '0.00"万元"', "123.45万元"),
        (7.0, '"约"0', "约7"),
        (5.0, "0\\‰", "5‰"),  # per mille is a literal in Excel: no scaling
        (3.0, "[>=100]0.0;0.0", "3"),
        (1234.0, "#,##0", "1234"),
    ],
)
def test_number_text_shows_what_excel_shows_without_rounding(
    value: float, fmt: str, shown: str
) -> None:
    from plancheck.readers.number_format import number_text

    assert number_text(value, fmt) == shown


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        (1234567.0, "#,##0,"),
        (1234567.0, '0.0,,"M"'),
        (5.0, ";;;"),
        (-5.0, "0;0"),
        (150.0, '[>=100]0.0,"k";0'),  # conditional sections that show numbers differently
        (float("inf"), "General"),
    ],
)
def test_number_text_refuses_what_would_change_the_figure(value: float, fmt: str) -> None:
    from plancheck.readers.number_format import FormatRefusal, number_text

    with pytest.raises(FormatRefusal) as err:
        number_text(value, fmt)
    assert err.value.message and err.value.hint


@pytest.mark.parametrize("whole_part", [0, xlsx_reader._WHOLE_PART])
def test_streamed_and_whole_parsing_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_part: int
) -> None:
    monkeypatch.setattr(xlsx_reader, "_WHOLE_PART", whole_part)  # 0: every part is streamed
    wb = sheet_with([HEADER] + [["gdp", "prd", 2000 + i, i / 8, "亿元"] for i in range(3000)])
    ws = wb.active
    ws.merge_cells("B2:B4")
    ws.row_dimensions[5].hidden = True
    ws["D2"].number_format = "0.0%"
    grid = grid_of(save(wb, tmp_path / "big.xlsx"))
    assert grid.cells.shape == (3001, 5)
    assert rows(grid)[1] == ["gdp", "prd", "2000", "0%", "亿元"]
    assert rows(grid)[3000] == ["gdp", "prd", "4999", "374.875", "亿元"]
    assert [n.type for n in grid.notices] == ["hidden-cells-read"]
    wb.active["XFD1048576"] = 1
    (problem,) = refused(save(wb, tmp_path / "far.xlsx"))
    assert problem.type == "sheet-too-large"
    laughs = save(sheet_with([HEADER]), tmp_path / "laughs.xlsx")
    edit_part(
        laughs,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            "<worksheet",
            '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
            )
            + "]><worksheet",
            1,
        ).replace("<t>unit</t>", "<t>&i;</t>"),
    )
    (problem,) = refused(laughs)
    assert problem.type == "malformed-file"
