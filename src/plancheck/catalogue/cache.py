"""A cache of validated large catalogues, keyed by the hash of every catalogue file.

Loading a national-scale catalogue (hundreds of thousands of targets) through the strict YAML
loader and pydantic takes tens of seconds; a check that runs again on the same, unchanged
files should not pay that each time. After a catalogue of at least :data:`MIN_BYTES` of YAML
has loaded *without problems*, its canonical targets table is stored as an Arrow IPC file (text
repeated on many rows dictionary-encoded) followed by each plan's targets as JSON columns, and
its other models as JSON, under the user's cache folder. The key hashes the cache format,
plancheck's and the libraries' versions, and every file's resolved absolute path, the name it
is shown by in messages, and its bytes: any edit, added or removed plan file misses the cache
and is loaded and checked in full again, while ``--targets targets`` and ``--targets
$PWD/targets`` share one entry. Each plan's targets stay JSON text until something asks for
them (``plancheck check`` needs only the table); they are validated by pydantic again then. A
first (cold) run makes its table from the Arrow table it stores, as a later run reads it.

The cache holds data only: nothing in it can run code when it is read (no pickle). Another
user must not be able to plant an entry, so the folder is created 0700, files are written
0600, and a folder or file that is not the user's own or that others may write to is not used
(one warning on stderr, then the run goes on uncached). A corrupt, truncated or mismatched
entry is ignored and rebuilt. Writing a new entry for a catalogue folder removes that folder's
older entries.

Small catalogues (the bundled one, tests) are never cached. ``PLANCHECK_CACHE=off`` turns the
cache off; ``PLANCHECK_CACHE_DIR`` moves it (default ``$XDG_CACHE_HOME/plancheck`` or
``~/.cache/plancheck``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import mmap
import os
import stat
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple, TypeVar

from .lazy import LazyItems

if TYPE_CHECKING:
    import pandas as pd

MIN_BYTES = 1 << 20  # 1 MiB of YAML: about 5,000 targets
# 3: JSON models and an Arrow table (1 and 2 were pickles); 4: derived columns; 5: the targets
# as JSON columns, repeated texts of the table dictionary-encoded
_FORMAT = 5
_TOKEN_KEY = b"plancheck-cache-token"
T = TypeVar("T")
_warned = False


class LazyTargets(LazyItems[T]):
    """A plan's targets, decoded from JSON and validated on first use (``decode``: the JSON's
    value → the targets)."""

    def __init__(
        self, text: bytes | memoryview, count: int, decode: Callable[[Any], Sequence[T]]
    ) -> None:
        super().__init__(count)
        # A view into the cache entry's one blob: slicing copies would hold the targets' JSON
        # twice (~100 MiB at national scale).
        self._text: bytes | memoryview | None = text
        self._decode = decode

    def _made(self) -> tuple[T, ...]:
        assert self._text is not None
        items = tuple(self._decode(loads(bytes(self._text))))
        if len(items) != self._count:
            raise ValueError("the cache entry's targets are not the ones it counted")
        self._text = None
        return items


# --- JSON that keeps exact numbers and dates ------------------------------------------------
# model_dump() gives Decimal and date objects; JSON has neither, and the models refuse numbers
# written as text, so they travel as {"$decimal": "51.50"} and {"$date": "2014-10-08"}. No
# model has a free-form mapping, so no catalogue text can forge such an object.


def _tagged(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _untagged(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$decimal" in obj:
            return Decimal(obj["$decimal"])
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
    return obj


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_tagged)


def dump_bytes(value: Any) -> bytes:
    """:func:`dumps` as UTF-8, written by orjson (in C) unless the value holds an int beyond
    64 bits, which only the standard library writes."""
    import orjson

    try:
        return orjson.dumps(value, default=_tagged, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:
        return dumps(value).encode("utf-8")


def loads(text: str | bytes) -> Any:
    return json.loads(text, object_hook=_untagged)


# --- where, and whether it may be used --------------------------------------------------------


def cache_dir() -> Path | None:
    if os.environ.get("PLANCHECK_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    given = os.environ.get("PLANCHECK_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plancheck"


def _warn(message: str) -> None:
    """One warning per run: the cache is an optimisation, never a reason to stop."""
    global _warned
    if not _warned:
        _warned = True
        from ..text import visible

        print(f"plancheck: warning: {visible(message)}; running without the cache", file=sys.stderr)


def _unsafe(info: os.stat_result) -> str | None:
    """Why a cache folder or file must not be trusted, or None."""
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return "is owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def _safe_folder(folder: Path, create: bool) -> bool:
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(f"the cache folder {folder} is not a folder")
        return False
    why = _unsafe(info)
    if why is not None:
        _warn(f"the cache folder {folder} {why}")
        return False
    return True


def _read_owned(path: Path, mapped: bool = False) -> bytes | mmap.mmap | None:
    """The bytes of a regular file of ours that only we can write; None (warned) otherwise.

    ``mapped``: memory-mapped rather than read (the table: Arrow reads it in place)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None  # missing (a miss), or a symbolic link (ELOOP): not ours to follow
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        why = "is not a regular file" if not stat.S_ISREG(info.st_mode) else _unsafe(info)
        if why is not None:
            _warn(f"the cache file {path} {why}")
            return None
        if mapped and info.st_size > 0:
            return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        return stream.read()


