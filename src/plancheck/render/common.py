"""Pieces every human-readable renderer shares: cell texts, the summary, each target's outcome.

All pure and language-aware (words come from :mod:`.i18n`); no renderer formats these itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from numbers import Number
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import STATUSES, Report
from .i18n import status_word, t
from .options import RenderOptions


def blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def blanks(values: pd.Series) -> Any:
    """:func:`blank` of each value: for text and float columns pandas' own missing mask (in a
    text column a missing value is read as NaN; in a float column NaN is what is missing),
    value by value for anything else (a NaT, say, is not blank)."""
    if isinstance(values.dtype, pd.StringDtype) or values.dtype.kind == "f":
        return values.isna().to_numpy(dtype=bool)
    return values.map(blank, na_action=None).to_numpy(dtype=bool)


def texts(values: pd.Series) -> Any:
    """``str`` of each value as an object array: a text column with none missing as it is
    (285,000 distinct target ids need no look for repeats), anything else once per value."""
    if isinstance(values.dtype, pd.StringDtype) and not values.isna().any():
        return values.to_numpy(dtype=object)
    return per_value(values, str)


def text(value: Any) -> str:
    return "" if blank(value) else str(value)


# One result as the scalar texts below read it: a row of the frame, or a dict of some of its
# columns (what :func:`per_distinct` passes).
Row = Mapping[str, Any] | pd.Series


def year_text(row: Row) -> str:
    if blank(row["year"]):
        return "—"
    flag = row.get("year_approximate")
    approximate = "~" if not blank(flag) and bool(flag) else ""  # 到2020年左右: about that year
    return f"{int(row['year'])}{'*' if row['year_inferred'] else ''}{approximate}"


# The observation flag of a figure that stands in for a real one (a demonstration series, a
# placeholder until the figure is submitted): shown with the figure in every format, noted
# under human-readable reports and marked in the HTML report.
ILLUSTRATIVE = "illustrative"


def is_illustrative(flag: Any) -> bool:
    return not blank(flag) and ILLUSTRATIVE in (f.strip() for f in str(flag).split(","))


def any_illustrative(results: pd.DataFrame) -> bool:
    """Whether a result shown is judged on an illustrative figure."""
    return "flag" in results and bool(results["flag"].map(is_illustrative).any())


def approximate_years(results: pd.DataFrame) -> bool:
    """Whether any deadline shown is only "about" its year (a plan horizon of 到…年左右)."""
    return "year_approximate" in results and bool(
        results["year_approximate"].fillna(False).astype(bool).any()
    )


def gap_text(value: Any) -> str:
    if blank(value):
        return ""
    return f"{float(value):+,.10g}"


def target_text(row: Row, lang: str = "en") -> str:
    if row["kind"] == "milestone":
        stage = row.get("stage")
        if blank(stage):
            text = t(lang, "milestone.by_deadline" if not blank(row["year"]) else "milestone.done")
        elif blank(row["year"]):
            text = t(lang, f"stage.{stage}")
        else:
            text = t(lang, "milestone.stage_by_deadline").format(stage=t(lang, f"stage.{stage}"))
        # A process commitment (推动建立, 积极参与 …): the plan promised to try.
        effort = row.get("effort")
        return f"{text} ({t(lang, 'effort')})" if not blank(effort) and bool(effort) else text
    if row["comparator"] == "between":
        return f"{row['target_value']}–{row['target_value_max']} {row['target_unit']}"
    if row["comparator"] == "range":  # a planned range, met at its near end
        lower = row.get("direction") == "lower_is_better"
        near = f"≤ {row['target_value_max']}" if lower else f"≥ {row['target_value']}"
        return f"{near} ({row['target_value']}–{row['target_value_max']}) {row['target_unit']}"
    if row["comparator"] == "about":  # 左右 / 约
        return f"≈ {row['target_value']} {row['target_unit']}"
    return f"{row['comparator']} {row['target_value']} {row['target_unit']}"


def actual_text(row: Row, lang: str = "en") -> str:
    if blank(row["actual_value"]):
        return "—"
    if row["kind"] == "milestone":
        word = (
            t(lang, f"actual.{row['actual_value']}")
            if row["actual_value"] in ("done", "not done")
            else row["actual_value"]
        )
        return f"{word} {text(row['completed'])}".strip()
    shown = f"{row['actual_value']} {text(row['actual_unit'])}".strip()
    # An observation flag (p provisional, e estimated, r revised, b break) travels with the figure.
    flag = text(row.get("flag"))
    return f"{shown} ({flag})" if flag else shown


def status_label(status: str, soft: bool, lang: str) -> str:
    """The status word, with "(soft)" when a soft target's miss does not count."""
    word = status_word(status, lang)
    if soft and status in ("not_met", "missing"):
        soft_word = t(lang, "soft")
        return f"{word}（{soft_word}）" if lang == "zh" else f"{word} ({soft_word})"
    return word


