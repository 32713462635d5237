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
import xml.etree.ElementTree as ET

from ..evaluation import Report
from ..text import visible
from .common import (
    FAIL,
    NOTE,
    SKIP,
    miss_message,
    note_message,
    plan_title,
    provenance,
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


def render(report: Report, options: RenderOptions) -> str:
    lang = options.lang
    results = with_outcomes(report)
    root = ET.Element("testsuites", name="plancheck")
    totals = {"tests": 0, "failures": 0}
    for plan_id, rows in results.groupby("plan", sort=False):
        kinds = rows["outcome"]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=str(plan_id),
            tests=str(len(rows)),
            failures=str(int((kinds == FAIL).sum())),
            errors="0",
            skipped=str(int(kinds.isin((SKIP, NOTE)).sum())),
            time="0",
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(
            properties,
            "property",
            name="title",
            value=_safe(plan_title(report, str(plan_id), lang)),
        )
        ET.SubElement(properties, "property", name="as_of", value=str(report.as_of))
        ET.SubElement(properties, "property", name="strict", value=str(report.strict).lower())
        ET.SubElement(properties, "property", name="fail_on", value=",".join(report.fail_on))
        overview = report.plan_overviews()[str(plan_id)]
        rate = overview["completion_rate"]
        ET.SubElement(
            properties, "property", name="completion_rate", value="" if rate is None else str(rate)
        )
        ET.SubElement(properties, "property", name="due", value=str(overview["due"]))
        for _, row in rows.iterrows():
            case = ET.SubElement(
                suite, "testcase", name=str(row["target_id"]), classname=str(plan_id), time="0"
            )
            kind = row["outcome"]
            if kind == FAIL:
                failure = ET.SubElement(
                    case,
                    "failure",
                    type=str(row["status"]),
                    message=_safe(miss_message(row, options)),
                )
                failure.text = _lines(provenance(row, lang))
            elif kind == SKIP:
                ET.SubElement(case, "skipped", message=_safe(note_message(row, report, lang)))
            elif kind == NOTE:  # a visible miss: skipped, with what was missed and why
                message = f"{miss_message(row, options)} ({note_message(row, report, lang)})"
                skipped = ET.SubElement(case, "skipped", message=_safe(message))
                skipped.text = _lines(provenance(row, lang))
        totals["tests"] += len(rows)
        totals["failures"] += int((kinds == FAIL).sum())
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