# --- the key ----------------------------------------------------------------------------------


def cache_file(root: Path, files: list[Path], display: Callable[[Path], str]) -> Path | None:
    """Where this exact catalogue's entry lives (its JSON half), or None: not to be cached.

    ``display`` is how the loader names each file in messages and reports; it is part of the
    key, since those names are stored in the entry.
    """
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
    import pyarrow
    import pydantic

    from .. import __version__

    try:
        resolved_root = root.resolve()
        digest = hashlib.sha256()
        for part in (
            f"format {_FORMAT}",
            __version__,
            sys.version,
            pydantic.VERSION,
            pandas.__version__,
            pyarrow.__version__,
            str(resolved_root),
        ):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        for f in files:
            data = f.read_bytes()
            name = f"{f.resolve()}\0{display(f)}\0{len(data)}"
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(data)
    except OSError:
        return None
    # Entries of one catalogue folder share a prefix, so a new one can replace the old.
    prefix = hashlib.sha256(str(resolved_root).encode("utf-8", "surrogateescape")).hexdigest()
    return folder / f"catalogue-{prefix[:16]}-{digest.hexdigest()[:40]}.json"


def _table_path(path: Path) -> Path:
    return path.with_suffix(".arrow")


# --- reading ----------------------------------------------------------------------------------


def read(path: Path) -> tuple[dict[str, Any], pd.DataFrame, memoryview] | None:
    """The stored document, targets table and blob, or None (a miss: load the YAML instead)."""
    if not _safe_folder(path.parent, create=False):
        return None
    manifest = _read_owned(path)
    if manifest is None:
        return None
    table_bytes = _read_owned(_table_path(path), mapped=True)
    if table_bytes is None:
        return None
    try:
        document = loads(bytes(manifest))
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return None
        data = memoryview(table_bytes)
        size = document["table_bytes"]
        if not isinstance(size, int) or not 0 < size <= len(data):
            return None
        table = _frame_from_arrow(data[:size], document["token"], document["columns"])
    except Exception:  # truncated, corrupt, or the halves of two different writes
        return None
    return document, table, data[size:]


def _frame_from_arrow(data: memoryview, token: str, columns: dict[str, list[str]]) -> pd.DataFrame:
    import pyarrow as pa

    table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(data))).read_all()
    metadata = table.schema.metadata or {}
    if metadata.get(_TOKEN_KEY) != token.encode("ascii") or table.column_names != list(columns):
        raise ValueError("the table is not the one this entry was written with")
    return frame_of(table, columns)


def frame_of(table: Any, columns: dict[str, list[str]]) -> pd.DataFrame:
    """The targets table of a stored Arrow table (``columns``: each one's kind and dtype)."""
    table = _text_decoded(table, columns)
    exact = _object_columns(table, columns)
    frame = table.drop_columns(list(exact)).to_pandas()
    for name, (kind, dtype) in columns.items():
        if name in exact:
            frame[name] = exact[name]
        elif kind == "decimal":
            frame[name] = frame[name].astype("str")
        elif kind == "object":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
        elif str(frame[name].dtype) != dtype:
            frame[name] = frame[name].astype(dtype)
    return frame[list(columns)]


