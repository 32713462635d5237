"""Progress assessment: each method reproduces published (or derived) worked examples; evaluation rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.evaluation import EvaluationOptions, Report, evaluate
from plancheck.evaluation.progress import method

from .conftest import run_cli


def frame(
    t0: float,
    x0: float,
    tk: float,
    xk: float,
    T: float,
    xT: float,
    higher: bool,
    growth: float = np.nan,
    points: list[tuple[float, float]] | None = None,
) -> pd.DataFrame:
    pts = points or [(t0, x0), (tk, xk)]
    t = np.array([p[0] - t0 for p in pts])
    y = np.array([p[1] for p in pts])
    return pd.DataFrame(
        {
            "t0": [t0],
            "x0": [x0],
            "tk": [tk],
            "xk": [xk],
            "T": [T],
            "xT": [xT],
            "higher": [higher],
            "growth": [growth],
            "n": [len(pts)],
            "st": [t.sum()],
            "sy": [y.sum()],
            "stt": [(t * t).sum()],
            "sty": [(t * y).sum()],
        }
    )


# Published inputs and progress values: Statistics Canada and EUSTAT indicator_calculation_components.yml
# (their SDG data repositories), computed with the Eurostat-inspired CAGR ratio and thresholds 0.95/0.6/0.
STATCAN_EUSTAT = [
    (
        "CA 1.2.1 poverty rate",
        2015,
        14.5,
        2023,
        10.2,
        2030,
        7.25,
        False,
        0.9525901792032172,
        "significant_progress",
    ),
    (
        "CA 1.4.1 drinking water",
        2015,
        98.82,
        2022,
        99.04,
        2030,
        100.0,
        True,
        0.4013545340426752,
        "insufficient_progress",
    ),
    (
        "CA 1.4.1 sanitation",
        2015,
        82.6,
        2022,
        83.9,
        2030,
        100.0,
        True,
        0.1741314538877581,
        "insufficient_progress",
    ),
    (
        "CA 1.4.1 grade-4 proficiency",
        2015,
        92.0,
        2019,
        92.0,
        2030,
        100.0,
        True,
        0.0,
        "insufficient_progress",
    ),
    ("CA 11.1.1", 2018, 10.0, 2022, 10.4, 2030, 0.1, False, -0.030916728428577435, "movement_away"),
    (
        "CA 11.2.1 (1000 m)",
        2023,
        8.2,
        2024,
        8.4,
        2030,
        100.0,
        True,
        0.05679393189022746,
        "insufficient_progress",
    ),
    (
        "EUSTAT 1.1.1",
        2016,
        0.1490340749,
        2022,
        0.17,
        2030,
        0.1,
        False,
        -0.7893659694952404,
        "movement_away",
    ),
    (
        "EUSTAT 1.2.1",
        2016,
        16.4,
        2022,
        16.5,
        2030,
        8.2,
        False,
        -0.02098521874625286,
        "movement_away",
    ),
    (
        "EUSTAT 1.4.1",
        2015,
        99.6,
        2023,
        99.8,
        2030,
        99.9,
        True,
        1.2506577815013848,
        "significant_progress",
    ),
]


@pytest.mark.parametrize(
    ("name", "t0", "x0", "tk", "xk", "T", "xT", "higher", "published", "category"), STATCAN_EUSTAT
)
def test_eurostat_reproduces_published_ratios(
    name: str,
    t0: int,
    x0: float,
    tk: int,
    xk: float,
    T: int,
    xT: float,
    higher: bool,
    published: float,
    category: str,
) -> None:
    out = method("eurostat").assess(frame(t0, x0, tk, xk, T, xT, higher)).iloc[0]
    assert out["score"] == pytest.approx(published, rel=1e-12, abs=1e-15), name
    assert out["category"] == category
    assert bool(out["on_track"]) is (category == "significant_progress")


def test_unsd_projection_share_derived_from_the_published_formula() -> None:
    # StatCan CA 1.2.1 inputs; share = (10.2 (1 + CAGR)^7 − 14.5) / (7.25 − 14.5) = 0.9658.
    out = method("unsd").assess(frame(2015, 14.5, 2023, 10.2, 2030, 7.25, False)).iloc[0]
    assert out["score"] == pytest.approx(0.9658, abs=5e-5)
    assert out["projected_value"] == pytest.approx(7.4977, abs=5e-5)
    assert out["category"] == "target_met_or_almost_met" and bool(out["on_track"])
    water = method("unsd").assess(frame(2015, 98.82, 2022, 99.04, 2030, 100.0, True)).iloc[0]
    assert (
        water["score"] == pytest.approx(0.4000, abs=5e-5)
        and water["category"] == "fair_progress_acceleration_needed"
    )
    eustat = method("unsd").assess(frame(2016, 0.1490340749, 2022, 0.17, 2030, 0.1, False)).iloc[0]
    assert (
        eustat["score"] == pytest.approx(-1.0927, abs=5e-5)
        and eustat["category"] == "stagnation_or_regression"
    )


def test_ndrc_reproduces_the_12th_plan_energy_intensity_verdict() -> None:
    # 12th FYP: energy use per unit of GDP −16 % from 2010 to 2015; 2011 fell 2.01 % (NBS/NDRC bulletin).
    # The published mid-term verdict for the energy indicators was 进度滞后: 2.01/16 = 12.6 % < 1/5 of the time.
    out = method("ndrc").assess(frame(2010, 100.0, 2011, 97.99, 2015, 84.0, False)).iloc[0]
    assert out["score"] == pytest.approx(2.01 / 16)
    assert out["required_rate"] == pytest.approx(0.2)
    assert out["category"] == "lagging" and not bool(out["on_track"])


def test_ndrc_hubei_shantytown_renovation_is_ahead_of_the_requirement() -> None:
    # Hubei 13th FYP: 110万套 by 2020; 95.4万套 done by mid-2018 — published "超过进度要求".
    out = method("ndrc").assess(frame(2015, 0.0, 2018, 95.4, 2020, 110.0, True)).iloc[0]
    assert out["score"] == pytest.approx(95.4 / 110)
    assert out["score"] > out["required_rate"] == pytest.approx(3 / 5)
    assert out["category"] == "on_schedule" and bool(out["on_track"])


def test_ndrc_average_growth_compares_cumulative_indices() -> None:
    # 7 % a year from 2020: by 2023 the index must reach 1.07^3 = 1.225043.
    on = (
        method("ndrc").assess(frame(2020, 100.0, 2023, 122.6, 2025, 0.0, True, growth=0.07)).iloc[0]
    )
    assert on["required_rate"] == pytest.approx(1.07**3) and on["category"] == "on_schedule"
    off = (
        method("ndrc").assess(frame(2020, 100.0, 2023, 122.4, 2025, 0.0, True, growth=0.07)).iloc[0]
    )
    assert off["category"] == "lagging"


def test_linear_least_squares_projection_and_year_reached() -> None:
    # DERIVED example (no published one exists): 10.0 … 13.0 over 2017–2022, target 20 in 2030.
    pts = [(2017, 10.0), (2018, 10.6), (2019, 11.1), (2020, 11.9), (2021, 12.2), (2022, 13.0)]
    out = (
        method("linear").assess(frame(2017, 10.0, 2022, 13.0, 2030, 20.0, True, points=pts)).iloc[0]
    )
    assert out["observed_rate"] == pytest.approx(0.588571, abs=1e-6)
    assert out["projected_value"] == pytest.approx(17.646667, abs=1e-6)
    assert (
        out["projected_year"] == 2034
    )  # the line crosses 20 during 2033 → reached in 2034's figure
    assert out["category"] == "projected_to_miss" and not bool(out["on_track"])


@pytest.mark.parametrize("name", ["eurostat", "unsd"])
def test_growth_methods_refuse_zero_or_negative_values(name: str) -> None:
    out = method(name).assess(frame(2015, 0.0, 2018, 5.0, 2020, 10.0, True)).iloc[0]
    assert pd.isna(out["on_track"]) and "zero or negative" in out["reason"]


@pytest.mark.parametrize("name", ["ndrc", "eurostat", "unsd"])
def test_one_point_is_insufficient(name: str) -> None:
    out = method(name).assess(frame(2018, 5.0, 2018, 5.0, 2020, 10.0, True)).iloc[0]
    assert pd.isna(out["on_track"]) and "one point" in out["reason"]


# --- evaluation rules, on a small plan written for these tests --------------------------------

PLAN = """\
plan:
  id: progress_plan
  title_zh: 进度规划
  title_en: Progress plan
  period: {start: 2021, end: 2025}
  base_year: 2020
  source_file: progress.txt
