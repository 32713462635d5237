"""The result of a run: one row per target, plus what is needed to summarise and decide the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# The statuses live in a module without pandas: the CLI makes its choices from them at start-up.
from ..choices import DEFAULT_FAIL_ON as DEFAULT_FAIL_ON
from ..choices import DUE as DUE
from ..choices import STATUSES as STATUSES
from ..result_schema import RESULT_COLUMNS as _SCHEMA_COLUMNS
from ..result_schema import RESULT_FIELDS

# What a progress method adds to a target not yet due (evaluation/progress/).
PROGRESS_COLUMNS = tuple(
    f.name for f in RESULT_FIELDS if f.json is not None and f.json.startswith("progress.")
)
# The result columns, in the schema's order (plancheck/result_schema.py says what each holds).
RESULT_COLUMNS = _SCHEMA_COLUMNS
assert set(PROGRESS_COLUMNS) <= set(RESULT_COLUMNS)


@dataclass(frozen=True)
class Series:
    """An indicator's actual values in one region up to as-of, in the indicator's canonical unit."""

    unit: str
    points: tuple[tuple[int, float], ...]  # (year, value), years ascending


@dataclass
class Report:
    results: pd.DataFrame  # RESULT_COLUMNS, ordered by plan then catalogue order
    as_of: int
    strict: bool = False
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    actuals_files: list[str] = field(default_factory=list)
    plans: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # plan id → title_zh, title_en, source_file
    # For charts (HTML report): (indicator, region) → series, and target id → (value, value_max),
    # both in the indicator's canonical unit. Filled by evaluate(); empty when built otherwise.
    series: dict[tuple[str, str], Series] = field(default_factory=dict)
    target_levels: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # Every target the selection filters (plan, region, nature, as-of) chose; ``results`` is the
    # part listed (``--status``). Counts, completion rates and the exit code are computed over
    # ``selected``, so a display filter never changes the verdict. None: the same as results.
    selected: pd.DataFrame | None = None
    statuses_shown: tuple[str, ...] = ()  # the --status filter, () when everything is listed
    selection: tuple[str, ...] = ()  # the selection filters given, as options ("--nature binding")
    # How many (indicator, region) pairs shown have a series; ``series`` holds at most
    # evaluation.series.MAX_CHART_SERIES of them.
    series_total: int = 0

    @property
    def judged(self) -> pd.DataFrame:
        """Every selected target, listed or not."""
        return self.results if self.selected is None else self.selected

    @property
    def filtered(self) -> bool:
        """Whether the list leaves out selected targets (``--status``)."""
        return bool(self.statuses_shown) and len(self.results) != len(self.judged)

    def summary(self) -> dict[str, int]:
        return _counts(self.judged)

    def overview(self) -> dict[str, Any]:
        """Counts and percentages per status, and the completion rate, for all selected targets."""
        return _overview(self.judged, self.as_of)

    def plan_overviews(self) -> dict[str, dict[str, Any]]:
        """The same per plan, in catalogue order, and per nature (binding / expected) inside each."""
        return {
            str(plan): _overview(rows, self.as_of)
            for plan, rows in self.judged.groupby("plan", sort=False)
        }

    def failing_mask(self, results: pd.DataFrame) -> pd.Series:
        """Which of ``results`` fail the run: a fail-on status, and not soft unless --strict."""
        hit = results["status"].isin(self.fail_on)
        if not self.strict:
            hit &= ~results["soft"].astype(bool)
        return hit

    def failing(self) -> pd.DataFrame:
        """Selected targets that make the run fail, listed or not."""
        return self.judged[self.failing_mask(self.judged)]

    def exit_code(self) -> int:
        return 1 if len(self.failing()) else 0


def _counts(results: pd.DataFrame) -> dict[str, int]:
    counts = results["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUSES}


def _overview(results: pd.DataFrame, as_of: int) -> dict[str, Any]:
    """指标完成率 = targets met ÷ targets due (target year ≤ as-of); early and open ones are not due."""
    counts = _counts(results)
    total = len(results)
    year = results["year"]
    due = year.notna() & (year.fillna(0) <= as_of)
    if "effort" in results:  # a process commitment naming no outcome is not counted
        due &= ~results["effort"].fillna(False).astype(bool)
    met_due = int((due & (results["status"] == "met")).sum())
    due_count = int(due.sum())
    natures = {
        str(nature): _counts(rows)
        for nature, rows in results.groupby(results["nature"].fillna("unspecified"))
    }
    return {
        "total": total,
        "counts": counts,
        "percentages": {s: round(100 * n / total, 1) if total else 0.0 for s, n in counts.items()},
        "due": due_count,
        "met_due": met_due,
        "completion_rate": round(met_due / due_count, 4) if due_count else None,
        "by_nature": natures,
    }