def summary_line(report: Report, lang: str = "en") -> str:
    counts = report.summary()
    total = sum(counts.values())
    if total == 0:
        return nothing_selected(report, lang)
    parts = [
        t(lang, "summary.part", count=counts[s], status=status_word(s, lang))
        for s in STATUSES
        if counts[s]
    ]
    failing = report.failing_count()
    verdict = t(lang, "verdict.failing", count=failing) if failing else t(lang, "verdict.ok")
    line = t(
        lang,
        "summary",
        total=total,
        targets=t(lang, "targets.one" if total == 1 else "targets.many", count=total),
        as_of=report.as_of,
        parts=t(lang, "summary.sep").join(parts) or t(lang, "summary.none"),
        verdict=verdict,
    )
    return (
        f"{line}; {completion_text(report.overview(), lang)}"
        if lang != "zh"
        else f"{line}；{completion_text(report.overview(), lang)}"
    )


def nothing_selected(report: Report, lang: str) -> str:
    """Zero selected targets is an outcome, not an error: say so, and which filters did it."""
    if report.selection:
        why = t(lang, "selected.none_by", filters="; ".join(report.selection))
    else:
        why = t(lang, "selected.none_in_catalogue")
    return t(lang, "selected.none", as_of=report.as_of, why=why)


def listing_note(report: Report, lang: str) -> str:
    """When --status leaves selected targets out of the list, how many are listed, of how many.

    The counts, completion rates and the exit code are those of every selected target.
    """
    if not report.filtered:
        return ""
    return t(
        lang,
        "listed.filtered",
        statuses=", ".join(status_word(s, lang) for s in report.statuses_shown),
        shown=len(report.results),
        total=len(report.judged),
    )


def completion_text(overview: dict[str, Any], lang: str) -> str:
    """指标完成率: targets met ÷ targets due, as a percentage with its counts."""
    if overview["completion_rate"] is None:
        return t(lang, "completion.none")
    rate = f"{100 * overview['completion_rate']:.1f}%"
    return t(lang, "completion", rate=rate, met=overview["met_due"], due=overview["due"])


def plan_summary_line(
    report: Report,
    plan_id: str,
    lang: str,
    overviews: Mapping[str, dict[str, Any]] | None = None,
) -> str:
    """One plan's counts (with percentages) and completion rate. ``overviews``: the report's
    ``plan_overviews()`` when the caller already has them (each call groups every result)."""
    overview = (overviews if overviews is not None else report.plan_overviews())[plan_id]
    parts = [
        t(
            lang,
            "summary.part",
            count=f"{n} ({overview['percentages'][s]:g}%)",
            status=status_word(s, lang),
        )
        for s, n in overview["counts"].items()
        if n
    ]
    return t(
        lang,
        "plan_summary",
        plan=plan_id,
        parts=t(lang, "summary.sep").join(parts) or t(lang, "summary.none"),
        completion=completion_text(overview, lang),
    )


def plan_title(report: Report, plan_id: str, lang: str) -> str:
    """The plan id and its official (Chinese) title; in English, the translated title after it."""
    meta = report.plans.get(plan_id, {})
    title = meta.get("title_zh", "")
    if lang != "zh" and meta.get("title_en") and title:
        title = f"{title} ({meta['title_en']})"
    return f"{plan_id}  {title or meta.get('title_en', '')}".rstrip()


# What a target means for the run: it fails it, passes, passes with a note, or is skipped.
FAIL, PASS, NOTE, SKIP = "fail", "pass", "note", "skip"


def with_outcomes(report: Report) -> pd.DataFrame:
    """The results with an ``outcome`` column: FAIL, PASS, NOTE (a miss that does not fail the
    run) or SKIP (pending, open)."""
    results = report.results
    status = results["status"]
    failing = report.failing_mask(results).to_numpy(dtype=bool)
    outcome = np.where(
        failing,
        FAIL,
        np.where(
            status.isin(("not_met", "missing", "off_track")),
            NOTE,
            np.where(status.isin(("pending", "open", "insufficient_data")), SKIP, PASS),
        ),
    )
    return results.assign(outcome=outcome)


