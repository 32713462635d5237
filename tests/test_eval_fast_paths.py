"""The evaluation's fast paths against the plain computation they replace, on generated data.

Each property draws small tables with the awkward cases in them (ties at a bound, -0.0, missing
years, repeated (indicator, region, year) rows, reports naming a stage, dates or none, names the
catalogue does not know) and checks the vectorised code against a loop that says the rule
directly, or against the general path it short-cuts.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck import keys
from plancheck.evaluation import _in_order, _shown_rows
from plancheck.evaluation.lookup import ActualsIndex, rows_by_file_row
from plancheck.evaluation.methods import exact, milestone
from plancheck.evaluation.methods.base import AT, Context
from plancheck.evaluation.methods.compare import ABOUT_TOLERANCE, ExactColumn, passes
from plancheck.evaluation.methods.stages import reaches

INDICATORS = ["m0", "m1", "m2"]
REGIONS = ["r0", "r1", "r2", "r3"]
CATALOGUE: Any = SimpleNamespace(
    indicators=dict.fromkeys(INDICATORS), regions=dict.fromkeys(REGIONS)
)
STAGES = [None, "started", "under_construction", "completed", "in_operation"]
DATES = [None, "", "2016", "2017-06", "2019-01-31", "20x1", "2030"]

# ---- milestones: first completion and latest report per pair ----------------------------------

# Few pairs, so that most targets have several reports, done or not.
report_rows = st.lists(
    st.tuples(
        st.sampled_from([*INDICATORS[:2], "unknown"]),
        st.sampled_from(REGIONS[:2]),
        st.integers(2014, 2024),
        st.sampled_from([True, False, False, None]),
        st.sampled_from(DATES),
        st.sampled_from(STAGES),
    ),
    max_size=40,
)
target_rows = st.lists(
    st.tuples(
        st.sampled_from(INDICATORS[:2]),
        st.sampled_from(REGIONS[:2]),
        st.sampled_from([None, 2015, 2018, 2020, 2026]),
        st.sampled_from(STAGES),
    ),
    min_size=1,
    max_size=12,
)


def _reports_table(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    indicator_no = np.array([INDICATORS.index(r[0]) if r[0] in INDICATORS else -1 for r in rows])
    region_no = np.array([REGIONS.index(r[1]) for r in rows])
    years = np.array([r[2] for r in rows], dtype="int64")
    return pd.DataFrame(
        {
            "indicator": [r[0] for r in rows],
            "region": [r[1] for r in rows],
            "year": years,
            "done": pd.array([r[3] for r in rows], dtype="boolean"),
            "date": pd.Series([r[4] for r in rows], dtype=object),
            "stage": pd.Series([r[5] for r in rows], dtype=object),
            "file": pd.Categorical(["a.csv"] * len(rows)),
            "row": np.arange(1, len(rows) + 1, dtype="int64"),
            "flag": pd.Series(["", "p", "e", ""] * 10, dtype="str")[: len(rows)].to_numpy(),
            "key": keys.row_keys(indicator_no, region_no, years, len(REGIONS)),
        }
    )


def _plain_milestones(targets: pd.DataFrame, table: pd.DataFrame, as_of: int) -> list[tuple]:
    """The rule, one target and one report at a time."""
    out = []
    for _, target in targets.iterrows():
        done, latest = None, None
        for k, report in table.iterrows():
            if (report["indicator"], report["region"]) != (target["indicator"], target["region"]):
                continue
            if report["year"] > as_of or pd.isna(report["done"]):
                continue
            if latest is None or report["year"] >= table.loc[latest, "year"]:
                latest = k
            date = report["date"]
            head = (date if isinstance(date, str) else "")[:4]
            when = int(head) if re.fullmatch("[0-9]{4}", head) else int(report["year"])
            stage = report["stage"] if isinstance(report["stage"], str) else None
            asked = target["stage"] if isinstance(target["stage"], str) else None
            if not report["done"] or when > as_of or not reaches(stage, asked):
                continue
            rank = (when, report["year"], k)
            if done is None or rank < done:
                done = rank
        deadline = target["year"]
        if done is not None:
            late = not pd.isna(deadline) and done[0] > deadline
            out.append(("not_met" if late else "met", int(table.loc[done[2], "row"])))
        elif pd.isna(deadline):
            out.append(("open", None))
        elif deadline > as_of:
            out.append(("pending", None))
        elif latest is not None:
            out.append(("not_met", int(table.loc[latest, "row"])))
        else:
            out.append(("missing", None))
    return out


@settings(max_examples=200, derandomize=True, deadline=None)
@given(report_rows, target_rows, st.sampled_from([2016, 2019, 2024]))
def test_milestones_match_the_plain_rule(
    reports: list[tuple[Any, ...]], wanted: list[tuple[Any, ...]], as_of: int
) -> None:
    table = _reports_table(reports)
    targets = pd.DataFrame(
        {
            "indicator": pd.Series([t[0] for t in wanted], dtype="str"),
            "region": pd.Series([t[1] for t in wanted], dtype="str"),
            "year": pd.array([t[2] for t in wanted], dtype="Int64"),
            "stage": pd.Series([t[3] for t in wanted], dtype=object),
        }
    ).set_axis(np.arange(100, 100 + len(wanted)))  # labels that are not positions
    assert targets["indicator"].notna().all()
    ctx = Context(CATALOGUE, as_of, ActualsIndex(table, CATALOGUE))
    out = milestone.check(targets, table, ctx)
    got = [
        (status, None if pd.isna(row) else int(row))
        for status, row in zip(out["status"], out["actual_row"], strict=True)
    ]
    assert got == _plain_milestones(targets, table, as_of)
    # The position it shows is the row it shows.
    at = out[AT].to_numpy()
    shown = at >= 0
    assert (table["row"].to_numpy()[at[shown]] == out["actual_row"].to_numpy()[shown]).all()
    # A table without keys (made by hand) is numbered by its names, to the same verdicts.
    by_names = milestone.check(targets, table.drop(columns="key"), ctx)
    pd.testing.assert_frame_equal(by_names, out)


# ---- exact comparisons: integer-coded comparators against Fractions ----------------------------

OPS = [">=", ">", "<=", "<", "==", "between", "range", "about"]
figures = st.sampled_from(["51.50", "51.5", "51.49", "-0.0", "0", "0.000", "-3.2", "7", "1e3"])


def _column(texts: list[str]) -> ExactColumn:
    return ExactColumn(
        lambda rows: exact.from_decimal_text([texts[i] for i in rows]),
        lambda i: Fraction(Decimal(texts[i])),
    )


def _plain_verdict(op: str, actual: str | None, lo: str, hi: str, up: bool) -> bool:
    if actual is None:
        return False
    a, low, high = Fraction(Decimal(actual)), Fraction(Decimal(lo)), Fraction(Decimal(hi))
    if op == "between":
        return low <= a <= high
    if op == "range":
        return a >= low if up else a <= high
    if op == "about":
        slack = abs(low) * ABOUT_TOLERANCE
        return a >= low - slack if up else a <= low + slack
    return {
        ">=": a >= low,
        ">": a > low,
        "<=": a <= low,
        "<": a < low,
        "==": a == low,
    }[op]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(OPS), st.one_of(st.none(), figures), figures, figures, st.booleans()
        ),
        min_size=1,
        max_size=30,
    )
)
def test_passes_matches_fractions_at_the_boundary(rows: list[tuple[Any, ...]]) -> None:
    ops = pd.Series([r[0] for r in rows], dtype="str")
    actual_texts = [r[1] if r[1] is not None else "0" for r in rows]
    actual = np.array([math.nan if r[1] is None else float(r[1]) for r in rows])
    lo_texts, hi_texts = [r[2] for r in rows], [r[3] for r in rows]
    lo = np.array([float(t) for t in lo_texts])
    hi = np.array([float(t) for t in hi_texts])
    up = np.array([r[4] for r in rows], dtype=bool)
    got = passes(
        ops, actual, lo, hi, _column(actual_texts), _column(lo_texts), _column(hi_texts), up
    )
    expected = [_plain_verdict(r[0], r[1], r[2], r[3], r[4]) for r in rows]
    assert got.tolist() == expected


# ---- the methods' frames put back in order -----------------------------------------------------


def _part(n: int, seed: int, text_kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    texts = np.array(["a", None, "c", ""], dtype=object)[rng.integers(0, 4, n)]
    return pd.DataFrame(
        {
            "status": pd.Series(np.array(["met", "missing"])[rng.integers(0, 2, n)]),
            "text": pd.Series(texts, dtype=text_kind),
            "none": pd.Series([None] * n, dtype=object),
            "year": pd.array(
                np.where(rng.random(n) < 0.3, None, rng.integers(2010, 2020, n)), dtype="Int64"
            ),
            "gap": np.array([-0.0, 0.0, math.nan, 1.5])[rng.integers(0, 4, n)],
            AT: rng.integers(-1, 50, n),
        }
    )


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=3), st.sampled_from(["object", "str"]))
def test_parts_in_order_as_concat_and_loc_make_them(sizes: list[int], text_kind: str) -> None:
    n = sum(sizes)
    order = np.random.default_rng(n).permutation(n)
    index = pd.Index(np.arange(n) * 3 + 7)
    taken = np.split(order, np.cumsum(sizes)[:-1])
    # The second part's text column may be of another dtype (object vs str), as when one
    # kind's results show no text at all.
    parts = [
        _part(len(rows), k, text_kind if k != 1 else "object").set_axis(index[rows])
        for k, rows in enumerate(taken)
    ]
    expected = pd.concat(parts).loc[index]
    got = _in_order(parts, taken, index)
    pd.testing.assert_frame_equal(got, expected)
    for column in got.columns:
        assert [type(v) for v in got[column]] == [type(v) for v in expected[column]], column


# ---- lines and cells: the rows the methods found, or a search ----------------------------------


def test_shown_rows_are_the_rows_a_search_finds_and_none_when_file_rows_repeat() -> None:
    rng = np.random.default_rng(7)
    files = pd.Categorical(["a.csv"] * 6 + ["b.csv"] * 6)
    table = pd.DataFrame(
        {"file": files, "row": np.r_[1:7, 1:7], "key": np.arange(12), "line": np.r_[2:14]}
    )
    at = rng.integers(-1, 12, 40)
    found = at >= 0
    judged = pd.DataFrame(
        {
            "actual_file": pd.Series(
                np.where(found, table["file"].astype(str).to_numpy()[at], None), dtype="str"
            ),
            "actual_row": pd.array(
                np.where(found, table["row"].to_numpy()[at], None), dtype="Int64"
            ),
            "actual_year": pd.array([None] * 40, dtype="Int64"),
            AT: at,
        }
    )
    searched = rows_by_file_row(table, judged["actual_file"], judged["actual_row"])
    shown = _shown_rows(judged, table)
    assert shown is not None and shown.tolist() == searched.tolist() == at.tolist()
    # Rows out of (file, row) order, or a (file, row) twice (a wide sheet): search instead.
    assert _shown_rows(judged, table.iloc[::-1].reset_index(drop=True)) is None
    repeated = table.assign(row=np.r_[1, 1, 2:6, 1:7])
    assert _shown_rows(judged, repeated) is None
    # A frame whose row does not match its position is not trusted either.
    wrong = judged.assign(**{AT: np.where(found, (at + 1) % 12, -1)})
    assert _shown_rows(wrong, table) is None


# ---- progress: series read from the slots, or joined on the names ------------------------------

SERIES_YEARS = list(range(2014, 2021))


@settings(max_examples=80, derandomize=True, deadline=None)
@given(
    st.sets(
        st.tuples(
            st.integers(0, len(INDICATORS) - 1),
            st.integers(0, len(REGIONS) - 1),
            st.sampled_from(SERIES_YEARS),
        ),
        min_size=21,
        max_size=60,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(INDICATORS),
            st.sampled_from(REGIONS),
            st.sampled_from([None, 2013, 2015, 2017]),  # base year (None: the plan's start - 1)
            st.sampled_from([2014, 2016]),  # period start
            st.sampled_from(["level", "growth"]),
            st.sampled_from([">=", "<=", ">", "<", "==", "about"]),
            st.sampled_from([-0.0, 0.0, 3.5, 51.5, 100.0]),
            st.booleans(),
        ),
        min_size=1,
        max_size=15,
    ),
    st.sampled_from([2013, 2016, 2018, 2020]),
    st.randoms(use_true_random=False),
)
def test_series_from_the_slots_equal_the_joins(
    cells: set[tuple[int, int, int]],
    wanted: list[tuple[Any, ...]],
    as_of: int,
    rng: Any,
) -> None:
    from plancheck.evaluation.progress.assess import assess, series_frame

    picked = sorted(cells, key=lambda _: rng.random())  # any row order
    indicator_no = np.array([c[0] for c in picked])
    region_no = np.array([c[1] for c in picked])
    years = np.array([c[2] for c in picked], dtype="int64")
    values = [rng.choice([math.nan, -0.0, 0.0, 1.25, 51.5, 51.49, 200.0]) for _ in picked]
    table = pd.DataFrame(
        {
            "indicator": np.array(INDICATORS, dtype=object)[indicator_no],
            "region": np.array(REGIONS, dtype=object)[region_no],
            "year": years,
            "value": np.array(values, dtype="float64"),
            "key": keys.row_keys(indicator_no, region_no, years, len(REGIONS)),
        }
    )
    index = ActualsIndex(table, CATALOGUE)
    assert index.slots is not None  # the fast path is the one under test
    targets = pd.DataFrame(
        {
            "indicator": pd.Series([t[0] for t in wanted], dtype="str"),
            "region": pd.Series([t[1] for t in wanted], dtype="str"),
            "base_year": pd.array([t[2] for t in wanted], dtype="Int64"),
            "period_start": np.array([t[3] for t in wanted], dtype="int64"),
            "year": pd.array([2022] * len(wanted), dtype="Int64"),
            "kind": pd.Series([t[4] for t in wanted], dtype="str"),
            # A growth target's series is its level indicator's (here the next indicator).
            "level_indicator": pd.Series(
                [
                    INDICATORS[(INDICATORS.index(t[0]) + 1) % 3] if t[4] == "growth" else None
                    for t in wanted
                ],
                dtype="str",
            ),
            "comparator": pd.Series([t[5] for t in wanted], dtype="str"),
            "lo": np.array([t[6] for t in wanted], dtype="float64"),
            "direction": pd.Series(
                ["higher_is_better" if t[7] else "lower_is_better" for t in wanted], dtype="str"
            ),
        }
    ).set_axis(np.arange(len(wanted))[::-1] * 2)  # labels out of order
    joined = series_frame(targets.copy(), table, as_of)
    slotted = series_frame(targets.copy(), table, as_of, index)
    pd.testing.assert_frame_equal(slotted, joined, check_exact=True)
    judged = (
        pd.DataFrame(
            {
                "status": ["met", "not_met"] * len(wanted),
                "actual_year": pd.array([2015] * 2 * len(wanted), dtype="Int64"),
            }
        )
        .iloc[: len(wanted)]
        .set_axis(targets.index)
    )
    for method_name in ("ndrc", "linear"):
        by_joins = assess(targets, table, as_of, method_name, judged)
        by_slots = assess(targets, table, as_of, method_name, judged, index)
        pd.testing.assert_frame_equal(by_slots, by_joins, check_exact=True)


def test_met_earlier_counts_the_first_row_of_the_actuals_table() -> None:
    """A value that met the target earlier is found at any row, the table's first included
    (row 0 is a real row, not 'none': a ``> 0`` test there would drop it)."""
    from plancheck.evaluation.progress.assess import assess

    # Row 0: m0 in r0, 2016; then its 2018 value; then one row for every other pair (so that
    # the table is dense enough for the slots), r1's m0 value at 60.
    cells = [(0, 0, 2016, 60.0), (0, 0, 2018, 40.0), (0, 1, 2016, 60.0)]
    cells += [(i, r, 2017, math.nan) for i in range(3) for r in range(4) if (i, r) >= (0, 2)]
    indicator_no, region_no, years, values = (np.array(c) for c in zip(*cells, strict=True))
    table = pd.DataFrame(
        {
            "indicator": np.array(INDICATORS, dtype=object)[indicator_no],
            "region": np.array(REGIONS, dtype=object)[region_no],
            "year": years.astype("int64"),
            "value": values.astype("float64"),
            "key": keys.row_keys(indicator_no, region_no, years.astype("int64"), len(REGIONS)),
        }
    )
    index = ActualsIndex(table, CATALOGUE)
    assert index.slots is not None
    targets = pd.DataFrame(
        {
            "indicator": pd.Series(["m0", "m0"], dtype="str"),
            "region": pd.Series(["r0", "r1"], dtype="str"),
            "base_year": pd.array([2015, 2015], dtype="Int64"),
            "period_start": np.array([2016, 2016], dtype="int64"),
            "year": pd.array([2022, 2022], dtype="Int64"),
            "kind": pd.Series(["level", "level"], dtype="str"),
            "level_indicator": pd.Series([None, None], dtype="str"),
            "comparator": pd.Series([">=", ">="], dtype="str"),
            "lo": np.array([51.5, 61.0]),
            "direction": pd.Series(["higher_is_better"] * 2, dtype="str"),
        }
    )
    # m0's latest value (40, in 2018) misses 51.5; its 2016 value, row 0, met it; r1's 60 never met 61.
    judged = pd.DataFrame(
        {"status": ["not_met", "not_met"], "actual_year": pd.array([2018, 2016], dtype="Int64")}
    )
    for grid in (index, None):  # the slots, and the joins they must agree with
        out = assess(targets, table, 2020, "linear", judged, grid)
        assert out["regressed"].tolist() == [True, False]
