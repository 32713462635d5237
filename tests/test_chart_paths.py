"""The chart paths of targets not yet due (plancheck.evaluation.chart_paths)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.evaluation.chart_paths import compounds, level_target, method_name, number, path
from plancheck.evaluation.progress import registry


def test_a_method_id_names_its_method() -> None:
    assert method_name("ndrc/1") == "ndrc"
    assert method_name("eurostat") == "eurostat"
    assert method_name("") == ""


def test_the_methods_that_compound_are_those_the_registry_says() -> None:
    for method in registry().values():
        assert compounds(method.id) is method.compounds
    assert not compounds("")


@pytest.mark.parametrize("value", [None, float("nan"), float("inf"), -float("inf")])
def test_missing_and_infinite_numbers_are_none(value: object) -> None:
    assert number(value) is None


def test_the_target_level_is_its_value_or_the_base_grown_at_the_planned_rate() -> None:
    assert level_target({"target_value": "12.5"}) == 12.5
    grown = level_target(
        {"average_growth": 0.1, "base_value": 100, "base_year": 2010, "target_year": 2012}
    )
    assert grown == pytest.approx(121.0)
    assert level_target({"average_growth": 0.1, "base_value": 100}) is None


def test_a_projection_is_drawn_from_the_latest_value() -> None:
    inputs = {"latest_year": 2013, "latest_value": 40.0, "base_year": 2010, "base_value": 30.0}
    assert path(2015, 55.0, "linear/1", inputs, 50.0) == ("projected", [[2013, 40.0], [2015, 55.0]])


def test_without_a_projection_the_required_path_is_straight_for_ndrc() -> None:
    inputs = {"base_year": 2010, "base_value": 30.0}
    assert path(2015, None, "ndrc/1", inputs, 50.0) == ("required", [[2010, 30.0], [2015, 50.0]])


def test_a_compounding_method_requires_a_curve_that_ends_on_the_target() -> None:
    drawn = path(2014, None, "eurostat/1", {"base_year": 2010, "base_value": 100.0}, 200.0)
    assert drawn is not None
    kind, points = drawn
    assert kind == "required"
    assert [year for year, _ in points] == [2010, 2011, 2012, 2013, 2014]
    assert points[-1][1] == 200.0
    assert points[2][1] == pytest.approx(100.0 * math.sqrt(2))  # halfway in time: ×√2


def test_a_compounding_method_with_a_non_positive_level_draws_a_straight_path() -> None:
    inputs = {"base_year": 2010, "base_value": -5.0}
    assert path(2012, None, "unsd/1", inputs, 5.0) == ("required", [[2010, -5.0], [2012, 5.0]])


def test_no_path_without_a_base_before_the_target_year() -> None:
    assert path(2015, None, "ndrc/1", {"base_year": 2015, "base_value": 1.0}, 2.0) is None
    assert path(2015, None, "ndrc/1", {}, 2.0) is None
    assert path(2015, None, "ndrc/1", {"base_year": 2010, "base_value": 1.0}, None) is None


@settings(max_examples=500, derandomize=True, deadline=None)
@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.floats(min_value=0, max_value=1e12, allow_nan=False),
)
def test_an_axis_always_spans_its_values_with_distinct_ends(lo: float, width: float) -> None:
    """Values equal but for float rounding (a 3·10^6-row HTML report crashed on them)."""
    from plancheck.render.html_chart import _nice_ticks

    for hi in (lo + width, lo + abs(lo) * 1e-16, math.nextafter(lo, math.inf)):
        ticks = _nice_ticks(lo, hi)
        assert ticks[0] < ticks[-1]
        assert ticks[0] <= lo and ticks[-1] >= hi