def miss_message(row: Row, options: RenderOptions) -> str:
    """One line saying what was missed: target, actual and gap (or that no figure was sent)."""
    lang = options.lang
    if row["status"] == "missing":
        return t(
            lang,
            "msg.missing",
            target_id=row["target_id"],
            indicator=options.names.indicator(row["indicator"], lang),
            region=options.names.region(row["region"], lang),
            year=year_text(row),
            target=target_text(row, lang),
        )
    return t(
        lang,
        "msg.miss",
        target_id=row["target_id"],
        status=status_word(row["status"], lang),
        target=target_text(row, lang),
        actual=actual_text(row, lang),
        gap=gap_text(row["gap"]) or "—",
    )


def note_message(row: Row, report: Report, lang: str) -> str:
    """Why a target that is not failing is not a plain pass."""
    status = status_word(row["status"], lang)
    if row["status"] == "pending":
        return t(lang, "msg.skipped.pending", year=year_text(row), as_of=report.as_of)
    if row["status"] == "open":
        return t(lang, "msg.skipped.open")
    if row["status"] == "insufficient_data":
        return t(lang, "msg.skipped.insufficient_data", basis=text(row["basis"]))
    if row["status"] in ("on_track", "off_track") and row["status"] not in report.fail_on:
        return t(
            lang,
            "msg.progress",
            status=status,
            method=text(row["progress_method"]),
            category=text(row["progress_category"]),
        )
    if bool(row["soft"]) and not report.strict:
        return t(lang, "msg.soft_pass", hedge=text(row["hedge"]), status=status)
    return t(lang, "msg.not_failing", status=status)


def provenance(row: Row, lang: str) -> list[str]:
    lines = [t(lang, "msg.quote", plan=row["plan"], section=row["section"], quote=row["quote"])]
    if not blank(row["actual_file"]):
        lines.append(_source(row, lang))
    if not blank(row["basis"]):
        lines.append(str(row["basis"]))
    return lines


# --- column-wise texts ------------------------------------------------------------------------
# A national report has 285,000 results but few distinct texts per column (4 years, 8 statuses,
# 2,850 regions): each text below is made once per distinct input and spread to the rows by
# code, so a renderer assembles its document from arrays of strings, never row by row.


def per_distinct(results: pd.DataFrame, columns: Iterable[str], make: Callable[[Row], Any]) -> Any:
    """``make(row)`` for each distinct combination of ``columns`` (those the frame has), as an
    object array with one text per result. ``row`` is a dict of those columns."""
    codes, made = per_distinct_coded(results, columns, make)
    return made[codes]


def distinct(values: Any) -> tuple[Any, Any]:
    """``values`` as codes into an object array of its distinct values (missing ones included).

    Values of different types are different (1, 1.0 and True print differently), and text is
    compared as Python strings (a lone surrogate from an undecodable byte is a value too).
    """
    dtype = getattr(values, "dtype", None)
    if _arrow_texts(values) is not None:
        # texts only (Arrow holds no lone surrogate): Arrow's own hash table, no Python objects
        text_codes, texts = pd.factorize(values, use_na_sentinel=False)
        return text_codes, np.asarray(texts, dtype=object)
    if isinstance(dtype, np.dtype) and dtype.kind != "O":
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        if dtype.kind == "f":  # -0.0 == 0.0 to a hash table, but prints "-0"
            numbers = np.asarray(values)
            negative_zero = (numbers == 0) & np.signbit(numbers)
            if negative_zero.any():
                return _split(numbers.astype(object), codes, negative_zero.astype(np.int64))
        return codes, np.asarray(uniques, dtype=object)
    objects = (
        values.to_numpy(dtype=object)
        if isinstance(values, (pd.Series, pd.Index))
        else np.asarray(values, dtype=object)
    )
    codes, uniques = pd.factorize(objects, use_na_sentinel=False)
    numeric = {kind for kind in set(map(type, uniques)) if issubclass(kind, Number)}
    zero = bool(numeric) and 0 in set(uniques)
    if len(numeric) > 1 or zero:  # 1 == 1.0 == True and -0.0 == 0.0 to a hash table
        kind = np.array([_kind(v) for v in objects], dtype=object)
        return _split(objects, codes, pd.factorize(kind)[0])
    return codes, np.asarray(uniques, dtype=object)


def _kind(value: Any) -> str:
    """The type's name, and for a negative zero its sign."""
    if isinstance(value, float) and value == 0 and math.copysign(1.0, value) < 0:
        return "-0.0"
    return type(value).__name__


