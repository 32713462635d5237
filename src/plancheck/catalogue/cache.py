"""A cache of validated large catalogues, keyed by the hash of every catalogue file.

Loading a national-scale catalogue (hundreds of thousands of targets) through the strict YAML
loader and pydantic takes tens of seconds; a check that runs again on the same, unchanged
files should not pay that each time. After a catalogue of at least :data:`MIN_BYTES` of YAML
has loaded *without problems*, its validated models and its canonical targets table are
pickled under the user's cache folder. The key hashes plancheck's version, the library
versions, the folder as given, the working directory (file names in messages depend on it) and
every file's name and bytes, so any edit, added or removed plan file misses the cache and is
loaded and checked in full again. Each plan's targets stay pickled until something asks for
them (``plancheck check`` needs only the table).

Small catalogues (the bundled one, tests) are never cached. ``PLANCHECK_CACHE=off`` turns the
cache off; ``PLANCHECK_CACHE_DIR`` moves it (default ``$XDG_CACHE_HOME/plancheck`` or
``~/.cache/plancheck``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

from .models import Target

MIN_BYTES = 1 << 20  # 1 MiB of YAML: about 5,000 targets
_FORMAT = 3  # 3: indicators carry aliases (2: plans carry their coverage exclusions)


class LazyTargets(Sequence[Target]):
    """A plan's targets, unpickled on first use."""

    def __init__(self, data: bytes, count: int) -> None:
        self._data: bytes | None = data
        self._count = count
        self._items: tuple[Target, ...] | None = None

    def _load(self) -> tuple[Target, ...]:
        if self._items is None:
            assert self._data is not None
            self._items = pickle.loads(self._data)
            self._data = None
        return self._items

    @overload
    def __getitem__(self, index: int) -> Target: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Target]: ...
    def __getitem__(self, index: int | slice) -> Target | Sequence[Target]:
        return self._load()[index]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Target]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._load() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._load())

    def __repr__(self) -> str:
        return repr(self._load())


def cache_dir() -> Path | None:
    if os.environ.get("PLANCHECK_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    given = os.environ.get("PLANCHECK_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck"


def cache_file(root: Path, files: list[Path]) -> Path | None:
    """Where this exact catalogue's cache lives, or None when it is not to be cached."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        total = sum(f.stat().st_size for f in files)
    except OSError:
        return None
    if total < MIN_BYTES:
        return None
    import pandas
    import pydantic

    from .. import __version__

    digest = hashlib.sha256()
    for part in (
        f"format {_FORMAT}",
        __version__,
        sys.version,
        pydantic.VERSION,
        pandas.__version__,
        str(root),
        os.getcwd(),
    ):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    try:
        for f in files:
            data = f.read_bytes()
            digest.update(f"{f} {len(data)}".encode("utf-8", "surrogateescape") + b"\0")
            digest.update(data)
    except OSError:
        return None
    return folder / f"catalogue-{digest.hexdigest()}.pickle"


def read(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # missing, truncated, or from another version: load the YAML instead
        return None
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else None


def write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"format": _FORMAT, **data}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
