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
from collections.abc import Iterator
from typing import Any

from ..evaluation import Report
from ..text import visible
from .common import (
    FAIL,
    NOTE,
    SKIP,
    miss_messages,
    note_messages,
    per_value,
    plan_blocks,
    plan_title,
    provenances,
    with_outcomes,
)
from .options import RenderOptions

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text: str) -> str:
    """One line of text from input: control characters shown as escapes (plancheck.text), and
    what XML 1.0 still cannot hold (U+FFFE, U+FFFF) dropped, which ElementTree would not do."""
    return _NOT_XML.sub("", visible(text))


def _lines(lines: list[str]) -> str:
    return "\n".join(_safe(line) for line in lines)


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
    """The document as ``ET.indent`` and ``ET.tostring`` lay it out, written suite by suite."""
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
        yield HEADER + _element("testsuites", totals) + "\n"
        return
    yield HEADER + _element("testsuites", totals)[:-3] + ">\n"
    cases = _cases(report, results, options)
    overviews = report.plan_overviews()
    for plan_id, positions in blocks:
        yield _suite_head(report, plan_id, outcomes[positions], overviews[plan_id], options.lang)
        for start in range(0, len(positions), BLOCK_ROWS):
            yield "".join(cases[positions[start : start + BLOCK_ROWS]])
        yield "  </testsuite>\n"
    yield "</testsuites>\n"


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


def _cases(report: Report, results: Any, options: RenderOptions) -> Any:
    """Each result's <testcase> element, indented, with its newline."""
    import numpy as np

    lang = options.lang
    outcomes = results["outcome"].to_numpy(dtype=object)
    names = per_value(results["target_id"], lambda tid: _attr(str(tid)))
    plans = per_value(results["plan"], lambda plan: _attr(str(plan)))
    cases = np.empty(len(results), dtype=object)
    cases[:] = [
        f'    <testcase name="{name}" classname="{plan}" time="0" />\n'
        for name, plan in zip(names, plans, strict=True)
    ]
    missed = np.flatnonzero((outcomes == FAIL) | (outcomes == NOTE))
    noted = np.flatnonzero((outcomes == SKIP) | (outcomes == NOTE))
    misses = dict(zip(missed, miss_messages(results.iloc[missed], options), strict=True))
    notes = dict(zip(noted, note_messages(results.iloc[noted], report, lang), strict=True))
    sources = dict(zip(missed, provenances(results.iloc[missed], lang), strict=True))
    statuses = results["status"].to_numpy(dtype=object)
    for i in sorted({*missed, *noted}):
        kind = outcomes[i]
        if kind == FAIL:
            attributes = {"type": str(statuses[i]), "message": _safe(misses[i])}
            inner = _element("failure", attributes, _lines(sources[i]))
        elif kind == SKIP:
            inner = _element("skipped", {"message": _safe(notes[i])})
        else:  # a visible miss: skipped, with what was missed and why
            message = _safe(f"{misses[i]} ({notes[i]})")
            inner = _element("skipped", {"message": message}, _lines(sources[i]))
        cases[i] = (
            f'    <testcase name="{names[i]}" classname="{plans[i]}" time="0">\n'
            f"      {inner}\n    </testcase>\n"
        )
    return cases
