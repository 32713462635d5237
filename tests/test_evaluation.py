"""Evaluation: statuses, comparators at their boundaries, unit conversion, growth and milestones."""

from __future__ import annotations

from pathlib import Path

import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.evaluation import EvaluationOptions, Report, evaluate

from .conftest import FIXTURES

HEADER = "indicator,region,year,value,unit,source,note\n"


def run(tmp_path: Path, rows: str, catalogue: Path | None = None, **options: object) -> Report:
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    cat = load_catalogue(catalogue or FIXTURES / "catalogue")
    return evaluate(cat, read_actuals([path], cat), EvaluationOptions(**options))  # type: ignore[arg-type]


def status(report: Report, target_id: str) -> str:
    row = report.results.loc[report.results["target_id"] == target_id]
    assert len(row) == 1, target_id
    return str(row["status"].iloc[0])


def result(report: Report, target_id: str) -> dict[str, object]:
    return report.results.loc[report.results["target_id"] == target_id].iloc[0].to_dict()


# demo_forest_2015 is ">= 51.50 %" for prd.
@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("51.50", "%", "met"),
        ("51.5", "%", "met"),
        ("51.49", "%", "not_met"),
        ("51.4999999999", "%", "not_met"),
        ("51.5000000001", "%", "met"),
        ("0.515", "ratio", "met"),
        ("0.5149", "ratio", "not_met"),
        ("515", "‰", "met"),
        ("514.9", "‰", "not_met"),
    ],
)
def test_greater_or_equal_at_the_boundary(
    tmp_path: Path, value: str, unit: str, expected: str
) -> None:
    report = run(tmp_path, f"forest_coverage,prd,2015,{value},{unit},,\n", plans=("demo_plan",))
    assert status(report, "demo_forest_2015") == expected


def test_fraction_meets_percent_exactly(tmp_path: Path) -> None:
    # 0.027 as a binary float times 100 is 2.7000000000000006; exact comparison must not care.
    report = run(tmp_path, "rd_share,prd,2015,0.027,ratio,,\nrd_share,prd,2014,0.0259999,ratio,,\n")
    assert status(report, "demo_rd_2015") == "met"
    assert status(report, "demo_rd_2014") == "not_met"
    assert result(report, "demo_rd_2015")["gap"] == 0


def test_greater_than_is_strict_even_across_magnitudes(tmp_path: Path) -> None:
    # demo_broadband_2015 is "> 2250 万户": 22,500,000 户 is equal, so not more.
    equal = run(tmp_path, "broadband_users,guangdong,2015,22500000,户,,\n")
    assert status(equal, "demo_broadband_2015") == "not_met"
    more = run(tmp_path, "broadband_users,guangdong,2015,22500001,户,,\n")
    assert status(more, "demo_broadband_2015") == "met"
    assert result(more, "demo_broadband_2015")["gap"] == pytest.approx(0.0001)


@pytest.mark.parametrize(
    ("value", "expected"), [("39.9", "met"), ("40", "not_met"), ("40.1", "not_met")]
)
def test_less_than(tmp_path: Path, value: str, expected: str) -> None:
    assert status(run(tmp_path, f"pm25,foshan,2015,{value},,,\n"), "demo_pm25_2015") == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("3.5", "met"), ("3.49", "met"), ("3.51", "not_met")]
)
def test_less_or_equal(tmp_path: Path, value: str, expected: str) -> None:
    assert (
        status(
            run(tmp_path, f"unemployment_rate,guangdong,2015,{value},%,,\n"),
            "demo_unemployment_2015",
        )
        == expected
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("3", "met"), ("2", "not_met"), ("4", "not_met"), ("3.0", "met")]
)
def test_equal(tmp_path: Path, value: str, expected: str) -> None:
    assert (
        status(
            run(tmp_path, f"pilot_projects,foshan,2014,{value},个,,\n"), "demo_pilots_exact_2014"
        )
        == expected
    )


@pytest.mark.parametrize(
    ("value", "expected", "gap"),
    [
        ("0", "not_met", -1),
        ("1", "met", 0),
        ("1.5", "met", 0),
        ("2", "met", 0),
        ("3", "not_met", 1),
    ],
)
def test_between_inclusive(tmp_path: Path, value: str, expected: str, gap: float) -> None:
    report = run(tmp_path, f"pilot_projects,zhaoqing,2015,{value},个,,\n")
    assert status(report, "demo_pilots_2015") == expected
    assert result(report, "demo_pilots_2015")["gap"] == gap


def test_classifiers_convert_and_gap_is_in_the_target_unit(tmp_path: Path) -> None:
    report = run(tmp_path, "wetland_parks,guangdong,2015,67,个,,\n")
    assert status(report, "demo_wetland_2015") == "met"
    assert result(report, "demo_wetland_2015")["gap"] == 8
    assert result(report, "demo_wetland_2015")["achievement"] == pytest.approx(67 / 59)


