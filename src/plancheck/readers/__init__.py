"""Readers for submitted actuals: a name → reader registry, chosen by file suffix."""

from __future__ import annotations

from pathlib import Path

from ..problems import InputError, Problem
from .base import RawTable, Reader, ReadOptions
from .csv_reader import CsvReader
from .json_reader import JsonReader
from .parquet_reader import ParquetReader
from .xlsx_reader import XlsxReader
from .yaml_reader import YamlReader

_ALL: tuple[Reader, ...] = (CsvReader(), XlsxReader(), ParquetReader(), JsonReader(), YamlReader())
READERS: dict[str, Reader] = {r.name: r for r in _ALL}

__all__ = ["READERS", "RawTable", "ReadOptions", "Reader", "actuals_files", "reader_for"]


def reader_for(path: Path) -> Reader | None:
    suffix = path.suffix.lower()
    for reader in READERS.values():
        if suffix in reader.suffixes:
            return reader
    return None


def actuals_files(paths: list[Path]) -> list[Path]:
    """Expand folders to the readable files inside them (sorted); keep files as given."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and reader_for(p) is not None and not p.name.startswith((".", "~$"))
            )
            files.extend(found)
        elif not path.exists():
            problems.append(
                Problem(
                    "missing-file",
                    "file not found",
                    str(path),
                    hint="check the path given to --actuals",
                )
            )
        elif reader_for(path) is None:
            known = sorted({s for r in READERS.values() for s in r.suffixes})
            problems.append(
                Problem(
                    "unsupported-format",
                    f"no reader for '{path.suffix or path.name}' files",
                    str(path),
                    hint=f"readable: {', '.join(known)}",
                )
            )
        else:
            files.append(path)
    if problems:
        raise InputError(problems)
    return files
