"""Where reports go: ``--output``, ``--report FORMAT:FILE``, ``--fail-on``, ``$PLANCHECK_FORMAT``.

Every option is checked before any work is done, so that a bad one is a problem (exit 2) and
not a half-written report. A report is written only to a regular file (or to stdout: ``-``,
``/dev/stdout``), never over a device, FIFO or folder, and never over one of the run's inputs
or into an actuals folder (the next run would read it as data).

Files are written atomically and together: each report goes to a temporary file in its own
folder first, and only when every one of them is complete are they renamed into place
(``os.replace``). If a rename fails part-way, the files already renamed get their old contents
back (kept as hard links, or copies, until the end). SIGINT and SIGTERM while staging remove
the temporary files; while renaming, they wait until the last rename is done. So an
interrupted or failed run leaves either every old report or every new one, and no temporary
file.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import BinaryIO, TextIO, cast

from .choices import DEFAULT_FAIL_ON, STATUSES
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
        elif is_stdout(file):
            problems.append(
                Problem(
                    "usage-error",
                    f"--report '{spec}': a --report goes to a file; stdout carries the main output",
                    value=spec,
                    hint="give a file name, or use --format for what goes to stdout",
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


STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def is_stdout(path: Path | str) -> bool:
    """``-`` and the names of the standard output: the report goes to stdout, not to a file."""
    return str(path) in STDOUT_NAMES


def catalogue_inputs(root: Path) -> list[Path]:
    """The catalogue's files a report must not replace (its plans folder as a whole)."""
    return [root / "indicators.yaml", root / "regions.yaml", root / "plans"]


def run_inputs(actuals: list[Path] | None, root: Path) -> list[Path]:
    """Everything a run reads: the actuals files and folders given (or ./actuals), the catalogue."""
    return [*(actuals or [Path("actuals")]), *catalogue_inputs(root)]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _input_problem(path: Path, inputs: Iterable[Path]) -> Problem | None:
    """A destination that is an input file, or inside an input folder, would destroy or pollute it."""
    key = path.resolve()
    try:
        existing: os.stat_result | None = path.stat()
    except OSError:
        existing = None
    for given in inputs:
        source = given.resolve()
        same = False
        if existing is not None:
            with contextlib.suppress(OSError):
                same = os.path.samestat(existing, given.stat())  # a hard link counts too
        if same or key == source or (given.is_dir() and _within(key, source)):
            what = "a folder of" if given.is_dir() and not same else "one of"
            return Problem(
                "usage-error",
                f"the report would be written over {what} the run's inputs ({given})",
                str(path),
                hint="write reports outside the actuals and catalogue folders",
            )
    return None


def check_destinations(paths: list[Path], inputs: Iterable[Path] = ()) -> None:
    """Each output is a regular file (new or existing) in an existing folder, not one of the
    ``inputs`` (files, or folders whose contents are inputs), and no file is named twice."""
    problems: list[Problem] = []
    seen: set[Path] = set()
    inputs = list(inputs)
    for path in paths:
        if is_stdout(path):
            continue
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
        kind = _special_kind(path)
        if path.is_dir():
            problems.append(
                Problem(
                    "usage-error",
                    "this is a folder, not a file",
                    str(path),
                    hint="give a file name for the report",
                )
            )
        elif kind is not None:
            problems.append(
                Problem(
                    "usage-error",
                    f"this is {kind}, not a regular file: plancheck writes reports only to files",
                    str(path),
                    hint="give a file name for the report, or - for stdout",
                )
            )
        elif (problem := _input_problem(path, inputs)) is not None:
            problems.append(problem)
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


