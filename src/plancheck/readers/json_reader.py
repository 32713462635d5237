"""JSON records: a list of objects, or ``{"records": [...]}``. Numbers are kept as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..problems import InputError, Problem, short
from .base import RawTable, ReadOptions, read_bytes
from .encoding import decode
from .records import HINT, frame_of, records_of


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


def _constant(name: str) -> str:
    return name  # NaN / Infinity stay text, and are then refused as not a number


class JsonReader:
    name = "json"
    suffixes: tuple[str, ...] = (".json",)

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        raw = read_bytes(path, display)
        text, encoding = decode(raw, display, options.encoding)
        text = text.lstrip("\ufeff")
        if text.strip() == "":
            raise InputError([Problem("empty-file", "the file is empty", display, hint=HINT)])
        try:
            data = json.loads(
                text,
                parse_float=str,
                parse_int=str,
                parse_constant=_constant,
                object_pairs_hook=_object,
            )
        except json.JSONDecodeError as err:
            raise InputError(
                [
                    Problem(
                        "invalid-json",
                        f"not valid JSON: {err.msg}",
                        display,
                        line=err.lineno,
                        column=err.colno,
                        hint="check the brackets, commas and quotes at this place",
                    )
                ]
            ) from None
        except _Duplicate as dup:
            raise InputError(
                [
                    Problem(
                        "duplicate-key",
                        f"duplicate key '{short(dup.key)}' in one record",
                        display,
                        value=dup.key,
                        hint="keep one value per key",
                    )
                ]
            ) from None
        except RecursionError:
            raise InputError(
                [Problem("invalid-json", "the JSON is nested too deeply", display, hint=HINT)]
            ) from None

        def no_line(_: tuple[Any, ...]) -> int | None:
            return None

        records, where = records_of(data, display, no_line)
        frame = frame_of(records, where, display, no_line)
        return RawTable(display, frame, header_rows=0, encoding=encoding, has_lines=False)
