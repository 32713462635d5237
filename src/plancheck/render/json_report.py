"""JSON: stable keys (documented in README), numbers as JSON numbers, never translated."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import Report
from ..evaluation.report import PROGRESS_COLUMNS, RESULT_COLUMNS
from ..text import json_hidden_escaped
from .options import RenderOptions


def _num(value: Any) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    number = float(value)
    return (
        int(number)
        if number.is_integer() and abs(number) < 2**53 and "." not in str(value)
        else number
    )


def _text(value: Any) -> Any:
    """Text fields as JSON strings or null (pandas marks absent text as NaN or NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def result_record(row: pd.Series) -> dict[str, Any]:
    return {
        "target_id": row["target_id"],
        "plan": row["plan"],
        "indicator": row["indicator"],
        "region": row["region"],
        "year": _int(row["year"]),
        "year_inferred": bool(row["year_inferred"]),
        "kind": row["kind"],
        "comparator": _text(row["comparator"]),
        "target_value": _num(row["target_value"]),
        "target_value_max": _num(row["target_value_max"]),
        "target_unit": _text(row["target_unit"]),
        "actual_value": _text(row["actual_value"])
        if row["kind"] == "milestone"
        else _num(row["actual_value"]),
        "actual_unit": _text(row["actual_unit"]),
        "actual_year": _int(row["actual_year"]),
        "status": row["status"],
        "gap": _num(row["gap"]),
        "achievement": _num(row["achievement"]),
        "soft": bool(row["soft"]),
        "hedge": _text(row["hedge"]),
        "nature": _text(row["nature"]),
        "basis": _text(row["basis"]),
        "completed": _text(row["completed"]),
        "flag": _text(row["flag"]),
        "source": {"section": row["section"], "quote": row["quote"]},
        "actual_source": None
        if _text(row["actual_file"]) is None
        else {
            "file": row["actual_file"],
            "row": _int(row["actual_row"]),
            "line": _int(row.get("actual_line")),
            "cell": _text(row.get("actual_cell")),
        },
        "progress": _progress(row),
    }


def _progress(row: Mapping[Any, Any] | pd.Series) -> dict[str, Any] | None:
    """The progress assessment of a target not yet due, with every input it used; else null."""
    if _text(row["progress_method"]) is None:
        return None
    return {
        "method": row["progress_method"],
        "category": _text(row["progress_category"]),
        "score": _num(row["progress_score"]),
        "observed_rate": _num(row["observed_rate"]),
        "required_rate": _num(row["required_rate"]),
        "projected_value": _num(row["projected_value"]),
        "projected_year": _int(row["projected_year"]),
        "regressed": bool(row["regressed"]) if _text(row["regressed"]) is not None else False,
        "inputs": row["progress_inputs"],
    }


def render(report: Report, options: RenderOptions) -> str:
    import orjson

    document = {
        "as_of": report.as_of,
        "summary": report.summary(),
        "failing": len(report.failing()),
        "overview": report.overview(),
        "plans": report.plan_overviews(),
        # --status lists only some results; the counts above cover every selected target.
        "listed": {
            "statuses": list(report.statuses_shown),
            "count": len(report.results),
            "of": len(report.judged),
        }
        if report.statuses_shown
        else None,
        "results": [],
    }
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode(
        "utf-8"
    )
    if options.quiet or report.results.empty:
        return text + "\n"
    # The results are encoded column by column, each distinct value once, and joined into
    # records with one template: a national report has 10^5+ results of 26 fields each.
    assert text.endswith('  "results": []\n}')
    body = ",\n".join(_encoded_results(report.results))
    return "".join((text[: -len("[]\n}")], "[\n", body, "\n  ]\n}\n"))  # one copy of the body


# A result's keys in JSON: the result columns up to "completed", then the flag, and the nested
# objects: section and quote in "source", file, row, physical line and cell in "actual_source",
# and "progress".
_FIELDS = (
    *RESULT_COLUMNS[: RESULT_COLUMNS.index("completed") + 1],
    "flag",
    "source",
    "actual_source",
    "progress",
)
_TEMPLATE = "    {\n" + ",\n".join(f'      "{name}": %s' for name in _FIELDS) + "\n    }"


def _encoded_results(results: pd.DataFrame) -> list[str]:
    """Each result as result_record() builds it, as JSON text indented to its place, in order."""
    import orjson

    def encoded(values: pd.Series, encode: Callable[[Any], Any] = _text) -> np.ndarray:
        """JSON text of each value; ``encode`` runs once per distinct value."""
        codes, distinct = pd.factorize(values)
        texts = np.empty(len(distinct) + 1, dtype=object)
        plain = distinct.tolist()
        if encode is _text and all(type(v) is str for v in plain):
            texts[:-1] = [_encode_string(v) for v in plain]  # the common case, without checks
        elif encode is _num and distinct.dtype.kind == "f":
            texts[:-1] = [_finite_float(v) for v in plain]
        elif encode is _num and all(type(v) is str for v in plain):  # decimal text: 51.50
            texts[:-1] = [_decimal_text(v) for v in plain]
        elif encode is _int and (distinct.dtype.kind in "iu" or str(distinct.dtype) == "Int64"):
            texts[:-1] = [int.__repr__(int(v)) for v in plain]
        else:
            texts[:-1] = [_json(encode(v)) for v in plain]
        texts[-1] = "null"  # code -1: no value
        return texts[codes]

    def flag(name: str) -> np.ndarray:
        return np.where(results[name].fillna(False).to_numpy(dtype=bool), "true", "false")

    milestone = (results["kind"] == "milestone").to_numpy()
    actual_value = np.where(
        milestone,
        encoded(results["actual_value"]),
        encoded(results["actual_value"].where(~milestone), _num),
    )
    has_file = results["actual_file"].notna().to_numpy()
    actual_source = np.full(len(results), "null", dtype=object)
    if has_file.any():
        files, rows = encoded(results["actual_file"]), encoded(results["actual_row"], _int)
        lines, cells = _location_columns(results, encoded)
        actual_source[has_file] = (
            '{\n        "file": '
            + files[has_file]
            + ',\n        "row": '
            + rows[has_file]
            + ',\n        "line": '
            + lines[has_file]
            + ',\n        "cell": '
            + cells[has_file]
            + "\n      }"
        )
    source = (
        '{\n        "section": '
        + encoded(results["section"])
        + ',\n        "quote": '
        + encoded(results["quote"])
        + "\n      }"
    )
    progress = np.full(len(results), "null", dtype=object)
    assessed = results["progress_method"].notna().to_numpy().nonzero()[0].tolist()
    if assessed:
        assessed_rows = results[list(PROGRESS_COLUMNS)].iloc[assessed].to_dict("records")
        progress[assessed] = [
            orjson.dumps(_progress(row), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
            .decode("utf-8")
            .replace("\n", "\n      ")
            for row in assessed_rows
        ]
    fields = {
        "target_id": encoded(results["target_id"]),
        "plan": encoded(results["plan"]),
        "indicator": encoded(results["indicator"]),
        "region": encoded(results["region"]),
        "year": encoded(results["year"], _int),
        "year_inferred": flag("year_inferred"),
        "kind": encoded(results["kind"]),
        "comparator": encoded(results["comparator"]),
        "target_value": encoded(results["target_value"], _num),
        "target_value_max": encoded(results["target_value_max"], _num),
        "target_unit": encoded(results["target_unit"]),
        "actual_value": actual_value,
        "actual_unit": encoded(results["actual_unit"]),
        "actual_year": encoded(results["actual_year"], _int),
        "status": encoded(results["status"]),
        "gap": encoded(results["gap"], _num),
        "achievement": encoded(results["achievement"], _num),
        "soft": flag("soft"),
        "hedge": encoded(results["hedge"]),
        "nature": encoded(results["nature"]),
        "basis": encoded(results["basis"]),
        "completed": encoded(results["completed"]),
        "flag": encoded(results["flag"]),
        "source": source,
        "actual_source": actual_source,
        "progress": progress,
    }
    columns = [fields[name].tolist() for name in _FIELDS]
    return [_TEMPLATE % values for values in zip(*columns, strict=True)]


def _location_columns(
    results: pd.DataFrame, encoded: Callable[..., np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """The judged actual's physical line and spreadsheet cell as JSON texts (null when the
    actuals do not carry them)."""
    nothing = np.full(len(results), "null", dtype=object)
    lines = encoded(results["actual_line"], _int) if "actual_line" in results else nothing
    cells = encoded(results["actual_cell"]) if "actual_cell" in results else nothing
    return lines, cells


def _decimal_text(value: str) -> str:
    """Decimal text as _num() makes it a JSON number: an int when written without a point."""
    number = float(value)
    if number.is_integer() and abs(number) < 2**53 and "." not in value:
        return int.__repr__(int(number))
    return _finite_float(number)


def _finite_float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"JSON has no {value!r}")
    return float.__repr__(value)


def _json(value: Any) -> str:
    """One scalar as JSON (strings unescaped non-ASCII, as the rest of the document)."""
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"JSON has no {value!r}")
        return float.__repr__(value)
    return str(_encode_string(str(value)))


_encode_basestring = json.encoder.encode_basestring  # the C encoder json.dumps uses


def _encode_string(value: str) -> str:
    """A JSON string; C1 controls, bidi overrides and lone surrogates as ``\\u`` escapes too."""
    return json_hidden_escaped(_encode_basestring(value))
