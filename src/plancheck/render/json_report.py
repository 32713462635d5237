"""JSON: stable keys (documented in README), numbers as JSON numbers, never translated."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from ..evaluation import Report
from .options import RenderOptions


def _num(value: Any) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    number = float(value)
    return (
        int(number)
        if number.is_integer() and abs(number) < 2**53 and "." not in str(value)
        else number
    )


def _text(value: Any) -> Any:
    """Text fields as JSON strings or null (pandas marks absent text as NaN or NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def result_record(row: pd.Series) -> dict[str, Any]:
    return {
        "target_id": row["target_id"],
        "plan": row["plan"],
        "indicator": row["indicator"],
        "region": row["region"],
        "year": _int(row["year"]),
        "year_inferred": bool(row["year_inferred"]),
        "kind": row["kind"],
        "comparator": _text(row["comparator"]),
        "target_value": _num(row["target_value"]),
        "target_value_max": _num(row["target_value_max"]),
        "target_unit": _text(row["target_unit"]),
        "actual_value": _text(row["actual_value"])
        if row["kind"] == "milestone"
        else _num(row["actual_value"]),
        "actual_unit": _text(row["actual_unit"]),
        "actual_year": _int(row["actual_year"]),
        "status": row["status"],
        "gap": _num(row["gap"]),
        "achievement": _num(row["achievement"]),
        "soft": bool(row["soft"]),
        "hedge": _text(row["hedge"]),
        "nature": _text(row["nature"]),
        "basis": _text(row["basis"]),
        "completed": _text(row["completed"]),
        "flag": _text(row["flag"]),
        "source": {"section": row["section"], "quote": row["quote"]},
        "actual_source": None
        if _text(row["actual_file"]) is None
        else {"file": row["actual_file"], "row": _int(row["actual_row"])},
        "progress": _progress(row),
    }


def _progress(row: pd.Series) -> dict[str, Any] | None:
    """The progress assessment of a target not yet due, with every input it used; else null."""
    if _text(row["progress_method"]) is None:
        return None
    return {
        "method": row["progress_method"],
        "category": _text(row["progress_category"]),
        "score": _num(row["progress_score"]),
        "observed_rate": _num(row["observed_rate"]),
        "required_rate": _num(row["required_rate"]),
        "projected_value": _num(row["projected_value"]),
        "projected_year": _int(row["projected_year"]),
        "regressed": bool(row["regressed"]) if _text(row["regressed"]) is not None else False,
        "inputs": row["progress_inputs"],
    }


def render(report: Report, options: RenderOptions) -> str:
    document = {
        "as_of": report.as_of,
        "summary": report.summary(),
        "failing": len(report.failing()),
        "overview": report.overview(),
        "plans": report.plan_overviews(),
        "results": []
        if options.quiet
        else [result_record(row) for _, row in report.results.iterrows()],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
