"""GitHub Actions workflow commands: an annotation per failing target and a summary notice.

``::error file=…,line=…,title=…::message`` points at the actuals file and the physical line of
the row that was judged (its physical line when the actuals carry it, else data row + 1 for
the header), or, when no figure was submitted, at the target's line in its plan file. Misses
that do not fail the run (soft targets without ``--strict``) are ``::warning`` annotations.
GitHub shows at most 10 error and 10 warning annotations per step, so the most severe come
first (not_met, then off_track, then missing …) and past 10 the first 9 are printed and a tenth
says how many more there are, by status. ``--quiet`` keeps the annotations: they are the point
of this format. Values are escaped as the Actions toolkit does: ``%``, CR and LF in messages, and also
``:`` and ``,`` in properties. Appending the Markdown report to ``$GITHUB_STEP_SUMMARY`` is
the CLI's job, not this renderer's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..evaluation import Report
from ..text import visible
from .common import (
    FAIL,
    NOTE,
    Row,
    blank,
    miss_message,
    status_label,
    summary_line,
    with_outcomes,
)
from .i18n import status_word, t
from .options import RenderOptions

MAX_ANNOTATIONS = 10  # per level and step, as GitHub shows them


def escape_data(text: str) -> str:
    # The toolkit's escaping keeps CR and LF in the one command line; every other control
    # character (ESC, C1, bidi overrides) is then shown as an escape (plancheck.text).
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


# Most severe first: GitHub shows only the first 10 annotations of a kind.
SEVERITY_ORDER = (
    "not_met",
    "off_track",
    "missing",
    "insufficient_data",
    "on_track",
    "pending",
    "open",
    "met",
)


def by_severity(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows ordered most severe status first; catalogue order within a status."""
    rank = (
        rows["status"].map({s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(len(SEVERITY_ORDER))
    )
    return rows.iloc[rank.to_numpy().argsort(kind="stable")]


def location(row: Row) -> dict[str, object]:
    """The actuals row judged (its physical line, else data row + 1 for the header), else the
    target's line in its plan file."""
    if not blank(row["actual_file"]) and not blank(row["actual_row"]):
        line = row.get("actual_line")
        return {
            "file": row["actual_file"],
            "line": int(row["actual_row"]) + 1 if line is None or blank(line) else int(line),
        }
    if not blank(row["plan_file"]):
        return {"file": row["plan_file"], "line": None if blank(row["line"]) else int(row["line"])}
    return {}


LOCATION_COLUMNS = ("actual_file", "actual_row", "actual_line", "plan_file", "line")


def locations(results: pd.DataFrame) -> dict[str, list[Any]]:
    """:func:`location` of each result, as a list of files ("" for none) and one of lines."""
    names = [c for c in LOCATION_COLUMNS if c in results]
    columns = [results[c].to_numpy(dtype=object) for c in names]
    files: list[Any] = []
    lines: list[Any] = []
    for values in zip(*columns, strict=True):
        where = location(dict(zip(names, values, strict=True)))
        files.append(where.get("file", ""))
        lines.append(where.get("line"))
    return {"file": files, "line": lines}


def _annotations(
    level: str, rows: pd.DataFrame, options: RenderOptions, more_key: str
) -> list[str]:
    lines = []
    rows = by_severity(rows)
    shown = rows if len(rows) <= MAX_ANNOTATIONS else rows.iloc[: MAX_ANNOTATIONS - 1]
    for _, row in shown.iterrows():
        title = t(
            options.lang,
            "msg.title",
            target_id=row["target_id"],
            status=status_label(row["status"], bool(row["soft"]), options.lang),
        )
        lines.append(command(level, miss_message(row, options), **location(row), title=title))
    if len(rows) > len(shown):
        left = rows.iloc[len(shown) :]["status"].value_counts(sort=False)
        statuses = t(options.lang, "summary.sep").join(
            t(options.lang, "summary.part", count=int(left[s]), status=status_word(s, options.lang))
            for s in SEVERITY_ORDER
            if s in left
        )
        lines.append(
            command(
                level, t(options.lang, more_key, count=len(rows) - len(shown), statuses=statuses)
            )
        )
    return lines


def render(report: Report, options: RenderOptions) -> str:
    lines: list[str] = []
    results = with_outcomes(report)
    lines += _annotations("error", results[results["outcome"] == FAIL], options, "msg.more")
    lines += _annotations(
        "warning", results[results["outcome"] == NOTE], options, "msg.more_warnings"
    )
    lines.append(command("notice", summary_line(report, options.lang), title="plancheck"))
    return "\n".join(lines) + "\n"
