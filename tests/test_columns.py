"""JSON and CSV are built column by column and streamed in blocks (render/columns.py); these tests
hold them to a plain per-row reference written here, one row at a time, on the bundled data.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from plancheck.evaluation import Report
from plancheck.render import Names, RenderOptions, chunks, columns, renderer
from plancheck.render.json_report import key_table
from plancheck.result_schema import CSV_HEADER
from plancheck.text import inert

from .conftest import REPO


@pytest.fixture(scope="module")
def reports() -> dict[int, tuple[Report, Names]]:
    from plancheck.actuals import read_actuals
    from plancheck.catalogue import load_catalogue
    from plancheck.evaluation import EvaluationOptions, evaluate

    catalogue = load_catalogue(REPO / "targets")
    data = read_actuals(sorted((REPO / "actuals").glob("*.csv")), catalogue)
    names = Names.from_catalogue(catalogue)
    return {
        as_of: (evaluate(catalogue, data, EvaluationOptions(as_of=as_of)), names)
        for as_of in (2015, 2016, 2030)
    }


# --- the per-row reference ------------------------------------------------------------------


def _absent(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: Any) -> float | int | None:
    if _absent(value):
        return None
    number = float(value) + 0.0  # no signed zero
    whole = number.is_integer() and abs(number) < 2**53 and "." not in str(value)
    return int(number) if whole else number


def _int(value: Any) -> int | None:
    return None if _absent(value) else int(value)


def _text(value: Any) -> Any:
    return None if _absent(value) else value


def reference_record(row: pd.Series) -> dict[str, Any]:
    """One result as README's key table describes it, built from one row."""
    milestone = row["kind"] == "milestone"
    return {
        "target_id": row["target_id"],
        "plan": row["plan"],
        "indicator": row["indicator"],
        "region": row["region"],
        "year": _int(row["year"]),
        "year_inferred": bool(row["year_inferred"]),
        "kind": row["kind"],
        "comparator": _text(row["comparator"]),
        "target_value": _number(row["target_value"]),
        "target_value_max": _number(row["target_value_max"]),
        "target_unit": _text(row["target_unit"]),
        "actual_value": _text(row["actual_value"]) if milestone else _number(row["actual_value"]),
        "actual_unit": _text(row["actual_unit"]),
        "actual_year": _int(row["actual_year"]),
        "status": row["status"],
        "gap": _number(row["gap"]),
        "achievement": _number(row["achievement"]),
        "soft": bool(row["soft"]),
        "hedge": _text(row["hedge"]),
        "nature": _text(row["nature"]),
        "basis": _text(row["basis"]),
        "completed": _text(row["completed"]),
        "flag": _text(row["flag"]),
        "source": {"section": row["section"], "quote": row["quote"]},
        "actual_source": None
        if _absent(row["actual_file"])
        else {
            "file": row["actual_file"],
            "row": _int(row["actual_row"]),
            "line": _int(row["actual_line"]),
            "cell": _text(row["actual_cell"]),
        },
        "progress": None
        if _absent(row["progress_method"])
        else {
            "method": row["progress_method"],
            "category": _text(row["progress_category"]),
            "score": _number(row["progress_score"]),
            "observed_rate": _number(row["observed_rate"]),
            "required_rate": _number(row["required_rate"]),
            "projected_value": _number(row["projected_value"]),
            "projected_year": _int(row["projected_year"]),
            "regressed": False if _absent(row["regressed"]) else bool(row["regressed"]),
            "inputs": row["progress_inputs"],
        },
    }


def typed(value: Any) -> Any:
    """A JSON value with its types made visible: 1 and 1.0 (and True) compare unequal."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def reference_csv(report: Report, options: RenderOptions) -> str:
    """The CSV a row at a time with the csv module, from the JSON records (flattened)."""
    records = json.loads(renderer("json")(report, RenderOptions()))["results"]
    rates = {plan: o["completion_rate"] for plan, o in report.plan_overviews().items()}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for record in records:
        flat = {k: v for k, v in record.items() if k not in ("source", "actual_source")}
        for key in ("source", "actual_source"):
            for name, value in (record[key] or {}).items():
                flat[f"{key}_{name}"] = value
        progress = record["progress"] or {}
        for name in ("method", "category", "score"):
            flat[f"progress_{name}"] = progress.get(name)
        for name in ("projected_value", "projected_year", "regressed"):
            flat[name] = progress.get(name)
        flat["indicator_name"] = options.names.indicator(record["indicator"], options.lang)
        flat["region_name"] = options.names.region(record["region"], options.lang)
        flat["plan_completion_rate"] = rates.get(record["plan"])
        writer.writerow([_cell(flat.get(h)) for h in CSV_HEADER])
    return "\ufeff" + buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return inert(value) if isinstance(value, str) else str(value)


# --- the renderers against it ---------------------------------------------------------------


@pytest.mark.parametrize("as_of", [2015, 2016, 2030])
def test_json_results_are_the_per_row_records(
    reports: dict[int, tuple[Report, Names]], as_of: int
) -> None:
    report, _ = reports[as_of]
    document = json.loads(renderer("json")(report, RenderOptions()))
    expected = [reference_record(row) for _, row in report.results.iterrows()]
    assert len(document["results"]) == len(expected) > 400
    assert any(r["progress"] for r in expected) or as_of != 2015  # audit trails are compared
    assert any(r["actual_source"] for r in expected) and any(
        not r["actual_source"] for r in expected
    )
    assert typed(document["results"]) == typed(json.loads(json.dumps(expected)))


@pytest.mark.parametrize(("as_of", "lang"), [(2015, "en"), (2016, "zh"), (2030, "en")])
def test_csv_is_the_per_row_csv_text(
    reports: dict[int, tuple[Report, Names]], as_of: int, lang: str
) -> None:
    report, names = reports[as_of]
    options = RenderOptions(lang=lang, names=names)
    text = renderer("csv")(report, options)
    assert text == reference_csv(report, options)
    assert any('"' in line for line in text.splitlines())  # quoted cells are compared too


@pytest.mark.parametrize("name", ["json", "csv"])
def test_blocks_stream_the_same_text(
    reports: dict[int, tuple[Report, Names]], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, names = reports[2016]
    options = RenderOptions(names=names)
    whole = renderer(name)(report, options)
    monkeypatch.setattr(columns, "BLOCK_ROWS", 7)
    pieces = list(chunks(name)(report, options))
    assert "".join(pieces) == whole
    assert len(pieces) >= len(report.results) // 7  # a block of rows at a time
    assert max(map(len, pieces)) < len(whole) / 10


def _with_zeros(report: Report, zeros: list[float]) -> Report:
    """The report's first rows with these gaps and achievements (the rest unchanged)."""
    results = report.results.copy()
    rows = results.index[: len(zeros)]
    results.loc[rows, "gap"] = zeros
    results.loc[rows, "achievement"] = zeros
    return replace(report, results=results, selected=None)


