"""Every cell of a submitted file is used, refused with its position, or reported as ignored.

Yearbook layouts (titles, 单位 lines, two-row headers, footnotes, qualified year columns, units
in headers and names) and the silent misreads of issue 10, end to end through read_actuals
and the CLI, on the test catalogue.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.problems import InputError, Problem
from plancheck.readers import ReadOptions

from .conftest import FIXTURES, run_cli

CATALOGUE = FIXTURES / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


def write(tmp_path: Path, text: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(path: Path, catalogue: Catalogue, **options: bool) -> list[tuple[object, ...]]:
    data = read_actuals([path], catalogue, ReadOptions(**options))  # type: ignore[arg-type]
    table = data.table.sort_values(["indicator", "region", "year"])
    return [
        (r.indicator, r.region, r.year, r.value_text, r.unit, r.flag)
        for r in table.itertuples(index=False)
    ]


def problems(path: Path, catalogue: Catalogue, **options: bool) -> list[Problem]:
    with pytest.raises(InputError) as err:
        read_actuals([path], catalogue, ReadOptions(**options))  # type: ignore[arg-type]
    return err.value.problems


def notices(path: Path, catalogue: Catalogue, **options: bool) -> list[Problem]:
    return read_actuals([path], catalogue, ReadOptions(**options)).notices  # type: ignore[arg-type]


def test_yearbook_csv_title_unit_line_qualified_years_and_footnotes(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(
        tmp_path,
        "珠三角主要指标\n"
        "单位：%\n"
        "指标,地区,2014年,2015年(初步)\n"
        "森林覆盖率,珠江三角洲地区,51.2,51.6³\n"
        "注：2015年为初步数。\n"
        "资料来源：广东省林业局\n",
    )
    assert rows(path, catalogue) == [
        ("forest_coverage", "prd", 2014, "51.2", "%", ""),
        ("forest_coverage", "prd", 2015, "51.6", "%", "p,³"),
    ]
    said = " | ".join(n.message for n in notices(path, catalogue))
    assert "2 rows above the header read as a title" in said
    assert "unit '%' applied" in said
    assert "2 rows read as footnotes" in said and "资料来源" in said


def test_unit_line_governs_the_figures_that_state_no_unit(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # 9,990,000 万元 is 999 亿元: taken as 亿元 it would meet any target.
    path = write(tmp_path, "单位：万元\n指标,地区,年份,数值\ngdp,zhaoqing,2015,9990000\n")
    data = read_actuals([path], catalogue)
    (row,) = data.table.itertuples(index=False)
    assert (row.value_text, row.unit) == ("9990000", "万元")
    assert row.value == pytest.approx(999.0)


def test_a_units_own_statement_beats_the_unit_line(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "单位：亿元\n指标,地区,2015年\ngdp,zhaoqing,1800\n森林覆盖率(%),zhaoqing,70.1\n",
    )
    assert rows(path, catalogue) == [
        ("forest_coverage", "zhaoqing", 2015, "70.1", "%", ""),
        ("gdp", "zhaoqing", 2015, "1800", "亿元", ""),
    ]


def test_unit_in_the_value_header(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "指标,地区,年份,数值（万元）\ngdp,zhaoqing,2015,9990000\n")
    assert rows(path, catalogue)[0][3:5] == ("9990000", "万元")


def test_name_unit_conflicting_with_the_unit_column_is_refused(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(tmp_path, "指标,地区,年份,数值,单位\n森林覆盖率(%),zhaoqing,2015,5,万元\n")
    (problem,) = problems(path, catalogue)
    assert problem.type == "unit-conflict"
    assert "the unit column says '万元'" in problem.message
    assert "the indicator's name says '%'" in problem.message
    assert (problem.row, problem.field) == (1, "数值")


def test_two_row_header_merged_year_label(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "指标,地区,年份,\n,,2014年,2015年\nforest_coverage,prd,51.2,51.6\n",
    )
    assert [r[2:4] for r in rows(path, catalogue)] == [(2014, "51.2"), (2015, "51.6")]


def test_chinese_over_english_header(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "指标,地区,年份,数值\nIndicator,Region,Year,Value\nforest_coverage,prd,2015,51.6\n",
    )
    assert rows(path, catalogue) == [("forest_coverage", "prd", 2015, "51.6", "%", "")]


def test_a_data_row_of_years_is_not_taken_for_a_header(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # Values that look like years under year columns stay data (pilot projects: 2014 of them).
    path = write(tmp_path, "指标,地区,2014,2015\npilot_projects,prd,2014,2015\n")
    assert [r[2:4] for r in rows(path, catalogue)] == [(2014, "2014"), (2015, "2015")]


def test_region_stated_once_above_the_header(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "地区：肇庆市\n指标,年份,数值,单位\ngdp,2015,1800,亿元\n")
    assert rows(path, catalogue) == [("gdp", "zhaoqing", 2015, "1800", "亿元", "")]


@pytest.mark.parametrize(
    ("header", "flag"),
    [
        ("2015年(初步)", "p"),
        ("2015p", "p"),
        ("2015*", "*"),
        ("2015年（快报）", "p"),
        ("2015年(预计)", "e"),
    ],
)
def test_year_qualifiers_become_flags(
    tmp_path: Path, catalogue: Catalogue, header: str, flag: str
) -> None:
    path = write(tmp_path, f"指标,地区,{header}\nforest_coverage,prd,51.6\n")
    assert rows(path, catalogue) == [("forest_coverage", "prd", 2015, "51.6", "%", flag)]


def test_unknown_year_qualifier_is_refused_not_dropped(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(tmp_path, "指标,地区,2014年,2015年(目标)\nforest_coverage,prd,51.2,52\n")
    (problem,) = problems(path, catalogue)
    assert problem.type == "unknown-year-qualifier"
    assert problem.field == "2015年(目标)"


def test_long_layout_with_a_year_column_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "indicator,region,year,value,2016\nforest_coverage,prd,2015,51.6,52\n")
    (problem,) = problems(path, catalogue)
    assert (problem.type, problem.field) == ("mixed-layout", "2016")


def test_columns_equal_once_trimmed_are_ambiguous(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path, 'indicator,region,year,value,"value "\nforest_coverage,prd,2015,51.6,40\n'
    )
    (problem,) = problems(path, catalogue)
    assert problem.type == "ambiguous-column"


def test_unknown_columns_are_reported_not_dropped_silently(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(
        tmp_path, "indicator,region,year,value,审核人\nforest_coverage,prd,2015,51.6,张三\n"
    )
    (notice,) = notices(path, catalogue)
    assert notice.type == "ignored-column" and "'审核人'" in notice.message


def test_wide_row_with_unknown_indicator_is_one_problem(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(tmp_path, "指标,地区,2013,2014,2015\n粮食产量,prd,1,2,3\n")
    (problem,) = problems(path, catalogue)
    assert (problem.type, problem.row) == ("unknown-indicator", 1)
    assert "--skip-unknown" in (problem.hint or "")


def test_skip_unknown_lists_what_was_skipped(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "指标,地区,2015\n粮食产量,prd,1\n年末常住人口,prd,2\nforest_coverage,prd,51.6\n"
        "forest_coverage,火星,3\n",
    )
    assert rows(path, catalogue, skip_unknown=True) == [
        ("forest_coverage", "prd", 2015, "51.6", "%", "")
    ]
    said = {n.type: n.message for n in notices(path, catalogue, skip_unknown=True)}
    assert "'年末常住人口'" in said["skipped-unknown-indicator"]
    assert "'粮食产量'" in said["skipped-unknown-indicator"]
    assert "'火星'" in said["skipped-unknown-region"]


def test_rows_without_a_figure_are_counted_by_kind(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path,
        "indicator,region,year,value\nforest_coverage,prd,2013,…\nforest_coverage,prd,2014,—\n"
        "forest_coverage,prd,2015,51.6\n",
    )
    assert len(rows(path, catalogue)) == 1
    (notice,) = notices(path, catalogue)
    assert notice.type == "no-figure"
    assert "1 below the smallest unit shown" in notice.message
    assert "1 not applicable" in notice.message


def test_magnitude_typed_into_a_template_row_with_a_scaled_unit(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # The template pre-fills 万户; the clerk types 640万: that is 640 万户, not 640 万万户.
    path = write(
        tmp_path, "indicator,region,year,value,unit\nbroadband_users,prd,2015,640万,万户\n"
    )
    data = read_actuals([path], catalogue)
    (row,) = data.table.itertuples(index=False)
    assert row.value == pytest.approx(640.0)


def test_equal_figures_in_different_units_are_not_a_conflict(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write(
        tmp_path,
        "indicator,region,year,value,unit\ngdp,zhaoqing,2015,835,亿元\ngdp,zhaoqing,2015,8350000,万元\n",
    )
    assert len(rows(path, catalogue)) == 1
    different = write(
        tmp_path,
        "indicator,region,year,value,unit\ngdp,zhaoqing,2015,835,亿元\ngdp,zhaoqing,2015,8350001,万元\n",
        "b.csv",
    )
    assert problems(different, catalogue)[0].type == "conflicting-actuals"


def test_many_identical_duplicates_are_dropped(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(
        tmp_path, "indicator,region,year,value\n" + "forest_coverage,prd,2015,51.6\n" * 20000
    )
    assert len(rows(path, catalogue)) == 1


@pytest.mark.parametrize("cell", ["1e309", "1E+400", "9" * 400, "Infinity", "NaN", "51 5", "48³8"])
def test_numbers_that_would_compare_wrongly_are_refused(
    tmp_path: Path, catalogue: Catalogue, cell: str
) -> None:
    path = write(tmp_path, f"indicator,region,year,value\nforest_coverage,prd,2015,{cell}\n")
    (problem,) = problems(path, catalogue)
    assert (problem.type, problem.row, problem.field) == ("type-error", 1, "value")


@pytest.mark.parametrize("date", ["2014-13-45", "0000-00-00"])
def test_impossible_completion_dates_are_refused(
    tmp_path: Path, catalogue: Catalogue, date: str
) -> None:
    path = write(
        tmp_path, f"indicator,region,year,value,date\nrailway_opened,guangdong,2014,是,{date}\n"
    )
    (problem,) = problems(path, catalogue)
    assert (problem.type, problem.field) == ("type-error", "date")


def test_catalogue_number_beyond_float_range_is_refused(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, root)
    plan = next((root / "plans").glob("*.yaml"))
    text = plan.read_text(encoding="utf-8")
    first_value = text.index("value: ") + len("value: ")
    end = text.index("\n", first_value)
    plan.write_text(text[:first_value] + "1e309" + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_catalogue(root)
    (problem,) = err.value.problems
    assert problem.type == "number-out-of-range"
    assert problem.line == text[:first_value].count("\n") + 1


def test_folder_of_unreadable_files_is_refused_and_named(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    folder = tmp_path / "actuals"
    folder.mkdir()
    (folder / "2015.docx").write_bytes(b"PK\x03\x04")
    (folder / "2015.csv.bak").write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_actuals([folder], catalogue)
    (problem,) = err.value.problems
    assert problem.type == "no-actuals" and "2 other files" in problem.message


def test_skipped_files_beside_readable_ones_are_reported(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    folder = tmp_path / "actuals"
    folder.mkdir()
    write(folder, "indicator,region,year,value\nforest_coverage,prd,2015,51.6\n")
    (folder / "old.csv.bak").write_text("x", encoding="utf-8")
    data = read_actuals([folder], catalogue)
    (notice,) = data.notices
    assert notice.type == "skipped-file" and "old.csv.bak" in notice.message


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_links_out_of_the_folder_are_not_followed(tmp_path: Path, catalogue: Catalogue) -> None:
    secret = write(
        tmp_path, "indicator,region,year,value\nforest_coverage,prd,2015,99\n", "secret.csv"
    )
    folder = tmp_path / "actuals"
    folder.mkdir()
    (folder / "linked.csv").symlink_to(secret)
    with pytest.raises(InputError) as err:
        read_actuals([folder], catalogue)
    assert {p.type for p in err.value.problems} == {"link-outside-folder"}


def test_exactness_survives_the_unit_line(tmp_path: Path, catalogue: Catalogue) -> None:
    # 0.027 ratio … here: 26000 万元 is exactly 2.6 亿元, at the boundary of a 2.6 target.
    path = write(tmp_path, "单位：万元\nindicator,region,year,value\ngdp,zhaoqing,2015,26000\n")
    (row,) = read_actuals([path], catalogue).table.itertuples(index=False)
    from plancheck import units

    exact = Fraction(row.value_text) * units.conversion_factor(row.unit, "亿元")
    assert exact == Fraction(26, 10)


def test_cli_prints_notices_and_names_the_flag(tmp_path: Path) -> None:
    path = write(tmp_path, "指标,地区,2015\n粮食产量,prd,1\nforest_coverage,prd,51.6\n")
    refused = run_cli("check", "--targets", str(CATALOGUE), "-a", str(path))
    assert refused.exit_code == 2
    assert "--skip-unknown" in refused.stderr and "Traceback" not in refused.stderr
    skipped = run_cli(
        "check", "--targets", str(CATALOGUE), "-a", str(path), "--skip-unknown", "-v", "-q"
    )
    assert skipped.exit_code in (0, 1)
    assert "plancheck: note:" in skipped.stderr and "'粮食产量'" in skipped.stderr
    assert "rows 2 read, 1 used" in skipped.stderr
    validated = run_cli("validate", str(CATALOGUE), str(path), "--skip-unknown")
    assert validated.exit_code == 0 and "note:" in validated.stdout


def test_a_reported_stage_counts_only_up_to_the_stage_it_names(tmp_path: Path) -> None:
    # 开工 (started) does not reach a railway that must be open; 通车 does. 已建成 is the
    # completed stage, not a plain yes to every stage.
    from plancheck.cells import read_done

    assert read_done("已建成").stage == "completed"
    assert read_done("是").stage == ""
    path = write(
        tmp_path,
        "indicator,region,year,value\nguiguang_railway_opened,guangdong,2014,开工\n"
        "nanguang_railway_opened,guangdong,2014,通车\n",
    )
    result = run_cli(
        "check",
        "-a",
        str(path),
        "--plan",
        "prd_integration_2014_2015",
        "--as-of",
        "2015",
        "-f",
        "json",
    )
    import json

    statuses = {r["target_id"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert statuses["prd1415_guiguang_railway_opened_2015"] == "not_met"
    assert statuses["prd1415_nanguang_railway_opened_2015"] == "met"


def test_each_row_carries_its_physical_line_and_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    # A blank line and a quoted two-line note shift the lines; rows count data rows only.
    path = write(
        tmp_path,
        'indicator,region,year,value,note\n\nforest_coverage,prd,2014,51.2,"a\nb"\n'
        "forest_coverage,prd,2015,51.6,\n",
    )
    table = read_actuals([path], catalogue).table.sort_values("year")
    assert list(table["row"]) == [1, 2]
    assert list(table["line"]) == [3, 5]
    clean = write(tmp_path, "indicator,region,year,value\nforest_coverage,prd,2015,51.6\n", "b.csv")
    assert list(read_actuals([clean], catalogue).table["line"]) == [2]


def test_excel_rows_carry_their_value_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "主要指标"
    sheet.append(["2015年主要指标"])
    sheet.append(["指标", "地区", "2014年", "2015年"])
    sheet.append(["forest_coverage", "prd", 51.2, 51.6])
    path = tmp_path / "a.xlsx"
    book.save(path)
    table = read_actuals([path], catalogue).table.sort_values("year")
    assert list(table["cell"]) == ["主要指标!C3", "主要指标!D3"]


def test_a_huge_cell_is_shown_by_its_start_and_length(tmp_path: Path) -> None:
    path = write(
        tmp_path, "indicator,region,year,value\nforest_coverage,prd,2015," + "x" * 30000 + "\n"
    )
    result = run_cli("check", "--targets", str(CATALOGUE), "-a", str(path))
    assert result.exit_code == 2
    assert "(30,000 characters in all)" in result.stderr
    assert len(result.stderr) < 2000
