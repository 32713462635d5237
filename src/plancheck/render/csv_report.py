"""CSV for Excel: one row per result with the JSON fields, flattened; UTF-8 with a BOM.

Columns are the JSON result's keys in the same order, with ``source`` and ``actual_source``
flattened to ``source_section``, ``source_quote``, ``actual_source_file`` and
``actual_source_row`` (``progress`` likewise, without its inputs; the physical line and cell
last, as ``actual_source_line`` and ``actual_source_cell``), plus ``indicator_name`` and
``region_name`` in the report's language and ``plan_completion_rate`` (the plan's 指标完成率, the
same on each of its rows, so that a sheet filtered to one plan shows it).
The heading row is the field names in every language, so that scripts read columns by
name whatever the locale; values are never translated (``status`` stays ``not_met``), only
``indicator_name`` and ``region_name`` follow ``--lang``. The text starts with a BOM so that Excel reads it as UTF-8. A text cell that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` first) gets a leading ``'``,
and control characters are shown as escapes (plancheck.text); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..evaluation import Report
from ..text import inert
from .json_report import result_record
from .options import RenderOptions

BOM = "\ufeff"
FIELDS = (
    "target_id", "plan", "indicator", "indicator_name", "region", "region_name", "year",
    "year_inferred", "kind", "comparator", "target_value", "target_value_max", "target_unit",
    "actual_value", "actual_unit", "actual_year", "status", "gap", "achievement", "soft", "hedge",
    "nature", "basis", "completed", "flag", "source_section", "source_quote", "actual_source_file",
    "actual_source_row", "progress_method", "progress_category", "progress_score", "projected_value",
    "projected_year", "regressed", "plan_completion_rate", "actual_source_line", "actual_source_cell",
)  # fmt: skip


def flat_record(record: dict[str, Any], options: RenderOptions) -> dict[str, Any]:
    flat = {k: v for k, v in record.items() if k not in ("source", "actual_source")}
    flat["indicator_name"] = options.names.indicator(record["indicator"], options.lang)
    flat["region_name"] = options.names.region(record["region"], options.lang)
    source = record["source"] or {}
    flat["source_section"] = source.get("section")
    flat["source_quote"] = source.get("quote")
    actual_source = record["actual_source"] or {}
    flat["actual_source_file"] = actual_source.get("file")
    flat["actual_source_row"] = actual_source.get("row")
    flat["actual_source_line"] = actual_source.get("line")
    flat["actual_source_cell"] = actual_source.get("cell")
    progress = record["progress"] or {}
    for key in ("method", "category", "score", "projected_value", "projected_year", "regressed"):
        flat[key if key.startswith("projected") or key == "regressed" else f"progress_{key}"] = (
            progress.get(key)
        )
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # text from input: no live formula, no control character
        return inert(value)
    return str(value)


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)  # stable keys, like JSON's: never translated
    rates = {plan: o["completion_rate"] for plan, o in report.plan_overviews().items()}
    for _, row in report.results.iterrows():
        flat = flat_record(result_record(row), options)
        flat["plan_completion_rate"] = rates.get(str(row["plan"]))
        writer.writerow([_cell(flat[f]) for f in FIELDS])
    return BOM + buffer.getvalue()
