"""JUnit XML, as CI servers read it (Jenkins, GitLab, GitHub test reporters).

One ``<testsuite>`` per plan, one ``<testcase>`` per target (name: the target id; classname:
the plan id). A target that fails the run (``not_met``/``missing``, or whatever ``--fail-on``
lists; soft targets only with ``--strict``) has a ``<failure>`` whose message gives the target,
the actual figure and the gap. A miss that does not fail the run (a soft, hedged target
without ``--strict``; an off-track target not due yet) is ``<skipped>`` with a message saying
what was missed and why it does not fail, so it does not read as a pass; ``pending`` and
``open`` targets are ``<skipped/>`` too. The document
validates against the Jenkins JUnit schema (junit.xsd; tests/schemas holds a copy).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..evaluation import Report
from ..text import has_hidden, printable_utf8, visible
from . import columns
from .common import (
    FAIL,
    MESSAGE_COLUMNS,
    NOTE,
    SKIP,
    Parts,
    miss_message_parts,
    note_messages,
    per_value,
    plan_blocks,
    plan_title,
    provenance_parts,
    texts_of,
    with_outcomes,
)
from .options import RenderOptions

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text: str) -> str:
    """One line of text from input: control characters shown as escapes (plancheck.text), and
    what XML 1.0 still cannot hold (U+FFFE, U+FFFF) dropped, which ElementTree would not do."""
    return _NOT_XML.sub("", visible(text))


def _attr(text: str) -> str:
    """An attribute value as ElementTree writes it."""
    text = _cdata(text).replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _cdata(text: str) -> str:
    """Element text as ElementTree writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _element(tag: str, attributes: dict[str, str], text: str | None = None) -> str:
    """One element as ``ET.tostring`` writes it: no text, a short empty element."""
    attrs = "".join(f' {name}="{_attr(value)}"' for name, value in attributes.items())
    if text:
        return f"<{tag}{attrs}>{_cdata(text)}</{tag}>"
    return f"<{tag}{attrs} />"


