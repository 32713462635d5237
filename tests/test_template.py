"""``plancheck template``: the rows the catalogue expects, and a filled-in template read back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl

from plancheck.readers import READERS
from plancheck.template import COLUMNS

from .conftest import FIXTURES, run_cli

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"

EXPECTED = {
    ("forest_coverage", "prd", "2015", "%"),
    ("forest_coverage", "prd", "2016", "%"),
    ("rd_share", "prd", "2014", "%"),
    ("rd_share", "prd", "2015", "%"),
    ("broadband_users", "guangdong", "2015", "万户"),
    ("wetland_parks", "guangdong", "2015", "处"),
    ("pm25", "foshan", "2015", "微克每立方米"),
    ("unemployment_rate", "guangdong", "2015", "%"),
    ("pilot_projects", "zhaoqing", "2015", "个"),
    ("pilot_projects", "foshan", "2014", "个"),
    ("tech_investment", "guangdong", "2014", "亿元"),
    ("tech_investment_growth", "guangdong", "2014", "%"),
    ("tech_investment", "guangdong", "2013", "亿元"),  # year-on-year growth: the previous year
    ("gdp_avg_growth", "zhaoqing", "2015", "%"),
    ("gdp", "zhaoqing", "2013", "亿元"),  # average annual growth: the plan's base year …
    ("gdp", "zhaoqing", "2015", "亿元"),  # … and the target year
    ("railway_opened", "guangdong", "2014", ""),
}


def template(*args: str | Path) -> list[dict[str, str]]:
    result = run_cli("template", "--targets", CATALOGUE, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("\ufeff")  # Excel reads the Chinese names as UTF-8
    return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))


def demo_values() -> dict[tuple[str, str, str], str]:
    """The demo figures by canonical key (regions there are spelled as ids, names or aliases)."""
    aliases = {"廣東": "guangdong", "佛山": "foshan"}
    with DEMO.open(encoding="utf-8") as stream:
        return {
            (
                r["indicator"],
                aliases.get(r["region"], r["region"]),
                r["year"],
            ): f"{r['value']}|{r['unit']}"
            for r in csv.DictReader(stream)
        }


def test_csv_template_lists_exactly_the_expected_rows_with_names_and_empty_values() -> None:
    rows = template()
    assert tuple(rows[0]) == COLUMNS
    assert {(r["indicator"], r["region"], r["year"], r["unit"]) for r in rows} == EXPECTED
    assert len(rows) == len(EXPECTED)
    assert all(r["value"] == "" for r in rows)
    forest = next(r for r in rows if r["indicator"] == "forest_coverage")
    assert (forest["indicator_name_zh"], forest["indicator_name_en"]) == (
        "森林覆盖率",
        "Forest coverage rate",
    )
    assert forest["region_name_zh"] == "珠江三角洲地区"
    base = next(r for r in rows if (r["indicator"], r["year"]) == ("tech_investment", "2013"))
    assert base["needed_for"] == "demo_tech_growth_2014"


def test_template_filters() -> None:
    assert {r["region"] for r in template("--region", "zhaoqing")} == {"zhaoqing"}
    years = {(r["indicator"], r["year"]) for r in template("--year", "2014")}
    assert ("tech_investment", "2013") in years and all(y in ("2013", "2014") for _, y in years)
    assert len(template("--plan", "demo_plan")) == len(EXPECTED)
    bad = run_cli("template", "--targets", CATALOGUE, "--plan", "nope")
    assert bad.exit_code == 2 and "--plan 'nope' is not in the catalogue" in bad.stderr
    none = run_cli("template", "--targets", CATALOGUE, "--year", "1999")
    assert none.exit_code == 2 and "no targets" in none.stderr


def check_json(actuals: Path, *args: str) -> tuple[int, dict[str, str]]:
    result = run_cli("check", "--targets", CATALOGUE, "-a", actuals, "-f", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, {
        r["target_id"]: r["status"] for r in json.loads(result.stdout)["results"]
    }


def test_filled_csv_template_round_trips_through_check(tmp_path: Path) -> None:
    out = tmp_path / "submission.csv"
    result = run_cli("template", "--targets", CATALOGUE, "--output", out)
    assert result.exit_code == 0 and result.stdout == ""
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    values = demo_values()
    for row in rows:  # a clerk fills in what is known, in the unit the template names
        known = values.get((row["indicator"], row["region"], row["year"]))
        if known is not None:
            value, unit = known.split("|")
            row["value"] = value
            row["unit"] = unit or row["unit"]
            row["source"] = "统计公报"
    next(r for r in rows if (r["indicator"], r["year"]) == ("forest_coverage", "2016"))["value"] = (
        "52.3"
    )
    with out.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    code, filled = check_json(out, "--as-of", "2016")
    _, demo = check_json(DEMO, "--as-of", "2016")
    assert code == 1
    assert "missing" not in filled.values()
    assert filled["demo_forest_2016"] == "met"
    assert {k: v for k, v in filled.items() if k != "demo_forest_2016"} == {
        k: v for k, v in demo.items() if k != "demo_forest_2016"
    }


def test_blank_template_is_read_as_no_figures(tmp_path: Path) -> None:
    out = tmp_path / "blank.csv"
    assert run_cli("template", "--targets", CATALOGUE, "-o", out).exit_code == 0
    code, statuses = check_json(out, "--as-of", "2015")
    assert code == 1 and set(statuses.values()) == {"missing", "pending"}


def test_xlsx_template_has_header_frozen_panes_and_value_validation(tmp_path: Path) -> None:
    out = tmp_path / "submission.xlsx"
    result = run_cli("template", "--targets", CATALOGUE, "--format", "xlsx", "--output", out)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert tuple(header) == COLUMNS and all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "B2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {(r[0], r[3], str(r[6]), r[8] or "") for r in rows} == EXPECTED
    value_col = openpyxl.utils.get_column_letter(COLUMNS.index("value") + 1)
    validations = {dv.type: dv for dv in sheet.data_validations.dataValidation}
    assert set(validations) == {"decimal", "list"}
    milestone_row = next(i for i, r in enumerate(rows, start=2) if r[0] == "railway_opened")
    assert f"{value_col}{milestone_row}" in validations["list"].sqref
    assert validations["list"].formula1 == '"是,否"'
    numeric = [f"{value_col}{i}" for i, r in enumerate(rows, start=2) if r[0] != "railway_opened"]
    assert all(cell in validations["decimal"].sqref for cell in numeric)
    assert all(r[COLUMNS.index("value")] is None for r in rows)


def test_xlsx_needs_an_output_file_and_the_suffix_picks_it(tmp_path: Path) -> None:
    result = run_cli("template", "--targets", CATALOGUE, "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr
    out = tmp_path / "t.xlsx"
    assert run_cli("template", "--targets", CATALOGUE, "-o", out).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"  # a zip: the xlsx container


def test_filled_xlsx_template_round_trips_through_check(tmp_path: Path) -> None:
    assert "xlsx" in READERS
    out = tmp_path / "submission.xlsx"
    assert run_cli("template", "--targets", CATALOGUE, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet is not None
    values = demo_values()
    for row in sheet.iter_rows(min_row=2):
        key = (row[0].value, row[3].value, str(row[6].value))
        known = values.get(key)  # type: ignore[arg-type]
        if known is not None:
            value, unit = known.split("|")
            row[COLUMNS.index("value")].value = (
                value if row[0].value == "railway_opened" else float(value)
            )
            row[COLUMNS.index("unit")].value = unit or row[COLUMNS.index("unit")].value
    book.save(out)
    _, filled = check_json(out, "--as-of", "2015")
    _, demo = check_json(DEMO, "--as-of", "2015")
    assert filled == demo
