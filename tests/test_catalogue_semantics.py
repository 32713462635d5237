"""Issue 14: what the plans actually state — stages, ranges, "about", scope, effort, duplicates.

Checks on the bundled catalogue pin each item; checks on the fixture catalogue pin the rules'
evaluation (exact boundaries, the completion rate) and the loader's refusals.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.catalogue.loader import Catalogue
from plancheck.catalogue.models import Target
from plancheck.catalogue.summary import catalogue_table
from plancheck.evaluation import EvaluationOptions, Report, evaluate
from plancheck.evaluation.methods import milestone
from plancheck.evaluation.methods.compare import about_bound
from plancheck.evaluation.methods.stages import (
    COMPLETION_WORDS,
    quote_stages,
    reaches,
    reported_stage,
)
from plancheck.problems import InputError

from .conftest import FIXTURES, REPO, run_cli

PLAN = "plans/demo_plan.yaml"
HEADER = "indicator,region,year,value,unit,source,note\n"


@pytest.fixture(scope="module")
def bundled() -> Catalogue:
    return load_catalogue(REPO / "targets")


def target(cat: Catalogue, target_id: str) -> Target:
    found = [t for _, t in cat.targets() if t.id == target_id]
    assert len(found) == 1, target_id
    return found[0]


def edit(catalogue: Path, old: str, new: str, file: str = PLAN) -> None:
    path = catalogue / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(tmp_path: Path, catalogue: Path, rows: str, **options: Any) -> Report:
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    cat = load_catalogue(catalogue)
    return evaluate(cat, read_actuals([path], cat), EvaluationOptions(**options))


def row(report: Report, target_id: str) -> dict[str, Any]:
    found = report.results.loc[report.results["target_id"] == target_id]
    assert len(found) == 1, target_id
    return dict(found.iloc[0].to_dict())


# ---- 1. stages: 建设 is not 建成 -------------------------------------------------------------


def test_every_bundled_milestone_says_what_counts_as_done(bundled: Catalogue) -> None:
    milestones = [
        (plan, t)
        for plan, t in bundled.targets()
        if bundled.indicators[t.indicator].type == "milestone"
    ]
    assert len(milestones) > 300
    for _, t in milestones:
        assert t.stage is not None or t.done_when, t.id
        if t.stage is not None:
            # The stage is one the quote's own verbs can ask for.
            assert t.stage in quote_stages(t.source.quote), (t.id, t.stage, t.source.quote)


def test_no_milestone_name_claims_more_than_its_stage(bundled: Catalogue) -> None:
    early = {"preparatory", "started", "under_construction"}
    for _, t in bundled.targets():
        if t.stage not in early:
            continue
        ind = bundled.indicators[t.indicator]
        assert not any(w in ind.name_zh for w in COMPLETION_WORDS), (t.id, ind.name_zh)
        assert not any(
            w in ind.name_en.lower() for w in (" built", " completed", " opened", "in operation")
        ), (t.id, ind.name_en)


def test_building_is_encoded_as_under_way(bundled: Catalogue) -> None:
    under_way = [t for _, t in bundled.targets() if t.stage == "under_construction"]
    assert len(under_way) >= 37
    for t in under_way:
        assert "建成" not in t.source.quote or "加快建成" in t.source.quote, t.id
    rail = target(bundled, "panprd17_western_rail_link_2020")
    assert rail.stage == "under_construction" and "加快建设" in rail.source.quote
    assert bundled.indicators[rail.indicator].name_zh == "港深西部快速轨道建设推进"
    assert target(bundled, "prd1415_guiguang_railway_opened_2015").stage == "in_operation"
    assert target(bundled, "jxpp16_ganshen_hsr_started_2016").stage == "started"


@pytest.mark.parametrize(
    ("word", "required", "expected"),
    [
        (None, "completed", True),  # a plain yes reaches the target's own stage
        ("started", "under_construction", True),
        ("in_operation", "under_construction", True),  # 通车 shows it was built
        ("started", "completed", False),  # 开工 is not 建成
        ("completed", "in_operation", False),
        ("preparatory", "started", False),
        ("issued", "established", False),
        ("issued", "issued", True),
    ],
)
def test_a_reported_stage_reaches_the_same_or_an_earlier_one(
    word: str | None, required: str, expected: bool
) -> None:
    assert reaches(word, required) is expected


def test_report_words_name_their_stage() -> None:
    assert reported_stage("通車") == reported_stage("通车")
    assert reported_stage("通车") is not None and reported_stage("通车").stage == "in_operation"  # type: ignore[union-attr]
    assert reported_stage(" 已开工 ").stage == "started"  # type: ignore[union-attr]
    assert reported_stage("差不多") is None


def test_milestone_check_uses_the_reported_stage() -> None:
    targets = pd.DataFrame(
        {
            "indicator": ["line", "line"],
            "region": ["gd", "gd"],
            "year": pd.array([2020, 2020], dtype="Int64"),
            "stage": ["under_construction", "completed"],
        },
        index=[10, 11],
    )
    actuals = pd.DataFrame(
        {
            "indicator": ["line"],
            "region": ["gd"],
            "year": [2019],
            "done": [True],
            "stage": ["started"],  # 开工 reported in 2019
            "date": [None],
            "file": ["a.csv"],
            "row": [2],
            "flag": [None],
        }
    )
    ctx = SimpleNamespace(as_of=2021)
    out = milestone.check(targets, actuals, ctx)  # type: ignore[arg-type]
    assert out.loc[10, "status"] == "met" and out.loc[11, "status"] == "not_met"
    plain = actuals.assign(stage=[None])  # 是: the target's own stage, whichever it is
    out = milestone.check(targets, plain, ctx)  # type: ignore[arg-type]
    assert list(out["status"]) == ["met", "met"]


# ---- 2. planned ranges for counts --------------------------------------------------------------


def test_the_three_planned_ranges_are_ranges(bundled: Catalogue) -> None:
    ranges = {t.id for _, t in bundled.targets() if t.comparator == "range"}
    assert ranges == {
        "prd1415_national_smart_manufacturing_pilots_2015",
        "zq12_new_provincial_engineering_rd_centers_2012",
        "zq12_new_municipal_engineering_rd_centers_2012",
    }
    assert not [t.id for _, t in bundled.targets() if t.comparator == "between"]


@pytest.mark.parametrize(
    ("comparator", "value", "expected"),
    [
        ("range", "3", "met"),
        ("range", "1", "met"),
        ("range", "0.99", "not_met"),
        ("between", "3", "not_met"),
        ("between", "2", "met"),
    ],
)
def test_a_range_is_met_at_its_lower_end_a_band_must_hold(
    tmp_path: Path, catalogue_dir: Path, comparator: str, value: str, expected: str
) -> None:
    edit(catalogue_dir, "    comparator: between\n", f"    comparator: {comparator}\n")
    report = run(tmp_path, catalogue_dir, f"pilot_projects,zhaoqing,2015,{value},个,t,\n")
    result = row(report, "demo_pilots_2015")
    assert result["status"] == expected
    if comparator == "range" and value == "3":
        assert result["gap"] == 1  # measured from the nearer bound
        assert (
            "≥ 1 (1–2) 个"
            in run_cli(
                "check",
                "--targets",
                catalogue_dir,
                "-a",
                tmp_path / "actuals.csv",
                "--as-of",
                "2015",
            ).stdout
        )


def test_a_range_for_a_lower_is_better_indicator_is_met_at_its_upper_end(
    tmp_path: Path, catalogue_dir: Path
) -> None:
    edit(
        catalogue_dir,
        '    comparator: "<"\n    value: 40\n',
        '    comparator: "range"\n    value: 35\n    value_max: 40\n',
    )
    report = run(tmp_path, catalogue_dir, "pm25,foshan,2015,30,微克每立方米,t,\n")
    assert row(report, "demo_pm25_2015")["status"] == "met"
    report = run(tmp_path, catalogue_dir, "pm25,foshan,2015,40.01,微克每立方米,t,\n")
    assert row(report, "demo_pm25_2015")["status"] == "not_met"


# ---- 3. "about" (左右, 约) ------------------------------------------------------------------------


def test_about_targets_and_the_approximate_horizon(bundled: Catalogue) -> None:
    greenway = target(bundled, "zq12_new_urban_greenway_2012")
    assert greenway.comparator == "about" and "约50公里" in greenway.source.quote
    assert bundled.plans["gd_pan_prd_cooperation_2017"].meta.period.end_approximate
    assert not any(
        p.meta.period.end_approximate
        for k, p in bundled.plans.items()
        if k != "gd_pan_prd_cooperation_2017"
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("47.5", "met"), ("47.49", "not_met"), ("60", "met")]
)
def test_about_is_met_within_five_percent_short_exactly(
    tmp_path: Path, catalogue_dir: Path, value: str, expected: str
) -> None:
    edit(
        catalogue_dir,
        '    comparator: ">="\n    value: 59\n',
        '    comparator: "about"\n    value: 50\n',
    )
    report = run(tmp_path, catalogue_dir, f"wetland_parks,guangdong,2015,{value},处,t,\n")
    assert row(report, "demo_wetland_2015")["status"] == expected


@pytest.mark.parametrize(("value", "expected"), [("42", "met"), ("42.001", "not_met")])
def test_about_a_lower_is_better_figure_allows_five_percent_above(
    tmp_path: Path, catalogue_dir: Path, value: str, expected: str
) -> None:
    edit(
        catalogue_dir,
        '    comparator: "<"\n    value: 40\n',
        '    comparator: "about"\n    value: 40\n',
    )
    report = run(tmp_path, catalogue_dir, f"pm25,foshan,2015,{value},微克每立方米,t,\n")
    assert row(report, "demo_pm25_2015")["status"] == expected


def test_about_reproduces_the_published_case() -> None:
    # "降低20%左右", declared met at a 19.1 % fall (NDRC and NBS notice 2011 No. 9).
    from fractions import Fraction

    assert Fraction("19.1") >= about_bound(Fraction(20), higher_is_better=True)
    assert Fraction("18.9") < about_bound(Fraction(20), higher_is_better=True)


def test_reports_mark_an_approximate_horizon(tmp_path: Path, catalogue_dir: Path) -> None:
    edit(
        catalogue_dir,
        "period: {start: 2014, end: 2015}",
        "period: {start: 2014, end: 2015, end_approximate: true}",
    )
    (tmp_path / "a.csv").write_text(HEADER + "forest_coverage,prd,2015,52,%,t,\n", encoding="utf-8")
    table = run_cli(
        "check", "--targets", catalogue_dir, "-a", tmp_path / "a.csv", "--as-of", "2015"
    )
    assert "2015~" in table.stdout and "2014~" not in table.stdout
    assert "the deadline is about that year" in table.stdout
    markdown = run_cli(
        "check",
        "--targets",
        catalogue_dir,
        "-a",
        tmp_path / "a.csv",
        "--as-of",
        "2015",
        "-f",
        "markdown",
    )
    assert "2015~" in markdown.stdout and "the deadline is about that year" in markdown.stdout


# ---- 4. scope: group regions -------------------------------------------------------------------


def test_city_circles_are_group_regions(bundled: Catalogue) -> None:
    members = {
        rid: set(bundled.regions[rid].members)
        for rid in ("gfz_circle", "sgh_circle", "zzj_circle", "guangfo")
    }
    assert members == {
        "gfz_circle": {"guangzhou", "foshan", "zhaoqing"},
        "sgh_circle": {"shenzhen", "dongguan", "huizhou"},
        "zzj_circle": {"zhuhai", "zhongshan", "jiangmen"},
        "guangfo": {"guangzhou", "foshan"},
    }
    by_region: dict[str, set[str]] = {}
    for _, t in bundled.targets():
        by_region.setdefault(t.region, set()).add(t.id)
    circles = by_region["gfz_circle"] | by_region["sgh_circle"] | by_region["zzj_circle"]
    once_under_a_lead_city = {
        "prd1415_gfz_education_digital_certificates_2015",
        "prd1415_sgh_transport_plan_2015",
        "prd1415_dayawan_longgang_bus_line_2015",
        "prd1415_dapeng_xunliao_tourism_line_2015",
        "prd1415_sgh_social_org_cooperation_scheme_2015",
        "prd1415_zzj_tech_platform_catalogue_2015",
        "prd1415_zzj_water_supply_scheme_2015",
        "prd1415_zzj_legal_service_scheme_2015",
    }
    assert once_under_a_lead_city <= circles
    assert by_region["guangfo"] == {"prd1415_guangfo_border_rivers_remediation_2015"}
    for _, t in bundled.targets():
        assert (
            "lead city" not in (t.note or "")
            or t.region.endswith("_circle")
            or t.region == "zhuhai"
        ), t.id
    water = target(bundled, "prd1415_rural_water_unified_supply_share_2015")
    assert water.region == "prd" and water.scope and "珠三角發達地區" in water.scope


# ---- 5. missing commitments, stated years ---------------------------------------------------------


def test_commitments_once_missing_are_targets(bundled: Catalogue) -> None:
    towns = target(bundled, "zq12_national_hygienic_towns_universal_2020")
    assert towns.year == 2020 and towns.stage == "achieved"
    rail = target(bundled, "jxpp16_ruijin_meizhou_railway_preparatory_2016")
    assert rail.year == 2016 and rail.stage == "preparatory"
    chiefs = target(bundled, "jxpp16_five_level_river_chief_system")
    assert chiefs.year is None and "河长制" in chiefs.source.quote


def test_cluster_targets_take_2025_from_the_plans_goals(bundled: Catalogue) -> None:
    clusters = [
        t
        for _, t in bundled.targets()
        if t.id.startswith("gzqy_") and t.id.endswith("_cluster_2025")
    ]
    assert len(clusters) == 7
    assert all(t.year == 2025 and not t.year_inferred for t in clusters)


# ---- 6. process commitments --------------------------------------------------------------------


def test_process_commitments_are_marked(bundled: Catalogue) -> None:
    effort = {t.id: t for _, t in bundled.targets() if t.effort}
    assert len(effort) >= 38
    assert "panprd17_credit_linkage_mechanism_2020" in effort  # 推动建立区域信用联动机制
    assert "jxpp16_jiangxi_hk_agreement" in effort  # 研究签署
    assert not target(bundled, "prd1415_guangming_expressway_fully_opened_2015").effort
    verbs = (
        "推动",
        "推動",
        "推进",
        "推進",
        "参与",
        "參與",
        "研究",
        "支持",
        "探索",
        "鼓励",
        "引导",
        "引導",
    )
    assert all(any(v in t.source.quote for v in verbs) for t in effort.values())


def test_process_commitments_are_left_out_of_the_completion_rate(
    tmp_path: Path, catalogue_dir: Path
) -> None:
    rows = "forest_coverage,prd,2015,52,%,t,\n"
    before = run(tmp_path, catalogue_dir, rows, as_of=2016).overview()
    edit(
        catalogue_dir,
        "    indicator: railway_opened\n",
        "    indicator: railway_opened\n    effort: true\n",
    )
    after = run(tmp_path, catalogue_dir, rows, as_of=2016).overview()
    assert after["due"] == before["due"] - 1 and after["met_due"] == before["met_due"]
    assert after["total"] == before["total"]  # still reported


# ---- 7. one commitment, one target ---------------------------------------------------------------


def test_duplicates_are_merged_and_counts_linked(bundled: Catalogue) -> None:
    ids = {t.id for _, t in bundled.targets()}
    for gone in (
        "panprd17_dongjiang_eco_comp_pilot_2020",  # the task of the 流域补偿机制 goal
        "panprd17_xijiang_eco_comp_pilot_2020",
        "panprd17_jiuzhoujiang_eco_comp_pilot_2020",
        "gzqy_population_migration_system_2025",  # paragraph headings whose sentences are encoded
        "gzqy_collective_land_market_entry_system_2025",
        "gzqy_pollution_joint_control_mechanism_2025",
        "gzqy_agri_maker_space_construction_2025",
    ):
        assert gone not in ids
    assert target(bundled, "prd1415_shenzhen_outer_ring_expressway_started_2014").part_of == (
        "prd1415_expressway_projects_started_2014"
    )
    assert target(bundled, "prd1415_guangle_expressway_gz_qy_section_completed_2014").part_of == (
        "prd1415_expressway_projects_completed_2014"
    )
    # No two targets of a plan state the same commitment: indicator, region and year differ.
    seen: dict[tuple[str, str, str, object], str] = {}
    for plan, t in bundled.targets():
        key = (plan.meta.id, t.indicator, t.region, t.year)
        assert key not in seen, (t.id, seen.get(key))
        seen[key] = t.id


# ---- the loader's refusals -----------------------------------------------------------------------


def problems(catalogue: Path) -> list[Any]:
    with pytest.raises(InputError) as err:
        load_catalogue(catalogue)
    return list(err.value.problems)


def test_part_of_must_name_a_count_target_of_the_plan(catalogue_dir: Path) -> None:
    edit(
        catalogue_dir,
        "    indicator: railway_opened\n",
        "    indicator: railway_opened\n    part_of: demo_pilot_2015\n",
    )
    found = problems(catalogue_dir)
    assert [p.type for p in found] == ["unknown-target"]
    assert "demo_pilots_2015" in (found[0].hint or "") and found[0].line is not None


def test_stage_is_for_milestones_only(catalogue_dir: Path) -> None:
    edit(catalogue_dir, "    value: 51.50\n", "    value: 51.50\n    stage: completed\n")
    result = run_cli("validate", catalogue_dir)
    assert result.exit_code == 2 and "'stage' and 'done_when' are for milestones" in result.stderr


def test_unknown_stage_is_refused_with_the_choices(catalogue_dir: Path) -> None:
    edit(
        catalogue_dir,
        "    indicator: railway_opened\n",
        "    indicator: railway_opened\n    stage: built\n",
    )
    result = run_cli("validate", catalogue_dir)
    assert result.exit_code == 2 and "under_construction" in result.stderr


def test_about_and_range_are_refused_for_growth_rates(catalogue_dir: Path) -> None:
    text = (catalogue_dir / PLAN).read_text(encoding="utf-8")
    start = text.index("  - id: demo_tech_growth_2014")
    block = text[start:].replace('comparator: ">="', 'comparator: "about"', 1)
    (catalogue_dir / PLAN).write_text(text[:start] + block, encoding="utf-8")
    found = problems(catalogue_dir)
    assert [p.type for p in found] == ["invalid-target"] and "growth" in found[0].message


def test_range_needs_value_max(catalogue_dir: Path) -> None:
    edit(
        catalogue_dir,
        "    comparator: between\n    value: 1\n    value_max: 2\n",
        "    comparator: range\n    value: 1\n",
    )
    result = run_cli("validate", catalogue_dir)
    assert result.exit_code == 2 and "'range' needs 'value_max'" in result.stderr


# ---- README's catalogue table --------------------------------------------------------------------


def test_readme_shows_the_catalogue_table(bundled: Catalogue) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = catalogue_table(bundled)
    assert table in readme, "run python scripts/refresh_docs.py"
    total = table.splitlines()[-1]
    assert f"| {len(bundled.targets())} |" in total
    assert f"({len(bundled.targets())} targets, every quote checked" in readme


def test_a_catalogue_without_stages_still_loads_and_judges(tmp_path: Path) -> None:
    # Stages are required of the bundled catalogue (tests above), not of every catalogue: a
    # milestone without one is done on a plain yes, as before.
    cat = load_catalogue(FIXTURES / "catalogue")
    assert all(t.stage is None for _, t in cat.targets())
    report = run(tmp_path, FIXTURES / "catalogue", "railway_opened,guangdong,2014,是,,t,\n")
    assert row(report, "demo_railway_2014")["status"] == "met"


def test_reports_say_what_counts_as_done_and_mark_process_commitments(tmp_path: Path) -> None:
    empty = tmp_path / "none.csv"
    empty.write_text(HEADER, encoding="utf-8")
    args = (
        "check",
        "--targets",
        REPO / "targets",
        "-a",
        empty,
        "--plan",
        "gd_pan_prd_cooperation_2017",
    )
    table = run_cli(*args, "--as-of", "2020")
    line = next(
        x for x in table.stdout.splitlines() if x.startswith("panprd17_western_rail_link_2020")
    )
    assert "under way by deadline" in line and "2020*~" in line  # inferred, and about 2020
    line = next(
        x
        for x in table.stdout.splitlines()
        if x.startswith("panprd17_credit_linkage_mechanism_2020")
    )
    assert "established by deadline (effort)" in line
    zh = run_cli(*args, "--as-of", "2020", "--lang", "zh")
    assert "按期在建" in zh.stdout and "按期建立 (推动类)" in zh.stdout