def _split(objects: Any, codes: Any, more: Any) -> tuple[Any, Any]:
    """Codes told apart further by ``more`` (an int code per value), with their values."""
    codes, _ = pd.factorize(codes * (int(more.max()) + 1) + more)
    return codes, np.asarray(objects[first_rows(codes)], dtype=object)


def first_rows(codes: Any) -> Any:
    """For codes 0…k-1, the position where each first appears."""
    first = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write is the first row
    return first


def per_value(values: Any, make: Callable[[Any], Any]) -> Any:
    """``make(value)`` once per distinct value of ``values`` (missing ones included), spread to
    every position: an object array."""
    codes, uniques = distinct(values)
    made = np.empty(len(uniques), dtype=object)
    made[:] = [make(value) for value in uniques]
    return made[codes]


def per_value_coded(values: Any, make: Callable[[Any], Any]) -> tuple[Any, Any]:
    """:func:`per_value`, not spread: each position's code, and ``make`` of each distinct value
    (an object array) in code order."""
    codes, uniques = distinct(values)
    made = np.empty(len(uniques), dtype=object)
    made[:] = [make(value) for value in uniques]
    return codes, made


def per_distinct_coded(
    results: pd.DataFrame, columns: Iterable[str], make: Callable[[Row], Any]
) -> tuple[Any, Any]:
    """:func:`per_distinct`, not spread: each result's code, and ``make`` of each distinct
    combination (an object array) in code order."""
    present = [c for c in columns if c in results]
    if len(results) == 0:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    codes = np.zeros(len(results), dtype=np.int64)
    for name in present:
        column, _ = distinct(results[name])
        codes, _ = distinct(codes * (int(column.max()) + 1) + column)
    first = first_rows(codes)
    values = [results[c].to_numpy(dtype=object)[first] for c in present]
    made = np.empty(len(first), dtype=object)
    made[:] = [
        make(dict(zip(present, record, strict=True))) for record in zip(*values, strict=True)
    ]
    return codes, made


def year_texts(results: pd.DataFrame) -> Any:
    return per_distinct(results, ("year", "year_inferred", "year_approximate"), year_text)


# The columns each text reads (result_schema names); tests check they are schema fields.
TARGET_TEXT_COLUMNS = (
    "kind",
    "stage",
    "year",
    "effort",
    "comparator",
    "target_value",
    "target_value_max",
    "target_unit",
    "direction",
)
ACTUAL_TEXT_COLUMNS = ("kind", "actual_value", "actual_unit", "completed", "flag")


def target_texts(results: pd.DataFrame, lang: str) -> Any:
    """:func:`target_text` of each result. The plain "comparator value unit" of most targets
    is joined as arrays; the rest (milestones, ranges, about) made per distinct target."""
    made = np.empty(len(results), dtype=object)
    plain = (results["kind"] != "milestone").to_numpy(dtype=bool) & ~results["comparator"].isin(
        ("between", "range", "about")
    ).to_numpy(dtype=bool)
    if plain.any():  # only the columns read are taken (a national frame has 45)
        rows = results[["comparator", "target_value", "target_unit"]][plain]
        joined = _joined_texts([rows["comparator"], rows["target_value"], rows["target_unit"]])
        made[plain] = (
            joined
            if joined is not None
            else per_value(rows["comparator"], _formatted)
            + " "
            + per_value(rows["target_value"], _formatted)
            + " "
            + per_value(rows["target_unit"], _formatted)
        )
    if not plain.all():
        rows = results[[c for c in TARGET_TEXT_COLUMNS if c in results]][~plain]
        made[~plain] = per_distinct(rows, TARGET_TEXT_COLUMNS, lambda row: target_text(row, lang))
    return made


def actual_texts(results: pd.DataFrame, lang: str) -> Any:
    """:func:`actual_text` of each result: figures (value, unit, flag) joined as arrays,
    milestones and missing figures made per distinct actual."""
    made = np.empty(len(results), dtype=object)
    value = results["actual_value"]
    figure = (results["kind"] != "milestone").to_numpy(dtype=bool) & ~blanks(value)
    if figure.any():  # only the columns read are taken
        rows = results[[c for c in ("actual_value", "actual_unit", "flag") if c in results]][figure]
        units = per_value_coded(rows["actual_unit"], text)
        joined = _joined_texts([rows["actual_value"], units])
        if joined is not None:  # str.strip of each: Python's whitespace, not Arrow's
            shown = np.empty(len(rows), dtype=object)
            shown[:] = [figure_text.strip() for figure_text in joined.tolist()]
        else:
            shown = per_value(
                per_value(rows["actual_value"], _formatted) + " " + units[1][units[0]],
                str.strip,
            )
        flags = per_value(rows["flag"], text) if "flag" in rows else np.full(len(rows), "")
        flagged = flags != ""
        shown[flagged] = shown[flagged] + " (" + flags[flagged] + ")"
        made[figure] = shown
    if not figure.all():
        rows = results[[c for c in ACTUAL_TEXT_COLUMNS if c in results]][~figure]
        made[~figure] = per_distinct(rows, ACTUAL_TEXT_COLUMNS, lambda row: actual_text(row, lang))
    return made


