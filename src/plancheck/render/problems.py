"""Input problems (exit 2) in the CI formats, so that bad input is visible where CI looks.

The human list goes to stderr (cli._print_problems); a CI job reads annotations, the Code
Quality widget, the test view or a JSON document instead. Each problem keeps its stable
kebab-case type, its file and position (line, or data row + 1 for the header line when no
physical line is known; column), its message, value and hint. ``checked`` lists what
``plancheck validate`` found correct, so that a clean run is a document too.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..formats import FORMAT_SPECS
from ..problems import Problem
from ..text import json_hidden_escaped, visible
from .github import MAX_ANNOTATIONS, command, escape_data
from .i18n import t
from .problem_text import problem_hint, problem_message

# The formats a CI job's parser reads problems in (formats.py); markdown is rendered too, for the
# GitHub step summary.
PROBLEM_FORMATS = tuple(spec.name for spec in FORMAT_SPECS if spec.problems)


def _s(problems: Sequence[Problem]) -> str:
    return "" if len(problems) == 1 else "s"


def line_of(problem: Problem) -> int | None:
    """The physical line, else the data row's line (row + 1 for the header), else None."""
    if problem.line is not None:
        return problem.line
    return problem.row + 1 if problem.row is not None else None


def render(
    fmt: str, problems: Sequence[Problem], lang: str = "en", checked: Sequence[str] = ()
) -> str:
    return {
        "json": _json,
        "github": _github,
        "gitlab": _gitlab,
        "junit": _junit,
        "markdown": _markdown,
    }[fmt](problems, lang, checked)


def _text(problem: Problem, lang: str) -> str:
    """Message, value and hint in one line, in the run's language."""
    text = problem_message(problem, lang)
    if problem.value is not None and problem.value not in problem.message:
        text += f" ({t(lang, 'problem.value')}: {problem.value})"
    hint = problem_hint(problem, lang)
    if hint:
        text += f"; {t(lang, 'problem.hint')}: {hint}"
    return text


def _json(problems: Sequence[Problem], lang: str, checked: Sequence[str]) -> str:
    document = {
        "exit_code": 2 if problems else 0,
        "problems": [
            {**p.to_dict(), "message": problem_message(p, lang), "hint": problem_hint(p, lang)}
            for p in problems
        ],
        "checked": list(checked),
    }
    # ensure_ascii=False keeps Chinese readable; hidden characters become \\u escapes (lossless)
    text = json.dumps(document, ensure_ascii=False, indent=2)  # strings hold no raw newline
    return "\n".join(json_hidden_escaped(line) for line in text.split("\n")) + "\n"


def _github(problems: Sequence[Problem], lang: str, checked: Sequence[str]) -> str:
    lines = [escape_data(line) for line in checked]  # plain log lines, as validate prints them
    shown = problems if len(problems) <= MAX_ANNOTATIONS else problems[: MAX_ANNOTATIONS - 1]
    for p in shown:
        lines.append(
            command(
                "error",
                _text(p, lang),
                file=p.file,
                line=line_of(p),
                col=p.column,
                title=f"plancheck {p.type}",
            )
        )
    if len(problems) > len(shown):
        lines.append(command("error", t(lang, "problem.more", count=len(problems) - len(shown))))
    summary = (
        t(lang, "problem.count", count=len(problems), s=_s(problems))
        if problems
        else t(lang, "problem.none", count=len(checked))
    )
    lines.append(command("notice", summary, title="plancheck"))
    return "\n".join(lines) + "\n"


def _gitlab(problems: Sequence[Problem], lang: str, checked: Sequence[str]) -> str:
    issues = []
    for p in problems:
        where = f"{p.file}:{line_of(p)}:{p.column}:{p.field}:{p.value}"
        issues.append(
            {
                "description": visible(f"{p.type}: {_text(p, lang)}"),
                "check_name": f"plancheck/{p.type}",
                "fingerprint": hashlib.sha256(f"plancheck:{p.type}:{where}".encode()).hexdigest(),
                "severity": "blocker",
                "location": {
                    "path": visible(p.file or ""),
                    "lines": {"begin": line_of(p) or 1},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def _junit(problems: Sequence[Problem], lang: str, checked: Sequence[str]) -> str:
    from .junit import _safe

    root = ET.Element("testsuites", name="plancheck")
    suite = ET.SubElement(
        root,
        "testsuite",
        name="plancheck input",
        tests=str(len(problems) + len(checked)),
        failures=str(len(problems)),
        errors="0",
        skipped="0",
        time="0",
    )
    for number, p in enumerate(problems, start=1):
        where = p.location() or "input"
        case = ET.SubElement(
            suite, "testcase", name=_safe(f"{number}. {where}"), classname="input", time="0"
        )
        failure = ET.SubElement(case, "failure", type=p.type, message=_safe(_text(p, lang)))
        failure.text = _safe(f"{where}: {p.type}")
    for line in checked:
        ET.SubElement(suite, "testcase", name=_safe(line), classname="input", time="0")
    root.set("tests", suite.get("tests", "0"))
    root.set("failures", str(len(problems)))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _markdown(problems: Sequence[Problem], lang: str, checked: Sequence[str]) -> str:
    from .markdown import cell

    lines = [f"### ❌ {t(lang, 'problem.count', count=len(problems), s=_s(problems))}", ""]
    lines.append(f"| {t(lang, 'problem.where')} | type | {t(lang, 'problem.what')} |")
    lines.append("| --- | --- | --- |")
    for p in problems:
        lines.append(f"| {cell(p.location())} | {cell(p.type)} | {cell(_text(p, lang))} |")
    return "\n".join(lines) + "\n"
