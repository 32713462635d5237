"""An output file's suffix says its format: ``-o r.json`` is JSON, ``-o t.xlsx`` a workbook.

A known suffix gives the format when ``--format`` is not given, and a suffix that contradicts
``--format`` is refused (a table in ``r.json``, CSV text in ``t.xls``), so that a file never
holds something else than its name says. Unknown suffixes (``report.out``) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .formats import FORMAT_SPECS
from .problems import Problem

# Spreadsheets: a report named so would be opened as a workbook, which plancheck does not write.
NOT_WRITTEN = (".xlsx", ".xls", ".xlsm", ".ods")


def _report_suffixes() -> dict[str, tuple[str, ...]]:
    """Each output format's suffixes (formats.py), in the registry's order: the first format
    listing a suffix is the one it names."""
    suffixes: dict[str, tuple[str, ...]] = {}
    for spec in FORMAT_SPECS:
        for suffix in spec.suffixes:
            suffixes[suffix] = (*suffixes.get(suffix, ()), spec.name)
    return {**suffixes, **dict.fromkeys(NOT_WRITTEN, ())}


# suffix → the formats a file of that name may hold, the first one inferred; () → none of ours.
REPORT_SUFFIXES: dict[str, tuple[str, ...]] = _report_suffixes()
TEMPLATE_SUFFIXES: dict[str, tuple[str, ...]] = {
    ".csv": ("csv",),
    ".txt": ("csv",),
    ".xlsx": ("xlsx",),
    ".xls": (),  # legacy Excel: plancheck writes xlsx, which Excel also opens
    ".xlsm": (),
    ".ods": (),
    ".json": (),
}


def format_for(
    path: Path | None,
    given: str | None,
    suffixes: Mapping[str, tuple[str, ...]],
    option: str = "--output",
) -> tuple[str | None, Problem | None]:
    """The format for ``path``: ``given`` if its suffix allows it, else the suffix's own.

    Returns (format or None when nothing decides, problem or None).
    """
    if path is None:
        return given, None
    suffix = path.suffix.lower()
    allowed = suffixes.get(suffix)
    if allowed is None:
        return given, None
    if given is not None and given in allowed:
        return given, None
    if not allowed:
        writable = sorted(s for s, formats in suffixes.items() if formats)
        return given, Problem(
            "usage-error",
            f"{option} '{path.name}': plancheck does not write {suffix} files",
            str(path),
            hint=f"name the file with one of: {', '.join(writable)}",
        )
    if given is None:
        return allowed[0], None
    return given, Problem(
        "usage-error",
        f"{option} '{path.name}' is named as {' or '.join(allowed)} but the format is {given}",
        str(path),
        hint=f"name the file for {given}, or write {allowed[0]}:{path}"
        if option == "--report"
        else f"name the file for {given}, or leave out --format to write {allowed[0]}",
    )
