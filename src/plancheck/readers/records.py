"""Shared by the JSON and YAML readers: a list of records → a frame of text cells."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pandas as pd

from ..problems import InputError, Problem, short

HINT = 'give a list of records, [{"indicator": …, "region": …, "year": …, "value": …, "unit": …}, …], or {"records": [...]}'


def records_of(
    data: Any, display: str, line_of: Callable[[tuple[Any, ...]], int | None]
) -> tuple[list[Any], tuple[Any, ...]]:
    """The record list inside ``data`` and its path: the data itself, or its ``records`` key."""
    path: tuple[Any, ...] = ()
    records = data
    if isinstance(data, dict) and "records" in data:
        records, path = data["records"], ("records",)
    if not isinstance(records, list):
        found = (
            "a mapping without a 'records' key" if isinstance(data, dict) else f"a {_kind(records)}"
        )
        raise InputError(
            [
                Problem(
                    "malformed-file",
                    f"expected a list of records, found {found}",
                    display,
                    line=line_of(path),
                    hint=HINT,
                )
            ]
        )
    if not records:
        raise InputError(
            [
                Problem(
                    "empty-file",
                    "the list of records is empty",
                    display,
                    line=line_of(path),
                    hint=HINT,
                )
            ]
        )
    return records, path


def frame_of(
    records: list[Any],
    path: tuple[Any, ...],
    display: str,
    line_of: Callable[[tuple[Any, ...]], int | None],
) -> pd.DataFrame:
    """Records (mappings of column → scalar) → a frame of text cells, ``""`` where absent."""
    problems: list[Problem] = []
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(
                Problem(
                    "malformed-row",
                    f"record {i + 1} is a {_kind(record)}, not a mapping of column → value",
                    display,
                    row=i + 1,
                    line=line_of((*path, i)),
                    value=short(str(record)),
                    hint=HINT,
                )
            )
            if len(problems) >= 100:
                break
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(records)
    frame.columns = [
        str(c) for c in frame.columns
    ]  # two names equal once trimmed are refused later
    for j, name in enumerate(frame.columns):
        column = frame.iloc[:, j]
        kinds = column.map(type)
        nested = kinds.isin([list, dict]).to_numpy()
        if nested.any():
            for i in nested.nonzero()[0][:100]:
                problems.append(
                    Problem(
                        "type-error",
                        f"'{name}' holds a {_kind(column.iat[i])}, not a single value",
                        display,
                        row=int(i) + 1,
                        line=line_of((*path, int(i), name)),
                        field=name,
                        value=short(str(column.iat[i])),
                        hint="write one number or text per field",
                    )
                )
            continue
        text = column if kinds.isin([str]).all() else column.map(_scalar_text)
        frame.isetitem(j, text.astype(object))
    if problems:
        raise InputError(problems)
    return frame


def _scalar_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # absent key → NaN
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _kind(value: Any) -> str:
    return {list: "list", dict: "mapping", str: "text", type(None): "null"}.get(
        type(value), type(value).__name__
    )
