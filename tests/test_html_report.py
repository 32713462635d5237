"""`plancheck report`: one self-contained HTML page, read back with the standard html.parser.

The structure (a summary per plan, a row per result with the attributes the filters use, the
filter controls, one SVG per series), that it needs nothing from the network, the numbers behind
each chart, and that bad input writes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import load_catalogue
from plancheck.evaluation import EvaluationOptions, Report, evaluate
from plancheck.render import Names, RenderOptions, renderer

from .conftest import FIXTURES, REPO, run_cli

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"
VOID = {"meta", "link", "br", "wbr", "img", "input", "hr", "source", "area", "base", "col"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        found = [
            child
            for child in self.children
            if child.tag == tag and all(child.attrs.get(k) == v for k, v in attrs.items())
        ]
        for child in self.children:
            found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(document: str) -> Node:
    builder = TreeBuilder()
    builder.feed(document)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def render_demo(*, as_of: int | None = None, method: str = "ndrc", lang: str = "en",
                actuals: Path = DEMO) -> tuple[str, Report]:  # fmt: skip
    catalogue = load_catalogue(CATALOGUE)
    report = evaluate(
        catalogue,
        read_actuals([actuals], catalogue),
        EvaluationOptions(as_of=as_of, method=method, chart_series=True),
    )
    options = RenderOptions(lang=lang, names=Names.from_catalogue(catalogue))
    return renderer("html")(report, options), report


@pytest.fixture(scope="module")
def demo() -> tuple[Node, Report, str]:
    document, report = render_demo()
    return parse(document), report, document


def charts_by_key(root: Node) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (f.attrs["data-indicator"], f.attrs["data-region"]): json.loads(f.attrs["data-points"])
        for f in root.find_all("figure")
        if "chart" in f.classes()
    }


# --- structure --------------------------------------------------------------------------------


def test_document_is_utf8_and_names_a_cjk_font_stack(demo: tuple[Node, Report, str]) -> None:
    root, _, document = demo
    assert document.startswith("<!DOCTYPE html>")
    assert root.find("meta", charset="utf-8")
    style = root.find("style").all_text()
    assert "Noto Sans CJK SC" in style and "Microsoft YaHei" in style and "sans-serif" in style


def test_one_summary_per_plan_with_its_completion_rate(demo: tuple[Node, Report, str]) -> None:
    root, report, _ = demo
    summaries = [a for a in root.find_all("article") if "plan-summary" in a.classes()]
    overviews = report.plan_overviews()
    assert [a.attrs["data-plan"] for a in summaries] == list(overviews)
    summary = summaries[0]
    completion = summary.find("p", **{"class": "completion"})
    rate = overviews["demo_plan"]["completion_rate"]
    assert float(completion.attrs["data-completion-rate"]) == rate
    assert f"{100 * rate:.1f}%" in completion.all_text()
    counts = {
        row.attrs["data-status"]: int(row.find_all("td")[1].all_text())
        for row in summary.find("table", **{"class": "counts"}).find_all("tr")
        if "data-status" in row.attrs
    }
    assert counts == {s: n for s, n in overviews["demo_plan"]["counts"].items() if n}
    natures = summary.find("table", **{"class": "by-nature"}).find_all("tr")
    assert [r.attrs["data-nature"] for r in natures if "data-nature" in r.attrs] == ["unspecified"]


def test_a_table_row_per_result_with_the_attributes_the_filters_use(
    demo: tuple[Node, Report, str],
) -> None:
    root, report, _ = demo
    results = report.results
    table = root.find("table", id="results-table")
    rows = table.find("tbody").find_all("tr")
    assert [r.attrs["data-target-id"] for r in rows] == list(results["target_id"])
    for row, (_, result) in zip(rows, results.iterrows(), strict=True):
        assert row.attrs["data-plan"] == result["plan"]
        assert row.attrs["data-region"] == result["region"]
        assert row.attrs["data-status"] == result["status"]
        assert row.attrs["data-nature"] == (result["nature"] or "unspecified")
        assert len(row.find_all("td")) == 10
    headings = [b.all_text() for b in table.find("thead").find_all("button")]
    assert headings == [
        "plan",
        "target",
        "indicator",
        "region",
        "year",
        "target value",
        "actual",
        "status",
        "gap",
        "progress",
    ]
    rd = next(r for r in rows if r.attrs["data-target-id"] == "demo_rd_2015")
    assert [td.all_text() for td in rd.find_all("td")][4:9] == [
        "2015",
        ">= 2.7 %",
        "2.69 %",
        "not_met",
        "-0.01",
    ]


def test_filter_controls_offer_the_values_present(demo: tuple[Node, Report, str]) -> None:
    root, report, _ = demo
    results = report.results

    def values(key: str) -> list[str]:
        select = root.find("select", id=f"filter-{key}")
        assert select.attrs["data-filter"] == key
        return [o.attrs["value"] for o in select.find_all("option")]

    assert values("plan") == ["", "demo_plan"]
    assert values("region") == ["", *dict.fromkeys(results["region"])]
    present = set(results["status"])
    assert values("status")[0] == "" and set(values("status")[1:]) == present
    assert values("nature") == ["", "unspecified"]


def test_one_svg_per_series_with_a_title(demo: tuple[Node, Report, str]) -> None:
    root, report, _ = demo
    figures = [f for f in root.find_all("figure") if "chart" in f.classes()]
    series = report.series
    assert {(f.attrs["data-indicator"], f.attrs["data-region"]) for f in figures} == set(series)
    assert len(figures) == len(series) > 0
    for figure in figures:
        (svg,) = figure.find_all("svg")
        assert svg.attrs["role"] == "img" and svg.attrs["aria-label"]
        assert svg.find("title").all_text() == svg.attrs["aria-label"]
    rd = next(f for f in figures if f.attrs["data-indicator"] == "rd_share")
    assert rd.find("title").all_text() == "R&D expenditure as a share of GDP · Pearl River Delta"
    # Every row that has a chart links to it, and the filters show charts through these links.
    ids = {f.attrs["id"] for f in figures}
    linked = {c for r in root.find_all("tr") for c in r.attrs.get("data-charts", "").split()}
    assert linked == ids


def test_self_contained_no_external_resources(demo: tuple[Node, Report, str]) -> None:
    root, _, document = demo
    assert not re.search(r"https?://", document)
    assert not root.find_all("link") and not root.find_all("img") and not root.find_all("iframe")
    for script in root.find_all("script"):
        assert "src" not in script.attrs and script.all_text().strip()
    assert "@import" not in document and "url(" not in document


# --- the data behind the charts ---------------------------------------------------------------


def test_chart_data_are_the_actuals_and_targets_in_the_canonical_unit(
    demo: tuple[Node, Report, str],
) -> None:
    root, _, _ = demo
    charts = charts_by_key(root)
    rd = charts[("rd_share", "prd")]
    # 2014 was sent as 0.026 (ratio) and is drawn in the indicator's unit, %.
    assert rd["unit"] == "%"
    assert rd["actuals"] == [[2014, pytest.approx(2.6)], [2015, pytest.approx(2.69)]]
    assert [(t["target_id"], t["year"], t["comparator"], t["value"], t["status"])
            for t in rd["targets"]] == [
        ("demo_rd_2014", 2014, ">=", 2.6, "met"),
        ("demo_rd_2015", 2015, ">=", 2.7, "not_met"),
    ]  # fmt: skip
    assert rd["paths"] == []
    # 22 500 000 户 sent, drawn in the indicator's unit (万户) against "> 2250 万户".
    broadband = charts[("broadband_users", "guangdong")]
    assert broadband["unit"] == "万户"
    assert broadband["actuals"] == [[2015, 2250.0]]
    assert broadband["targets"][0]["value"] == 2250.0
    pilots = charts[("pilot_projects", "zhaoqing")]
    assert pilots["targets"][0]["value"] == 1 and pilots["targets"][0]["value_max"] == 2
    assert ("railway_opened", "guangdong") not in charts  # milestones have no chart


def test_actuals_after_as_of_are_not_drawn() -> None:
    document, _ = render_demo(as_of=2014)
    charts = charts_by_key(parse(document))
    assert charts[("rd_share", "prd")]["actuals"] == [[2014, pytest.approx(2.6)]]
    assert ("gdp", "zhaoqing") not in charts or all(
        y <= 2014 for y, _ in charts[("gdp", "zhaoqing")]["actuals"]
    )


def forest_series(tmp_path: Path) -> Path:
    path = tmp_path / "forest.csv"
    path.write_text(
        "indicator,region,year,value,unit\n"
        "forest_coverage,prd,2013,50,%\n"
        "forest_coverage,prd,2014,51,%\n"
        "forest_coverage,prd,2015,51.5,%\n",
        encoding="utf-8",
    )
    return path


def test_ndrc_draws_the_required_path_from_base_to_target(tmp_path: Path) -> None:
    document, _ = render_demo(as_of=2015, actuals=forest_series(tmp_path))
    chart = charts_by_key(parse(document))[("forest_coverage", "prd")]
    assert chart["actuals"] == [[2013, 50.0], [2014, 51.0], [2015, 51.5]]
    assert [(t["target_id"], t["year"], t["value"]) for t in chart["targets"]] == [
        ("demo_forest_2015", 2015, 51.5),
        ("demo_forest_2016", 2016, 52.0),
    ]
    assert chart["paths"] == [
        {
            "target_id": "demo_forest_2016",
            "kind": "required",
            "points": [[2013, 50.0], [2016, 52.0]],
        }
    ]
    assert 'class="path path-required"' in document


def test_linear_draws_the_projected_path_from_the_latest_value(tmp_path: Path) -> None:
    document, report = render_demo(as_of=2015, method="linear", actuals=forest_series(tmp_path))
    chart = charts_by_key(parse(document))[("forest_coverage", "prd")]
    results = report.results
    projected = results.loc[results["target_id"] == "demo_forest_2016", "projected_value"].iloc[0]
    (path,) = chart["paths"]
    assert path["kind"] == "projected"
    assert path["points"] == [[2015, 51.5], [2016, pytest.approx(float(projected))]]


def test_chinese_titles_and_words(tmp_path: Path) -> None:
    document, _ = render_demo(lang="zh")
    root = parse(document)
    assert root.find("html").attrs["lang"] == "zh-CN"
    titles = {svg.attrs["aria-label"] for svg in root.find_all("svg")}
    assert "研发经费支出占地区生产总值比重 · 珠江三角洲地区" in titles
    assert "指标完成率" in root.find("p", **{"class": "completion"}).all_text()


def test_text_from_the_catalogue_is_escaped(catalogue_dir: Path) -> None:
    indicators = catalogue_dir / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    assert "Forest coverage rate" in text
    indicators.write_text(
        text.replace("Forest coverage rate", "Forest <b>coverage</b> & rate"), encoding="utf-8"
    )
    catalogue = load_catalogue(catalogue_dir)
    report = evaluate(
        catalogue, read_actuals([DEMO], catalogue), EvaluationOptions(chart_series=True)
    )
    document = renderer("html")(report, RenderOptions(names=Names.from_catalogue(catalogue)))
    assert "<b>coverage</b>" not in document
    assert "Forest &lt;b&gt;coverage&lt;/b&gt; &amp; rate" in document
    parse(document)


# --- the command ------------------------------------------------------------------------------


def test_report_command_writes_the_page_with_checks_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli("report", "--targets", CATALOGUE, "-a", DEMO, "--output", out)
    assert result.exit_code == 1 and result.stdout == ""  # demo_rd_2015 is not met, as in check
    root = parse(out.read_text(encoding="utf-8"))
    assert root.find("table", id="results-table")
    ok = run_cli(
        "report", "--targets", CATALOGUE, "-a", DEMO, "--region", "prd", "--as-of", "2014",
        "--lang", "zh", "-o", out,
    )  # fmt: skip
    assert ok.exit_code == 0
    assert {r.attrs["data-region"] for r in parse(out.read_text("utf-8")).find_all("tr")
            if "data-region" in r.attrs} == {"prd"}  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ("--plan", "no_such_plan"),
        ("--region", "atlantis"),
        ("-a", "missing.csv"),
    ],
)
def test_report_writes_nothing_on_bad_input(tmp_path: Path, args: tuple[str, ...]) -> None:
    out = tmp_path / "report.html"
    result = run_cli("report", "--targets", CATALOGUE, "-a", DEMO, "--output", out, *args)
    assert result.exit_code == 2 and result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_report_keeps_an_existing_file_on_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,region,year,value\nno_such_indicator,prd,2015,1\n", encoding="utf-8")
    result = run_cli("report", "--targets", CATALOGUE, "-a", bad, "--output", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "report.html"]


def test_report_needs_an_existing_folder(tmp_path: Path) -> None:
    result = run_cli(
        "report", "--targets", CATALOGUE, "-a", DEMO, "--output", tmp_path / "no" / "r.html"
    )
    assert result.exit_code == 2 and "folder does not exist" in result.stderr


def test_chart_series_are_built_only_on_request() -> None:
    # The series cost more than the evaluation at national scale; check without html skips them.
    catalogue = load_catalogue(CATALOGUE)
    data = read_actuals([DEMO], catalogue)
    plain = evaluate(catalogue, data)
    charted = evaluate(catalogue, data, EvaluationOptions(chart_series=True))
    assert plain.series == {} and plain.target_levels == {}
    assert charted.series and charted.target_levels
    assert plain.results.equals(charted.results)


def test_check_with_an_html_report_file_has_charts(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    result = run_cli("check", "--targets", CATALOGUE, "--actuals", DEMO,
                     "--format", "json", "--report", f"html:{page}")  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    assert "<svg" in page.read_text(encoding="utf-8")


def test_a_page_draws_at_most_so_many_series_failing_ones_first_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A national run has 200,000 series: a page of them all weighed 1.4 GB (8.7 GB to make)."""
    from plancheck import check
    from plancheck.evaluation import series

    full = check(REPO / "targets", [REPO / "actuals"], as_of=2015, chart_series=True).report
    assert full.series_total == len(full.series) > 4
    monkeypatch.setattr(series, "MAX_CHART_SERIES", 4)
    outcome = check(REPO / "targets", [REPO / "actuals"], as_of=2015, chart_series=True)
    report = outcome.report
    assert len(report.series) == 4 and report.series_total == full.series_total
    failing = report.results[report.results["status"].isin(["not_met", "off_track"])]
    failing_pairs = [
        p for p in zip(failing["indicator"], failing["region"], strict=True) if p in full.series
    ]
    assert set(report.series) <= set(full.series)
    assert (
        list(report.series)[: min(4, len(failing_pairs))] == list(dict.fromkeys(failing_pairs))[:4]
    )
    page = outcome.render("html", lang="en")
    assert f"Charts for 4 of the {full.series_total:,} indicator–region series" in page
    assert page.count("<svg") == 4
    assert "图表只绘制其中 4 组" in outcome.render("html", lang="zh")