def test_lower_is_better_achievement_is_target_over_actual(tmp_path: Path) -> None:
    report = run(tmp_path, "pm25,foshan,2015,32,,,\n")
    assert result(report, "demo_pm25_2015")["achievement"] == 1.25


def test_missing_pending_and_as_of(tmp_path: Path) -> None:
    report = run(tmp_path, "rd_share,prd,2014,2.6,%,,\n", method=None)
    assert report.as_of == 2014  # default: the latest year in the actuals
    assert status(report, "demo_rd_2014") == "met"
    assert status(report, "demo_rd_2015") == "pending"
    assert status(report, "demo_forest_2016") == "pending"
    later = run(tmp_path, "rd_share,prd,2014,2.6,%,,\n", as_of=2015, method=None)
    assert status(later, "demo_rd_2015") == "missing"
    assert status(later, "demo_forest_2016") == "pending"


def test_actuals_after_as_of_are_not_known_yet(tmp_path: Path) -> None:
    report = run(tmp_path, "rd_share,prd,2015,2.8,%,,\n", as_of=2014)
    assert status(report, "demo_rd_2015") == "pending"  # no value up to 2014: nothing to assess


def test_blank_value_means_no_figure(tmp_path: Path) -> None:
    report = run(
        tmp_path,
        "rd_share,prd,2015,,%,,\nrd_share,prd,2014,—,%,,\nforest_coverage,prd,2015,52,%,,\n",
    )
    assert status(report, "demo_rd_2015") == "missing"
    assert status(report, "demo_rd_2014") == "missing"


def test_soft_target_fails_only_with_strict(tmp_path: Path) -> None:
    rows = "unemployment_rate,guangdong,2015,3.6,%,,\n"
    # --fail-on not_met: the fixture's missing targets do not decide this run
    report = run(tmp_path, rows, plans=("demo_plan",), fail_on=("not_met",))
    assert status(report, "demo_unemployment_2015") == "not_met"
    assert report.exit_code() == 0
    assert run(tmp_path, rows, fail_on=("not_met",), strict=True).exit_code() == 1


def test_exit_code_one_for_not_met_and_for_missing(tmp_path: Path) -> None:
    assert run(tmp_path, "rd_share,prd,2015,2.6,%,,\n", fail_on=("not_met",)).exit_code() == 1
    assert run(tmp_path, "rd_share,prd,2015,2.7,%,,\n", fail_on=("missing",)).exit_code() == 1
    assert run(tmp_path, "rd_share,prd,2015,2.7,%,,\n", fail_on=("not_met",)).exit_code() == 0
    # --status only chooses what is listed: the verdict stays that of every selected target
    listed = run(tmp_path, "rd_share,prd,2015,2.7,%,,\n", statuses=("met", "pending"))
    assert set(listed.results["status"]) <= {"met", "pending"} and listed.exit_code() == 1


def test_growth_computed_from_the_previous_year(tmp_path: Path) -> None:
    rows = "tech_investment,guangdong,2013,833,亿元,,\ntech_investment,guangdong,2014,1000,亿元,,\n"
    r = result(run(tmp_path, rows), "demo_tech_growth_2014")
    assert r["status"] == "met"
    assert r["actual_value"] == "20.05"
    assert "2013→2014" in str(r["basis"])


def test_growth_exactly_at_the_boundary(tmp_path: Path) -> None:
    # 1000 / 1.2 is not a finite decimal; 1000 / 833.33 just misses 20 %, 1000 / 833.333... cannot be written.
    meets = "tech_investment,guangdong,2013,800,亿元,,\ntech_investment,guangdong,2014,960,亿元,,\n"
    assert status(run(tmp_path, meets), "demo_tech_growth_2014") == "met"  # exactly +20 %
    misses = (
        "tech_investment,guangdong,2013,800,亿元,,\ntech_investment,guangdong,2014,959.99,亿元,,\n"
    )
    assert status(run(tmp_path, misses), "demo_tech_growth_2014") == "not_met"


def test_growth_levels_in_different_units(tmp_path: Path) -> None:
    rows = (
        "tech_investment,guangdong,2013,8000000,万元,,\ntech_investment,guangdong,2014,960,亿元,,\n"
    )
    assert status(run(tmp_path, rows), "demo_tech_growth_2014") == "met"


def test_submitted_growth_figure_wins_over_levels(tmp_path: Path) -> None:
    rows = (
        "tech_investment,guangdong,2013,800,亿元,,\ntech_investment,guangdong,2014,960,亿元,,\n"
        "tech_investment_growth,guangdong,2014,19.5,%,,\n"
    )
    r = result(run(tmp_path, rows), "demo_tech_growth_2014")
    assert r["status"] == "not_met" and r["basis"] == "submitted growth figure"


def test_growth_with_a_missing_base_year_is_missing(tmp_path: Path) -> None:
    r = result(
        run(tmp_path, "tech_investment,guangdong,2014,1000,亿元,,\n"), "demo_tech_growth_2014"
    )
    assert r["status"] == "missing"
    assert "no tech_investment level for 2013" in str(r["basis"])


