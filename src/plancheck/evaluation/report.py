"""The result of a run: one row per target, plus what is needed to summarise and decide the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

STATUSES = ("met", "not_met", "missing", "pending", "open")
DEFAULT_FAIL_ON = ("not_met", "missing")
RESULT_COLUMNS = (
    "target_id",
    "plan",
    "indicator",
    "region",
    "year",
    "year_inferred",
    "kind",
    "comparator",
    "target_value",
    "target_value_max",
    "target_unit",
    "actual_value",
    "actual_unit",
    "actual_year",
    "status",
    "gap",
    "achievement",
    "soft",
    "hedge",
    "nature",
    "basis",
    "completed",
    "section",
    "quote",
    "actual_file",
    "actual_row",
    "plan_file",
    "line",
)


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

    def summary(self) -> dict[str, int]:
        counts = self.results["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    def failing(self) -> pd.DataFrame:
        """Targets that make the run fail: a fail-on status, and not soft unless --strict."""
        hit = self.results["status"].isin(self.fail_on)
        if not self.strict:
            hit &= ~self.results["soft"].astype(bool)
        return self.results[hit]

    def exit_code(self) -> int:
        return 1 if len(self.failing()) else 0