def _formatted(value: Any) -> str:
    return f"{value}"


def _arrow_texts(values: Any) -> Any:
    """A text column held by Arrow with none missing, as its Arrow array (no copy); else None."""
    dtype = getattr(values, "dtype", None)
    if not (
        isinstance(values, pd.Series)
        and isinstance(dtype, pd.StringDtype)
        and dtype.storage == "pyarrow"
    ):
        return None
    import pyarrow as pa

    array = pa.array(values.array)
    return array if array.null_count == 0 else None


def _joined_texts(parts: list[pd.Series | tuple[Any, Any]]) -> Any:
    """The parts joined by a space, row by row, by Arrow's kernel (an object array of texts):
    each part a text column with none missing (its values' ``f"{value}"`` is the value), or
    (codes, texts) of a column made per distinct value. None when a column is not such one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for part in parts:
        if isinstance(part, tuple):
            codes, made = part
            if not all(isinstance(value, str) for value in made):
                return None
            try:
                texts = pa.array(list(made), pa.string())
            except UnicodeEncodeError:  # a lone surrogate, which Arrow cannot hold
                return None
            arrays.append(texts.take(pa.array(codes)))
            continue
        array = _arrow_texts(part)
        if array is None:
            return None
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        arrays.append(array.cast(pa.string()) if array.type != pa.string() else array)
    joined = pc.binary_join_element_wise(*arrays, " ")
    return joined.to_numpy(zero_copy_only=False)


def gap_texts(results: pd.DataFrame) -> Any:
    return per_value(results["gap"], gap_text)


def status_labels(results: pd.DataFrame, lang: str) -> Any:
    return per_distinct(
        results,
        ("status", "soft"),
        lambda row: status_label(str(row["status"]), bool(row["soft"]), lang),
    )


def indicator_names(results: pd.DataFrame, options: RenderOptions) -> Any:
    return per_value(results["indicator"], lambda i: options.names.indicator(i, options.lang))


def region_names(results: pd.DataFrame, options: RenderOptions) -> Any:
    return per_value(results["region"], lambda r: options.names.region(r, options.lang))


def plan_blocks(results: pd.DataFrame) -> list[tuple[str, Any]]:
    """Each plan in order of first appearance, with the positions of its results."""
    codes, plans = pd.factorize(results["plan"], sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(plans) + 1))
    return [(str(plan), order[bounds[i] : bounds[i + 1]]) for i, plan in enumerate(plans)]


def shown_cells(results: pd.DataFrame, options: RenderOptions) -> dict[str, Any]:
    """The cells a human-readable table shows, column by column, keyed by heading (col.*): the
    texts before any escaping (each renderer applies its own)."""
    lang = options.lang
    return {
        "target": texts(results["target_id"]),
        "indicator": indicator_names(results, options),
        "region": region_names(results, options),
        "year": year_texts(results),
        "target_value": target_texts(results, lang),
        "actual": actual_texts(results, lang),
        "status": status_labels(results, lang),
        "gap": gap_texts(results),
    }


def escaped(values: Any, escape: Callable[[str], str]) -> Any:
    """``escape`` applied once per distinct text."""
    return per_value(values, escape)


def miss_messages(results: pd.DataFrame, options: RenderOptions) -> Any:
    """:func:`miss_message` of each result, column by column (the rows are usually the misses)."""
    lang = options.lang
    shown = shown_cells(results, options)
    statuses = results["status"].to_numpy(dtype=object)
    words = {s: status_word(s, lang) for s in STATUSES}
    made = np.empty(len(results), dtype=object)
    made[:] = [
        t(lang, "msg.missing", target_id=tid, indicator=ind, region=reg, year=year, target=tgt)
        if status == "missing"
        else t(
            lang,
            "msg.miss",
            target_id=tid,
            status=words.get(status, status),
            target=tgt,
            actual=act,
            gap=gap or "—",
        )
        for status, tid, ind, reg, year, tgt, act, gap in zip(
            statuses,
            shown["target"],
            shown["indicator"],
            shown["region"],
            shown["year"],
            shown["target_value"],
            shown["actual"],
            shown["gap"],
            strict=True,
        )
    ]
    return made


# What note_message reads: few distinct combinations (statuses, years, methods, hedges).
NOTE_COLUMNS = (
    "status",
    "year",
    "year_inferred",
    "year_approximate",
    "basis",
    "progress_method",
    "progress_category",
    "soft",
    "hedge",
)


def note_messages(results: pd.DataFrame, report: Report, lang: str) -> Any:
    """:func:`note_message` of each result, once per distinct combination of what it reads."""
    return per_distinct(results, NOTE_COLUMNS, lambda row: note_message(row, report, lang))


def provenances(results: pd.DataFrame, lang: str) -> list[list[str]]:
    """:func:`provenance` of each result."""
    quotes = per_distinct(
        results,
        ("plan", "section", "quote"),
        lambda row: t(
            lang, "msg.quote", plan=row["plan"], section=row["section"], quote=row["quote"]
        ),
    )
    sources = per_distinct(
        results,
        ("actual_file", "actual_row", "actual_line", "actual_cell"),
        lambda row: None if blank(row["actual_file"]) else _source(row, lang),
    )
    bases = per_value(results["basis"], lambda basis: None if blank(basis) else str(basis))
    return [
        [line for line in lines if line is not None]
        for lines in zip(quotes, sources, bases, strict=True)
    ]


def _source(row: Row, lang: str) -> str:
    source = t(lang, "msg.source", file=row["actual_file"], row=int(row["actual_row"]))
    line, cell = row.get("actual_line"), row.get("actual_cell")
    if line is not None and not blank(line) and int(line) != int(row["actual_row"]) + 1:
        source += t(lang, "msg.source_line", line=int(line))
    if cell is not None and not blank(cell):
        source += t(lang, "msg.source_cell", cell=cell)
    return source


def any_illustrative_flag(results: pd.DataFrame) -> bool:
    """:func:`any_illustrative`, each distinct flag looked at once (a national report's 285,000
    flags are a few distinct values)."""
    if "flag" not in results:
        return False
    _, flags = distinct(results["flag"])
    return any(is_illustrative(flag) for flag in flags)


# --- messages as parts ------------------------------------------------------------------------
# A message column by column: its template's literal texts and, for each field, a column of
# texts. A renderer escapes each part's texts (an escape that works a character at a time, as
# XML's and visible() do, gives the same text for the parts as for the message they make) and
# joins them row by row with Arrow's kernels; no message is put together in Python per row.

# Literal texts, and columns of texts (object or Arrow string arrays) with one text per row.
Parts = list[Any]


def template_parts(lang: str, key: str, fields: Mapping[str, Any]) -> Parts:
    """The message ``key`` in ``lang`` as parts: its literal texts and the columns of ``fields``
    (one per field it names, each a column of texts: ``t(lang, key, **row)`` of each row)."""
    import string

    parts: Parts = []
    for literal, name, spec, conversion in string.Formatter().parse(t(lang, key)):
        if literal:
            parts.append(literal)
        if name is not None:
            if spec or conversion:  # no message formats a field (tests check every message)
                raise ValueError(f"message {key} formats its field {name}")
            parts.append(fields[name])
    return parts


def miss_message_parts(results: pd.DataFrame, options: RenderOptions) -> list[tuple[Any, Parts]]:
    """:func:`miss_message` of each result as parts: for each message (missing figure, miss),
    the rows it is said of (a mask) and its parts for those rows."""
    lang = options.lang
    missing = (results["status"] == "missing").to_numpy(dtype=bool, na_value=False)
    groups: list[tuple[Any, Parts]] = []
    if missing.any():
        rows = results[[c for c in _MISSING_COLUMNS if c in results]][missing]
        fields = {
            "target_id": texts_of(rows["target_id"]),
            "indicator": indicator_names(rows, options),
            "region": region_names(rows, options),
            "year": year_texts(rows),
            "target": _target_column(rows, lang),
        }
        groups.append((missing, template_parts(lang, "msg.missing", fields)))
    if not missing.all():
        rows = results[[c for c in _MISS_COLUMNS if c in results]][~missing]
        words = {s: status_word(s, lang) for s in STATUSES}
        gaps = gap_texts(rows)
        fields = {
            "target_id": texts_of(rows["target_id"]),
            "status": per_value(rows["status"], lambda status: words.get(status, status)),
            "target": _target_column(rows, lang),
            "actual": _actual_column(rows, lang),
            "gap": np.where(gaps == "", "—", gaps).astype(object),
        }
        groups.append((~missing, template_parts(lang, "msg.miss", fields)))
    return groups


def _own_texts(values: pd.Series) -> Any:
    """A column of texts with none missing (a text column, or Python objects that are all
    ``str``) as an Arrow string array, each value its own text (as ``str`` and a message's
    field write it); None for any other column, or one Arrow cannot hold (a lone surrogate)."""
    from .columns import arrow_strings

    if not (isinstance(values.dtype, pd.StringDtype) or values.dtype == object):
        return None
    strings = arrow_strings(values, objects=True)
    return None if strings is None or strings.null_count else strings


def _blanks(values: pd.Series) -> Any:
    """:func:`blanks`, with :func:`blank` asked only of the values pandas finds missing (a
    value it does not is never blank: None, pd.NA and NaN are missing to pandas too)."""
    if isinstance(values.dtype, pd.StringDtype) or values.dtype.kind == "f":
        return blanks(values)
    missing = values.isna().to_numpy(dtype=bool, copy=True)
    if missing.any():  # NaT is missing to pandas, but not blank
        rows = np.flatnonzero(missing)
        missing[rows] = [blank(value) for value in values.to_numpy(dtype=object)[rows]]
    return missing


def texts_of(values: pd.Series) -> Any:
    """:func:`texts` of a column, as Arrow's array when the column is one of texts."""
    own = _own_texts(values)
    return own if own is not None else texts(values)


