"""The progress methods by name, for the CLI's choices: imported at start-up, so it imports nothing.

It lives outside ``plancheck.evaluation`` because importing any module of that package runs its
``__init__``, which imports pandas. The registry (``evaluation.progress.METHODS``) holds the
methods themselves; a test checks that it names exactly these, in this order.
"""

from __future__ import annotations

# Name → one line saying what the method asks (docs/methods.md has the whole of each).
PROGRESS_METHODS: dict[str, str] = {
    "ndrc": "time progress: the share of the change achieved against the share of the time elapsed",
    "eurostat": "observed against required compound annual growth (EU SDG monitoring)",
    "unsd": "share of the required change projected at the observed growth (UN SDG Progress Chart)",
    "linear": "least-squares line through the series, projected to the target year",
}

DEFAULT_PROGRESS_METHOD = "ndrc"

# The methods whose required path from the base value to the target is compound growth (a chart
# draws it as a curve); the others require a change in proportion to the time elapsed.
COMPOUNDING_PROGRESS_METHODS: frozenset[str] = frozenset({"eurostat", "unsd"})
