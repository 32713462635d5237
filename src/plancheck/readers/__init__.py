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


def actuals_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to the readable files inside them (sorted); keep files as given.

    Returns the files and notices for what a folder holds that is not read (other suffixes,
    hidden and lock files), so that nothing is skipped silently. A symbolic link that leads out
    of the folder given is refused: a submission must not make plancheck read (and print)
    files elsewhere on the machine.
    """
    files: list[Path] = []
    notices: list[Problem] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found, skipped, outside = _folder_files(path)
            files.extend(found)
            for link in outside:
                problems.append(
                    Problem(
                        "link-outside-folder",
                        "a symbolic link that leads out of the actuals folder is not followed",
                        str(link),
                        hint=f"copy the file into {path} instead of linking to it",
                    )
                )
            if skipped:
                notices.append(
                    Problem(
                        "skipped-file",
                        f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} in the folder"
                        " not read: "
                        + ", ".join(_describe_skipped(p) for p in skipped[:20])
                        + (f" and {len(skipped) - 20} more" if len(skipped) > 20 else ""),
                        str(path),
                        hint=f"readable: {', '.join(_known_suffixes())}",
                    )
                )
            if not found and not outside:
                problems.append(
                    Problem(
                        "no-actuals",
                        "the folder holds no actuals file plancheck can read"
                        + (f" ({len(skipped)} other files were skipped)" if skipped else ""),
                        str(path),
                        hint=f"readable: {', '.join(_known_suffixes())}",
                    )
                )
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
            problems.append(
                Problem(
                    "unsupported-format",
                    f"no reader for '{path.suffix or path.name}' files",
                    str(path),
                    hint=f"readable: {', '.join(_known_suffixes())}",
                )
            )
        else:
            files.append(path)
    if problems:
        raise InputError(problems)
    return files, notices


def _folder_files(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(readable files, other files, links leading outside) under ``folder``, sorted."""
    root = folder.resolve()
    found: list[Path] = []
    skipped: list[Path] = []
    outside: list[Path] = []
    for path in sorted(folder.rglob("*")):
        # Also catches files reached through a linked folder: what counts is where they are.
        if not path.resolve().is_relative_to(root):
            outside.append(path)
            continue
        if not path.is_file():
            continue
        if reader_for(path) is None or path.name.startswith((".", "~$")):
            skipped.append(path)
        else:
            found.append(path)
    return found, skipped, outside


def _describe_skipped(path: Path) -> str:
    if path.name.startswith("~$"):
        return f"{path.name} (an Office lock file)"
    if path.name.startswith("."):
        return f"{path.name} (hidden)"
    return f"{path.name} (no reader for '{path.suffix or path.name}')"


def _known_suffixes() -> list[str]:
    return sorted({s for r in READERS.values() for s in r.suffixes})
