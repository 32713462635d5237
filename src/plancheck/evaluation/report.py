"""The result of a run: one row per target, plus what is needed to summarise and decide the exit code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
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
    # For charts (HTML report): (indicator, region) → series, and target id → (value, value_max)
    # of the targets whose series is drawn, both in the indicator's canonical unit. Filled by
    # evaluate() when chart series are asked for; empty otherwise.
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
        return _Tally(self.judged, self.as_of).counts()[0]

    def overview(self) -> dict[str, Any]:
        """Counts and percentages per status, and the completion rate, for all selected targets."""
        return _Tally(self.judged, self.as_of).overviews()[0]

    def plan_overviews(self) -> dict[str, dict[str, Any]]:
        """The same per plan, in catalogue order, and per nature (binding / expected) inside each."""
        judged = self.judged
        plans, names = pd.factorize(judged["plan"])  # in order of first appearance
        overviews = _Tally(judged, self.as_of, plans, len(names)).overviews()
        return {str(name): overview for name, overview in zip(names, overviews, strict=True)}

    def failing_mask(self, results: pd.DataFrame) -> pd.Series:
        """Which of ``results`` fail the run: a fail-on status, and not soft unless --strict."""
        hit = results["status"].isin(self.fail_on)
        if not self.strict:
            hit &= ~results["soft"].astype(bool)
        return hit

    def failing(self) -> pd.DataFrame:
        """Selected targets that make the run fail, listed or not."""
        return self.judged[self.failing_mask(self.judged)]

    def failing_count(self) -> int:
        """How many selected targets make the run fail (without copying them out)."""
        return int(self.failing_mask(self.judged).sum())

    def exit_code(self) -> int:
        return 1 if self.failing_count() else 0


_OTHER = len(STATUSES)  # the code of a status the schema does not list (never counted)


class _Tally:
    """Counts per status, due and met-due targets of each group of results (a plan, or all of
    them as one group), and per nature inside each group: every result is coded once and the
    counts made with one bincount each, instead of a filter and a value count per group."""

    def __init__(
        self, results: pd.DataFrame, as_of: int, groups: np.ndarray | None = None, size: int = 1
    ) -> None:
        codes, names = pd.factorize(results["status"])
        lookup = [STATUSES.index(s) if s in STATUSES else _OTHER for s in names] + [_OTHER]
        status = np.asarray(lookup, dtype="int64")[codes]  # a missing status (-1): other
        # A result outside every group (a missing plan) is left out, as a groupby leaves it.
        group = np.zeros(len(results), dtype="int64") if groups is None else groups.astype("int64")
        inside = group >= 0
        status, group = status[inside], group[inside]
        # 指标完成率 = targets met ÷ targets due (target year ≤ as-of); early and open ones are not
        # due, nor a process commitment naming no outcome.
        year = results["year"]
        due = (year.notna() & (year.fillna(0) <= as_of)).to_numpy(dtype=bool)
        if "effort" in results:
            due &= ~results["effort"].fillna(False).astype(bool).to_numpy(dtype=bool)
        due = due[inside]
        natures, self.nature_names = _natures(results["nature"].to_numpy(dtype=object)[inside])
        width = _OTHER + 1
        self.size = size
        self.totals = np.bincount(group, minlength=size)
        self.by_status = np.bincount(group * width + status, minlength=size * width).reshape(
            size, width
        )
        self.due = np.bincount(group[due], minlength=size)
        self.met_due = np.bincount(group[due & (status == STATUSES.index("met"))], minlength=size)
        nature_count = len(self.nature_names)
        cells = (group * nature_count + natures) * width + status
        self.by_nature = np.bincount(cells, minlength=size * nature_count * width).reshape(
            size, nature_count, width
        )

    def counts(self) -> list[dict[str, int]]:
        return [_as_counts(row) for row in self.by_status]

    def overviews(self) -> list[dict[str, Any]]:
        return [self._overview(g) for g in range(self.size)]

    def _overview(self, group: int) -> dict[str, Any]:
        counts = _as_counts(self.by_status[group])
        total, due, met_due = (
            int(self.totals[group]),
            int(self.due[group]),
            int(self.met_due[group]),
        )
        natures = self.by_nature[group]
        return {
            "total": total,
            "counts": counts,
            "percentages": {
                s: round(100 * n / total, 1) if total else 0.0 for s, n in counts.items()
            },
            "due": due,
            "met_due": met_due,
            "completion_rate": round(met_due / due, 4) if due else None,
            "by_nature": {
                str(name): _as_counts(natures[k])
                for k, name in enumerate(self.nature_names)
                if natures[k].sum()
            },
        }


def _natures(values: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Each result's nature as a number, and the natures in sorted order; a missing one is
    "unspecified" (factorised as they are: filling 10^5 missing values first costs more)."""
    codes, distinct = pd.factorize(values)  # a missing value: -1
    names = list(distinct)
    if (codes < 0).any():
        if "unspecified" not in names:
            names.append("unspecified")
        codes = np.where(codes < 0, names.index("unspecified"), codes)
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype="int64")
    rank[order] = np.arange(len(names))
    return rank[codes], [names[k] for k in order]


def _as_counts(by_status: np.ndarray) -> dict[str, int]:
    return {s: int(by_status[k]) for k, s in enumerate(STATUSES)}