@pytest.mark.parametrize("zeros", [[-0.0, 0.0, -0.0], [0.0, -0.0, 0.0]])
def test_a_zero_prints_without_a_sign_whichever_comes_first(
    reports: dict[int, tuple[Report, Names]], zeros: list[float]
) -> None:
    report = _with_zeros(reports[2015][0], zeros)
    assert [math.copysign(1, v) for v in report.results["gap"][:3]] == [
        math.copysign(1, z) for z in zeros
    ]
    text = renderer("json")(report, RenderOptions())
    results = json.loads(text)["results"][:3]
    assert [r["gap"] for r in results] == [r["achievement"] for r in results] == [0.0] * 3
    assert '"gap": -0.0,' not in text and '"achievement": -0.0,' not in text
    rows = list(csv.DictReader(io.StringIO(renderer("csv")(report, RenderOptions())[1:])))
    assert [(r["gap"], r["achievement"]) for r in rows[:3]] == [("0.0", "0.0")] * 3


def test_hostile_cells_are_made_inert_once_per_distinct_value_in_every_row(
    reports: dict[int, tuple[Report, Names]],
) -> None:
    report, _ = reports[2015]
    results = report.results.copy()
    results["basis"] = ["=1+1", "\x1b]52;c;x\x07", "a\u202eb"] * (len(results) // 3) + [None] * (
        len(results) % 3
    )
    hostile = replace(report, results=results, selected=None)
    rows = list(csv.DictReader(io.StringIO(renderer("csv")(hostile, RenderOptions())[1:])))
    assert {r["basis"] for r in rows} == {"'=1+1", "\\x1b]52;c;x\\x07", "a\\u202eb", ""}
    text = renderer("json")(hostile, RenderOptions())
    assert "\x1b" not in text and "\u202e" not in text
    assert [r["basis"] for r in json.loads(text)["results"][:3]] == list(results["basis"][:3])


@pytest.mark.parametrize("text", ["plain", "a,b", 'say "hi"', "line\nbreak", "", " lead", "é,中"])
def test_csv_fields_are_quoted_as_the_csv_module_quotes_them(text: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, "x"])
    assert columns.csv_field(text) + ",x\n" == buffer.getvalue()
    # a carriage return (never in a cell: plancheck.text escapes it) is quoted too, for readers
    assert next(csv.reader(io.StringIO(columns.csv_field(text + "\r")))) == [text + "\r"]


def test_empty_and_quiet_reports_have_no_results(reports: dict[int, tuple[Report, Names]]) -> None:
    report, _ = reports[2015]
    empty = replace(report, results=report.results.iloc[:0], selected=None)
    assert json.loads(renderer("json")(empty, RenderOptions()))["results"] == []
    assert renderer("csv")(empty, RenderOptions()) == "\ufeff" + ",".join(CSV_HEADER) + "\n"
    quiet = json.loads(renderer("json")(report, RenderOptions(quiet=True)))
    assert quiet["results"] == [] and quiet["overview"]["total"] == len(report.results)


def test_readme_shows_the_key_table_made_from_the_schema() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = key_table()
    assert table in readme
    assert "| `actual_source.line` | its physical line, where the actuals carry it |" in table
    assert "plan_completion_rate" not in table  # CSV only


@pytest.mark.parametrize(
    "values",
    [
        pd.Index([0, -1, 7, 2**63 - 1, -(2**63), 1_234_567_890_123]),
        pd.Index(pd.array([3, -7, 10**15], dtype="Int64")),
        pd.Index([], dtype="int64"),
    ],
)
def test_int_texts_are_pythons(values: pd.Index) -> None:
    assert columns.int_texts(values) == [repr(int(v)) for v in values]


@pytest.mark.parametrize("dtype", ["str", object])
def test_json_strings_escape_what_is_hidden_whichever_the_column_type(dtype: Any) -> None:
    from plancheck.render.json_report import _strings

    plain = ["a", 'say "hi"', "back\\slash", "中文"]
    hidden = ["\x85next line", "\u202eright to left", "tab\there"]
    for texts in (plain, plain + hidden):
        made = _strings(pd.Index(texts, dtype=dtype))
        assert [json.loads(m) for m in made] == texts  # a JSON string of the same text
        assert [m.isprintable() for m in made] == [True] * len(texts)  # nothing left raw
