"""Raw tables → one canonical actuals table.

Whatever reader produced them, raw tables go through the same steps here, vectorised with
pandas (distinct values are resolved once, never row by row in Python):

1. map header names (English or Chinese) to canonical columns; a missing column is one problem;
2. resolve indicator and region spellings to ids;
3. parse years, numeric values (kept as their text too, for exact comparison) and milestone
   done/not-done values;
4. find each distinct unit's exact factor to the indicator's canonical unit;
5. refuse two different values for the same (indicator, region, year), naming both rows.

The canonical table's columns are listed in :data:`COLUMNS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from . import units
from .catalogue import Catalogue
from .catalogue.loader import did_you_mean
from .problems import InputError, Problem, short
from .readers import RawTable, ReadOptions, actuals_files, reader_for

HEADER_ALIASES = {
    "indicator": ("indicator", "指标", "指標", "indicator_id"),
    "region": ("region", "地区", "地區", "region_id", "地区代码"),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "数值", "數值", "值", "实际值"),
    "unit": ("unit", "单位", "單位"),
    "source": ("source", "来源", "來源", "数据来源"),
    "note": ("note", "备注", "備註", "说明"),
    "date": ("date", "完成日期", "日期"),
    "flag": ("flag", "标记", "標記", "flags"),
}
REQUIRED = ("indicator", "region", "year", "value", "unit")
OPTIONAL = ("source", "note", "date", "flag")
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
)

BLANK = {"", "—", "–", "-", "--", "n/a", "N/A", "NA", "na", "…", "...", "无数据"}
DONE_WORDS = {
    "是": True, "否": False, "完成": True, "未完成": False, "已完成": True, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "done": True, "not done": False, "y": True,
    "n": False, "已建成": True, "未建成": False, "達成": True, "完成了": True,
}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
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
        except InputError as err:
            problems.extend(err.problems)
            continue
        details[raw.file] = {"reader": reader.name, **({"encoding": raw.encoding} if raw.encoding else {}), **raw.details}
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
        raise InputError(problems)
    return Actuals(combined, [str(p) for p in files], details)


def canonicalise(raw: RawTable, catalogue: Catalogue) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One raw table → canonical rows, or None and the problems that stop it."""
    frame = raw.frame
    problems: list[Problem] = []

    def where(rows: Iterable[int], column: str) -> Iterable[dict[str, object]]:
        for r in rows:
            line = raw.line_of(r) if raw.line_of else None
            yield {
                "file": raw.file,
                "row": r,
                "line": line if line is not None else r + raw.header_rows,
                "field": column,
                "cell": raw.cell_of(r, column) if raw.cell_of else None,
            }

    renamed, missing = _map_header(list(frame.columns))
    if missing:
        return None, [
            Problem(
                "missing-column",
                f"required column '{name}' is missing (found: {', '.join(map(str, frame.columns)) or 'none'})",
                raw.file,
                line=1,
                field=name,
                hint=f"the header needs: {', '.join(REQUIRED)} (or 指标, 地区, 年份, 数值, 单位)",
            )
            for name in missing
        ]
    frame = frame.rename(columns=renamed)
    n = len(frame)
    out = pd.DataFrame(index=frame.index)
    for column in (*REQUIRED, *OPTIONAL):
        out[column] = frame[column].astype(str).str.strip() if column in frame.columns else ""
    out["row"] = np.arange(1, n + 1, dtype="int64")
    bad = np.zeros(n, dtype=bool)  # a row with one problem is not checked further

    # Names → ids, once per distinct spelling.
    indicator_lookup = {k: k for k in catalogue.indicators}
    for iid, ind in catalogue.indicators.items():
        indicator_lookup.setdefault(ind.name_zh, iid)
        indicator_lookup.setdefault(ind.name_en.casefold(), iid)
    region_lookup = catalogue.region_lookup()
    for column, lookup, known, kind in (
        ("indicator", indicator_lookup, sorted(catalogue.indicators), "unknown-indicator"),
        ("region", region_lookup, sorted(catalogue.regions), "unknown-region"),
    ):
        resolved = _resolve(out[column], lookup)
        unknown = resolved.isna() & ~bad
        for r, spot in zip(out.loc[unknown, "row"], where(out.loc[unknown, "row"], column)):
            text = out.at[r - 1, column]
            problems.append(
                Problem(
                    kind,
                    f"unknown {column} '{short(text)}'" if text else f"the {column} cell is empty",
                    value=text,
                    hint=did_you_mean(text, known) or f"use an id from the catalogue's {column}s (plancheck list)",
                    **spot,  # type: ignore[arg-type]
                )
            )
        bad |= unknown.to_numpy()
        out[column] = resolved

    # Years.
    year_ok = out["year"].str.fullmatch(r"\d{4}")
    for r, spot in zip(out.loc[~year_ok & ~bad, "row"], where(out.loc[~year_ok & ~bad, "row"], "year")):
        problems.append(Problem("type-error", f"'{short(out.at[r - 1, 'year'])}' is not a year", value=out.at[r - 1, "year"], hint="write a four-digit year, e.g. 2015", **spot))  # type: ignore[arg-type]
    bad |= ~year_ok.to_numpy()
    out["year"] = pd.to_numeric(out["year"].where(year_ok, "0")).astype("int64")

    # Values: numeric indicators take numbers, milestones take done / not done.
    kinds = out["indicator"].map({k: v.type for k, v in catalogue.indicators.items()})
    is_milestone = (kinds == "milestone").to_numpy()
    value_text = out["value"].str.replace(r"\s+", "", regex=True)
    blank = value_text.isin(BLANK).to_numpy()
    numeric_ok = value_text.str.fullmatch(_NUMBER).to_numpy()
    for r, spot in zip(
        out.loc[~is_milestone & ~blank & ~numeric_ok & ~bad, "row"],
        where(out.loc[~is_milestone & ~blank & ~numeric_ok & ~bad, "row"], "value"),
    ):
        cell = out.at[r - 1, "value"]
        problems.append(Problem("type-error", f"'{short(cell)}' is not a number", value=cell, hint="write a plain number such as 51.5 or 1200; leave the cell blank if there is no figure", **spot))  # type: ignore[arg-type]
    bad |= ~is_milestone & ~blank & ~numeric_ok
    done = value_text.str.casefold().map(DONE_WORDS)
    done_ok = done.notna().to_numpy()
    for r, spot in zip(
        out.loc[is_milestone & ~blank & ~done_ok & ~bad, "row"],
        where(out.loc[is_milestone & ~blank & ~done_ok & ~bad, "row"], "value"),
    ):
        cell = out.at[r - 1, "value"]
        problems.append(Problem("type-error", f"'{short(cell)}' is not done / not done", value=cell, hint="for a milestone write 是 or 否 (完成/未完成, yes/no, true/false, 1/0)", **spot))  # type: ignore[arg-type]
    bad |= is_milestone & ~blank & ~done_ok
    date_ok = (out["date"] == "") | out["date"].str.fullmatch(_DATE.pattern)
    for r, spot in zip(out.loc[~date_ok & ~bad, "row"], where(out.loc[~date_ok & ~bad, "row"], "date")):
        cell = out.at[r - 1, "date"]
        problems.append(Problem("type-error", f"'{short(cell)}' is not a date", value=cell, hint="write YYYY, YYYY-MM or YYYY-MM-DD", **spot))  # type: ignore[arg-type]
    bad |= ~date_ok.to_numpy()

    # Units: one exact factor per distinct (indicator, unit).
    canonical_unit = out["indicator"].map({k: v.unit for k, v in catalogue.indicators.items()})
    out["unit"] = out["unit"].where(out["unit"] != "", canonical_unit.fillna(""))
    factors: dict[tuple[str, str], float] = {}
    pairs = out.loc[~bad & ~is_milestone, ["indicator", "unit"]].drop_duplicates()
    unit_problem: dict[tuple[str, str], units.UnitError] = {}
    for iid, unit in pairs.itertuples(index=False):
        target_unit = catalogue.indicators[iid].unit or ""
        try:
            factors[(iid, unit)] = float(units.conversion_factor(unit, target_unit))
        except units.UnitError as err:
            unit_problem[(iid, unit)] = err
    if unit_problem:
        keys = pd.Series(list(zip(out["indicator"], out["unit"])), index=out.index)
        hit = keys.map(lambda k: k in unit_problem).to_numpy() & ~bad & ~is_milestone
        for r, spot in zip(out.loc[hit, "row"], where(out.loc[hit, "row"], "unit")):
            err = unit_problem[keys.at[r - 1]]
            iid = out.at[r - 1, "indicator"]
            problems.append(
                Problem(
                    err.kind,
                    f"{err}; indicator '{iid}' is measured in '{catalogue.indicators[iid].unit}'",
                    value=out.at[r - 1, "unit"],
                    hint="give the figure in a unit convertible to the indicator's unit",
                    **spot,  # type: ignore[arg-type]
                )
            )
        bad |= hit

    keep = ~bad & ~blank
    result = out.loc[keep].copy()
    result["value_text"] = np.where(is_milestone[keep], "", value_text[keep])
    result["done"] = pd.array(np.where(is_milestone[keep], done[keep].fillna(False), pd.NA), dtype="boolean")
    pair_keys = list(zip(result["indicator"], result["unit"]))
    result["factor"] = np.array([factors.get(k, np.nan) for k in pair_keys], dtype="float64") if len(result) else np.array([], dtype="float64")
    numbers = pd.to_numeric(result["value_text"].where(result["value_text"] != "", None), errors="coerce")
    result["value"] = numbers.to_numpy(dtype="float64") * result["factor"].to_numpy()
    result["file"] = raw.file
    return result[list(COLUMNS)].reset_index(drop=True), problems


def _map_header(columns: list[str]) -> tuple[dict[str, str], list[str]]:
    renamed: dict[str, str] = {}
    for column in columns:
        key = column.strip().casefold()
        for canonical, names in HEADER_ALIASES.items():
            if key in names and canonical not in renamed.values():
                renamed[column] = canonical
    missing = [c for c in REQUIRED if c not in renamed.values()]
    return renamed, missing


def _resolve(values: pd.Series, lookup: dict[str, str]) -> pd.Series:
    distinct = pd.unique(values)
    mapping = {v: lookup.get(v) or lookup.get(v.casefold()) for v in distinct}
    return values.map(mapping)


def _drop_duplicates(table: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Identical repeats are dropped; different values for one key are an error naming both rows."""
    if table.empty:
        return table, []
    key = ["indicator", "region", "year"]
    dup = table.duplicated(key, keep=False)
    if not dup.any():
        return table, []
    problems: list[Problem] = []
    repeated = table.loc[dup]
    for _, group in repeated.groupby(key, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = (
                (first["value_text"] != "" and _same_number(first, other))
                or (first["value_text"] == "" and first["done"] == other["done"] and first["date"] == other["date"])
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
    return table.drop_duplicates(key, keep="first").reset_index(drop=True), problems


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
