"""Evaluation: canonical targets × canonical actuals → one result per target."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..actuals import Actuals
from ..catalogue import Catalogue
from .methods import Context, registry
from .report import DEFAULT_FAIL_ON, RESULT_COLUMNS, STATUSES, Report
from .targets_table import targets_table

__all__ = ["STATUSES", "EvaluationOptions", "Report", "evaluate"]


@dataclass(frozen=True)
class EvaluationOptions:
    as_of: int | None = None  # default: the latest year in the actuals
    plans: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    strict: bool = False
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON


def evaluate(
    catalogue: Catalogue, actuals: Actuals, options: EvaluationOptions | None = None
) -> Report:
    options = options or EvaluationOptions()
    as_of = options.as_of or actuals.latest_year or dt.date.today().year
    targets = targets_table(catalogue, list(options.plans), list(options.regions))
    ctx = Context(catalogue, as_of)
    parts = []
    for kind, method in registry().items():
        subset = targets[targets["kind"] == kind]
        if len(subset):
            parts.append(method.check(subset, actuals.table, ctx))
    judged = pd.concat(parts).loc[targets.index] if parts else pd.DataFrame(index=targets.index)
    results = pd.DataFrame(
        {
            "target_id": targets["target_id"],
            "plan": targets["plan"],
            "indicator": targets["indicator"],
            "region": targets["region"],
            "year": targets["year"],
            "year_inferred": targets["year_inferred"],
            "kind": targets["kind"],
            "comparator": targets["comparator"],
            "target_value": targets["value"].map(lambda v: None if v is None else format(v, "f")),
            "target_value_max": targets["value_max"].map(
                lambda v: None if v is None else format(v, "f")
            ),
            "target_unit": targets["unit"],
            "section": targets["section"],
            "quote": targets["quote"],
            "soft": targets["soft"],
            "hedge": targets["hedge"],
            "nature": targets["nature"],
            "plan_file": targets["plan_file"],
            "line": targets["line"],
        }
    )
    for column in judged.columns:
        results[column] = judged[column]
    if options.statuses:
        results = results[results["status"].isin(options.statuses)]
    results = results[list(RESULT_COLUMNS)].reset_index(drop=True)
    plans = {
        pid: {
            "title_zh": p.meta.title_zh,
            "title_en": p.meta.title_en,
            "source_file": p.meta.source_file,
        }
        for pid, p in catalogue.plans.items()
    }
    return Report(results, as_of, options.strict, options.fail_on, actuals.files, plans)