def _special_kind(path: Path) -> str | None:
    """What an existing non-regular file is (following links), or None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a new file (or a dangling link, which the rename replaces)
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _output_error(err: BaseException, path: Path) -> InputError:
    reason = getattr(err, "strerror", None) or err
    return InputError([Problem("output-error", f"cannot write the report: {reason}", str(path))])


# A file's contents: bytes, or text chunks encoded as UTF-8 and written as they come, so that a
# report streamed by its renderer (a national JSON report is ~250 MB) is never held whole.
# Chunks that are made as UTF-8 already (render.columns.Utf8Chunks: an iterable of text with a
# ``utf8_chunks()`` method) are written as those bytes, not decoded and encoded again.
Contents = bytes | Iterable[str]


def write_atomically(files: Iterable[tuple[Path, Contents]]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place: all of
    the new files, or (after a failure or a signal) all of the old ones. A file given as text
    chunks is rendered while it is staged; a failure while rendering is a failure to stage."""
    staged: list[tuple[str, Path]] = []
    # SIGINT/SIGTERM are noted, not acted on at once: staging stops at the next file (or the
    # next chunk of a streamed one) and its temporary files are removed, or, once renaming has begun, every rename is done first;
    # then the signal ends the run (KeyboardInterrupt, or SystemExit 143 for SIGTERM).
    with _signals_deferred() as pending:
        try:
            for path, data in files:
                _check_still_regular(path)
                contents = data if isinstance(data, bytes) else _until(pending, _utf8(data))
                staged.append((_stage(path, contents), path))
                if pending:
                    break
        except BaseException as err:
            _unlink_all(tmp for tmp, _ in staged)
            if isinstance(err, OSError):
                raise _output_error(err, path) from None
            raise
        if pending:
            _unlink_all(tmp for tmp, _ in staged)
        else:
            _commit(staged)


def _commit(staged: list[tuple[str, Path]]) -> None:
    backups: list[tuple[Path, str | None]] = []  # renamed so far, with the old file kept
    try:
        for tmp, path in staged:
            backup = _keep_old(path)
            try:
                os.replace(tmp, path)
            except BaseException:
                _unlink_all([backup] if backup else [])
                raise
            backups.append((path, backup))
    except BaseException as err:
        for path, backup in reversed(backups):  # put the old files back
            with contextlib.suppress(OSError):
                if backup is None:
                    os.unlink(path)
                else:
                    os.replace(backup, path)
        _unlink_all(tmp for tmp, _ in staged)
        if isinstance(err, OSError):
            raise _output_error(err, path) from None
        raise
    _unlink_all(backup for _, backup in backups if backup)


def _keep_old(path: Path) -> str | None:
    """A second name for the file about to be replaced (a hard link, else a copy), or None."""
    if not path.exists():
        return None
    folder = path.parent if str(path.parent) else Path(".")
    fd, backup = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".old")
    os.close(fd)
    try:
        os.unlink(backup)
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
    return backup


def _check_still_regular(path: Path) -> None:
    kind = _special_kind(path)
    if kind is not None:  # checked before the work, but it may have changed since
        raise OSError(f"{path} is {kind}, not a regular file")


def _unlink_all(paths: Iterable[str | None]) -> None:
    for tmp in paths:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None
)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[list[int]]:
    """SIGINT/SIGTERM are noted in the list yielded, and acted on when the block ends."""
    pending: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)

    with _handlers(hold):
        yield pending
    if pending:
        if pending[0] == getattr(signal, "SIGINT", None):
            raise KeyboardInterrupt
        raise SystemExit(128 + pending[0])


@contextlib.contextmanager
def _handlers(handler: signal.Handlers | object) -> Iterator[None]:
    previous: dict[int, object] = {}
    try:
        for number in _SIGNALS:
            previous[number] = signal.signal(number, handler)  # type: ignore[arg-type]
    except ValueError:  # not the main thread: signals cannot be handled here
        pass
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)  # type: ignore[arg-type]


def _utf8(chunks: Iterable[str]) -> Iterable[bytes | memoryview]:
    """Text chunks as UTF-8: as made, when the renderer made them so (``utf8_chunks``)."""
    made = getattr(chunks, "utf8_chunks", None)
    if made is not None:
        return cast(Iterable[bytes | memoryview], made())
    return (chunk.encode("utf-8") for chunk in chunks)


def _until(
    signals: list[int], chunks: Iterable[bytes | memoryview]
) -> Iterator[bytes | memoryview]:
    """The chunks, until a signal is noted: the rest is not rendered (nor written)."""
    for chunk in chunks:
        yield chunk
        if signals:
            return


