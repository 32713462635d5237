"""Raw tables → one canonical actuals table.

Whatever reader produced them, raw tables go through the same steps here, vectorised with
pandas (distinct values are resolved once, never row by row in Python):

0. a wide table (one column per year, as yearbooks print them) is melted to long first;
1. map header names (English or Chinese) to canonical columns; a missing column is one problem;
2. resolve indicator and region spellings to ids;
3. parse years, numeric values (kept as their text too, for exact comparison) and milestone
   done/not-done values; a cell may hold thousands separators, full-width digits, a sign, a
   percent sign or a unit (``2250万户``), and a 万/亿 magnitude;
4. find each distinct unit's exact factor to the indicator's canonical unit;
5. refuse two different values for the same (indicator, region, year), naming both rows.

The canonical table's columns are listed in :data:`COLUMNS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import keys, units
from .catalogue import Catalogue
from .problems import InputError, Problem, short
from .readers import RawTable, ReadOptions, actuals_files, reader_for
from .readers.vocabulary import HEADER_ALIASES, canonical_column, year_of_column

__all__ = ["COLUMNS", "HEADER_ALIASES", "Actuals", "canonicalise", "read_actuals", "to_long"]

REQUIRED = ("indicator", "region", "year", "value")
OPTIONAL = ("unit", "source", "note", "date", "flag")  # a missing unit column: the indicator's unit
COLUMNS = (
    "indicator",  # indicator id
    "region",  # region id
    "year",  # int
    "value_text",  # the value as written (numeric: cleaned of spaces), "" for milestones
    "unit",  # the unit as written (blank → the indicator's unit)
    "value",  # float64, in the indicator's canonical unit (NaN for milestones)
    "factor",  # float64 factor from `unit` to the canonical unit
    "done",  # milestones: True/False; numeric: NA
    "date",  # milestones: completion date as written (YYYY, YYYY-MM, YYYY-MM-DD) or ""
    "source",
    "note",
    "flag",
    "file",
    "row",  # 1-based data row in its file
    "key",  # int64 (indicator, region, year) key, numbered by the catalogue (see keys.py)
)

# "No figure", compared after spaces are removed, full-width forms made half-width, case folded.
BLANK = {"", "—", "——", "–", "―", "-", "--", "n/a", "na", "…", "...", "……", "无数据", "無數據", "/"}
DONE_WORDS = {
    "是": True, "否": False, "完成": True, "未完成": False, "已完成": True, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "done": True, "not done": False, "y": True,
    "n": False, "已建成": True, "未建成": False, "達成": True, "完成了": True, "已完成了": True,
}  # fmt: skip
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # ASCII digits only
# A cell with more than a plain number: sign, digits (with thousands commas), decimals, exponent,
# then an optional unit that starts with a non-digit (51.5%, 2250万户, 1,234.5 亿元, 15km2).
_CELL = (
    r"(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?P<frac>\.[0-9]+)?"
    r"(?P<exp>[eE][+-]?[0-9]+)?(?P<unit>[^\d.,+\-][^,]*)?"
)
# 万/亿 alone after a number scale it: "2250万" with unit 户 is 2250 万户.
MAGNITUDES = {"万", "萬", "亿", "億", "万亿", "萬億", "千万", "千萬", "百万", "百萬"}
# Full-width ASCII (Ｕ+FF01…FF5E) → ASCII, and the other dashes, spaces and signs clerks type.
_HALF_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)} | {
    0x3000: " ", 0x00A0: " ", 0x2212: "-", 0xFE63: "-", 0x3002: ".", 0xFE52: ".", 0x2030: "‰",
}  # fmt: skip
_DATE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?")


@dataclass
class Actuals:
    """The canonical actuals table, and what was read to build it."""

    table: pd.DataFrame
    files: list[str] = field(default_factory=list)
    details: dict[str, dict[str, str]] = field(default_factory=dict)  # file → encoding, delimiter …

    @property
    def latest_year(self) -> int | None:
        return int(self.table["year"].max()) if len(self.table) else None


def empty_table() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame["year"] = frame["year"].astype("int64")
    frame["row"] = frame["row"].astype("int64")
    frame["key"] = frame["key"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["factor"] = frame["factor"].astype("float64")
    return frame


ProgressCallback = Callable[[str, int, int], None]


def read_actuals(
    paths: list[Path],
    catalogue: Catalogue,
    options: ReadOptions | None = None,
    progress: ProgressCallback | None = None,
) -> Actuals:
    """Read every file under ``paths`` into one canonical table; raise InputError with all problems."""
    options = options or ReadOptions()
    problems: list[Problem] = []
    try:
        files = actuals_files(paths)
    except InputError as err:
        raise InputError(err.problems) from None
    tables: list[pd.DataFrame] = []
    details: dict[str, dict[str, str]] = {}
    for i, path in enumerate(files):
        if progress is not None:
            progress(str(path), i, len(files))
        reader = reader_for(path)
        assert reader is not None  # actuals_files only returns readable files
        try:
            raw = reader.read(path, str(path), options)
            raw, layout = to_long(raw)
        except InputError as err:
            problems.extend(err.problems)
            continue
        details[raw.file] = {
            "reader": reader.name,
            **({"encoding": raw.encoding} if raw.encoding else {}),
            **raw.details,
            "layout": layout,
        }
        table, found = canonicalise(raw, catalogue)
        problems.extend(found)
        if table is not None:
            tables.append(table)
    if progress is not None:
        progress("", len(files), len(files))
    combined = pd.concat(tables, ignore_index=True) if tables else empty_table()
    combined, found = _drop_duplicates(combined)
    problems.extend(found)
    if problems:
        # In file order, as a reader goes through them, whichever check found them.
        problems.sort(key=lambda p: (p.file or "", p.row or p.line or 0))
        raise InputError(problems)
    return Actuals(combined, [str(p) for p in files], details)


def to_long(raw: RawTable) -> tuple[RawTable, str]:
    """A wide table (one column per year) melted to long rows; a long table as it is.

    Told apart by the header: no year and value columns, but columns named like ``2015`` or
    ``2015年``. Each melted row remembers its file row and year column, so a problem in a wide
    file points at the cell that holds it. Empty year cells are left out.
    """
    columns = [str(c) for c in raw.frame.columns]
    named = {canonical_column(c) for c in columns}
    year_columns = [(j, year_of_column(c)) for j, c in enumerate(columns)]
    year_columns = [
        (j, y) for j, y in year_columns if y is not None and canonical_column(columns[j]) is None
    ]
    if "year" in named or "value" in named or not year_columns:
        return raw, "long"
    seen: dict[int | None, str] = {}
    problems = []
    for j, year in year_columns:
        if year in seen:
            problems.append(
                Problem(
                    "duplicate-column",
                    f"year {year} has two columns, '{seen[year]}' and '{columns[j]}'",
                    raw.file,
                    line=raw.header_rows or None,
                    field=columns[j],
                    hint="keep one column per year",
                )
            )
        seen[year] = columns[j]
    if problems:
        raise InputError(problems)
    frame = raw.frame
    n, k = len(frame), len(year_columns)
    year_idx = [j for j, _ in year_columns]
    id_idx = [j for j in range(len(columns)) if j not in set(year_idx)]
    # Row-major: row 1's years first, then row 2's …; repeat/tile below follow the same order.
    values = frame.iloc[:, year_idx].to_numpy(dtype=object).ravel()
    filled = pd.Series(values, dtype=object).fillna("").astype(str).str.strip().ne("").to_numpy()
    melted = {
        columns[j]: np.repeat(frame.iloc[:, j].to_numpy(dtype=object), k)[filled] for j in id_idx
    }
    melted["year"] = np.tile(np.array([str(y) for _, y in year_columns], dtype=object), n)[filled]
    melted["value"] = values[filled]
    long = pd.DataFrame(melted, columns=[*(columns[j] for j in id_idx), "year", "value"])
    rows = raw.source_rows if raw.source_rows is not None else np.arange(1, n + 1, dtype="int64")
    return (
        RawTable(
            raw.file,
            long,
            header_rows=raw.header_rows,
            encoding=raw.encoding,
            details=raw.details,
            line_of=raw.line_of,
            cell_of=raw.cell_of,
            has_lines=raw.has_lines,
            source_rows=np.repeat(rows, k)[filled],
            value_columns=np.tile(np.array([columns[j] for j in year_idx], dtype=object), n)[
                filled
            ],
        ),
        "wide",
    )


def canonicalise(raw: RawTable, catalogue: Catalogue) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One raw (long) table → canonical rows, or None and the problems that stop it."""
    frame = raw.frame
    problems: list[Problem] = []

    renamed, original, found = _map_header([str(c) for c in frame.columns], raw)
    if found:
        return None, found
    n = len(frame)
    file_rows = (
        raw.source_rows if raw.source_rows is not None else np.arange(1, n + 1, dtype="int64")
    )
    out = pd.DataFrame(index=pd.RangeIndex(n))
    absent = _empty_text(n)
    for column in (*REQUIRED, *OPTIONAL):
        j = renamed.get(column)
        # Text stays in Arrow: millions of Python strings would cost more than all the checks.
        out[column] = _text(frame.iloc[:, j]).array if j is not None else absent
    # The canonical columns are copies: the file's own frame is not needed any more.
    raw.frame = frame = frame.iloc[:0]
    # Rows with nothing in them (Excel leaves them, and ",,,," lines) are not data.
    empty = np.ones(n, dtype=bool)
    for column in renamed:
        empty &= (out[column] == "").to_numpy()
    if empty.any():
        out = out.loc[~empty].reset_index(drop=True)
        file_rows = file_rows[~empty]
    value_columns = raw.value_columns[~empty] if raw.value_columns is not None else None
    n = len(out)
    out["row"] = np.asarray(file_rows, dtype="int64")
    bad = np.zeros(n, dtype=bool)  # a row with one problem is not checked further

    def report(
        mask: np.ndarray, column: str, kind: str, message: str | Callable[[str], str], hint: str
    ) -> None:
        """One problem per row in ``mask`` (not already bad), at the cell of ``column``."""
        nonlocal bad
        hit = np.asarray(mask, dtype=bool) & ~bad
        for i in np.flatnonzero(hit)[:_MAX_PROBLEMS_PER_CHECK]:
            report_at(int(i), column, kind, message, hint)
        bad |= hit

    def report_at(
        i: int, column: str, kind: str, message: str | Callable[[str], str], hint: str
    ) -> None:
        """The problem in row ``i``'s cell of ``column`` (the caller marks the row bad)."""
        cell = out.at[i, column]
        row = int(out.at[i, "row"])
        name = original.get(column, column)
        if column == "value" and value_columns is not None:
            name = str(value_columns[i])
        line: int | None = None
        if raw.has_lines:
            line = raw.line_of(row) if raw.line_of is not None else None
            line = line if line is not None else row + raw.header_rows
        problems.append(
            Problem(
                kind,
                message if isinstance(message, str) else message(cell),
                raw.file,
                line=line,
                row=row,
                field=name,
                value=cell,
                hint=hint,
                cell=raw.cell_of(row, name) if raw.cell_of is not None else None,
            )
        )

    # Names → ids, once per distinct spelling.
    indicator_lookup = {k: k for k in catalogue.indicators}
    for iid, ind in catalogue.indicators.items():
        indicator_lookup.setdefault(ind.name_zh, iid)
        indicator_lookup.setdefault(ind.name_en.casefold(), iid)
    region_lookup = catalogue.region_lookup()
    numbers: dict[str, np.ndarray] = {}  # each row's indicator / region number in the catalogue
    for column, lookup, kind, numbering in (
        ("indicator", indicator_lookup, "unknown-indicator", list(catalogue.indicators)),
        ("region", region_lookup, "unknown-region", list(catalogue.regions)),
    ):
        resolved, numbers[column] = _resolve(out[column], lookup, numbering)
        unknown = numbers[column] < 0
        suggestions: dict[str, str] = {}  # once per distinct spelling reported
        for i in np.flatnonzero(unknown & ~bad)[:_MAX_PROBLEMS_PER_CHECK]:
            text = out.at[i, column]
            if text not in suggestions:
                suggestions[text] = _suggest(text, lookup, column)
            report_at(
                int(i),
                column,
                kind,
                f"unknown {column} '{short(text)}'" if text else f"the {column} cell is empty",
                suggestions[text],
            )
        bad |= unknown
        out[column] = resolved

    # Years: 2015, ２０１５, 2015年, 2015.0.
    year_text = out["year"]
    year_ok = np.array(year_text.str.fullmatch(r"[0-9]{4}"), dtype=bool)
    if not year_ok.all():  # only the few years written otherwise take the slow path
        other_years = (
            year_text[~year_ok]
            .str.translate(_HALF_WIDTH)
            .str.replace(r"\s+", "", regex=True)
            .str.replace(r"(?:\.0+)?(?:年度?)?$", "", regex=True)
        )
        year_text = year_text.copy()
        year_text[~year_ok] = other_years
        year_ok = np.array(year_text.str.fullmatch(r"[0-9]{4}"), dtype=bool)
    report(
        ~year_ok,
        "year",
        "type-error",
        lambda c: f"'{short(c)}' is not a year",
        "write a four-digit year, e.g. 2015",
    )
    out["year"] = _floats(year_text.where(year_ok, "0")).astype("int64")

    # Values: numeric indicators take numbers, milestones take done / not done.
    indicators = list(catalogue.indicators.values())
    is_milestone = _by_number(numbers["indicator"], [i.type == "milestone" for i in indicators])
    is_milestone = is_milestone.astype(bool)
    value = out["value"]
    plain = np.array(value.str.fullmatch(_NUMBER), dtype=bool)
    value_text = value.where(plain, "")
    cell_unit = pd.Series("", index=out.index, dtype=object)
    blank = np.zeros(n, dtype=bool)
    other = ~plain
    if other.any():  # the few cells that need more than a plain number: parsed apart
        cleaned, parsed = _parse_cells(value[other])
        blank[other] = cleaned.str.lower().isin(BLANK).to_numpy()
        has_digits = ((parsed["int"] != "") | (parsed["frac"] != "")).to_numpy(dtype=bool)
        integer = parsed["int"].str.replace(",", "", regex=False)
        number = parsed["sign"] + integer.where(integer != "", "0") + parsed["frac"] + parsed["exp"]
        unit_in_cell = parsed["unit"]
        known = {
            u: u in MAGNITUDES or units.is_known(u)
            for u in pd.unique(unit_in_cell[has_digits])
            if u
        }
        unit_ok = (
            (unit_in_cell == "") | unit_in_cell.isin([u for u, k in known.items() if k])
        ).to_numpy(dtype=bool)
        ok = has_digits & unit_ok
        idx = np.flatnonzero(other)
        value_text.iloc[idx[ok]] = number[ok].to_numpy()
        cell_unit.iloc[idx[ok]] = unit_in_cell[ok].to_numpy()
        plain[idx[ok]] = True
    report(
        ~is_milestone & ~blank & ~plain,
        "value",
        "type-error",
        lambda c: f"'{short(c)}' is not a number",
        "expected a number, optionally with a unit: 51.5, 1,234.5, -3, 51.5%, 2250万户;"
        " leave the cell blank (or write —) when there is no figure",
    )
    done = pd.Series(np.nan, index=out.index, dtype=object)
    if is_milestone.any():
        milestone_text = _map_distinct(
            value[is_milestone], lambda v: v.translate(_HALF_WIDTH).strip().casefold()
        )
        done[is_milestone] = _map_distinct(milestone_text, DONE_WORDS).to_numpy()
        blank[is_milestone] |= milestone_text.isin(BLANK).to_numpy()
    report(
        is_milestone & ~blank & done.isna().to_numpy(),
        "value",
        "type-error",
        lambda c: f"'{short(c)}' is not done / not done",
        "for a milestone write 是 or 否 (完成/未完成, yes/no, true/false, 1/0)",
    )
    date_ok = ((out["date"] == "") | out["date"].str.fullmatch(_DATE.pattern)).to_numpy(dtype=bool)
    report(
        ~date_ok,
        "date",
        "type-error",
        lambda c: f"'{short(c)}' is not a date",
        "write YYYY, YYYY-MM or YYYY-MM-DD",
    )

    # Units: the unit column, a unit written in the cell, or (both blank) the indicator's own.
    canonical_unit = pd.Series(
        _by_number(numbers["indicator"], [i.unit or "" for i in indicators], ""), dtype=object
    )
    column_unit = out["unit"]
    has_cell_unit = (cell_unit != "").to_numpy() & ~is_milestone
    unit = column_unit.where(column_unit != "", canonical_unit)
    if has_cell_unit.any():
        pairs = pd.DataFrame(
            {
                "cell": cell_unit[has_cell_unit],
                "column": column_unit[has_cell_unit],
                "base": unit[has_cell_unit],
            }
        )
        distinct = pairs.drop_duplicates().astype(object)
        distinct["chosen"] = [_combine_units(*t) for t in distinct.itertuples(index=False)]
        chosen = pairs.astype(object).merge(distinct, how="left", on=["cell", "column", "base"])[
            "chosen"
        ]
        chosen.index = pairs.index
        conflict = np.zeros(n, dtype=bool)
        conflict[np.flatnonzero(has_cell_unit)[chosen.isna().to_numpy()]] = True
        for i in np.flatnonzero(conflict & ~bad)[:_MAX_PROBLEMS_PER_CHECK]:
            report_at(
                int(i),
                "value",
                "unit-conflict",
                f"the cell '{short(out.at[i, 'value'])}' gives the unit '{cell_unit.iat[i]}'"
                f" but the unit column says '{column_unit.iat[i]}'",
                "write the unit in one place only, or make the cell and the unit column agree",
            )
        bad |= conflict
        unit = unit.copy()
        ok_rows = np.flatnonzero(has_cell_unit)[chosen.notna().to_numpy()]
        unit.iloc[ok_rows] = chosen.dropna().to_numpy()
    out["unit"] = unit

    # One conversion factor per distinct (indicator, unit) pair, spread to rows by code.
    numeric_rows = ~bad & ~is_milestone & ~blank
    indicator_ids = list(catalogue.indicators)
    unit_code, unit_texts = pd.factorize(out["unit"])
    pair_code = numbers["indicator"] * max(len(unit_texts), 1) + unit_code
    pair_of_row, pairs = pd.factorize(pair_code[numeric_rows])
    pair_factor = np.full(len(pairs), np.nan)
    unit_problem: dict[int, units.UnitError] = {}
    for k, code in enumerate(pairs):
        iid, unit_text = indicator_ids[code // len(unit_texts)], unit_texts[code % len(unit_texts)]
        try:
            target_unit = catalogue.indicators[iid].unit or ""
            pair_factor[k] = float(units.conversion_factor(unit_text, target_unit))
        except units.UnitError as err:
            unit_problem[int(code)] = err
    row_factor = np.full(n, np.nan)
    row_factor[numeric_rows] = pair_factor[pair_of_row]
    for code, error in unit_problem.items():
        iid = indicator_ids[code // len(unit_texts)]
        hit = numeric_rows & (pair_code == code)
        measured = catalogue.indicators[iid].unit
        where_unit = "unit" if "unit" in renamed else "value"
        report(
            hit,
            where_unit,
            error.kind,
            f"{error}; indicator '{iid}' is measured in '{measured}'",
            "give the figure in a unit convertible to the indicator's unit",
        )

    keep = ~bad & ~blank
    if not keep.any():
        return empty_table(), problems
    result = out if keep.all() else out.loc[keep].copy()
    milestone_kept = is_milestone[keep]
    result["value_text"] = value_text[keep].where(
        pd.Series(~milestone_kept, index=result.index), ""
    )
    flags = pd.array(np.full(len(result), pd.NA), dtype="boolean")
    if milestone_kept.any():
        flags[milestone_kept] = done.to_numpy()[keep][milestone_kept].astype(bool)
    result["done"] = flags
    result["factor"] = row_factor[keep]
    result["key"] = keys.row_keys(
        numbers["indicator"][keep],
        numbers["region"][keep],
        result["year"].to_numpy(),
        len(catalogue.regions),
    )
    result["value"] = _floats(result["value_text"]) * result["factor"].to_numpy()
    # One name for millions of rows: a categorical holds it once.
    result["file"] = pd.Categorical.from_codes(
        np.zeros(len(result), dtype="int8"), categories=pd.Index([raw.file])
    )
    return result[list(COLUMNS)].reset_index(drop=True), problems


_MAX_PROBLEMS_PER_CHECK = 1000


def _parse_cells(cells: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Cells → (cleaned text, its parts: sign, int, frac, exp, unit; "" where absent), in Arrow.

    Cleaning: NFKC (full-width digits and punctuation → ASCII, ㎞ → km), other minus signs and the
    ideographic full stop → ASCII, all spaces removed. A cell that is no number has empty parts.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pc.utf8_normalize(pa.array(cells, pa.string()), "NFKC")
    for old, new in (("\u2212", "-"), ("\u3002", ".")):
        array = pc.replace_substring(array, old, new)
    array = pc.replace_substring_regex(array, r"\s+", "")
    parts = pc.extract_regex(array, f"^{_CELL}$")

    def series(column: pa.Array) -> pd.Series:
        result = pc.fill_null(column, "").to_pandas()
        result.index = cells.index
        return result

    names = ("sign", "int", "frac", "exp", "unit")
    frame = pd.DataFrame({name: series(pc.struct_field(parts, name)) for name in names})
    return series(array), frame


def _floats(text: pd.Series) -> np.ndarray:
    """Checked number text → float64 (NaN for ""), in Arrow when it can."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array(text, pa.string())
        cast = pc.cast(pc.if_else(pc.equal(array, ""), None, array), pa.float64())
        return np.asarray(cast.to_numpy(zero_copy_only=False), dtype="float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
        return np.asarray(numbers.to_numpy(dtype="float64"), dtype="float64")


def _text(column: pd.Series) -> pd.Series:
    """A column as stripped text, ``""`` for missing cells."""
    if not isinstance(column.dtype, pd.StringDtype):  # Arrow-backed text stays in Arrow
        column = column.astype(object).where(column.notna(), "").astype("str")
    column = column.fillna("")
    # Stripping copies the column; most cells have nothing to strip, so look first.
    padded = column.str[:1].str.isspace() | column.str[-1:].str.isspace()
    if not padded.to_numpy(dtype=bool, na_value=False).any():
        return column
    return column.str.strip()


def _empty_text(n: int) -> pd.api.extensions.ExtensionArray:
    """``n`` empty strings in Arrow (offsets only), for a column the file does not have."""
    import pyarrow as pa

    return pd.array(pa.nulls(n, pa.string()).fill_null(""), dtype="str")


def _combine_units(cell: str, column: str, base: str) -> str | None:
    """The unit of a cell that carries one: None when it conflicts with the unit column."""
    if cell in MAGNITUDES:
        return cell + base
    if column == "" or units.normalise(cell) == units.normalise(column):
        return cell if column == "" else column
    try:  # 67个 in a 处 column is the same measure; 2250万户 in a 户 column is ambiguous
        return column if units.conversion_factor(cell, column) == 1 else None
    except units.UnitError:
        return None


def _map_header(
    columns: list[str], raw: RawTable
) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Canonical column → its position, canonical → the header as written, and header problems."""
    renamed: dict[str, int] = {}
    original: dict[str, str] = {}
    problems: list[Problem] = []
    line = raw.header_rows if raw.has_lines and raw.header_rows else None
    for j, column in enumerate(columns):
        canonical = canonical_column(column)
        if canonical is None:
            continue
        if canonical in renamed:
            problems.append(
                Problem(
                    "duplicate-column",
                    f"columns '{original[canonical]}' and '{column}' both give the {canonical}",
                    raw.file,
                    line=line,
                    field=column,
                    value=column,
                    hint="keep one of them, or rename the other",
                )
            )
            continue
        renamed[canonical] = j
        original[canonical] = column
    for name in REQUIRED:
        if name not in renamed:
            problems.append(
                Problem(
                    "missing-column",
                    f"required column '{name}' is missing (found: {', '.join(map(str, columns)) or 'none'})",
                    raw.file,
                    line=line,
                    field=name,
                    hint="the header needs indicator, region, year, value (and unit), or 指标, 地区, 年份,"
                    " 数值, 单位; a yearbook table needs indicator, region and one column per year",
                )
            )
    return renamed, original, problems


def _resolve(
    values: pd.Series, lookup: dict[str, str], numbering: list[str]
) -> tuple[pd.Series, np.ndarray]:
    """Spellings → ids ("" where unknown) and the ids' catalogue numbers (-1 where unknown)."""
    codes, distinct = pd.factorize(values)
    number_of = {iid: i for i, iid in enumerate(numbering)}
    ids = [lookup.get(v) or lookup.get(v.casefold()) or "" for v in distinct.tolist()]
    id_array = np.array([*ids, ""], dtype=object)  # code -1: a missing cell
    number_array = np.array([number_of.get(i, -1) for i in ids] + [-1], dtype="int64")
    return pd.Series(id_array[codes], index=values.index, dtype=object), number_array[codes]


def _by_number(numbers: np.ndarray, values: list[Any], default: Any = False) -> np.ndarray:
    """``values[number]`` for each row's catalogue number (``default`` for -1)."""
    table = np.empty(len(values) + 1, dtype=object)
    table[:-1] = values
    table[-1] = default
    return table[numbers]


def _map_distinct(
    values: pd.Series, mapping: Mapping[str, Any] | Callable[[str], Any]
) -> pd.Series:
    """``values`` mapped through ``mapping`` (None where it has no entry), once per distinct value.

    Series.map on millions of Arrow strings makes a Python string of every cell; factorizing
    first touches each distinct spelling once.
    """
    codes, distinct = pd.factorize(values)
    get = mapping.get if isinstance(mapping, Mapping) else mapping
    mapped = np.empty(len(distinct) + 1, dtype=object)
    mapped[:-1] = [get(v) for v in distinct]
    mapped[-1] = None  # code -1: a missing cell
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def _suggest(text: str, lookup: dict[str, str], column: str) -> str:
    """'did you mean …' from every spelling the catalogue knows, naming the id each stands for."""
    import difflib

    if text:
        close = difflib.get_close_matches(text, list(lookup), n=3, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(text.casefold(), list(lookup), n=3, cutoff=0.6)
        shown: list[str] = []
        ids: set[str] = set()
        for name in close:
            if lookup[name] not in ids:
                ids.add(lookup[name])
                shown.append(f"'{name}'" if lookup[name] == name else f"'{name}' ({lookup[name]})")
        if shown:
            return f"did you mean {', '.join(shown)}?"
    return f"use an id or name from the catalogue's {column}s (plancheck list)"


def _drop_duplicates(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Identical repeats are dropped; different values for one key are an error naming both rows."""
    if table.empty:
        return table, []
    key = ["indicator", "region", "year"]
    dup = table.duplicated("key", keep=False)
    if not dup.any():
        return table, []
    problems: list[Problem] = []
    repeated = table.loc[dup]
    for _, group in repeated.groupby(key, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = (first["value_text"] != "" and _same_number(first, other)) or (
                first["value_text"] == ""
                and first["done"] == other["done"]
                and first["date"] == other["date"]
            )
            if same:
                continue
            problems.append(
                Problem(
                    "conflicting-actuals",
                    f"two different values for {first['indicator']} / {first['region']} / {first['year']}: "
                    f"'{_shown(first)}' at {first['file']} row {first['row']} and '{_shown(other)}' at {other['file']} row {other['row']}",
                    other["file"],
                    row=int(other["row"]),
                    line=int(other["row"]) + 1,
                    field="value",
                    value=_shown(other),
                    hint="keep one row per indicator, region and year",
                )
            )
    return table.drop_duplicates("key", keep="first").reset_index(drop=True), problems


def _same_number(a: pd.Series, b: pd.Series) -> bool:
    if b["value_text"] == "":
        return False
    from decimal import Decimal

    exact_a = Fraction(Decimal(a["value_text"])) * Fraction(a["factor"])
    exact_b = Fraction(Decimal(b["value_text"])) * Fraction(b["factor"])
    return exact_a == exact_b


def _shown(row: pd.Series) -> str:
    if row["value_text"]:
        return f"{row['value_text']} {row['unit']}".strip()
    return ("done" if row["done"] else "not done") + (f" {row['date']}" if row["date"] else "")