targets:
  - id: pp_forest_2025
    indicator: forest_coverage
    region: prd
    year: 2025
    comparator: ">="
    value: 60
    unit: "%"
    nature: binding
    source: {section: "1", quote: 森林覆盖率达60%}
  - id: pp_pm25_2025
    indicator: pm25
    region: foshan
    year: 2025
    comparator: "<="
    value: 30
    unit: 微克每立方米
    nature: expected
    source: {section: "2", quote: PM2.5浓度控制在30以内}
  - id: pp_gdp_growth_2025
    indicator: gdp_avg_growth
    region: zhaoqing
    year: 2025
    comparator: ">="
    value: 7
    unit: "%"
    source: {section: "3", quote: 年均增长7%}
  - id: pp_wetland_maintain_2025
    indicator: wetland_parks
    region: guangdong
    year: 2025
    comparator: ">="
    value: 59
    unit: 处
    maintain: true
    source: {section: "4", quote: 湿地公园保持59处以上}
  - id: pp_rd_2025
    indicator: rd_share
    region: prd
    year: 2025
    comparator: ">="
    value: 3
    unit: "%"
    source: {section: "5", quote: 研发投入强度达3%}
"""
SERIES = """indicator,region,year,value,unit,flag
forest_coverage,prd,2020,50,%,
forest_coverage,prd,2021,52,%,
forest_coverage,prd,2023,57,%,p
pm25,foshan,2020,40,微克每立方米,
pm25,foshan,2023,29,微克每立方米,
gdp,zhaoqing,2020,1000,亿元,
gdp,zhaoqing,2023,1200,亿元,e
wetland_parks,guangdong,2021,60,处,
wetland_parks,guangdong,2022,58,处,
wetland_parks,guangdong,2023,61,处,
rd_share,prd,2021,3.1,%,
rd_share,prd,2023,2.9,%,
"""


def progress_report(catalogue_dir: Path, tmp_path: Path, **options: object) -> Report:
    (catalogue_dir / "plans" / "progress_plan.yaml").write_text(PLAN, encoding="utf-8")
    data = tmp_path / "series.csv"
    data.write_text(SERIES, encoding="utf-8")
    cat = load_catalogue(catalogue_dir)
    opts = EvaluationOptions(plans=("progress_plan",), **options)  # type: ignore[arg-type]
    return evaluate(cat, read_actuals([data], cat), opts)


def row(report: Report, target_id: str, year: int | None = None) -> dict[str, object]:
    rows = report.results[report.results["target_id"] == target_id]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1
    return rows.iloc[0].to_dict()


def test_on_track_off_track_and_the_method_is_recorded(catalogue_dir: Path, tmp_path: Path) -> None:
    report = progress_report(catalogue_dir, tmp_path)
    forest = row(report, "pp_forest_2025")
    # 50 → 57 of the way to 60 by 2023: 70 % of the change in 3 of 5 years.
    assert forest["status"] == "on_track" and forest["progress_method"] == "ndrc/1"
    assert forest["progress_score"] == pytest.approx(0.7) and forest[
        "required_rate"
    ] == pytest.approx(0.6)
    assert forest["flag"] == "p"
    gdp = row(report, "pp_gdp_growth_2025")
    # 1000 → 1200 in 3 years is an index of 1.2 < 1.07^3 = 1.225.
    assert gdp["status"] == "off_track" and gdp["progress_category"] == "lagging"
    inputs = gdp["progress_inputs"]
    assert (
        inputs["series"] == "gdp" and inputs["base_value"] == 1000 and inputs["latest_year"] == 2023
    )  # type: ignore[index]


def test_already_met_stays_met_and_a_lost_target_is_flagged(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    report = progress_report(catalogue_dir, tmp_path)
    pm25 = row(report, "pp_pm25_2025")
    assert pm25["status"] == "met" and "met early" in str(pm25["basis"])
    assert pm25["actual_value"] == "29" and pm25["actual_year"] == 2023
    rd = row(report, "pp_rd_2025")
    assert rd["regressed"] is True and "earlier value" in str(rd["basis"])
    assert rd["status"] in ("on_track", "off_track", "insufficient_data")


def test_maintain_targets_are_checked_every_year(catalogue_dir: Path, tmp_path: Path) -> None:
    report = progress_report(catalogue_dir, tmp_path)
    years = report.results[report.results["target_id"] == "pp_wetland_maintain_2025"]
    assert list(years["year"]) == [2021, 2022, 2023, 2024, 2025]
    assert list(years["status"])[:3] == ["met", "not_met", "met"]


def test_method_none_leaves_targets_pending_and_other_methods_differ(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    assert (
        row(progress_report(catalogue_dir, tmp_path, method=None), "pp_forest_2025")["status"]
        == "pending"
    )
    eurostat = row(progress_report(catalogue_dir, tmp_path, method="eurostat"), "pp_forest_2025")
    assert (
        eurostat["progress_method"] == "eurostat/1"
        and eurostat["progress_category"] == "significant_progress"
    )
    linear = row(progress_report(catalogue_dir, tmp_path, method="linear"), "pp_forest_2025")
    assert linear["progress_method"] == "linear/1" and linear["projected_value"] > 60


def test_nature_filter_and_counts(catalogue_dir: Path, tmp_path: Path) -> None:
    binding = progress_report(catalogue_dir, tmp_path, natures=("binding",))
    assert list(binding.results["target_id"]) == ["pp_forest_2025"]
    overview = progress_report(catalogue_dir, tmp_path).overview()
    assert overview["by_nature"]["binding"]["on_track"] == 1
    assert overview["by_nature"]["expected"]["met"] == 1


def test_completion_rate_is_met_over_due(catalogue_dir: Path, tmp_path: Path) -> None:
    overview = progress_report(catalogue_dir, tmp_path).overview()
    # Due by 2023: the maintain target's 2021, 2022 and 2023 checks (met, not_met, met).
    assert overview["due"] == 3 and overview["met_due"] == 2
    assert overview["completion_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert sum(overview["counts"].values()) == overview["total"] == 9
    assert sum(overview["percentages"].values()) == pytest.approx(100, abs=0.5)


def test_json_carries_the_progress_audit_trail_and_plan_summaries(
    catalogue_dir: Path, tmp_path: Path
) -> None:
    import json

    (catalogue_dir / "plans" / "progress_plan.yaml").write_text(PLAN, encoding="utf-8")
    data = tmp_path / "series.csv"
    data.write_text(SERIES, encoding="utf-8")
    result = run_cli(
        "check",
        "--targets",
        catalogue_dir,
        "-a",
        data,
        "--plan",
        "progress_plan",
        "-f",
        "json",
        "--method",
        "eurostat",
    )
    doc = json.loads(result.stdout)
    forest = next(r for r in doc["results"] if r["target_id"] == "pp_forest_2025")
    progress = forest["progress"]
    assert progress["method"] == "eurostat/1" and progress["category"] == "significant_progress"
    assert progress["inputs"]["base_year"] == 2020 and progress["inputs"]["latest_value"] == 57
    assert doc["plans"]["progress_plan"]["completion_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert doc["overview"]["counts"]["on_track"] >= 1
