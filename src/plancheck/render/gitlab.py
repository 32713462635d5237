"""GitLab Code Quality JSON: failing targets show in the merge request's Code Quality widget.

A JSON array of issues ``{description, check_name, fingerprint, severity, location: {path,
lines: {begin}}}``. Targets that fail the run are ``major``; misses that do not (soft targets
without ``--strict``) are ``minor``. The location is the judged actuals row (data row + 1 for
the header) or, with no figure, the target's line in its plan file. The fingerprint hashes the
target id and status, so the same miss keeps its identity from one pipeline to the next.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from ..evaluation import Report
from ..text import visible
from .common import FAIL, NOTE, miss_messages, per_value, with_outcomes
from .github import locations
from .options import RenderOptions

SEVERITY = {FAIL: "major", NOTE: "minor"}


def fingerprint(target_id: str, status: str) -> str:
    return hashlib.sha256(f"plancheck:{target_id}:{status}".encode()).hexdigest()


def _line(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 1


# Issues per chunk of output.
BLOCK_ROWS = 10_000


def render(report: Report, options: RenderOptions) -> str:
    return "".join(render_chunks(report, options))


def render_chunks(report: Report, options: RenderOptions) -> Iterator[str]:
    """The array as ``json.dumps(issues, ensure_ascii=False, indent=2)`` writes it, plus a
    newline: each issue's text made from its columns, strings encoded by the json module."""
    results = with_outcomes(report)
    shown = results[results["outcome"].isin(tuple(SEVERITY))]
    if len(shown) == 0:
        yield "[]\n"
        return
    issues = _issues(shown, options)
    for start in range(0, len(issues), BLOCK_ROWS):
        part = ",\n".join(issues[start : start + BLOCK_ROWS])
        yield ("[\n" if start == 0 else ",\n") + part
    yield "\n]\n"


def _issues(results: Any, options: RenderOptions) -> list[str]:
    string = json.JSONEncoder(ensure_ascii=False).encode
    descriptions = per_value(miss_messages(results, options), lambda m: string(visible(m)))
    places = locations(results)
    paths = per_value(places["file"], lambda f: string(visible(str(f))))
    lines = per_value(places["line"], lambda n: str(_line(n)))
    statuses = results["status"].to_numpy(dtype=object)
    checks = per_value(statuses, lambda s: string(f"plancheck/{s}"))
    severities = per_value(results["outcome"], lambda o: string(SEVERITY[o]))
    prints = [
        string(fingerprint(str(tid), str(status)))
        for tid, status in zip(results["target_id"].to_numpy(dtype=object), statuses, strict=True)
    ]
    return [
        f'  {{\n    "description": {d},\n    "check_name": {c},\n    "fingerprint": {f},\n'
        f'    "severity": {s},\n    "location": {{\n      "path": {p},\n      "lines": {{\n'
        f'        "begin": {n}\n      }}\n    }}\n  }}'
        for d, c, f, s, p, n in zip(
            descriptions, checks, prints, severities, paths, lines, strict=True
        )
    ]
