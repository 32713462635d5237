"""Result columns as text, column by column, for the formats that write every result (JSON, CSV).

A national report has 10^5+ results. A column whose values repeat (statuses, units, ids of
plans and regions) is factorised once and each of its distinct values encoded once, by the
field's kind (result_schema.py); one whose values hardly repeat (target ids, figures, row
numbers) is encoded row by row in one pass of Arrow's kernels (quoting, shortest float texts,
int texts), with Python's per-value functions only for the few values whose text Arrow would
lay out differently. The renderers then take the rows a block at a time, spread the texts to
the rows and join them into records with Arrow's string kernels. Nothing is done per row in
Python except nested data (progress inputs), which has no distinct values to share.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..result_schema import ResultField, json_layout

# Records per chunk of output: a JSON block of 10,000 results is ~9 MB of text, enough for the
# string kernels to run at full speed and small beside the report itself.
BLOCK_ROWS = 10_000

Encoder = Callable[[pd.Index], list[str]]  # distinct values → their texts, in order
T = TypeVar("T")


@dataclass(frozen=True)
class Texts:
    """A column as text: each distinct text once, and each row's index into them; or, for a
    column whose values hardly repeat (ids, measured figures), each row's own text."""

    codes: np.ndarray | None  # one per row, a small integer type; None: row i's text is text i
    texts: pa.StringArray
    one_each: bool = False  # row i's text is text i (every value distinct, none missing: ids)

    @classmethod
    def per_row(cls, texts: pa.StringArray) -> Texts:
        return cls(None, texts, True)

    def block(self, rows: slice) -> pa.StringArray:
        if self.codes is None or self.one_each:  # a slice, no copy
            return self.texts.slice(rows.start, rows.stop - rows.start)
        return self.texts.take(pa.array(self.codes[rows]))

    def coded(self) -> np.ndarray:
        """Each row's index into ``texts``."""
        if self.codes is None:
            return np.arange(len(self.texts), dtype=np.int32)
        return self.codes


def blocks(rows: int) -> Iterator[slice]:
    """The row ranges of consecutive blocks of BLOCK_ROWS (none for no rows)."""
    size = BLOCK_ROWS
    for start in range(0, rows, size):
        yield slice(start, min(start + size, rows))


# Threads that encode columns and make blocks: Arrow's kernels (most of the work) run without
# the GIL, so two keep both cores of a small machine busy while the main thread writes.
WORKERS = 2


@contextlib.contextmanager
def workers() -> Iterator[ThreadPoolExecutor]:
    """A pool of WORKERS threads; on leaving, work not begun is dropped (a report given up
    part-way: an error, a signal) and work begun is waited for."""
    pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="plancheck-render")
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def begun(pieces: Sequence[str | Callable[[], T]], pool: Executor) -> list[str | Future[T]]:
    """The pieces, each one to be made begun by ``pool`` (side by side, in order)."""
    return [piece if isinstance(piece, str) else pool.submit(piece) for piece in pieces]


def finished(pieces: Sequence[str | Future[T]]) -> list[str | T]:
    """The pieces made (waiting for each; the first one's error, if any, raised)."""
    return [piece if isinstance(piece, str) else piece.result() for piece in pieces]


def made_ahead(make: Callable[[int], T], count: int, pool: Executor) -> Iterator[T]:
    """``make(0)``, ``make(1)`` … ``make(count - 1)`` in order, each begun by ``pool`` up to
    WORKERS places before it is given (so the next ones are made while one is written); when
    the iterator is closed early, those not begun are dropped."""
    pending: deque[Future[T]] = deque()
    following = 0
    try:
        while pending or following < count:
            while following < count and len(pending) <= WORKERS:
                pending.append(pool.submit(make, following))
                following += 1
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def encoded(values: pd.Series, encode: Encoder, null: str) -> Texts:
    """Each value's text: ``encode`` sees each distinct non-missing value once; missing → ``null``."""
    codes, distinct = pd.factorize(values)
    texts = pa.array([*encode(distinct), null], pa.string())
    one_each = len(distinct) == len(values)  # factorize numbers values as they first appear
    return Texts(np.where(codes < 0, len(texts) - 1, codes).astype(np.int32), texts, one_each)


def constant(text: str, rows: int) -> Texts:
    return Texts(np.zeros(rows, dtype=np.int8), pa.array([text], pa.string()))


