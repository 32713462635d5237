"""The result schema is the one place the result's columns are written down: every format follows it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from plancheck.result_schema import CSV_HEADER, RESULT_COLUMNS, RESULT_FIELDS, json_layout

from .conftest import REPO, run_cli


@pytest.fixture(autouse=True)
def _repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_names_and_headings_are_unique() -> None:
    names = [f.name for f in RESULT_FIELDS]
    assert len(names) == len(set(names))
    assert len(CSV_HEADER) == len(set(CSV_HEADER))
    paths = [f.json for f in RESULT_FIELDS if f.json]
    assert len(paths) == len(set(paths))


def test_json_records_have_the_schema_keys_in_order() -> None:
    document = json.loads(run_cli("check", "--as-of", "2013", "-f", "json").stdout)
    layout = json_layout()
    assert document["results"]
    for record in document["results"]:
        assert list(record) == [key for key, _ in layout]
        for key, fields in layout:
            nested = [f.json.split(".", 1)[1] for f in fields if f.json and "." in f.json]
            if nested and record[key] is not None:
                assert list(record[key]) == nested


def test_csv_header_is_the_schema_header() -> None:
    text = run_cli("check", "--as-of", "2015", "-f", "csv").stdout.removeprefix("\ufeff")
    assert tuple(next(csv.reader(io.StringIO(text)))) == CSV_HEADER
    # columns added later stay at the end, so a script reading by position keeps working
    assert CSV_HEADER[-3:] == ("plan_completion_rate", "actual_source_line", "actual_source_cell")


def test_the_result_frame_has_the_schema_columns() -> None:
    from plancheck.actuals import read_actuals
    from plancheck.catalogue import load_catalogue
    from plancheck.evaluation import evaluate
    from plancheck.readers import ReadOptions

    catalogue = load_catalogue(REPO / "targets")
    actuals = read_actuals([REPO / "actuals"], catalogue, ReadOptions())
    report = evaluate(catalogue, actuals)
    assert tuple(report.results.columns) == RESULT_COLUMNS