def _text_decoded(table: Any, columns: dict[str, list[str]]) -> Any:
    """Text stored dictionary-encoded, decoded in Arrow: pandas then holds it as its "str"
    (Arrow) text at once, with no Python string per row. Decimal figures stay their exact text,
    as pandas' "str" too: judging makes a Decimal of the few it reads (decimals.Decimals),
    rather than this of 285,000 on every load."""
    import pyarrow as pa

    for at, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type) and columns[field.name][0] in ("plain", "decimal"):
            decoded = table.column(at).cast(field.type.value_type)
            table = table.set_column(at, field.name, decoded)
    return table


def _object_columns(table: Any, columns: dict[str, list[str]]) -> dict[str, Any]:
    """The columns held as Python objects, each made once per distinct value: a plan id
    repeated on 285,000 targets is one string shared, not 285,000 copies (~270 MiB at national
    scale). A column no target fills (Arrow's null type) is None objects at once."""
    import numpy as np
    import pyarrow as pa

    makers: dict[str, Callable[[str], object]] = {"fraction": Fraction}
    exact = {
        name: _objects(table.column(name), makers.get(kind, str))
        for name, (kind, _) in columns.items()
        if kind in ("fraction", "object")
        and (kind != "object" or _is_text(table.column(name).type))
    }
    exact.update(
        (name, np.full(table.num_rows, None, dtype=object))
        for name, (kind, _) in columns.items()
        if kind == "object" and pa.types.is_null(table.column(name).type)
    )
    return exact


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _objects(column: Any, make: Callable[[str], object]) -> Any:
    """Arrow text → Decimal/Fraction objects (None where empty), each distinct text made once
    (text stored plain, not repeated, is made as it is: no need to find repeats)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    array = column.combine_chunks()
    if not pa.types.is_dictionary(array.type):
        made = np.empty(len(array), dtype=object)
        given = array.is_valid().to_numpy(zero_copy_only=False)
        made[given] = list(map(make, array.drop_null().to_numpy(zero_copy_only=False)))
        made[~given] = None
        return made
    made = np.empty(len(array.dictionary) + 1, dtype=object)
    made[:-1] = list(map(make, array.dictionary.to_numpy(zero_copy_only=False)))
    made[-1] = None  # code -1: no value
    return made[pc.fill_null(array.indices, -1).to_numpy()]


# --- writing ----------------------------------------------------------------------------------


def write(
    path: Path, document: dict[str, Any], stored: StoredTable, blobs: Sequence[bytes] = ()
) -> None:
    """Store an entry (table first, JSON last); an entry that cannot be written is skipped.

    ``blobs`` are written after the table in its file and returned by :func:`read` as one (the
    plans' targets as JSON, which the document locates by offset): the document stays small
    to parse, and the blob is not in the table's metadata (which Arrow writes twice).
    """
    if not _safe_folder(path.parent, create=True):
        return
    import pyarrow as pa

    token = uuid.uuid4().hex
    table = stored.table.replace_schema_metadata(
        {**(stored.table.schema.metadata or {}), _TOKEN_KEY: token.encode("ascii")}
    )
    size = 0

    def table_and_blobs(handle: BinaryIO) -> None:
        # Written by Arrow straight into the file: the IPC bytes are never held in memory.
        nonlocal size
        with pa.ipc.new_file(pa.PythonFile(handle, mode="w"), table.schema) as writer:
            writer.write_table(table)
        size = handle.tell()
        for blob in blobs:
            handle.write(blob)

    head = {"format": _FORMAT, "token": token, "columns": stored.columns}
    try:
        _replace(_table_path(path), table_and_blobs)
        text = dumps({**head, "table_bytes": size, **document})
        _replace(path, lambda handle: handle.write(text.encode("utf-8")))
    except (OSError, TypeError, ValueError):
        with contextlib.suppress(OSError):
            _table_path(path).unlink()  # something the cache cannot hold: run uncached
        return
    _prune(path)


class StoredTable(NamedTuple):
    """The targets table as Arrow, and each column's kind and pandas dtype (see frame_of)."""

    table: Any  # pyarrow.Table
    columns: dict[str, list[str]]


# The pandas dtype of each column of targets_table.build's frame that is not text or objects.
_DTYPES = {
    **dict.fromkeys(("year", "base_year"), "Int64"),
    **dict.fromkeys(("line", "period_start"), "int64"),
    **dict.fromkeys(("lo", "hi", "value_float", "t_factor_float"), "float64"),
    **dict.fromkeys(("year_inferred", "soft", "maintain", "effort", "year_approximate"), "bool"),
}


def table_of_columns(
    columns: dict[str, list[Any]], repeats: list[int], spread: Callable[..., Any]
) -> StoredTable:
    """The Arrow table that storing targets_table's frame of these columns would store, made
    from the columns at once (no frame, no Python string per row), repeated text
    dictionary-encoded; TypeError: a column the cache cannot hold exactly.

    ``spread``: targets_table.spread_years (the rows and years of spread targets)."""
    import numpy as np
    import pyarrow as pa

    counts = np.asarray(repeats, dtype=np.int64)
    expand = bool((counts != 1).any())
    arrays: dict[str, Any] = {}
    kinds: dict[str, list[str]] = {}
    years, starts = columns["year"], columns["period_start"]
    for name in list(columns):
        values = columns.pop(name)  # (the lists go as their arrays are made: less at peak)
        dtype = _DTYPES.get(name)
        if dtype is not None:
            kind = {"Int64": pa.int64(), "int64": pa.int64(), "float64": pa.float64()}
            arrays[name] = pa.array(values, kind.get(dtype, pa.bool_()))
            kinds[name] = ["plain", dtype]
            continue
        arrays[name], kinds[name] = _object_column(values)
    table = pa.table(arrays)
    if expand:
        spread_years = np.empty(len(counts), dtype=object)
        spread_years[:] = years
        spread_years = np.repeat(spread_years, counts)
        rows, spread_to = spread(counts, starts)
        spread_years[rows] = spread_to.tolist()
        table = table.take(pa.array(np.repeat(np.arange(len(counts)), counts)))
        at = table.column_names.index("year")
        table = table.set_column(at, "year", pa.array(spread_years.tolist(), pa.int64()))
    return StoredTable(table, kinds)


def _object_column(values: list[Any]) -> tuple[Any, list[str]]:
    """A column of Python objects as Arrow, as pandas would hold it in the frame: text (with
    None) becomes its "str" dtype, decimals and fractions stay objects (stored as text)."""
    import pyarrow as pa

    kinds = set(map(type, values))
    kinds.discard(type(None))
    if not kinds:
        return pa.nulls(len(values)), ["object", "object"]
    if kinds == {str}:
        return _maybe_dictionary(pa.array(values, pa.string())), ["plain", "str"]
    if kinds == {Decimal}:
        texts = [None if v is None else str(v) for v in values]
        return _maybe_dictionary(pa.array(texts, pa.string())), ["decimal", "object"]
    if kinds == {Fraction}:
        made: dict[int, int] = {}
        texts = []
        for value in values:
            if id(value) not in made:
                made[id(value)] = len(texts)
                texts.append(str(value))
        indices = pa.array([made[id(value)] for value in values], pa.int32())
        return pa.DictionaryArray.from_arrays(indices, pa.array(texts)), ["fraction", "object"]
    raise TypeError(f"a column holds {sorted(k.__name__ for k in kinds)}")


def _maybe_dictionary(array: Any) -> Any:
    """Text repeated on many rows (a plan's id, a unit) as a dictionary of its distinct texts."""
    encoded = array.dictionary_encode()
    return encoded if len(encoded.dictionary) * 2 <= len(array) else array


def _replace(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write atomically: a temporary file (0600, from mkstemp) renamed into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _prune(path: Path) -> None:
    """Remove this catalogue folder's older entries, and pickles left by older versions."""
    prefix = path.name.rsplit("-", 1)[0] + "-"
    keep = {path.name, _table_path(path).name}
    with contextlib.suppress(OSError):
        for old in path.parent.iterdir():
            stale = old.name.startswith(prefix) and old.name not in keep
            legacy = old.name.startswith("catalogue-") and old.suffix == ".pickle"
            if stale or legacy:
                with contextlib.suppress(OSError):
                    old.unlink()
