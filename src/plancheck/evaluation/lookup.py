"""Finding the actual row for each target by an integer key instead of a join on three text columns.

At national scale the actuals hold millions of rows; a pandas merge on (indicator, region, year)
hashes every text cell of both sides on every join. Here each row is numbered once by the
catalogue's order of indicators and regions, so a lookup is one hash of 64-bit integers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import keys
from ..catalogue import Catalogue

_YEARS = keys.YEARS


class PairNumbers:
    """Each (indicator, region) as one integer, by the catalogue's order of both (as the
    readers number the actuals' rows): needs the catalogue only, not the actuals."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.indicator_no = {iid: i for i, iid in enumerate(catalogue.indicators)}
        self.region_no = {rid: i for i, rid in enumerate(catalogue.regions)}

    def __call__(self, indicators: pd.Series, regions: pd.Series) -> np.ndarray:
        """One integer per (indicator, region); -1 where either is unknown to the catalogue."""
        indicator = _numbers(indicators, self.indicator_no)
        region = _numbers(regions, self.region_no)
        return keys.pair_keys(indicator, region, len(self.region_no))


class ActualsIndex:
    """Row positions in one canonical actuals table, by (indicator, region, year)."""

    def __init__(self, table: pd.DataFrame, catalogue: Catalogue) -> None:
        self.table = table.reset_index(drop=True)  # positions are labels (see rows())
        self.pair_keys = PairNumbers(catalogue)  # one integer per (indicator, region)
        self._indicator_no = self.pair_keys.indicator_no
        self._region_no = self.pair_keys.region_no
        # The readers number each row's (indicator, region, year) by this catalogue's order.
        row_keys = self.table["key"].to_numpy(dtype="int64")
        self._pairs, self._years = np.divmod(row_keys, _YEARS)  # one pass for both
        pairs = max(len(self._indicator_no), 1) * max(len(self._region_no), 1)
        self._slots = _Slots.of(self._pairs, self._years, pairs)
        if self._slots is not None:
            return
        index = pd.Index(row_keys)
        # The readers drop repeated (indicator, region, year) rows; should one remain, its first
        # row is the one found (as a left join's first match would be).
        self._first = np.flatnonzero(~index.duplicated()) if not index.is_unique else None
        self._rows = index if self._first is None else index[self._first]
        # Its hash table built now, not on a first lookup: the methods may look up rows from
        # two threads at once (evaluation._checked), and pandas fills it without a lock.
        self._rows.get_indexer(self._rows[:1])

    def find(self, indicators: pd.Series, regions: pd.Series, years: np.ndarray) -> np.ndarray:
        """The position of each (indicator, region, year)'s row, -1 where none was submitted."""
        return self.find_pairs(self.pair_keys(indicators, regions), years)

    def find_pairs(self, pairs: np.ndarray, years: np.ndarray) -> np.ndarray:
        """The same for (indicator, region) pairs numbered by :meth:`pair_keys`."""
        pairs = np.asarray(pairs, dtype="int64")
        wanted = pairs * _YEARS + np.asarray(years, dtype="int64")
        return np.where(pairs < 0, -1, self._positions(wanted))

    def latest(
        self,
        indicators: pd.Series,
        regions: pd.Series,
        as_of: int,
        usable: np.ndarray | None = None,
    ) -> np.ndarray:
        """The position of each pair's latest row up to ``as_of`` (among ``usable`` rows), or -1."""
        return self.latest_pairs(self.pair_keys(indicators, regions), as_of, usable)

    def latest_pairs(
        self, pairs: np.ndarray, as_of: int, usable: np.ndarray | None = None
    ) -> np.ndarray:
        """The same for (indicator, region) pairs numbered by :meth:`pair_keys`."""
        pairs = np.asarray(pairs, dtype="int64")
        wanted = (self._years <= as_of) & np.isin(self._pairs, pairs[pairs >= 0])
        if usable is not None:
            wanted &= usable
        candidates = np.flatnonzero(wanted)
        # Within a pair the key grows with the year, so the pair's largest key is its latest row.
        candidate_keys = pd.Series(self._pairs[candidates] * _YEARS + self._years[candidates])
        latest_key = candidate_keys.groupby(self._pairs[candidates]).max()
        wanted_keys = latest_key.reindex(pairs).to_numpy(dtype="float64")
        found = np.full(len(pairs), -1, dtype="int64")
        has = ~np.isnan(wanted_keys)
        found[has] = self._positions(wanted_keys[has].astype("int64"))
        return found

    @property
    def slots(self) -> _Slots | None:
        """The dense slots (one per pair and year of the table's years), None when the table
        does not fill them densely or a key repeats (then the hash index finds rows)."""
        return self._slots

    def _positions(self, wanted: np.ndarray) -> np.ndarray:
        if self._slots is not None:
            return self._slots.find(wanted)
        found = self._rows.get_indexer(wanted)
        if self._first is None:
            return found
        return np.where(found < 0, -1, self._first[found])

    def rows(
        self, positions: np.ndarray, index: pd.Index, columns: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The table's rows at ``positions`` (all-missing where -1), indexed by ``index``.

        ``columns`` (default: all) picks the columns wanted: at national scale each text column
        taken is a gather over Arrow strings, and a method needs a few of the 18.
        """
        table = self.table if columns is None else self.table[list(columns)]
        picked = table.reindex(pd.Index(positions))  # -1 is no label: a row of NaN
        picked.index = index
        return picked


class _Slots:
    """Row positions in a dense array, one slot per (pair, year) of the table's years: a lookup
    is an index, with no hash table over millions of keys to build. Used when the table fills
    enough of it (a national table) and no key repeats."""

    DENSITY = 4  # at most this many slots per row

    def __init__(self, positions: np.ndarray, first_year: int, span: int) -> None:
        self.positions, self.first_year, self.span = positions, first_year, span

    @classmethod
    def of(cls, pairs: np.ndarray, years: np.ndarray, pair_count: int) -> _Slots | None:
        known = pairs >= 0
        if not len(pairs) or not known.all():
            return None
        first_year = int(years.min())
        span = int(years.max()) - first_year + 1
        if pair_count * span > cls.DENSITY * len(pairs) or int(pairs.max()) >= pair_count:
            return None
        slot = pairs * span + (years - first_year)
        # int32: half the memory of int64 for a table of fewer than 2^31 rows.
        kind = "int32" if len(slot) < 2**31 else "int64"
        positions = np.full(pair_count * span, -1, dtype=kind)
        positions[slot] = np.arange(len(slot), dtype=kind)
        if (positions >= 0).sum() != len(slot):  # a key repeated: the hash index finds its first
            return None
        return cls(positions, first_year, span)

    def find(self, wanted: np.ndarray) -> np.ndarray:
        """The row of each key, -1 where none."""
        wanted = np.asarray(wanted, dtype="int64")
        pair, year = wanted // _YEARS, wanted % _YEARS - self.first_year
        inside = (wanted >= 0) & (year >= 0) & (year < self.span)
        slot = np.where(inside, pair * self.span + year, 0)
        inside &= slot < len(self.positions)
        return np.where(inside, self.positions[np.where(inside, slot, 0)], -1).astype("int64")


def rows_by_file_row(
    table: pd.DataFrame, files: pd.Series, rows: pd.Series, row_keys: np.ndarray | None = None
) -> np.ndarray:
    """The position in ``table`` of each (file, row); -1 where none.

    A wide sheet (years, indicators or regions across) makes several table rows of one
    (file, row): ``row_keys`` (each result's (indicator, region, year) key, -1 if unknown) then
    chooses among them, so a result points at its own cell, not the row's first; without a
    match, or without keys, the first is taken.
    """
    column = table["file"]
    if isinstance(column.dtype, pd.CategoricalDtype):  # one file: codes come free
        codes, names = column.cat.codes.to_numpy(dtype="int64"), column.cat.categories
    else:
        codes, names = pd.factorize(column)
    # The few files named, each looked up once.
    named, file_names = pd.factorize(files)
    known = pd.Index(np.asarray(names, dtype=object).astype(str)).get_indexer(
        np.asarray(file_names, dtype=object)
    )
    wanted_code = np.append(known, -1)[named]  # a missing file (-1): none
    table_rows = table["row"].to_numpy(dtype="int64")
    span = int(table_rows.max(initial=0)) + 2  # (file, row) → code × span + row, one int64
    keys = codes.astype("int64") * span + table_rows
    wanted_row = rows.to_numpy(dtype="float64", na_value=np.nan)
    usable = (wanted_code >= 0) & (wanted_row >= 0) & (wanted_row < span)  # NaN is neither
    wanted = np.where(usable, wanted_code * span + np.nan_to_num(wanted_row).astype("int64"), -1)
    in_order = len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all())
    repeated = not in_order or (len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()))
    table_keys = keys
    if not in_order:
        # Not in (file, row) order: the first row of each key, sorted once.
        keys, first = np.unique(keys, return_index=True)
    else:
        first = np.arange(len(keys))
    # Sought in ascending order, each search starts where the last ended (and stays in cache).
    order = np.argsort(wanted, kind="stable")
    at = np.empty(len(wanted), dtype="int64")
    at[order] = np.searchsorted(keys, wanted[order], side="left")
    inside = np.minimum(at, max(len(keys) - 1, 0))
    hit = usable & (at < len(keys)) & (keys[inside] == wanted) if len(keys) else usable & False
    found = np.where(hit, first[inside], -1)
    if row_keys is not None and repeated and "key" in table.columns:
        found = _own_rows(table["key"].to_numpy(dtype="int64"), table_keys, found, wanted, row_keys)
    return found


def _own_rows(
    table_row_keys: np.ndarray,
    file_rows: np.ndarray,
    found: np.ndarray,
    wanted_file_rows: np.ndarray,
    wanted_keys: np.ndarray,
) -> np.ndarray:
    """``found``, moved to the row of the same (file, row) whose key is the result's own."""
    wanted_keys = np.asarray(wanted_keys, dtype="int64")
    other = (found >= 0) & (wanted_keys >= 0)
    other[other] = table_row_keys[found[other]] != wanted_keys[other]
    if not other.any():
        return found
    both = pd.MultiIndex.from_arrays([file_rows, table_row_keys])
    kept = ~both.duplicated()
    sought = pd.MultiIndex.from_arrays([wanted_file_rows[other], wanted_keys[other]])
    at = both[kept].get_indexer(sought)
    moved = found.copy()
    moved[np.flatnonzero(other)[at >= 0]] = np.flatnonzero(kept)[at[at >= 0]]
    return moved


def _numbers(values: pd.Series, numbering: dict[str, int]) -> np.ndarray:
    """Each value's number, -1 when it has none; computed once per distinct value."""
    codes, distinct = pd.factorize(values)
    names = distinct.tolist()  # Python strings: iterating an Arrow-backed index is slower
    numbers = np.array([numbering.get(v, -1) for v in names] + [-1], dtype="int64")
    return numbers[codes]
