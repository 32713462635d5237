"""Where reports go: ``--output``, ``--report FORMAT:FILE``, ``--fail-on``, ``$PLANCHECK_FORMAT``.

Every option is checked before any work is done, so that a bad one is a problem (exit 2) and
not a half-written report. Files are written atomically: each report goes to a temporary file
in its own folder first, and only when every one of them is complete are they renamed into
place (``os.replace``), so an interrupted or failed run never leaves half a report behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .evaluation.report import DEFAULT_FAIL_ON, STATUSES
from .problems import InputError, Problem

FORMAT_ENV = "PLANCHECK_FORMAT"


@dataclass(frozen=True)
class ReportSpec:
    format: str
    path: Path


def choose_format(given: str | None, environ: Mapping[str, str], formats: list[str]) -> str:
    """``--format``, else ``$PLANCHECK_FORMAT``, else ``table``."""
    if given is not None:
        return given
    value = environ.get(FORMAT_ENV, "").strip()
    if not value:
        return "table"
    if value not in formats:
        raise InputError(
            [
                Problem(
                    "usage-error",
                    f"{FORMAT_ENV}='{value}' is not an output format",
                    field=FORMAT_ENV,
                    value=value,
                    hint=f"use one of: {', '.join(formats)}",
                )
            ]
        )
    return value


def parse_reports(specs: list[str], formats: list[str]) -> list[ReportSpec]:
    """``FORMAT:FILE`` → ReportSpec; every malformed one is a problem."""
    reports: list[ReportSpec] = []
    problems: list[Problem] = []
    for spec in specs:
        name, sep, file = spec.partition(":")
        if not sep or not file or not name:
            problems.append(
                Problem(
                    "usage-error",
                    f"--report '{spec}' is not FORMAT:FILE",
                    value=spec,
                    hint="e.g. --report junit:plancheck.xml",
                )
            )
        elif name not in formats:
            problems.append(
                Problem(
                    "usage-error",
                    f"--report format '{name}' is unknown",
                    value=spec,
                    hint=f"use one of: {', '.join(formats)}",
                )
            )
        else:
            reports.append(ReportSpec(name, Path(file)))
    if problems:
        raise InputError(problems)
    return reports


def parse_fail_on(value: str | None) -> tuple[str, ...]:
    """``not_met,missing`` → ("not_met", "missing"); ``none`` or empty → never exit 1."""
    if value is None:
        return DEFAULT_FAIL_ON
    words = [w.strip() for w in value.split(",") if w.strip()]
    if words == ["none"]:
        return ()
    unknown = [w for w in words if w not in STATUSES]
    if unknown:
        raise InputError(
            [
                Problem(
                    "usage-error",
                    f"--fail-on: unknown status '{w}'",
                    value=w,
                    hint=f"a comma-separated list of: {', '.join(STATUSES)} (or none)",
                )
                for w in unknown
            ]
        )
    return tuple(dict.fromkeys(words))


def check_destinations(paths: list[Path]) -> None:
    """Each output file's folder exists, is not itself a folder, and no file is named twice."""
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key in seen:
            problems.append(
                Problem(
                    "usage-error",
                    "the same file is given for two reports",
                    str(path),
                    hint="give each report its own file",
                )
            )
        seen.add(key)
        if path.is_dir():
            problems.append(
                Problem(
                    "usage-error",
                    "this is a folder, not a file",
                    str(path),
                    hint="give a file name for the report",
                )
            )
        elif not (path.parent if str(path.parent) else Path(".")).is_dir():
            problems.append(
                Problem(
                    "missing-file",
                    "the report's folder does not exist",
                    str(path),
                    hint="create the folder first",
                )
            )
    if problems:
        raise InputError(problems)


def write_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
    except OSError as err:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise InputError(
            [Problem("output-error", f"cannot write the report: {err.strerror or err}", str(path))]
        ) from None
    for tmp, path in staged:
        try:
            os.replace(tmp, path)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise InputError(
                [
                    Problem(
                        "output-error", f"cannot write the report: {err.strerror or err}", str(path)
                    )
                ]
            ) from None


def _stage(path: Path, data: bytes) -> str:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def append_text(path: Path, text: str) -> None:
    """Append to a file another program owns (``$GITHUB_STEP_SUMMARY``)."""
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as err:
        raise InputError(
            [
                Problem(
                    "output-error", f"cannot append the summary: {err.strerror or err}", str(path)
                )
            ]
        ) from None
