"""JSON: stable keys (documented in README), numbers as JSON numbers, never translated.

A result's keys, their order and the nested objects follow the result schema
(plancheck/result_schema.py); each field is written by its kind, column by column
(render/columns.py), and the document is made in blocks of results so that it is written as it
is made.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..evaluation import Report
from ..result_schema import ResultField, json_layout
from ..text import json_hidden_escaped
from . import columns
from .options import RenderOptions

_RECORD_INDENT = 4  # a result in "results"; its keys one level (2 spaces) deeper


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The document: everything but the results, then the results a block at a time."""
    import orjson

    overview = report.overview()
    document = {
        "as_of": report.as_of,
        "summary": dict(overview["counts"]),  # report.summary(), without counting again
        "failing": report.failing_count(),
        "overview": overview,
        "plans": report.plan_overviews(),
        # --status lists only some results; the counts above cover every selected target.
        "listed": {
            "statuses": list(report.statuses_shown),
            "count": len(report.results),
            "of": len(report.judged),
        }
        if report.statuses_shown
        else None,
        "results": [],
    }
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode(
        "utf-8"
    )
    results = report.results
    if options.quiet or results.empty:
        yield text + "\n"
        return
    assert text.endswith('  "results": []\n}')
    yield text[: -len("[]\n}")] + "[\n"
    record = _Record(results)
    ranges = list(columns.blocks(len(results)))
    for rows in ranges:
        trim = len(_SEPARATOR) if rows is ranges[-1] else 0
        yield columns.text_of(record.block(rows), trim)
    yield "\n  ]\n}\n"


_SEPARATOR = ",\n"  # after each result; the last one's is cut


class _Record:
    """The results as JSON records: every field encoded once for all rows, by its kind, and
    put together a block of rows at a time."""

    def __init__(self, results: pd.DataFrame) -> None:
        self.fields = {
            f.name: _texts(results, f, _key_indent(f)) for _, fs in json_layout() for f in fs
        }
        self.present = {
            key: columns.present(columns.column(results, first.name), len(results))
            for key, first in columns.objects().items()
        }

    def block(self, rows: slice) -> pa.StringArray:
        """Each result of the block as JSON text indented to its place, then the separator."""
        parts: list[str | pa.StringArray] = [" " * _RECORD_INDENT + "{"]
        indent = " " * (_RECORD_INDENT + 2)
        for number, (key, fields) in enumerate(json_layout()):
            parts.append(("," if number else "") + f"\n{indent}{_string(key)}: ")
            if key not in self.present:
                parts.append(self.fields[fields[0].name].block(rows))
                continue
            there = self.present[key][rows]
            if not there.any():  # e.g. no progress in a report of due targets
                parts.append("null")
                continue
            members: list[str | pa.StringArray] = ["{"]
            for place, member in enumerate(fields):
                name = str(member.json).split(".", 1)[1]
                members.append(("," if place else "") + f"\n{indent}  {_string(name)}: ")
                members.append(self.fields[member.name].block(rows))
            members.append(f"\n{indent}}}")
            parts.append(columns.where(there, columns.joined(members), "null"))
        parts.append(f"\n{' ' * _RECORD_INDENT}}}{_SEPARATOR}")
        return columns.joined(parts)


def _key_indent(field: ResultField) -> int:
    """How far a field's key is indented: nested objects' keys one level deeper."""
    return _RECORD_INDENT + (4 if "." in str(field.json) else 2)


def _texts(results: pd.DataFrame, field: ResultField, indent: int) -> columns.Texts:
    """One field of every result as JSON texts, by its kind; ``indent``: its key's."""
    values = columns.column(results, field.name)
    if values is None:
        return columns.constant("false" if field.kind == "bool" else "null", len(results))
    if field.kind == "bool":
        return columns.flags(values)
    if field.kind == "data":
        return _data(values, indent)
    if field.kind == "actual":  # a milestone's word, else a number
        milestone = (results["kind"] == "milestone").to_numpy()
        numbers = columns.encoded(values.where(~milestone), columns.number_texts, "null")
        if not milestone.any():
            return numbers
        words = columns.encoded(values.where(milestone), _strings, "null")
        return columns.chosen(milestone, words, numbers)
    encode = {"text": _strings, "int": columns.int_texts, "number": columns.number_texts}
    return columns.encoded(values, encode[field.kind], "null")


def _data(values: pd.Series, indent: int) -> columns.Texts:
    """Nested data (a progress method's inputs) as indented JSON, one row at a time: its values
    are dictionaries, with nothing to share between rows."""
    import orjson

    option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    newline = "\n" + " " * indent
    codes = np.zeros(len(values), dtype=np.int32)  # 0: null
    texts = ["null"]
    for row in np.flatnonzero(values.notna().to_numpy()).tolist():
        codes[row] = len(texts)
        dumped = orjson.dumps(values.iloc[row], option=option).decode("utf-8")
        texts.append(dumped.replace("\n", newline))
    return columns.Texts(codes, pa.array(texts, pa.string()))


def _strings(distinct: pd.Index) -> list[str]:
    """Text values as JSON strings (a number or truth value in a text column as itself)."""
    values = distinct.tolist()
    if isinstance(distinct.dtype, pd.StringDtype) or all(type(v) is str for v in values):
        encoded = list(map(_encode_basestring, values))
        # nearly every JSON string is printable, which settles it without a second look (one
        # look at them all together, then at each only when some is not)
        if "".join(encoded).isprintable():
            return encoded
        return [e if e.isprintable() else json_hidden_escaped(e) for e in encoded]
    return [_scalar(v) for v in values]


def _scalar(value: Any) -> str:
    if type(value) is bool or isinstance(value, np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return int.__repr__(int(value))
    if isinstance(value, float):
        return columns.number_text(float(value))
    return _string(str(value))


_encode_basestring = json.encoder.encode_basestring  # the C encoder json.dumps uses


def _string(value: str) -> str:
    """A JSON string, non-ASCII unescaped as in the rest of the document; C1 controls, bidi
    overrides and lone surrogates as ``\\u`` escapes too."""
    return json_hidden_escaped(_encode_basestring(value))


# --- documentation --------------------------------------------------------------------------


def key_table() -> str:
    """README's table of a result's keys, from the schema's meanings (scripts/refresh_docs.py)."""
    lines = ["| key | meaning |", "|---|---|"]
    for _, fields in json_layout():
        lines += [f"| `{field.json}` | {field.meaning} |" for field in fields]
    return "\n".join(lines) + "\n"
