"""Canonicalising with a worker thread (large tables) gives exactly what one thread gives: the
same table, the same problems in the same order, the same notices and counts; what a worker
step raises is raised, and no worker thread is left behind."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from plancheck import actuals
from plancheck.readers import ReadOptions

from .test_actuals_coded import assert_same, csv_text, outcome, tables

WORKER = "plancheck-canonicalise"


def _threads_of(monkeypatch: pytest.MonkeyPatch, step: str) -> list[str]:
    """The names of the threads that run ``step`` (a function of actuals), as it runs."""
    names: list[str] = []
    original = getattr(actuals, step)

    def recorded(*args: Any) -> Any:
        names.append(threading.current_thread().name)
        return original(*args)

    monkeypatch.setattr(actuals, step, recorded)
    return names


def _outcome(path: Path, options: ReadOptions, rows: int, mp: pytest.MonkeyPatch) -> Any:
    with mp.context() as patched:
        patched.setattr(actuals, "THREADED_ROWS", rows)
        return outcome(path, options)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(table=tables())
def test_threaded_reading_equals_the_plain_one(
    table: tuple[list[str], list[list[str]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, rows = table
    path = tmp_path / "messy.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    for skip_unknown in (False, True):
        options = ReadOptions(skip_unknown=skip_unknown)
        threaded = _outcome(path, options, 0, monkeypatch)
        plain = _outcome(path, options, 10**9, monkeypatch)
        assert_same(threaded, plain)


def _messy_file(tmp_path: Path) -> Path:
    """Rows with a fault in every stage, several in some rows (the first stage's is reported)."""
    path = tmp_path / "messy.csv"
    path.write_text(
        "indicator,region,year,value,unit,date\n"
        "forest_coverage,guangdong,2015,51.5,%,\n"
        "nope,atlantis,abc,x,%,soon\n"  # every cell wrong: the unknown indicator is reported
        "forest_coverage,guangdong,abc,x,%,\n"  # year and value: the year
        "forest_coverage,guangdong,2016,x,%,soon\n"  # value and date: the value
        "railway_opened,guangdong,2016,maybe,,soon\n"  # milestone word and date: the word
        "railway_opened,guangdong,2017,是,,2016-13-01\n"  # the date
        "gdp,guangdong,2016,5,bogus,\n",  # the unit
        encoding="utf-8",
    )
    return path


def test_problems_keep_their_order_and_kind_when_threaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _messy_file(tmp_path)
    ran_on = {step: _threads_of(monkeypatch, step) for step in ("_milestone_cells", "_figures")}
    threaded = _outcome(path, ReadOptions(), 0, monkeypatch)
    for names in ran_on.values():
        assert names and all(name.startswith(WORKER) for name in names)
    plain = _outcome(path, ReadOptions(), 10**9, monkeypatch)
    assert threaded[0] == "refused"
    assert_same(threaded, plain)
    rows_and_kinds = [(p.row, p.field, p.type) for p in threaded[1]]
    assert rows_and_kinds == [
        (2, "indicator", "unknown-indicator"),
        (3, "year", "type-error"),
        (4, "value", "type-error"),
        (5, "value", "type-error"),
        (6, "date", "type-error"),
        (7, "unit", "unknown-unit"),
    ]


def test_small_tables_are_read_on_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran_on = _threads_of(monkeypatch, "_figures")
    path = tmp_path / "clean.csv"
    path.write_text(
        "indicator,region,year,value,unit\nforest_coverage,guangdong,2015,51.5,%\n",
        encoding="utf-8",
    )
    assert outcome(path, ReadOptions())[0] == "read"
    assert ran_on == [threading.current_thread().name]


@pytest.mark.parametrize(
    "step",
    ["_year_reading", "_date_reading", "_milestone_cells", "_float_numbers", "_figures"],
)
def test_what_a_worker_step_raises_is_raised_and_no_thread_is_left(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError(f"{step} broke")

    monkeypatch.setattr(actuals, step, broken)
    path = tmp_path / "clean.csv"
    path.write_text(
        "indicator,region,year,value,unit,date\nforest_coverage,guangdong,2015,51.5,%,\n",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match=f"{step} broke"):
        _outcome(path, ReadOptions(), 0, monkeypatch)
    assert not [t for t in threading.enumerate() if t.name.startswith(WORKER)]


@pytest.mark.parametrize("odd", ["1.2.3", "+-1", ".", "-"])
@pytest.mark.parametrize("at", [0, 1, 3, 5])  # numeric rows: halves [0, 1] and [3, 4, 5]
@pytest.mark.parametrize("threaded", [False, True])
def test_plain_numbers_read_in_halves_fall_back_on_either_half(
    odd: str, at: int, threaded: bool
) -> None:
    # Bytes of numbers that Arrow does not read as one: in the first half or in the second,
    # every cell is then matched by the pattern, and no number is taken as read.
    import pandas as pd

    cells = ["1", "2.5", "是", "-3", "", "+4."]
    numeric = np.array([c != "是" for c in cells])
    with actuals._Worker(threaded) as worker:
        plain, floats = actuals._plain_numbers(pd.Series(cells, dtype="str"), numeric, worker)
        assert floats is not None and np.isnan(floats[[2, 4]]).all()
        assert floats[[0, 1, 3, 5]].tolist() == [1.0, 2.5, -3.0, 4.0]
        assert plain.tolist() == [True, True, False, True, False, True]
        cells[at] = odd
        text = pd.Series(cells, dtype="str")
        plain, floats = actuals._plain_numbers(text, numeric, worker)
    assert floats is None
    assert plain.tolist() == actuals._fullmatch(text, actuals._NUMBER).tolist()
    assert not plain[at]