def _target_column(results: pd.DataFrame, lang: str) -> Any:
    """:func:`target_texts`, the plain "comparator value unit" of most targets joined by Arrow
    when those are text columns with none missing (each value its own text)."""
    import pyarrow.compute as pc

    plain = (results["kind"] != "milestone").to_numpy(dtype=bool) & ~results["comparator"].isin(
        ("between", "range", "about")
    ).to_numpy(dtype=bool)
    rows = results[["comparator", "target_value", "target_unit"]][plain]
    parts = [_own_texts(rows[c]) for c in rows.columns]
    if any(part is None for part in parts):
        return target_texts(results, lang)
    made = pc.binary_join_element_wise(parts[0], " ", parts[1], " ", parts[2], "")
    done = _completed(results, plain, made, TARGET_TEXT_COLUMNS, lambda r: target_text(r, lang))
    return done if done is not None else target_texts(results, lang)


def _completed(
    results: pd.DataFrame,
    joined: Any,
    made: Any,
    columns: tuple[str, ...],
    text: Callable[[Row], str],
) -> Any:
    """``made`` (the Arrow texts of the rows ``joined`` marks) completed with ``text`` of the
    other rows, made per distinct combination of ``columns``, in row order; None when one of
    those is not a text Arrow holds (a lone surrogate)."""
    if joined.all():
        return made
    others = results[[c for c in columns if c in results]][~joined]
    return _merged([(joined, made), (~joined, per_distinct(others, columns, text))])