def flags(values: pd.Series, true: str = "true", false: str = "false") -> Texts:
    """A bool field, a missing value read as false (never null)."""
    mask = values.to_numpy(dtype=bool, na_value=False)
    return Texts(mask.astype(np.int8), pa.array([false, true], pa.string()))


def chosen(mask: np.ndarray, when: Texts, otherwise: Texts) -> Texts:
    """``when``'s text where ``mask`` holds, else ``otherwise``'s (each row's own text when
    either is: measured figures)."""
    if when.codes is None or otherwise.codes is None:
        picked = pc.if_else(
            pa.array(mask), when.block(slice(0, len(mask))), otherwise.block(slice(0, len(mask)))
        )
        return Texts.per_row(picked)
    shift = len(otherwise.texts)
    texts = pa.concat_arrays([otherwise.texts, when.texts])
    codes = np.where(mask, when.coded().astype(np.int32) + shift, otherwise.coded())
    return Texts(codes.astype(np.int32), texts)


def repeats(values: pd.Series | pa.Array) -> bool:
    """Whether a column's values repeat enough to be worth coding, judged on up to 4,096 rows
    spread over it: an id or a measured figure does not, a status, a unit or a region does.
    (4,096 rows drawn from 20,000 equally common values hold ~3,700 distinct ones, from
    3,000 ~2,300, from 10^5 ids ~4,000.)"""
    step = max(1, len(values) // 4096)
    if isinstance(values, pa.Array):
        sample = values.take(pa.array(np.arange(0, len(values), step)))
        distinct, drawn = int(pc.count_distinct(sample, mode="all").as_py()), len(sample)
    else:
        rows = values.iloc[::step]
        distinct, drawn = int(rows.nunique(dropna=False)), len(rows)
    return distinct * 10 <= drawn * 9


def int_column(values: pd.Series, null: str) -> Texts:
    """An int field's texts (``null`` where missing): coded when its values repeat, else each
    row's text made by Arrow in one pass."""
    if values.dtype.kind == "i" and not repeats(values):  # int64 at most, as Arrow's
        texts = pc.cast(pa.array(values, pa.int64()), pa.string())
        return Texts.per_row(pc.fill_null(texts, null) if texts.null_count else texts)
    return encoded(values, int_texts, null)


def within(texts: Texts, there: np.ndarray, before: str, after: str, absent: str) -> Texts:
    """A member of a nested object: its texts between ``before`` and ``after`` in the rows
    that have the object, ``absent`` in the others."""
    framed = pc.binary_join_element_wise(before, texts.texts, after, "")
    everywhere = bool(there.all())
    if texts.codes is None:
        if everywhere:
            return Texts.per_row(framed)
        return Texts.per_row(pc.if_else(pa.array(there), framed, absent))
    if everywhere:
        return Texts(texts.codes, framed, texts.one_each)
    codes = np.where(there, texts.codes.astype(np.int32), len(framed)).astype(np.int32)
    return Texts(codes, pa.concat_arrays([framed, pa.array([absent], pa.string())]))


# Two neighbouring coded columns become one when their pairs of texts are at most this many
# (and this many bytes): a take and a concatenation less for every row, for a small table.
_PAIRS = 1 << 16
_PAIR_BYTES = 1 << 24


def compacted(pieces: Sequence[str | Texts]) -> list[str | Texts]:
    """The same record (literal texts and columns, end to end) in fewer pieces: each literal
    joined to the texts of a coded neighbour (the column after it, else the one before), then
    neighbouring coded columns joined while their pairs of texts are few."""
    return _paired_neighbours(_folded_literals(_joined_literals(pieces)))


def _joined_literals(pieces: Sequence[str | Texts]) -> list[str | Texts]:
    joined: list[str | Texts] = []
    for piece in pieces:  # adjacent literals as one
        if isinstance(piece, str) and joined and isinstance(joined[-1], str):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _folded_literals(pieces: list[str | Texts]) -> list[str | Texts]:
    folded: list[str | Texts] = []
    for place, piece in enumerate(pieces):
        after = pieces[place + 1] if place + 1 < len(pieces) else None
        last = folded[-1] if folded else None
        if isinstance(piece, Texts):
            if isinstance(last, str) and _coded(piece):
                folded[-1] = _framed(piece, last, "")  # the literal before it
            else:
                folded.append(piece)
        elif isinstance(last, Texts) and _coded(last) and not _coded(after):
            folded[-1] = _framed(last, "", piece)  # after the column before it
        else:
            folded.append(piece)
    return folded


def _paired_neighbours(pieces: list[str | Texts]) -> list[str | Texts]:
    paired: list[str | Texts] = []
    for piece in pieces:
        last = paired[-1] if paired else None
        if isinstance(piece, Texts) and isinstance(last, Texts) and _pairable(last, piece):
            paired[-1] = _paired(last, piece)
        else:
            paired.append(piece)
    return paired


def _coded(piece: str | Texts | None) -> bool:
    return isinstance(piece, Texts) and piece.codes is not None and not piece.one_each


def _framed(texts: Texts, before: str, after: str) -> Texts:
    framed = pc.binary_join_element_wise(before, texts.texts, after, "")
    return Texts(texts.codes, framed, texts.one_each)


def _pairable(first: Texts, second: Texts) -> bool:
    if not (_coded(first) and _coded(second)):
        return False
    count, other = len(first.texts), len(second.texts)
    size = count * _text_bytes(second.texts) + other * _text_bytes(first.texts)
    return count * other <= _PAIRS and size <= _PAIR_BYTES


def _text_bytes(texts: pa.StringArray) -> int:
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int32)
    return int(offsets[texts.offset + len(texts)] - offsets[texts.offset])