def _stage(path: Path, data: bytes | Iterable[bytes | memoryview]) -> str:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                _write_streamed(stream, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


# A streamed report is handed to the disk as it is written, this many bytes at a time, so that
# the fsync at the end (a report that survives a crash) waits for its last part only, not for
# all of a national report's 250 MB while nothing else is done.
WRITEBACK_BYTES = 16 << 20


def _write_streamed(stream: BinaryIO, chunks: Iterable[bytes | memoryview]) -> None:
    written = handed = 0
    for chunk in chunks:
        stream.write(chunk)
        written += memoryview(chunk).nbytes
        if written - handed >= WRITEBACK_BYTES:
            stream.flush()
            _start_writeback(stream.fileno(), handed, written - handed)
            handed = written


def _start_writeback(fd: int, start: int, length: int) -> None:
    """Begin writing a part of a file to the disk without waiting for it. Linux begins the
    writeback of the dirty pages that POSIX_FADV_DONTNEED names (and drops none of them from
    memory until they are written); elsewhere the advice may do nothing, and fsync does it all."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):  # only advice: the fsync still makes the file safe
            advise(fd, start, length, os.POSIX_FADV_DONTNEED)


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def open_append(path: Path) -> TextIO:
    """Open a file another program owns (``$GITHUB_STEP_SUMMARY``) for appending, before any
    report is written: if it cannot be written, no report is."""
    kind = _special_kind(path)
    try:
        if path.is_dir() or kind is not None:
            raise OSError(f"it is {kind or 'a folder'}, not a regular file")
        return path.open("a", encoding="utf-8")
    except OSError as err:
        raise InputError(
            [
                Problem(
                    "output-error",
                    f"cannot append the summary: {err.strerror or err}",
                    str(path),
                    hint="fix or unset GITHUB_STEP_SUMMARY; no report was written",
                )
            ]
        ) from None


def append_text(path: Path, text: str, stream: TextIO | None = None) -> None:
    """Append to a file another program owns (``$GITHUB_STEP_SUMMARY``); ``stream``: already
    opened by :func:`open_append`, and closed here."""
    try:
        with stream or path.open("a", encoding="utf-8") as opened:
            opened.write(text)
    except OSError as err:
        raise InputError(
            [
                Problem(
                    "output-error", f"cannot append the summary: {err.strerror or err}", str(path)
                )
            ]
        ) from None


def write_stdout(chunks: Iterable[str]) -> None:
    """Write text to stdout chunk by chunk as a renderer gives it, even when stdout's encoding
    cannot hold every character (a GBK console); a stdout that cannot be written (a full disk,
    a closed pipe) is a problem, exit 2."""
    try:
        _write_chunks(sys.stdout, chunks)
    except OSError as err:
        raise stdout_failed(err) from None


def _write_chunks(stream: TextIO, chunks: Iterable[str]) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    binary = getattr(stream, "buffer", None)
    if binary is not None and codecs.lookup(encoding).name == "utf-8":
        stream.flush()  # what was written as text goes first; then bytes, encoded once per chunk
        made = getattr(chunks, "utf8_chunks", None)  # made as UTF-8: written as they are
        pieces: Iterable[bytes | memoryview] = (
            made() if made is not None else (c.encode("utf-8", errors="replace") for c in chunks)
        )
        for piece in pieces:
            binary.write(piece)
        binary.flush()
        return
    for chunk in chunks:
        try:
            stream.write(chunk)
        except UnicodeEncodeError:
            stream.write(
                chunk.encode(encoding, errors="replace").decode(encoding, errors="replace")
            )
    stream.flush()


def stdout_failed(err: OSError) -> InputError:
    """The problem of an unwritable stdout; stdout is pointed at the null device, so that the
    interpreter's own final flush does not fail again with a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    return InputError(
        [
            Problem(
                "output-error",
                f"cannot write to stdout: {err.strerror or err}",
                hint="free some disk space, or write the report to a file with --output",
            )
        ]
    )
