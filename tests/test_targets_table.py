"""The targets table, built column by column, holds what a target-by-target reading gives."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plancheck import units
from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.catalogue.targets_table import COLUMNS, build, kind_of, targets_table

PLAN = """\
plan:
  id: table_plan
  title_zh: 表
  title_en: Table
  period: {start: 2016, end: 2020, end_approximate: true}
  base_year: 2015
  source_file: t.txt
targets:
  - id: tt_broadband_2020
    indicator: broadband_users
    region: guangdong
    year: 2020
    comparator: between
    value: 1.5
    value_max: 2.25
    unit: 亿户
    source: {section: "1", quote: 宽带用户1.5亿至2.25亿户}
  - id: tt_wetland_maintain_2018
    indicator: wetland_parks
    region: foshan
    year: 2018
    comparator: ">="
    value: 59
    unit: 处
    maintain: true
    hedge: 力争
    source: {section: "2", quote: 湿地公园保持59处以上}
  - id: tt_growth_2019
    indicator: gdp_avg_growth
    region: zhaoqing
    year: 2019
    comparator: ">="
    value: 7.50
    unit: "%"
    base_year: 2016
    source: {section: "3", quote: 年均增长7.50%}
  - id: tt_rail_2020
    indicator: railway_opened
    region: guangdong
    year: 2020
    source: {section: "4", quote: 铁路建成通车}
"""


def by_rows(catalogue: Catalogue) -> pd.DataFrame:
    """The table as a reader would make it: one target, one dict at a time."""
    rows: list[dict[str, Any]] = []
    for plan, t, line in catalogue.targets_with_lines():
        ind = catalogue.indicators[t.indicator]
        factor = units.conversion_factor(t.unit, ind.unit) if t.unit and ind.unit else Fraction(1)
        period = plan.meta.period
        row = {
            "target_id": t.id,
            "plan": plan.meta.id,
            "plan_file": plan.file,
            "line": line,
            "indicator": t.indicator,
            "region": t.region,
            "year": t.year,
            "year_inferred": t.year_inferred,
            "kind": kind_of(catalogue, t.indicator),
            "comparator": t.comparator,
            "value": t.value,
            "value_max": t.value_max,
            "unit": t.unit,
            "direction": ind.direction,
            "soft": t.soft,
            "hedge": t.hedge,
            "nature": t.nature,
            "base_year": t.base_year if t.base_year is not None else plan.meta.base_year,
            "period_start": period.start,
            "level_indicator": ind.growth_of.indicator if ind.growth_of else None,
            "maintain": t.maintain,
            "section": t.source.section,
            "quote": t.source.quote,
            "t_factor": factor,
            "lo": float(Fraction(t.value) * factor) if t.value is not None else np.nan,
            "hi": float(Fraction(t.value_max) * factor) if t.value_max is not None else np.nan,
            "stage": t.stage,
            "effort": t.effort,
            "scope": t.scope,
            "year_approximate": period.end_approximate and t.year == period.end,
            "value_text": None if t.value is None else format(t.value, "f"),
            "value_max_text": None if t.value_max is None else format(t.value_max, "f"),
            "value_float": np.nan if t.value is None else float(t.value),
            "t_factor_float": float(factor),
        }
        if t.maintain and t.year is not None:
            rows.extend({**row, "year": y} for y in range(period.start, t.year + 1))
        else:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(
        {"year": "Int64", "base_year": "Int64", "period_start": "int64", "lo": "float64"}
    ).astype({"hi": "float64", "value_float": "float64"})


def test_the_table_is_the_target_by_target_reading(catalogue_dir: Path) -> None:
    (catalogue_dir / "plans" / "table_plan.yaml").write_text(PLAN, encoding="utf-8")
    catalogue = load_catalogue(catalogue_dir)
    table = build(catalogue)
    pd.testing.assert_frame_equal(table, by_rows(catalogue))
    mine = table[table["plan"] == "table_plan"]
    # The maintain target is one row per year from the plan's start to its own year.
    wetland = mine[mine["target_id"] == "tt_wetland_maintain_2018"]
    assert wetland["year"].tolist() == [2016, 2017, 2018]
    broadband = mine[mine["target_id"] == "tt_broadband_2020"].iloc[0]
    assert broadband["t_factor"] == 10000  # 亿户 in 万户
    assert (broadband["lo"], broadband["hi"]) == (15000.0, 22500.0)
    assert (broadband["value_text"], broadband["value_max_text"]) == ("1.5", "2.25")
    assert broadband["t_factor_float"] == 10000.0 and broadband["value_float"] == 1.5
    growth = mine[mine["target_id"] == "tt_growth_2019"].iloc[0]
    assert growth["value_text"] == "7.50"  # as written, trailing zero kept
    assert mine["year_approximate"].tolist() == [True, False, False, False, False, True]


def test_filters_select_rows_in_catalogue_order(catalogue_dir: Path) -> None:
    (catalogue_dir / "plans" / "table_plan.yaml").write_text(PLAN, encoding="utf-8")
    catalogue = load_catalogue(catalogue_dir)
    chosen = targets_table(catalogue, plans=["table_plan"], regions=["guangdong"])
    assert chosen["target_id"].tolist() == ["tt_broadband_2020", "tt_rail_2020"]
    assert chosen.index.tolist() == [0, 1]
    assert targets_table(catalogue, natures=["binding"]).empty