def _paired(first: Texts, second: Texts) -> Texts:
    """One column whose text in each row is ``first``'s then ``second``'s."""
    assert first.codes is not None and second.codes is not None
    count, other = len(first.texts), len(second.texts)
    codes = first.codes.astype(np.int32) * other + second.codes.astype(np.int32)
    lefts = first.texts.take(pa.array(np.repeat(np.arange(count, dtype=np.int32), other)))
    rights = second.texts.take(pa.array(np.tile(np.arange(other, dtype=np.int32), count)))
    return Texts(codes, pc.binary_join_element_wise(lefts, rights, ""))


def joined(parts: Sequence[str | pa.StringArray]) -> pa.StringArray:
    """Element-wise concatenation of columns and literal texts (at least one column)."""
    merged: list[str | pa.StringArray] = []
    for part in parts:  # adjacent literals as one argument
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return pc.binary_join_element_wise(*merged, "")


def text_of(strings: pa.StringArray, trim: int = 0) -> str:
    """The strings end to end as one text (one copy, from Arrow's buffer), less ``trim`` bytes
    at the end."""
    return str(utf8_of(strings, trim), "utf-8")


def utf8_of(strings: pa.StringArray, trim: int = 0) -> memoryview:
    """The strings end to end as UTF-8, less ``trim`` bytes at the end: Arrow's own buffer, no
    copy (a file takes it as it is)."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)
    start = int(offsets[strings.offset])
    end = int(offsets[strings.offset + len(strings)]) - trim
    data = strings.buffers()[2]
    if data is None or end <= start:
        return memoryview(b"")
    return memoryview(data)[start:end]


class Utf8Chunks(Iterator[str]):
    """A renderer's text chunks that are made as UTF-8 (Arrow's buffers): iterated, they are
    text; a file takes them as bytes (``utf8_chunks``, see output.py), with no decoding and
    encoding again of a national report's 250 MB. Made once, by one of the two."""

    def __init__(self, made: Iterator[bytes | memoryview]) -> None:
        self._made = made

    def __iter__(self) -> Utf8Chunks:
        return self

    def __next__(self) -> str:
        return str(next(self._made), "utf-8")

    def utf8_chunks(self) -> Iterator[bytes | memoryview]:
        return self._made


def column(results: pd.DataFrame, name: str) -> pd.Series | None:
    """A result column; None when the frame lacks it (a report built by hand)."""
    return results.get(name)


def present(values: pd.Series | None, rows: int) -> np.ndarray:
    """Which rows hold a value (a missing column: none)."""
    if values is None:
        return np.zeros(rows, dtype=bool)
    return values.notna().to_numpy()


def objects() -> dict[str, ResultField]:
    """Each nested JSON object by the field that decides it: an object is null (and its CSV
    columns empty) when its first field has no value (no actual file: no actual_source; no
    progress method: no progress; the catalogue requires a section)."""
    return {key: fields[0] for key, fields in json_layout() if "." in str(fields[0].json)}


# --- numbers: the same text in JSON and CSV ------------------------------------------------


