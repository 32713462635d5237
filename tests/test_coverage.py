"""plancheck coverage: every commitment clause of a source is quoted by a target or excluded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plancheck.coverage import commitment_clauses, markers, sections

from .conftest import FIXTURES, REPO, SEEDS, run_cli

PLAN = "plans/demo_plan.yaml"
BASELINE = "2013年森林覆蓋率為51%。"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """The demo plan's source with one more sentence: a baseline no target quotes."""
    folder = tmp_path / "sources"
    folder.mkdir()
    text = (FIXTURES / "demo_source.txt").read_text(encoding="utf-8")
    (folder / "demo_source.txt").write_text(text + BASELINE + "\n", encoding="utf-8")
    return folder


def add_exclusions(catalogue: Path, yaml_text: str) -> None:
    path = catalogue / PLAN
    path.write_text(path.read_text(encoding="utf-8") + yaml_text, encoding="utf-8")


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("建成3個試點", ("建成", "3個")),
        ("2015年森林覆蓋率達51.50%", ("2015年", "51.50%")),
        ("力争新增城市绿道约50公里", ("50公里",)),
        ("到2012年底前", ("2012年",)),
        ("今年年内开工建设", ("今年", "年内", "开工")),
        ("培育形成千亿级产业集群", ("千亿",)),
        ("推进“五个一体化”", ()),  # a slogan in quotes, not a count
        ("广清两市合作", ()),  # 两市 names the two cities, it counts nothing
        ("定期召开工作会议", ()),  # 召开工作 is not 开工
        ("推动工业产品绿色设计", ()),  # 推动工业 is not 动工
        ("出臺促進政策", ("出臺",)),
    ],
)
def test_markers(clause: str, expected: tuple[str, ...]) -> None:
    assert markers(clause) == expected


def test_sections_follow_the_plans_numbering() -> None:
    text = "前言\n一、總體\n(二)交通\n3.鐵路建成通車。\n第五章 产业\n第一节 集群\n建成园区。\n附件:\n1.名词\n"
    labels = [label for _, label in sections(text)]
    assert labels == [
        "(preamble)",
        "一",
        "一(二)",
        "一(二)3",
        "第五章",
        "第五章第一节",
        "第五章第一节",
        "附件",
        "附件1",
    ]


def test_clauses_are_cut_at_commas_and_keep_their_section() -> None:
    clauses = commitment_clauses("一、示範\n加快建設,2015年建成3個園區;研究推進。\n")
    assert [(c.section, c.text) for c in clauses] == [("一", "2015年建成3個園區")]


def test_fixture_catalogue_is_fully_covered() -> None:
    result = run_cli("coverage", "--sources", FIXTURES, "--targets", FIXTURES / "catalogue")
    assert result.exit_code == 0, result.stderr
    assert "demo_plan (demo_source.txt): 100.0% of 13 commitment clauses" in result.stdout


def test_an_uncovered_clause_is_listed_with_its_section_and_fails(
    catalogue_dir: Path, sources: Path
) -> None:
    result = run_cli("coverage", "--sources", sources, "--targets", catalogue_dir)
    assert result.exit_code == 1
    assert "92.9% of 14 commitment clauses" in result.stdout
    assert "uncovered  一  2013年森林覆蓋率為51%  [2013年 51%]" in result.stdout


def test_an_exclusion_with_a_reason_covers_the_clause(catalogue_dir: Path, sources: Path) -> None:
    add_exclusions(
        catalogue_dir,
        "excluded:\n  - section: 一\n    text: 2013年森林覆蓋率為51%\n    kind: baseline\n"
        "    reason: The 2013 level the plan starts from.\n",
    )
    result = run_cli("coverage", "--sources", sources, "--targets", catalogue_dir, "-v")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "13 quoted by a target, 1 excluded with a reason, 0 uncovered" in result.stdout
    assert "excluded   一  2013年森林覆蓋率為51%" in result.stdout


