"""The result schema: every column a result has, written down once.

Each :class:`ResultField` says what a column of ``Report.results`` holds, its kind (which decides
how JSON and CSV write it), where it goes in the JSON record and under which CSV heading. The
frame's column list, the JSON field order, the CSV header and the README's key table are all
derived from :data:`RESULT_FIELDS`, so adding a field is a change in one place.

Imports nothing: the CLI, the docs generator and every renderer may read it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a value is written: text (JSON string or null), int, bool (never null), number (a decimal
# text such as "51.50" or a float; JSON number), actual (a milestone's word or a number), data
# (a nested JSON value, the progress inputs).
Kind = Literal["text", "int", "bool", "number", "actual", "data"]


@dataclass(frozen=True)
class ResultField:
    name: str  # the column of Report.results
    kind: Kind
    meaning: str  # one line, for the docs' key table
    # Where JSON puts it: a top-level key, or "object.key" inside a nested object
    # ("source.quote"); None: not written to JSON (a catalogue fact the human formats use).
    json: str | None = None
    # The CSV heading; None: not a CSV column.
    csv: str | None = None
    # CSV columns keep their position for scripts that read by position: a column added after
    # the first release goes after every older one (in schema order within a release).
    csv_release: int = 1
    # Computed by the renderer from the report, not a column of the frame (names in the
    # report's language, the plan's completion rate).
    derived: bool = False


def _f(
    name: str,
    kind: Kind,
    meaning: str,
    json: str | None = "",
    csv: str | None = "",
    csv_release: int = 1,
    derived: bool = False,
) -> ResultField:
    """A field whose JSON key and CSV heading default to its name ("" → the name)."""
    return ResultField(
        name,
        kind,
        meaning,
        name if json == "" else json,
        name if csv == "" else csv,
        csv_release,
        derived,
    )


RESULT_FIELDS: tuple[ResultField, ...] = (
    _f("target_id", "text", "the target's catalogue id"),
    _f("plan", "text", "the plan's catalogue id"),
    _f("indicator", "text", "the indicator's catalogue id"),
    _f("indicator_name", "text", "the indicator's name in the report's language", json=None, derived=True),
    _f("region", "text", "the region's catalogue id"),
    _f("region_name", "text", "the region's name in the report's language", json=None, derived=True),
    _f("year", "int", "the target year (null for an open target)"),
    _f("year_inferred", "bool", "true when the plan gave no year and its end year was used"),
    _f("kind", "text", "level, growth or milestone"),
    _f("comparator", "text", "the target's comparator as the plan states it"),
    _f("target_value", "number", "the target value as the plan states it"),
    _f("target_value_max", "number", "the upper end of a range target"),
    _f("target_unit", "text", "the target's unit"),
    _f("actual_value", "actual", "the actual as submitted (growth computed from levels: the rate in %; milestones: done / not done)"),
    _f("actual_unit", "text", "the actual's unit"),
    _f("actual_year", "int", "the year of the actual judged"),
    _f("status", "text", "met, not_met, missing, on_track, off_track, insufficient_data, pending or open"),
    _f("gap", "number", "actual − target in the target's unit (for between, the distance outside the range)"),
    _f("achievement", "number", "actual ÷ target (higher is better) or target ÷ actual (lower is better)"),
    _f("soft", "bool", "whether the plan hedges the target"),
    _f("hedge", "text", "the hedging word"),
    _f("nature", "text", "binding (约束性) or expected (预期性) where the plan says so"),
    _f("basis", "text", "how the actual was obtained when not submitted directly"),
    _f("completed", "text", "a milestone's completion date as submitted"),
    _f("flag", "text", "the actual's observation flag as submitted (p, e, r, b, illustrative …)"),
    _f("section", "text", "the plan's section the target stands in", json="source.section", csv="source_section"),
    _f("quote", "text", "the plan's words the target comes from", json="source.quote", csv="source_quote"),
    _f("actual_file", "text", "the actuals file of the actual judged", json="actual_source.file", csv="actual_source_file"),
    _f("actual_row", "int", "its 1-based data row", json="actual_source.row", csv="actual_source_row"),
    _f("actual_line", "int", "its physical line, where the actuals carry it", json="actual_source.line", csv="actual_source_line", csv_release=3),
    _f("actual_cell", "text", "its spreadsheet cell, where the actuals carry it", json="actual_source.cell", csv="actual_source_cell", csv_release=3),
    _f("progress_method", "text", "the progress method of a target not yet due", json="progress.method"),
    _f("progress_category", "text", "the method's category", json="progress.category"),
    _f("progress_score", "number", "the method's score", json="progress.score"),
    _f("observed_rate", "number", "the observed yearly rate", json="progress.observed_rate", csv=None),
    _f("required_rate", "number", "the yearly rate the target requires", json="progress.required_rate", csv=None),
    _f("projected_value", "number", "the value projected for the target year", json="progress.projected_value"),
    _f("projected_year", "int", "the year of the projection", json="progress.projected_year"),
    _f("regressed", "bool", "whether the indicator moved away from the target", json="progress.regressed"),
    _f("progress_inputs", "data", "every input the progress method used", json="progress.inputs", csv=None),
    _f("plan_completion_rate", "number", "the plan's completion rate (指标完成率), the same on each of its rows", json=None, csv_release=2, derived=True),
    # Catalogue facts the human formats read; not in JSON or CSV.
    _f("plan_file", "text", "the plan's YAML file", json=None, csv=None),
    _f("line", "int", "the target's line in it", json=None, csv=None),
    _f("stage", "text", "the stage a milestone asks for", json=None, csv=None),
    _f("effort", "bool", "a process commitment, not counted in the completion rate", json=None, csv=None),
    _f("scope", "text", "a scope narrower than the region", json=None, csv=None),
    _f("year_approximate", "bool", "a deadline that is about its year (到2020年左右)", json=None, csv=None),
    _f("direction", "text", "higher_is_better or lower_is_better", json=None, csv=None),
)  # fmt: skip

FIELDS_BY_NAME: dict[str, ResultField] = {f.name: f for f in RESULT_FIELDS}
# The columns of Report.results, in schema order.
RESULT_COLUMNS: tuple[str, ...] = tuple(f.name for f in RESULT_FIELDS if not f.derived)
# The CSV header: schema order within each release, older releases first.
CSV_FIELDS: tuple[ResultField, ...] = tuple(
    sorted((f for f in RESULT_FIELDS if f.csv), key=lambda f: f.csv_release)
)
CSV_HEADER: tuple[str, ...] = tuple(str(f.csv) for f in CSV_FIELDS)


def json_layout() -> tuple[tuple[str, tuple[ResultField, ...]], ...]:
    """A JSON result's top-level keys in order, each with the fields it holds.

    A plain key holds one field; a nested object ("source", "actual_source", "progress") holds
    the fields whose ``json`` starts with its name, at the place of its first field.
    """
    keys: dict[str, list[ResultField]] = {}
    for f in RESULT_FIELDS:
        if f.json is not None:
            keys.setdefault(f.json.split(".")[0], []).append(f)
    return tuple((key, tuple(fields)) for key, fields in keys.items())