def number_text(value: Any) -> str:
    """A number as JSON writes it: an int when it is one and was written without a point
    (``"5"``, 5), else the shortest float text (``"51.50"`` → ``51.5``). A zero has no sign:
    pandas takes -0.0 and 0.0 for one value, so a signed zero would print as whichever came
    first."""
    number = float(value) + 0.0  # -0.0 + 0.0 is 0.0
    if number.is_integer() and abs(number) < 2**53 and "." not in str(value):
        return int.__repr__(int(number))
    if not math.isfinite(number):
        raise ValueError(f"a report has no number {value!r}")
    return float.__repr__(number)


def number_texts(distinct: pd.Index) -> list[str]:
    """``number_text`` of each value; a float or text column's values parsed in one pass."""
    if distinct.dtype.kind == "f":
        texts: list[str] = float_texts(distinct.to_numpy(dtype=np.float64), None).to_pylist()
        return texts
    if isinstance(distinct.dtype, pd.StringDtype) and len(distinct):  # decimal texts
        strings = pa.array(distinct.tolist(), pa.string())
        try:
            numbers = pc.cast(strings, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # a spelling Arrow does not parse: Python's float() decides
            return [number_text(v) for v in distinct.tolist()]
        pointless = ~pc.match_substring(strings, ".").to_numpy(False)
        texts = float_texts(numbers, pointless).to_pylist()
        return texts
    return [number_text(v) for v in distinct.tolist()]


def number_column(values: pd.Series, null: str) -> Texts | None:
    """``number_text`` of every row (``null`` where missing), in one pass over the column with
    no look for repeats (measured figures hardly repeat); None for a column of Python objects,
    or of texts Arrow does not parse, which go value by value."""
    if values.dtype.kind == "f":
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(numbers)
        if missing.all():
            return constant(null, len(values))
        texts = float_texts(numbers, None, missing)
    elif (strings := arrow_strings(values)) is not None:
        return decimal_column(strings, null)
    else:
        return None
    return Texts.per_row(pc.fill_null(texts, null) if texts.null_count else texts)


def decimal_column(strings: pa.StringArray, null: str) -> Texts | None:
    """``number_text`` of each decimal text (``null`` where missing); None when Arrow does not
    parse one (Python's float() decides, value by value)."""
    if strings.null_count == len(strings):
        return constant(null, len(strings))
    if strings.null_count * 4 > len(strings):  # mostly missing (range maxima): the rest alone
        given = strings.is_valid()
        texts = _decimal_texts(strings.filter(given))
        if texts is None:
            return None
        texts = pc.replace_with_mask(strings, given, texts)
    else:
        texts = _decimal_texts(strings)
        if texts is None:
            return None
    return Texts.per_row(pc.fill_null(texts, null) if texts.null_count else texts)


# A decimal text that is already its float's text: a point, no exponent, no leading zero, a last
# digit that is not 0, at least 1e-4 (Python writes smaller ones with an exponent) and at most
# 15 significant digits (at most 16 characters): the double nearest it reads back as it, no
# shorter text does (two texts of at most 15 digits never share a double), and Python writes
# those digits as they stand.
_FLOAT_TEXT = r"^-?(?:[1-9][0-9]*\.[0-9]*[1-9]|0\.0{0,3}[1-9](?:[0-9]*[1-9])?)$"
_FLOAT_TEXT_LONGEST = 16


def _decimal_texts(strings: pa.StringArray) -> pa.StringArray | None:
    """``number_text`` of each decimal text (null where missing): as it is where it is already
    its float's text (nearly every figure as submitted), else parsed and written by
    ``float_texts``; None when Arrow does not parse one."""
    as_is = pc.and_(
        pc.match_substring_regex(strings, _FLOAT_TEXT),
        pc.less_equal(pc.utf8_length(strings), _FLOAT_TEXT_LONGEST),
    )
    others = pc.invert(pc.fill_null(as_is, True))  # missing: stays null
    if not pc.any(others).as_py():
        return strings
    rest = strings.filter(others)
    try:
        parsed = pc.cast(rest, pa.float64())
    except pa.ArrowInvalid:
        return None
    pointless = ~pc.match_substring(rest, ".").to_numpy(zero_copy_only=False)
    texts = float_texts(parsed.to_numpy(zero_copy_only=False), pointless)
    return pc.replace_with_mask(strings, others, texts)


def arrow_strings(values: pd.Series, objects: bool = False) -> pa.StringArray | None:
    """A text column as an Arrow array (null where missing); None when it is not one, or holds
    a text Arrow cannot (a lone surrogate). ``objects``: a column of Python objects too, when
    every one is a text or missing."""
    try:
        if isinstance(values.dtype, pd.StringDtype):
            strings = pa.array(values.array)
        elif objects and values.dtype == object:
            strings = pa.array(values.to_numpy(), from_pandas=True)
            if strings.type == pa.null():
                strings = strings.cast(pa.string())
            if strings.type != pa.string():
                return None
        else:
            return None
    except (pa.ArrowException, UnicodeEncodeError):
        return None
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    return strings.cast(pa.string()) if strings.type != pa.string() else strings


# Python writes a float positionally from 1e-4 up to 1e16, and so does Arrow (the same shortest
# digits) from 1e-4 wherever its text has a point; an integral float Arrow writes as an int,
# without the ".0" Python adds, where its text has no exponent.
_POSITIONAL_FROM = 1e-4
_WHOLE_BELOW = 1e16  # a float below it that is integral: Python writes it as an int and ".0"


def float_texts(
    numbers: np.ndarray, pointless: np.ndarray | None, missing: np.ndarray | None = None
) -> pa.StringArray:
    """``float.__repr__`` of each number (no signed zero) or, where ``pointless`` (written
    without a point) and integral, its int text; null where ``missing``.

    Arrow writes the shortest digits that read back as the number, as Python does, so its text
    is taken where the layout is the same too (a point and no exponent, from 1e-4 on; an
    integral number's digits, with ".0" but where ``pointless``); Python writes the few others
    (exponents, integral numbers Arrow writes with one)."""
    numbers = numbers + 0.0  # no signed zero
    if missing is None:
        missing = np.zeros(len(numbers), dtype=bool)
    finite = np.isfinite(numbers) | missing
    if not finite.all():
        raise ValueError(f"a report has no number {numbers[~finite][0]!r}")
    size = np.abs(np.where(missing, 1.0, numbers))
    whole = (numbers == np.trunc(numbers)) & (size < _WHOLE_BELOW) & ~missing
    texts = pc.cast(pa.array(numbers, mask=missing if missing.any() else None), pa.string())
    # without an exponent, Arrow's text has a point exactly when the number is not integral
    exponent = _found(texts, "e")
    taken = ~exponent & (size >= _POSITIONAL_FROM) & ~whole & ~missing
    digits = whole & ~exponent  # Arrow's text of an integral float: its int text
    bare = size < 2**53
    if pointless is not None:
        bare &= pointless
    else:
        bare[:] = False
    pointed = digits & ~bare
    if pointed.any():
        mask = pa.array(pointed)
        with_point = pc.binary_join_element_wise(texts.filter(mask), ".0", "")
        texts = pc.replace_with_mask(texts, mask, with_point)
    others = ~taken & ~digits & ~missing
    if others.any():
        rows = np.flatnonzero(others)
        spelled = [
            int.__repr__(int(n)) if b else float.__repr__(n)
            for n, b in zip(numbers[rows].tolist(), (bare & whole)[rows].tolist(), strict=True)
        ]
        texts = pc.replace_with_mask(texts, pa.array(others), pa.array(spelled, pa.string()))
    return texts


def _found(texts: pa.StringArray, part: str) -> np.ndarray:
    """Which texts hold ``part`` (a null holds nothing); one look at all of them first."""
    if part.encode("utf-8") not in bytes(utf8_of(texts)):
        return np.zeros(len(texts), dtype=bool)
    found = pc.match_substring(texts, part)
    if found.null_count:
        found = pc.fill_null(found, False)
    return found.to_numpy(zero_copy_only=False)


def int_texts(distinct: pd.Index) -> list[str]:
    if distinct.dtype.kind in "iu" or isinstance(distinct.dtype, pd.Int64Dtype):
        # Arrow writes an int64 in decimal as Python does, in one pass
        numbers = pa.array(distinct.to_numpy(dtype=np.int64), pa.int64())
        texts: list[str] = pc.cast(numbers, pa.string()).to_pylist()
        return texts
    return [int.__repr__(int(v)) for v in distinct.tolist()]


_CSV_SPECIAL = re.compile('[,"\r\n]')


def csv_field(text: str) -> str:
    """A CSV field as the csv module writes it (minimal quoting, quotes doubled)."""
    if _CSV_SPECIAL.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'
