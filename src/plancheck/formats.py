"""Output format names → the module under render/ holding each one's render(); imports nothing.

The CLI builds its --format choices from this table at start-up, so the choices and the
renderers cannot drift apart; the modules themselves are imported only when chosen.
"""

from __future__ import annotations

FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_report",
    "csv": "csv_report",
    "markdown": "markdown",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "html": "html_report",
}
