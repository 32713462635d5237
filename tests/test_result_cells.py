"""Each result names the cell its actual was read from, also when a sheet has years across.

A yearbook sheet with one column per year makes several canonical rows of one sheet row; the
result's cell must be the column of the year judged, not the row's first year.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from .conftest import REPO, run_cli

YEARS = [2013, 2014, 2015]
ROWS = [
    ["rd_expenditure_gdp_ratio", "prd", "%", 2.5, 2.6, 2.7],
    ["forest_coverage", "prd", "%", 51.0, 51.2, 51.6],
]


def _results(path: Path, *args: str) -> list[dict[str, object]]:
    run = run_cli("check", "--targets", REPO / "targets", "--actuals", path, "-f", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    return [r for r in json.loads(run.stdout)["results"] if r["actual_value"] is not None]


@pytest.mark.parametrize("as_of", ["2014", "2015"])
def test_a_years_across_sheet_points_each_result_at_its_years_cell(
    tmp_path: Path, as_of: str
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["indicator", "region", "unit", *YEARS])
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "wide.xlsx"
    book.save(path)

    results = _results(path, "--as-of", as_of)
    assert len(results) >= 2  # the R&D target of 2014 and 2015, forest cover of 2015
    reopened = openpyxl.load_workbook(path)["Data"]
    for result in results:
        source = result["actual_source"]
        assert isinstance(source, dict)
        sheet_name, ref = str(source["cell"]).split("!")
        assert sheet_name == "Data"
        # The cell named holds the figure judged, in the column of the year judged.
        assert reopened[ref].value == result["actual_value"]
        assert reopened.cell(1, reopened[ref].column).value == result["actual_year"]


def test_a_long_sheet_keeps_one_cell_per_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["indicator", "region", "year", "value", "unit"])
    for indicator, region, unit, *values in ROWS:
        for year, value in zip(YEARS, values, strict=True):
            sheet.append([indicator, region, year, value, unit])
    path = tmp_path / "long.xlsx"
    book.save(path)
    for result in _results(path, "--as-of", "2015"):
        source = result["actual_source"]
        assert isinstance(source, dict)
        row = int(str(source["cell"]).split("!D")[1])
        assert source["row"] == row - 1  # row 1 is the header
        assert sheet.cell(row, 4).value == result["actual_value"]
