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

from ..evaluation import Report
from ..text import visible
from .common import FAIL, NOTE, miss_message, with_outcomes
from .github import location
from .options import RenderOptions

SEVERITY = {FAIL: "major", NOTE: "minor"}


def fingerprint(target_id: str, status: str) -> str:
    return hashlib.sha256(f"plancheck:{target_id}:{status}".encode()).hexdigest()


def _line(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 1


def render(report: Report, options: RenderOptions) -> str:
    issues = []
    for _, row in with_outcomes(report).iterrows():
        severity = SEVERITY.get(row["outcome"])
        if severity is None:
            continue
        where = location(row)
        issues.append(
            {
                "description": visible(miss_message(row, options)),
                "check_name": f"plancheck/{row['status']}",
                "fingerprint": fingerprint(str(row["target_id"]), str(row["status"])),
                "severity": severity,
                "location": {
                    "path": visible(str(where.get("file", ""))),
                    "lines": {"begin": _line(where.get("line"))},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
