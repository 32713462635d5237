"""The words a run is chosen by: statuses, natures, languages. Imported at start-up: imports nothing.

The CLI builds its ``--status``, ``--fail-on``, ``--nature`` and ``--lang`` choices from these
tuples, and the core uses the same ones (``evaluation.report`` counts ``STATUSES``, the
catalogue's schema allows ``NATURES``, ``render.i18n`` translates ``LANGS``), so no list of
choices is a hand-kept copy. They live here, outside ``plancheck.evaluation``, because importing
any module of that package runs its ``__init__``, which imports pandas.
"""

from __future__ import annotations

# Every status a target can have, in the order summaries list them.
STATUSES: tuple[str, ...] = (
    "met",
    "not_met",
    "missing",
    "on_track",
    "off_track",
    "insufficient_data",
    "pending",
    "open",
)
# The statuses of a target that is due (its year is at or before --as-of).
DUE: tuple[str, ...] = ("met", "not_met", "missing")
# The statuses that make the exit code 1 unless --fail-on says otherwise.
DEFAULT_FAIL_ON: tuple[str, ...] = ("not_met", "missing")

# A target's nature as the plan states it: 约束性 (binding) or 预期性 (expected).
NATURES: tuple[str, ...] = ("binding", "expected")

# The languages of every word a person reads (render.i18n holds the words).
LANGS: tuple[str, ...] = ("zh", "en")
