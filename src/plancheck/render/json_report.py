"""JSON: stable keys (documented in README), numbers as JSON numbers, never translated.

A result's keys, their order and the nested objects follow the result schema
(plancheck/result_schema.py); each field is written by its kind, column by column
(render/columns.py), and the document is made in blocks of results so that it is written as it
is made.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..evaluation import Report
from ..result_schema import ResultField, json_layout
from ..text import HIDDEN_CLASS, json_hidden_escaped
from . import columns
from .options import RenderOptions

_RECORD_INDENT = 4  # a result in "results"; its keys one level (2 spaces) deeper


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The document: everything but the results, then the results a block at a time (made as
    UTF-8, which a file takes as it is: columns.Utf8Chunks)."""
    return columns.Utf8Chunks(_utf8_chunks(report, options))


def _utf8_chunks(report: Report, options: RenderOptions) -> Iterator[bytes | memoryview]:
    results = report.results
    listed = not (options.quiet or results.empty)
    # The fields are encoded, and the blocks made, on worker threads (Arrow's kernels run
    # without the GIL): the fields while the document's head is made, then each block while the
    # one before it is written.
    with columns.workers() as pool:
        fields = _fields(results, pool) if listed else []
        head = _head(report)
        if not listed:
            yield head + b"\n"
            return
        assert head.endswith(b'  "results": []\n}')
        yield head[: -len("[]\n}")] + b"[\n"
        record = _Record(columns.finished(fields))
        ranges = list(columns.blocks(len(results)))

        def made(number: int) -> memoryview:
            trim = len(_SEPARATOR) if number == len(ranges) - 1 else 0
            return columns.utf8_of(record.block(ranges[number]), trim)

        yield from columns.made_ahead(made, len(ranges), pool)
    yield b"\n  ]\n}\n"


def _head(report: Report) -> bytes:
    """The document with an empty list of results."""
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
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)


_SEPARATOR = ",\n"  # after each result; the last one's is cut


def _fields(results: pd.DataFrame, pool: Executor) -> list[str | Future[columns.Texts]]:
    """A result's record as pieces: the keys and punctuation between fields (literal texts)
    and each field's texts for every row, being encoded by ``pool``."""
    rows = len(results)
    pieces: list[str | Callable[[], columns.Texts]] = []
    indent = " " * (_RECORD_INDENT + 2)
    for number, (key, fields) in enumerate(json_layout()):
        opening = ("," if number else " " * _RECORD_INDENT + "{") + f"\n{indent}{_string(key)}: "
        pieces.append(opening)
        first = fields[0]
        if key not in columns.objects():
            pieces.append(partial(_texts, results, first, _key_indent(first)))
            continue
        there = columns.present(columns.column(results, first.name), rows)
        if not there.any():  # e.g. no progress in a report of due targets
            pieces.append("null")
            continue
        for place, member in enumerate(fields):
            name = str(member.json).split(".", 1)[1]
            before = ("," if place else "{") + f"\n{indent}  {_string(name)}: "
            after = f"\n{indent}}}" if place == len(fields) - 1 else ""
            # an absent object is null: its first member's place says so, the rest are empty
            absent = "" if place else "null"
            pieces.append(partial(_member, results, member, there, before, after, absent))
    pieces.append(f"\n{' ' * _RECORD_INDENT}}}{_SEPARATOR}")
    return columns.begun(pieces, pool)


class _Record:
    """The results as JSON records, put together a block of rows at a time from every field
    encoded once for all rows, by its kind.

    A record is a row of pieces: literal texts and the fields' texts. Before any block is
    made, each literal is joined to the texts of a field beside it that is coded (few distinct
    texts), and neighbouring coded fields are joined into one (their texts for each pair of
    codes), so that a block is a few column takes and one element-wise concatenation."""

    def __init__(self, pieces: list[str | columns.Texts]) -> None:
        self.pieces = columns.compacted(pieces)

    def block(self, rows: slice) -> pa.StringArray:
        """Each result of the block as JSON text indented to its place, then the separator."""
        return columns.joined([p if isinstance(p, str) else p.block(rows) for p in self.pieces])


