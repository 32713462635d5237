"""CSV for Excel: one row per result with the JSON fields, flattened; UTF-8 with a BOM.

Columns and headings follow the result schema (plancheck/result_schema.py, ``CSV_HEADER``): the
JSON result's keys in the same order, with ``source`` and ``actual_source`` flattened to
``source_section``, ``source_quote``, ``actual_source_file`` and ``actual_source_row``
(``progress`` likewise, without its inputs; the physical line and cell last, as
``actual_source_line`` and ``actual_source_cell``), plus ``indicator_name`` and ``region_name``
in the report's language and ``plan_completion_rate`` (the plan's 指标完成率, the same on each of
its rows, so that a sheet filtered to one plan shows it). A nested object that JSON writes as
null leaves its columns empty.
The heading row is the field names in every language, so that scripts read columns by
name whatever the locale; values are never translated (``status`` stays ``not_met``), only
``indicator_name`` and ``region_name`` follow ``--lang``. The text starts with a BOM so that
Excel reads it as UTF-8. A text cell that a spreadsheet would read as a formula (``=``, ``+``,
``-``, ``@`` first) gets a leading ``'``, and control characters are shown as escapes
(plancheck.text); numbers stay numbers.

Built column by column (render/columns.py): each distinct value of a column becomes a cell once,
and the rows are joined a block at a time, so the text is written as it is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..evaluation import Report
from ..result_schema import CSV_FIELDS, CSV_HEADER, ResultField
from ..text import inert
from . import columns
from .options import RenderOptions

BOM = "\ufeff"


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The header, then the results a block at a time (made as UTF-8, which a file takes as it
    is: columns.Utf8Chunks)."""
    return columns.Utf8Chunks(_utf8_chunks(report, options))


def _utf8_chunks(report: Report, options: RenderOptions) -> Iterator[bytes | memoryview]:
    # stable headings, like JSON's keys: never translated
    yield (BOM + ",".join(columns.csv_field(h) for h in CSV_HEADER) + "\n").encode("utf-8")
    results = report.results
    if results.empty:
        return
    cells = [_cells(report, field, options) for field in CSV_FIELDS]
    for rows in columns.blocks(len(results)):
        parts: list[str | pa.StringArray] = []
        for number, column in enumerate(cells):
            parts += [",", column.block(rows)] if number else [column.block(rows)]
        yield columns.utf8_of(columns.joined([*parts, "\n"]))


def _cells(report: Report, field: ResultField, options: RenderOptions) -> columns.Texts:
    """One column of the CSV as cells; empty where the JSON object holding the field is null."""
    results = report.results
    if field.derived:
        return _derived(report, field, options)
    values = columns.column(results, field.name)
    if values is None:
        return columns.constant("", len(results))
    if field.kind == "bool":
        cells = columns.flags(values)
    elif field.kind == "actual":  # a milestone's word, else a number
        milestone = (results["kind"] == "milestone").to_numpy()
        cells = columns.encoded(values.where(~milestone), columns.number_texts, "")
        if milestone.any():
            words = columns.encoded(values.where(milestone), _texts, "")
            cells = columns.chosen(milestone, words, cells)
    else:
        encode = {"text": _texts, "int": columns.int_texts, "number": columns.number_texts}
        cells = columns.encoded(values, encode[field.kind], "")
    holder = columns.objects().get(str(field.json).split(".")[0])
    if holder is None or holder is field:
        return cells
    there = columns.present(columns.column(results, holder.name), len(results))
    return columns.chosen(there, cells, columns.constant("", len(results)))


def _derived(report: Report, field: ResultField, options: RenderOptions) -> columns.Texts:
    """The columns the renderer computes: each a function of another column's values."""
    name = field.name
    of: tuple[str, Callable[[Any], Any]]
    if name == "indicator_name":
        of = ("indicator", lambda v: options.names.indicator(v, options.lang))
    elif name == "region_name":
        of = ("region", lambda v: options.names.region(v, options.lang))
    elif name == "plan_completion_rate":
        rates = {plan: o["completion_rate"] for plan, o in report.plan_overviews().items()}
        of = ("plan", lambda v: rates.get(str(v)))
    else:
        raise KeyError(f"the CSV does not know how to compute {name}")
    source, compute = of
    encode = _texts if field.kind == "text" else columns.number_texts
    codes, distinct = pd.factorize(report.results[source])
    computed = (compute(v) for v in distinct.tolist())  # a few hundred: ids of a catalogue
    # Names are kept as Python objects: a lone surrogate in a name cannot enter an Arrow index
    # before inert() has escaped it.
    dtype = object if field.kind == "text" else None
    cells = ["" if v is None else encode(pd.Index([v], dtype=dtype))[0] for v in computed]
    codes = np.where(codes < 0, len(cells), codes).astype(np.int32)
    return columns.Texts(codes, pa.array([*cells, ""]))


def _texts(distinct: pd.Index) -> list[str]:
    """Text cells: from input, so no live formula and no control character; then quoted."""
    return [columns.csv_field(_text(v)) for v in distinct.tolist()]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return str(value)