def _merged(groups: list[tuple[Any, Any]]) -> Any:
    """The texts of groups of rows (a mask each; together every row once) as one Arrow array in
    row order; None when one is not a text Arrow holds (a lone surrogate)."""
    import pyarrow as pa

    place = np.zeros(len(groups[0][0]), dtype=np.int64)
    taken = 0
    arrays = []
    for rows, made in groups:
        try:
            arrays.append(made if isinstance(made, pa.Array) else pa.array(made, pa.string()))
        except (pa.ArrowException, UnicodeEncodeError):
            return None
        place[rows] = taken + np.arange(len(made))
        taken += len(made)
    return pa.concat_arrays(arrays).take(pa.array(place))


# What str.strip() strips: the characters str.isspace() holds true (a test checks this list
# against all of Unicode; scanning 1.1 million code points here took 0.1-0.4 s per import).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _actual_column(results: pd.DataFrame, lang: str) -> Any:
    """:func:`actual_texts`, a figure's value, unit and flag joined by Arrow when the values
    are a text column (each its own text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    figure = (results["kind"] != "milestone").to_numpy(dtype=bool) & ~_blanks(
        results["actual_value"]
    )
    rows = results[[c for c in ("actual_value", "actual_unit", "flag") if c in results]][figure]
    values = _own_texts(rows["actual_value"])
    if values is None:
        return actual_texts(results, lang)
    try:
        units = pa.array(per_value(rows["actual_unit"], text), pa.string())
        flags = pa.array(per_value(rows["flag"], text), pa.string()) if "flag" in rows else None
    except (pa.ArrowException, UnicodeEncodeError):  # a lone surrogate
        return actual_texts(results, lang)
    shown = pc.binary_join_element_wise(values, " ", units, "")
    # str.strip() where the text starts or ends with whitespace (a figure without a unit)
    ends = [pc.utf8_slice_codeunits(shown, 0, 1), pc.utf8_slice_codeunits(shown, -1)]
    spaced = pc.or_(*(pc.is_in(end, pa.array(list(WHITESPACE), pa.string())) for end in ends))
    if pc.any(spaced).as_py():
        stripped = [text.strip() for text in pc.filter(shown, spaced).to_pylist()]
        shown = pc.replace_with_mask(shown, spaced, pa.array(stripped, pa.string()))
    if flags is not None:
        flagged = pc.not_equal(flags, "")
        if pc.any(flagged).as_py():
            with_flag = pc.binary_join_element_wise(shown, " (", flags, ")", "")
            shown = pc.if_else(flagged, with_flag, shown)
    done = _completed(results, figure, shown, ACTUAL_TEXT_COLUMNS, lambda r: actual_text(r, lang))
    return done if done is not None else actual_texts(results, lang)


# What each message reads (only those columns of its rows are taken: a national frame has 45).
_MISSING_COLUMNS = (
    "target_id",
    "indicator",
    "region",
    "year_inferred",
    "year_approximate",
    *TARGET_TEXT_COLUMNS,
)
_MISS_COLUMNS = tuple(
    dict.fromkeys(("target_id", "status", "gap", *TARGET_TEXT_COLUMNS, *ACTUAL_TEXT_COLUMNS))
)


def provenance_parts(results: pd.DataFrame, lang: str) -> list[tuple[Any, Parts]]:
    """:func:`provenance` of each result as parts: for each of its lines (the plan's words,
    where the actual figure came from, the basis), the rows that have it (a mask) and its parts
    for those rows."""
    quoted = {name: _own_texts(results[name]) for name in ("plan", "section", "quote")}
    if all(column is not None for column in quoted.values()):
        quotes = template_parts(lang, "msg.quote", quoted)
    else:
        quotes = [
            per_distinct(
                results,
                ("plan", "section", "quote"),
                lambda row: t(
                    lang, "msg.quote", plan=row["plan"], section=row["section"], quote=row["quote"]
                ),
            )
        ]
    lines: list[tuple[Any, Parts]] = [(np.ones(len(results), dtype=bool), quotes)]
    sourced = ~_blanks(results["actual_file"])
    if sourced.any():
        read = [c for c in _SOURCE_COLUMNS if c in results]  # only these rows' columns are taken
        lines.append((sourced, _source_parts(results[read][sourced], lang)))
    based = ~per_value(results["basis"], blank).astype(bool)  # as provenances() decides
    if based.any():
        lines.append((based, [per_value(results["basis"][based], str)]))
    return lines


_SOURCE_COLUMNS = ("actual_file", "actual_row", "actual_line", "actual_cell")

# The columns miss_message_parts and provenance_parts read (a renderer takes only these of the
# rows it needs messages for).
MESSAGE_COLUMNS = tuple(
    dict.fromkeys(
        (*_MISSING_COLUMNS, *_MISS_COLUMNS, "plan", "section", "quote", "basis", *_SOURCE_COLUMNS)
    )
)


def _source_parts(results: pd.DataFrame, lang: str) -> Parts:
    """:func:`_source` of each result (each has an actual file) as parts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = _ints(results["actual_row"])
    fields = {
        "file": per_value(results["actual_file"], str),
        "row": pc.cast(pa.array(numbers, pa.int64()), pa.string()),  # str(int) of each
    }
    parts = template_parts(lang, "msg.source", fields)
    if "actual_line" in results:
        said = np.full(len(results), "", dtype=object)
        given = ~_blanks(results["actual_line"])
        line_numbers = _ints(results["actual_line"][given])
        other = line_numbers != numbers[given] + 1  # a record that starts past its row's line
        positions = np.flatnonzero(given)[other]
        said[positions] = [t(lang, "msg.source_line", line=n) for n in line_numbers[other].tolist()]
        parts.append(said)
    if "actual_cell" in results:
        parts.append(
            per_value(
                results["actual_cell"],
                lambda cell: "" if blank(cell) else t(lang, "msg.source_cell", cell=cell),
            )
        )
    return parts


def _ints(values: pd.Series) -> Any:
    """``int()`` of each value, as an int64 array: an int column's in one pass."""
    if values.dtype.kind in "iu" or isinstance(values.dtype, pd.Int64Dtype):
        return values.to_numpy(dtype=np.int64)
    return np.array([int(value) for value in values.tolist()], dtype=np.int64)
