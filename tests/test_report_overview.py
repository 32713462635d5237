"""Report overviews (counts, 指标完成率, per plan and nature) against a plain groupby of the rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from plancheck.evaluation import STATUSES, Report


def _naive_counts(rows: pd.DataFrame) -> dict[str, int]:
    return {s: int((rows["status"] == s).sum()) for s in STATUSES}


def _naive_overview(rows: pd.DataFrame, as_of: int) -> dict[str, Any]:
    """The definition, one filter at a time: due = dated, year ≤ as-of, not an effort."""
    total = len(rows)
    counts = _naive_counts(rows)
    due = rows["year"].notna() & (rows["year"].fillna(0) <= as_of)
    due &= ~rows["effort"].fillna(False).astype(bool)
    met_due = int((due & (rows["status"] == "met")).sum())
    natures = rows["nature"].fillna("unspecified")
    return {
        "total": total,
        "counts": counts,
        "percentages": {s: round(100 * n / total, 1) if total else 0.0 for s, n in counts.items()},
        "due": int(due.sum()),
        "met_due": met_due,
        "completion_rate": round(met_due / int(due.sum()), 4) if due.sum() else None,
        "by_nature": {
            str(n): _naive_counts(rows[natures == n]) for n in sorted(set(natures.tolist()))
        },
    }


def _results(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = pd.array(rng.integers(2010, 2030, rows), dtype="Int64")
    years[rng.random(rows) < 0.1] = pd.NA
    efforts = pd.array(rng.random(rows) < 0.1, dtype="boolean")
    efforts[rng.random(rows) < 0.05] = pd.NA
    # a missing nature counts as "unspecified", with any stated so
    choices = np.array(["binding", "expected", None, "unspecified", "aspirational"], dtype=object)
    natures = choices[rng.integers(0, 3 if seed % 2 else 5, rows)]
    statuses = np.array([*STATUSES, "unheard_of"], dtype=object)[
        rng.integers(0, len(STATUSES) + 1, rows)
    ]
    return pd.DataFrame(
        {
            "plan": np.array(["p2", "p1", "p3"], dtype=object)[rng.integers(0, 3, rows)],
            "status": statuses,
            "year": years,
            "effort": efforts,
            "nature": natures,
            "soft": rng.random(rows) < 0.2,
        }
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_overviews_match_a_groupby(seed: int) -> None:
    results = _results(500, seed)
    report = Report(results, as_of=2020)
    assert report.overview() == _naive_overview(results, 2020)
    assert report.summary() == _naive_counts(results)
    plans = report.plan_overviews()
    assert list(plans) == list(dict.fromkeys(results["plan"]))  # first appearance: catalogue order
    for plan, overview in plans.items():
        assert overview == _naive_overview(results[results["plan"] == plan], 2020)


def test_a_plan_with_one_nature_lists_only_it() -> None:
    results = _results(60, 3)
    results.loc[results["plan"] == "p1", "nature"] = "binding"
    by_nature = Report(results, as_of=2020).plan_overviews()["p1"]["by_nature"]
    assert list(by_nature) == ["binding"]


def test_no_results() -> None:
    report = Report(_results(0, 0), as_of=2020)
    assert report.plan_overviews() == {}
    overview = report.overview()
    assert overview["total"] == 0 and overview["completion_rate"] is None
    assert overview["by_nature"] == {} and report.failing_count() == 0


def test_failing_count_is_the_failing_rows() -> None:
    results = _results(300, 4)
    for strict in (False, True):
        report = Report(results, as_of=2020, strict=strict)
        assert report.failing_count() == len(report.failing()) > 0
        assert report.exit_code() == 1
