"""YAML records, through the one strict loader: no tags, no duplicate keys, no YAML 1.1 guessing,
aliases allowed but bounded (a billion-laughs file stops at :data:`MAX_ALIAS_NODES`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import strict_yaml
from ..problems import InputError, Problem
from .base import RawTable, ReadOptions, read_bytes
from .encoding import decode
from .records import frame_of, records_of

MAX_ALIAS_NODES = 10_000


class YamlReader:
    name = "yaml"
    suffixes: tuple[str, ...] = (".yaml", ".yml")

    def read(self, path: Path, display: str, options: ReadOptions) -> RawTable:
        raw = read_bytes(path, display)
        text, encoding = decode(raw, display, options.encoding)
        text = text.lstrip("\ufeff")
        doc = strict_yaml.loads(text, display, max_alias_nodes=MAX_ALIAS_NODES)

        def line_of(where: tuple[Any, ...]) -> int | None:
            return doc.position(where)[0]

        records, at = records_of(doc.data, display, line_of)
        frame = frame_of(records, at, display, line_of)

        def record_line(row: int) -> int | None:
            return line_of((*at, row - 1))

        if frame.empty and len(frame.columns) == 0:
            raise InputError([Problem("empty-file", "the records hold no fields", display)])
        return RawTable(display, frame, header_rows=0, encoding=encoding, line_of=record_line)