# Test cases per chunk of output.
BLOCK_ROWS = 10_000
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The document as ``ET.indent`` and ``ET.tostring`` lay it out, written suite by suite
    (the test cases made as UTF-8, which a file takes as it is: columns.Utf8Chunks)."""
    return columns.Utf8Chunks(_utf8_chunks(report, options))


def _utf8_chunks(report: Report, options: RenderOptions) -> Iterator[bytes | memoryview]:
    results = with_outcomes(report)
    outcomes = results["outcome"].to_numpy(dtype=object)
    totals = {
        "name": "plancheck",
        "tests": str(len(results)),
        "failures": str(int((outcomes == FAIL).sum())),
        "errors": "0",
        "time": "0",
    }
    blocks = plan_blocks(results)
    if not blocks:
        yield (HEADER + _element("testsuites", totals) + "\n").encode("utf-8")
        return
    yield (HEADER + _element("testsuites", totals)[:-3] + ">\n").encode("utf-8")
    cases = _Cases(report, results, options)
    overviews = report.plan_overviews()
    for plan_id, positions in blocks:
        head = _suite_head(report, plan_id, outcomes[positions], overviews[plan_id], options.lang)
        yield head.encode("utf-8")
        for start in range(0, len(positions), BLOCK_ROWS):
            yield columns.utf8_of(cases.block(plan_id, positions[start : start + BLOCK_ROWS]))
        yield b"  </testsuite>\n"
    yield b"</testsuites>\n"


def _suite_head(
    report: Report, plan_id: str, outcomes: Any, overview: dict[str, Any], lang: str
) -> str:
    suite = {
        "name": plan_id,
        "tests": str(len(outcomes)),
        "failures": str(int((outcomes == FAIL).sum())),
        "errors": "0",
        "skipped": str(int(((outcomes == SKIP) | (outcomes == NOTE)).sum())),
        "time": "0",
    }
    rate = overview["completion_rate"]
    properties = {
        "title": _safe(plan_title(report, plan_id, lang)),
        "as_of": str(report.as_of),
        "strict": str(report.strict).lower(),
        "fail_on": ",".join(report.fail_on),
        "completion_rate": "" if rate is None else str(rate),
        "due": str(overview["due"]),
    }
    lines = [f"  {_element('testsuite', suite)[:-3]}>", "    <properties>"]
    lines += [
        f"      {_element('property', {'name': name, 'value': value})}"
        for name, value in properties.items()
    ]
    return "\n".join(lines) + "\n    </properties>\n"


class _Cases:
    """Each result's <testcase> element, indented, with its newline, made a block at a time.

    A case is its name, its plan and what follows them: `` />`` for a pass, else the failure
    or skipped element with its messages. The messages are made column by column (the parts of
    common.miss_message_parts and provenance_parts), each part's texts escaped at once, and
    joined by Arrow; a block takes the names and messages of its rows and joins them."""

    def __init__(self, report: Report, results: Any, options: RenderOptions) -> None:
        lang = options.lang
        outcomes = results["outcome"].to_numpy(dtype=object)
        self.names = _escaped(texts_of(results["target_id"]), _attr)
        missed = np.flatnonzero((outcomes == FAIL) | (outcomes == NOTE))
        noted = np.flatnonzero((outcomes == SKIP) | (outcomes == NOTE))
        read = [c for c in MESSAGE_COLUMNS if c in results]  # a national frame has 45
        missed_rows = results[read].iloc[missed]
        self.misses = _message(miss_message_parts(missed_rows, options), _attribute)
        self.sources = _lines(provenance_parts(missed_rows, lang))
        self.notes = _escaped(note_messages(results.iloc[noted], report, lang), _attribute)
        self.types = _escaped(per_value(results["status"].iloc[missed], str), _attr)
        self.outcomes = outcomes
        # each row's place among the misses and among the notes
        self.in_missed = np.full(len(results), -1, dtype=np.int64)
        self.in_missed[missed] = np.arange(len(missed))
        self.in_noted = np.full(len(results), -1, dtype=np.int64)
        self.in_noted[noted] = np.arange(len(noted))

    def block(self, plan_id: str, positions: Any) -> Any:
        """The cases of ``positions`` (results of the plan ``plan_id``), end to end."""
        import pyarrow as pa

        return columns.joined(
            [
                '    <testcase name="',
                self.names.take(pa.array(positions)),
                f'" classname="{_attr(plan_id)}" time="0"',
                self._ends(positions),
            ]
        )

    def _ends(self, positions: Any) -> Any:
        """What follows each case's name and plan: the failure or skipped element, or `` />``."""
        import pyarrow as pa

        outcomes = self.outcomes[positions]
        ends = []
        place = np.zeros(len(positions), dtype=np.int64)  # 0: a pass
        made = 1
        for kind in (FAIL, SKIP, NOTE):
            rows = np.flatnonzero(outcomes == kind)
            if not len(rows):
                continue
            place[rows] = made + np.arange(len(rows))
            made += len(rows)
            ends.append(columns.joined(self._parts(kind, positions[rows])))
        return pa.concat_arrays([pa.array([" />\n"], pa.string()), *ends]).take(pa.array(place))

    def _parts(self, kind: str, rows: Any) -> list[Any]:
        """The parts of the element that follows the name and plan of these rows (``kind``)."""
        missed, noted = self.in_missed[rows], self.in_noted[rows]
        if kind == FAIL:
            return [
                '>\n      <failure type="',
                _take(self.types, missed),
                '" message="',
                _take(self.misses, missed),
                '">',
                _take(self.sources, missed),
                "</failure>\n    </testcase>\n",
            ]
        if kind == SKIP:
            return [
                '>\n      <skipped message="',
                _take(self.notes, noted),
                '" />\n    </testcase>\n',
            ]
        # a visible miss: skipped, with what was missed and why
        return [
            '>\n      <skipped message="',
            _take(self.misses, missed),
            " (",
            _take(self.notes, noted),
            ')">',
            _take(self.sources, missed),
            "</skipped>\n    </testcase>\n",
        ]


