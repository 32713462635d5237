"""Result columns as text, column by column, for the formats that write every result (JSON, CSV).

A national report has 10^5+ results. Each column is factorised once and each of its distinct
values encoded once, by the field's kind (result_schema.py); the renderers then take the rows a
block at a time, spread the texts to the rows and join them into records with Arrow's string
kernels. Nothing is done per row in Python except nested data (progress inputs), which has no
distinct values to share.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..result_schema import ResultField, json_layout

# Records per chunk of output: a JSON block of 10,000 results is ~9 MB of text, enough for the
# string kernels to run at full speed and small beside the report itself.
BLOCK_ROWS = 10_000

Encoder = Callable[[pd.Index], list[str]]  # distinct values → their texts, in order


@dataclass(frozen=True)
class Texts:
    """A column as text: each distinct text once, and each row's index into them."""

    codes: np.ndarray  # one per row, a small integer type (a national report has 10^5+ rows)
    texts: pa.StringArray
    one_each: bool = False  # row i's text is text i (every value distinct, none missing: ids)

    def block(self, rows: slice) -> pa.StringArray:
        if self.one_each:  # a slice, no copy
            return self.texts.slice(rows.start, rows.stop - rows.start)
        return self.texts.take(pa.array(self.codes[rows]))


def blocks(rows: int) -> Iterator[slice]:
    """The row ranges of consecutive blocks of BLOCK_ROWS (none for no rows)."""
    size = BLOCK_ROWS
    for start in range(0, rows, size):
        yield slice(start, min(start + size, rows))


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
    """``when``'s text where ``mask`` holds, else ``otherwise``'s."""
    shift = len(otherwise.texts)
    texts = pa.concat_arrays([otherwise.texts, when.texts])
    codes = np.where(mask, when.codes.astype(np.int32) + shift, otherwise.codes)
    return Texts(codes.astype(np.int32), texts)


def joined(parts: Sequence[str | pa.StringArray]) -> pa.StringArray:
    """Element-wise concatenation of columns and literal texts (at least one column)."""
    merged: list[str | pa.StringArray] = []
    for part in parts:  # adjacent literals as one argument
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return pc.binary_join_element_wise(*merged, "")


def where(mask: np.ndarray, texts: pa.StringArray, otherwise: str) -> pa.StringArray:
    """``texts`` where ``mask`` holds, else the text ``otherwise``."""
    if mask.all():
        return texts
    return pc.if_else(pa.array(mask), texts, otherwise)


def text_of(strings: pa.StringArray, trim: int = 0) -> str:
    """The strings end to end as one text (one copy, from Arrow's buffer), less ``trim`` bytes
    at the end."""
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)
    start = int(offsets[strings.offset])
    end = int(offsets[strings.offset + len(strings)]) - trim
    data = strings.buffers()[2]
    if data is None or end <= start:
        return ""
    return str(memoryview(data)[start:end], "utf-8")


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
        return _float_texts(distinct.to_numpy(dtype=np.float64), None)
    if isinstance(distinct.dtype, pd.StringDtype) and len(distinct):  # decimal texts
        strings = pa.array(distinct.tolist(), pa.string())
        try:
            numbers = pc.cast(strings, pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # a spelling Arrow does not parse: Python's float() decides
            return [number_text(v) for v in distinct.tolist()]
        return _float_texts(numbers, ~pc.match_substring(strings, ".").to_numpy(False))
    return [number_text(v) for v in distinct.tolist()]


def _float_texts(numbers: np.ndarray, pointless: np.ndarray | None) -> list[str]:
    """Float texts; where ``pointless`` (written without a point) and integral, int texts."""
    numbers = numbers + 0.0  # no signed zero
    finite = np.isfinite(numbers)
    if not finite.all():
        raise ValueError(f"a report has no number {numbers[~finite][0]!r}")
    texts = list(map(float.__repr__, numbers.tolist()))
    if pointless is not None:
        whole = pointless & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 2**53)
        for index in np.flatnonzero(whole).tolist():
            texts[index] = int.__repr__(int(numbers[index]))
    return texts


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