def test_growth_with_a_zero_base_is_said_not_guessed(tmp_path: Path) -> None:
    rows = "tech_investment,guangdong,2013,0,亿元,,\ntech_investment,guangdong,2014,1000,亿元,,\n"
    r = result(run(tmp_path, rows), "demo_tech_growth_2014")
    assert r["status"] == "missing" and "not positive" in str(r["basis"])


def test_average_annual_growth_since_the_base_year(tmp_path: Path) -> None:
    # Base 2013 (the plan's base_year), target 2015: 10 % a year needs 1.21 times the base.
    rows = "gdp,zhaoqing,2013,1000,亿元,,\ngdp,zhaoqing,2015,1210,亿元,,\n"
    r = result(run(tmp_path, rows), "demo_gdp_growth_2015")
    assert (
        r["status"] == "met"
        and "2013→2015" in str(r["basis"])
        and "average annual" in str(r["basis"])
    )
    rows = "gdp,zhaoqing,2013,1000,亿元,,\ngdp,zhaoqing,2015,1209.99,亿元,,\n"
    assert status(run(tmp_path, rows), "demo_gdp_growth_2015") == "not_met"


@pytest.mark.parametrize("word", ["是", "完成", "yes", "YES", "true", "1", "done", "已完成"])
def test_milestone_done_spellings(tmp_path: Path, word: str) -> None:
    assert (
        status(run(tmp_path, f"railway_opened,guangdong,2014,{word},,,\n"), "demo_railway_2014")
        == "met"
    )


@pytest.mark.parametrize("word", ["否", "未完成", "no", "false", "0", "not done"])
def test_milestone_not_done_spellings(tmp_path: Path, word: str) -> None:
    assert (
        status(run(tmp_path, f"railway_opened,guangdong,2014,{word},,,\n"), "demo_railway_2014")
        == "not_met"
    )


def test_milestone_done_late_is_not_met_and_says_when(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "indicator,region,year,value,unit,date\nrailway_opened,guangdong,2015,是,,2015-03-01\n",
        encoding="utf-8",
    )
    cat = load_catalogue(FIXTURES / "catalogue")
    r = evaluate(cat, read_actuals([path], cat)).results
    row = r.loc[r["target_id"] == "demo_railway_2014"].iloc[0]
    assert row["status"] == "not_met"
    assert row["completed"] == "2015-03-01"
    assert "after the 2014 deadline" in row["basis"]


def test_milestone_missing_and_pending(tmp_path: Path) -> None:
    report = run(tmp_path, "rd_share,prd,2014,2.6,%,,\n")
    assert status(report, "demo_railway_2014") == "missing"
    assert status(run(tmp_path, "rd_share,prd,2013,2.6,%,,\n"), "demo_railway_2014") == "pending"


def test_open_targets_without_a_deadline(tmp_path: Path, catalogue_dir: Path) -> None:
    plan = catalogue_dir / "plans" / "demo_plan.yaml"
    text = plan.read_text(encoding="utf-8").replace(
        "period: {start: 2014, end: 2015}", "period: {start: 2014, end: null}"
    )
    text = text.replace(
        "    year: 2014\n    source: {section: 一(八)1",
        "    year: null\n    source: {section: 一(八)1",
    )
    text = text.replace("    year: 2016\n", "    year: null\n")
    plan.write_text(text, encoding="utf-8")
    report = run(tmp_path, "rd_share,prd,2015,2.7,%,,\n", catalogue=catalogue_dir)
    assert status(report, "demo_railway_2014") == "open"
    assert status(report, "demo_forest_2016") == "open"
    assert report.exit_code() == 1  # others are missing; open ones never fail a run
    open_only = run(
        tmp_path, "rd_share,prd,2015,2.7,%,,\n", catalogue=catalogue_dir, fail_on=("not_met",)
    )
    assert open_only.exit_code() == 0  # with the missing ones not failing, open ones do not
    done = run(
        tmp_path,
        "railway_opened,guangdong,2019,是,,,\nforest_coverage,prd,2019,52.1,%,,\n",
        catalogue=catalogue_dir,
    )
    assert status(done, "demo_railway_2014") == "met"
    assert status(done, "demo_forest_2016") == "met"
    below = run(tmp_path, "forest_coverage,prd,2019,51,%,,\n", catalogue=catalogue_dir)
    assert status(below, "demo_forest_2016") == "open"


def test_every_status_appears_in_the_demo_run(demo_actuals: Path) -> None:
    cat = load_catalogue(FIXTURES / "catalogue")
    report = evaluate(cat, read_actuals([demo_actuals], cat))
    summary = report.summary()
    assert summary == {
        "met": 9,
        "not_met": 4,
        "missing": 0,
        "on_track": 0,
        "off_track": 0,
        "insufficient_data": 1,
        "pending": 0,
        "open": 0,
    }
    assert len(report.failing()) == 3  # the soft unemployment target does not fail the run
