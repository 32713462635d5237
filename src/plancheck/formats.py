"""Output formats: each one's name, the module under render/ that draws it, and its facts.

Imports nothing heavy: the CLI builds its --format choices, suffix rules and output routing
from this table at start-up, so none of them is a hand-kept copy and the CLI holds no
format-specific branch. The renderer modules themselves are imported only when chosen.

Adding a format is one module under render/ (``render()`` or ``render_chunks()``) and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormatSpec:
    name: str
    module: str  # render/<module>.py
    # --output suffixes that may hold this format; the first format listing a suffix is the one
    # that suffix chooses when --format is not given.
    suffixes: tuple[str, ...] = ()
    # Starts with a UTF-8 byte order mark so that spreadsheets read the file as UTF-8; dropped
    # when the report goes to a console that cannot show it.
    bom: bool = False
    # Needs each indicator's series of actuals (charts): evaluate() builds them only on request.
    needs_series: bool = False
    # Inside a GitHub Actions job, also append a Markdown summary to $GITHUB_STEP_SUMMARY.
    step_summary: bool = False
    # Problems (exit 2) are also written in this format, so a CI job's parser sees them.
    problems: bool = False


FORMAT_SPECS: tuple[FormatSpec, ...] = (
    FormatSpec("table", "table", suffixes=(".txt",)),
    FormatSpec("json", "json_report", suffixes=(".json",), problems=True),
    FormatSpec("csv", "csv_report", suffixes=(".csv",), bom=True),
    # Markdown is read by people: problems go to stderr (and, in a job, to the step summary).
    FormatSpec("markdown", "markdown", suffixes=(".md", ".markdown")),
    FormatSpec("junit", "junit", suffixes=(".xml",), problems=True),
    FormatSpec("github", "github", suffixes=(".txt",), step_summary=True, problems=True),
    FormatSpec("gitlab", "gitlab", suffixes=(".json",), problems=True),
    FormatSpec("html", "html_report", suffixes=(".html", ".htm"), needs_series=True),
)
SPECS: dict[str, FormatSpec] = {spec.name: spec for spec in FORMAT_SPECS}
# name → module, as before (kept for the callers that only need the module)
FORMATS: dict[str, str] = {spec.name: spec.module for spec in FORMAT_SPECS}