def _member(
    results: pd.DataFrame,
    field: ResultField,
    there: np.ndarray,
    before: str,
    after: str,
    absent: str,
) -> columns.Texts:
    """A nested object's member: its texts framed where the object is, ``absent`` elsewhere."""
    texts = _texts(results, field, _key_indent(field))
    return columns.within(texts, there, before, after, absent)


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
        if not milestone.any():
            return _numbers(values)
        strings = columns.arrow_strings(values)
        if strings is not None:
            picked, nothing = pa.array(milestone), pa.scalar(None, pa.string())
            figures = columns.decimal_column(pc.if_else(picked, nothing, strings), "null")
            said = _quoted(pc.if_else(picked, strings, nothing))
            if figures is not None and said is not None:
                return columns.chosen(milestone, said, figures)
        numbers = _numbers(values.where(~milestone))
        return columns.chosen(milestone, _words(values.where(milestone)), numbers)
    if field.kind == "number":
        return _numbers(values)
    if field.kind == "int":
        return columns.int_column(values, "null")
    return _words(values)


def _numbers(values: pd.Series) -> columns.Texts:
    by_row = columns.number_column(values, "null")
    return by_row if by_row is not None else columns.encoded(values, columns.number_texts, "null")


def _words(values: pd.Series) -> columns.Texts:
    """A text field: JSON strings (null where missing), all at once from Arrow's texts when
    none needs an escape, else value by value."""
    strings = columns.arrow_strings(values, objects=True)
    quoted = None if strings is None else _quoted(strings)
    return quoted if quoted is not None else columns.encoded(values, _strings, "null")


def _quoted(strings: pa.StringArray) -> columns.Texts | None:
    """Each text in quotes (null where missing), coded when they repeat; None when one holds a
    character JSON escapes."""
    if strings.null_count == len(strings):  # e.g. no hedges
        return columns.constant("null", len(strings))
    if columns.repeats(strings):
        coded = pc.dictionary_encode(strings)
        if not _plain(coded.dictionary):
            return None
        quoted = pc.binary_join_element_wise('"', coded.dictionary, '"', "")
        codes = pc.fill_null(coded.indices, len(quoted)).to_numpy(zero_copy_only=False)
        texts = pa.concat_arrays([quoted, pa.array(["null"], pa.string())])
        return columns.Texts(codes.astype(np.int32), texts)
    if not _plain(strings):
        return None
    quoted = pc.binary_join_element_wise('"', strings, '"', "")
    return columns.Texts.per_row(pc.fill_null(quoted, "null") if quoted.null_count else quoted)


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

# What a JSON string here writes as an escape: a quote, a backslash, a control or invisible
# character (json_hidden_escaped); in ASCII, a quote, a backslash, C0 controls and DEL.
_ESCAPED = re.compile(f'["\\\\{HIDDEN_CLASS}]')
_ESCAPED_ASCII = bytes(range(0x20)) + b'"\\\x7f'
_NOT_ESCAPED_ASCII = bytes(b for b in range(0x100) if b not in _ESCAPED_ASCII)


def _plain(strings: pa.StringArray) -> bool:
    """Whether no text holds a character JSON escapes: then each one's JSON string is itself
    in quotes. One look at all of them together, in C loops: the bytes a quote, a backslash or
    a C0 control would be (deleting every other byte leaves none), then, in text that is not
    ASCII, printable characters (none hidden) or else a search for the hidden ones."""
    data = bytes(columns.utf8_of(strings))
    if data.translate(None, _NOT_ESCAPED_ASCII):
        return False
    if data.isascii():
        return True
    text = str(data, "utf-8")
    return text.isprintable() or _ESCAPED.search(text) is None


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