def test_a_whole_section_can_be_excluded(catalogue_dir: Path, sources: Path) -> None:
    add_exclusions(
        catalogue_dir,
        "excluded:\n  - section: 一\n    kind: past\n    reason: Everything here is past.\n",
    )
    result = run_cli("coverage", "--sources", sources, "--targets", catalogue_dir)
    assert result.exit_code == 0
    assert "13 quoted by a target, 1 excluded with a reason" in result.stdout


def test_an_exclusion_needs_a_kind_and_a_reason(catalogue_dir: Path) -> None:
    add_exclusions(
        catalogue_dir, "excluded:\n  - section: 一\n    text: 2013年\n    kind: baseline\n"
    )
    result = run_cli("validate", catalogue_dir)
    assert result.exit_code == 2
    assert "missing-key" in result.stderr and "'reason'" in result.stderr
    add_exclusions(catalogue_dir, "")
    text = (catalogue_dir / PLAN).read_text(encoding="utf-8")
    (catalogue_dir / PLAN).write_text(
        text.replace("kind: baseline\n", "kind: because\n    reason: x\n"), encoding="utf-8"
    )
    result = run_cli("validate", catalogue_dir)
    assert result.exit_code == 2 and "excluded.0.kind" in result.stderr


def test_an_exclusion_not_in_the_source_is_refused(catalogue_dir: Path, sources: Path) -> None:
    add_exclusions(
        catalogue_dir,
        "excluded:\n  - section: 一\n    text: 2013年森林覆盖率为51%\n    kind: baseline\n"
        "    reason: simplified by mistake\n",
    )
    result = run_cli("coverage", "--sources", sources, "--targets", catalogue_dir)
    assert result.exit_code == 2
    assert "quote-not-found" in result.stderr and "excluded entry 1" in result.stderr
    assert f"{PLAN}, line" in result.stderr and "Traceback" not in result.stderr


def test_an_excluded_section_that_does_not_exist_is_refused(
    catalogue_dir: Path, sources: Path
) -> None:
    add_exclusions(
        catalogue_dir,
        "excluded:\n  - section: 九(九)\n    kind: past\n    reason: no such section\n",
    )
    result = run_cli("coverage", "--sources", sources, "--targets", catalogue_dir)
    assert result.exit_code == 2
    assert "section-not-found" in result.stderr and "sections: 一" in result.stderr


def test_missing_source_folder_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli(
        "coverage", "--sources", tmp_path / "nowhere", "--targets", FIXTURES / "catalogue"
    )
    assert result.exit_code == 2
    assert "missing-file" in result.stderr and "demo_source.txt" in result.stderr


def test_sources_option_is_required() -> None:
    result = run_cli("coverage", "--targets", FIXTURES / "catalogue")
    assert result.exit_code == 2


@pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason="../shared/seeds is absent: the plans' source documents are not beside this checkout",
)
def test_bundled_catalogue_covers_every_commitment_clause(tmp_path: Path) -> None:
    result = run_cli("coverage", "--sources", SEEDS, "--targets", REPO / "targets")
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    plans = [line for line in lines if not line.startswith("all plans")]
    assert len(plans) == 5 and all(": 100.0% of " in line for line in plans)
    assert lines[-1].startswith("all plans: 100.0% of ")
    assert "uncovered  " not in result.stdout and "unused exclusion" not in result.stdout
    # A target quoting another clause leaves its own clause uncovered: the check can fail.
    copy = tmp_path / "targets"
    shutil.copytree(REPO / "targets", copy)
    plan = copy / "plans" / "zhaoqing_prd_outline_2012.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace(
            "      quote: 为实现2020年普及国家卫生镇打好基础\n",
            "      quote: 创建省卫生镇10个以上\n",  # another target's clause
        ),
        encoding="utf-8",
    )
    again = run_cli("coverage", "--sources", SEEDS, "--targets", copy)
    assert again.exit_code == 1
    assert "uncovered  三(三)3  为实现2020年普及国家卫生镇打好基础" in again.stdout
