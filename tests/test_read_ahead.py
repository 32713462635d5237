"""Reading the first actuals file while the catalogue loads (actuals.ReadAhead, app.run).

What must hold: the read-ahead reads the first file in another thread and nothing else; what
it reads is what reading in place reads; what it raises is raised where and in the order it
would be without it (a catalogue problem still comes first).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from plancheck import actuals, app
from plancheck.catalogue import load_catalogue
from plancheck.problems import InputError
from plancheck.readers import ReadOptions

from .conftest import FIXTURES

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"


def _recording_threads(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Which thread read which file (the file's name → the thread's name)."""
    threads: dict[str, str] = {}
    read = actuals.read_raw

    def recorded(path: Path, options: ReadOptions) -> tuple[str, actuals.RawTable, str]:
        threads[path.name] = threading.current_thread().name
        return read(path, options)

    monkeypatch.setattr(actuals, "read_raw", recorded)
    return threads


def _two_files(tmp_path: Path) -> Path:
    folder = tmp_path / "actuals"
    folder.mkdir()
    text = DEMO.read_text(encoding="utf-8")
    (folder / "a.csv").write_text(text, encoding="utf-8")
    # The second file: the header alone (readable, no figures, so no repeated keys).
    (folder / "b.csv").write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    return folder


def test_only_the_first_file_is_read_in_a_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _recording_threads(monkeypatch)
    folder = _two_files(tmp_path)
    catalogue = load_catalogue(CATALOGUE)
    ahead = actuals.ReadAhead([folder], ReadOptions())
    actuals.read_actuals([folder], catalogue, ReadOptions(), ahead=ahead)
    me = threading.current_thread().name
    assert threads["a.csv"].startswith("plancheck-read-ahead")
    assert threads["b.csv"] == me


def test_without_a_read_ahead_every_file_is_read_in_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = _recording_threads(monkeypatch)
    folder = _two_files(tmp_path)
    actuals.read_actuals([folder], load_catalogue(CATALOGUE))
    me = threading.current_thread().name
    assert threads == {"a.csv": me, "b.csv": me}


def test_what_is_read_ahead_equals_what_is_read_in_place() -> None:
    catalogue = load_catalogue(CATALOGUE)
    ahead = actuals.ReadAhead([DEMO], ReadOptions())
    early = actuals.read_actuals([DEMO], catalogue, ReadOptions(), ahead=ahead)
    late = actuals.read_actuals([DEMO], catalogue, ReadOptions())
    pd.testing.assert_frame_equal(early.table, late.table)
    assert (early.files, early.details, early.counts) == (late.files, late.details, late.counts)
    assert early.notices == late.notices


def test_a_bad_first_file_is_refused_with_the_others_problems_in_file_order(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "actuals"
    folder.mkdir()
    (folder / "a.csv").write_text("indicator,region,year,value\nx,y,2015,1,2\n", encoding="utf-8")
    (folder / "b.csv").write_text("indicator,region\n", encoding="utf-8")
    catalogue = load_catalogue(CATALOGUE)

    def problems(ahead: actuals.ReadAhead | None) -> list[tuple[str | None, str]]:
        with pytest.raises(InputError) as raised:
            actuals.read_actuals([folder], catalogue, ReadOptions(), ahead=ahead)
        return [(p.file, p.type) for p in raised.value.problems]

    found = problems(actuals.ReadAhead([folder], ReadOptions()))
    assert found == problems(None)
    assert [file for file, _ in found] == sorted(file or "" for file, _ in found)
    assert {Path(file or "").name for file, _ in found} == {"a.csv", "b.csv"}


def test_a_catalogue_problem_still_comes_before_a_missing_actuals_file(tmp_path: Path) -> None:
    request = app.Request(targets=tmp_path / "no-catalogue", actuals=(tmp_path / "none.csv",))
    with pytest.raises(InputError) as raised:
        app.run(request)
    assert [(p.type, p.message) for p in raised.value.problems] == [
        ("missing-file", "catalogue folder not found")
    ]


def test_a_missing_actuals_file_is_refused_once_the_catalogue_loads(tmp_path: Path) -> None:
    request = app.Request(targets=CATALOGUE, actuals=(tmp_path / "none.csv",))
    with pytest.raises(InputError) as raised:
        app.run(request)
    assert [(p.type, p.file) for p in raised.value.problems] == [
        ("missing-file", str(tmp_path / "none.csv"))
    ]