def _take(texts: Any, rows: Any) -> Any:
    """``texts`` of ``rows`` (positions): all of them in order without a copy."""
    import pyarrow as pa

    if len(rows) == len(texts) and (rows == np.arange(len(rows))).all():
        return texts
    return texts.take(pa.array(rows))


def _attribute(text: str) -> str:
    """Text from input as an attribute value."""
    return _attr(_safe(text))


def _text(text: str) -> str:
    """Text from input as element text."""
    return _cdata(_safe(text))


def _message(groups: list[tuple[Any, Parts]], escape: Callable[[str], str]) -> Any:
    """Each row's message, escaped: each group's parts escaped and joined, in row order."""
    return _spread([(rows, _joined(parts, escape)) for rows, parts in groups], "")


def _lines(lines: list[tuple[Any, Parts]]) -> Any:
    """Each row's lines as element text: escaped, joined by newlines."""
    import pyarrow.compute as pc

    made = [_spread([(rows, _joined(parts, _text))], None) for rows, parts in lines]
    return pc.binary_join_element_wise(*made, "\n", null_handling="skip")


def _joined(parts: Parts, escape: Callable[[str], str]) -> Any:
    escaped = [escape(p) if isinstance(p, str) else _escaped(p, escape) for p in parts]
    return columns.joined(escaped)


def _spread(groups: list[tuple[Any, Any]], missing: str | None) -> Any:
    """Texts of groups of rows (a mask each, none overlapping) as one array in row order;
    ``missing`` in rows no group has."""
    import pyarrow as pa

    if len(groups) == 1 and groups[0][0].all():  # every row, in order
        return groups[0][1]
    count = len(groups[0][0]) if groups else 0
    place = np.full(count, sum(len(texts) for _, texts in groups), dtype=np.int64)
    taken = 0
    for rows, made in groups:
        place[rows] = taken + np.arange(len(made))
        taken += len(made)
    filler = pa.array([missing], pa.string())
    return pa.concat_arrays([*(made for _, made in groups), filler]).take(pa.array(place))


# --- escaping a column at once ------------------------------------------------------------------
# An escape here (_attr, _attribute, _text) works a character at a time. On texts that need no
# visible() (no control or invisible character) and hold nothing XML cannot, it only writes the
# markup characters as entities: Arrow does that for a whole column; others go value by value.

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


# Whether each escape writes quotes as entities (an attribute value) or not (element text).
_QUOTES: dict[Callable[[str], str], bool] = {_attr: True, _attribute: True, _text: False}


def _escaped(values: Any, escape: Callable[[str], str]) -> Any:
    """``escape`` of each text (an object or Arrow string array) as an Arrow string array."""
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = _arrow(values)
    if strings is not None:
        data = bytes(columns.utf8_of(strings))
        if _plain(data):
            entities = _ENTITIES + (('"', "&quot;"),) * _QUOTES[escape]
            for char, entity in entities:
                if char.encode() in data:
                    strings = pc.replace_substring(strings, char, entity)
            return strings
    if isinstance(values, pa.Array):
        values = values.to_numpy(zero_copy_only=False)
    return pa.array(per_value(values, escape), pa.string())


def _arrow(values: Any) -> Any:
    """Texts as an Arrow string array; None when one is not a text Arrow holds (a lone
    surrogate), or is missing."""
    import pyarrow as pa

    if not isinstance(values, pa.Array):
        try:
            values = pa.array(values, pa.string())
        except (pa.ArrowException, UnicodeEncodeError):
            return None
    return None if values.null_count else values


def _plain(data: bytes) -> bool:
    """Whether UTF-8 text holds no control or invisible character and nothing XML cannot hold
    (then _safe() leaves it as it is): one look in C loops, the bytes first."""
    if printable_utf8(data):
        return True
    if data.isascii():  # an ASCII control character
        return False
    text = str(data, "utf-8")
    return not (has_hidden(text) or _NOT_XML.search(text))
