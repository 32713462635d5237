"""The JUnit report made column by column writes what one made case by case writes.

The reference below writes each test case from the scalar message functions (miss_message,
note_message, provenance), makes input text safe as the report promises (visible(), then the
characters XML 1.0 cannot hold dropped) and lets ElementTree escape it. The renderer instead
escapes each column of message parts at once and joins them with Arrow; both are run on the
bundled reports (several as-of years, zh, --strict, --fail-on) and on reports whose texts are
hostile: markup, quotes, ``]]>``, control and bidi characters, U+FFFE, lone surrogates.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.evaluation import Report
from plancheck.render import RenderOptions, common, junit
from plancheck.text import visible

from .test_render_columns import HOSTILE, bundled, hostile

_NOT_XML_1_0 = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _safe(text: str) -> str:
    return _NOT_XML_1_0.sub("", visible(text))


def _tag(name: str, attributes: dict[str, str], text: str | None = None) -> str:
    element = ET.Element(name, attributes)
    element.text = text or None
    return ET.tostring(element, encoding="unicode")


def reference_case(row: pd.Series, report: Report, options: RenderOptions) -> str:
    """One result's <testcase>, as the renderer wrote it case by case before session 7."""
    lang = options.lang
    case = _tag(
        "testcase", {"name": str(row["target_id"]), "classname": str(row["plan"]), "time": "0"}
    )
    outcome = row["outcome"]
    if outcome == common.PASS:
        return f"    {case}\n"
    lines = "\n".join(_safe(line) for line in common.provenance(row, lang))
    if outcome == common.FAIL:
        message = _safe(common.miss_message(row, options))
        inner = _tag("failure", {"type": str(row["status"]), "message": message}, lines)
    elif outcome == common.SKIP:
        inner = _tag("skipped", {"message": _safe(common.note_message(row, report, lang))})
    else:
        note = common.note_message(row, report, lang)
        message = _safe(f"{common.miss_message(row, options)} ({note})")
        inner = _tag("skipped", {"message": message}, lines)
    return f"    {case[:-3]}>\n      {inner}\n    </testcase>\n"


def reference(report: Report, options: RenderOptions) -> str:
    results = common.with_outcomes(report)
    outcomes = results["outcome"].to_numpy(dtype=object)
    totals = {
        "name": "plancheck",
        "tests": str(len(results)),
        "failures": str(int((outcomes == common.FAIL).sum())),
        "errors": "0",
        "time": "0",
    }
    text = junit.HEADER + _tag("testsuites", totals)[:-3] + ">\n"
    overviews = report.plan_overviews()
    for plan_id, positions in common.plan_blocks(results):
        text += junit._suite_head(
            report, plan_id, outcomes[positions], overviews[plan_id], options.lang
        )
        for position in positions:
            text += reference_case(results.iloc[position], report, options)
        text += "  </testsuite>\n"
    return text + "</testsuites>\n"


def rendered(report: Report, options: RenderOptions) -> str:
    return junit.render(report, options)


def outcomes_of(report: Report) -> set[str]:
    return set(common.with_outcomes(report)["outcome"])


def with_progress(report: Report) -> Report:
    """Some targets not yet due judged on track or off track by a progress method."""
    results = report.results.copy()
    pending = np.flatnonzero((results["status"] == "pending").to_numpy())
    status = results["status"].to_numpy(dtype=object).copy()
    status[pending[::3]] = "off_track"
    status[pending[1::3]] = "on_track"
    results["status"] = status
    judged = np.isin(status, ("off_track", "on_track"))
    results["progress_method"] = np.where(judged, "linear", None)
    results["progress_category"] = np.where(judged, '<10% & "behind"', None)
    return dataclasses.replace(report, results=results, selected=None)


VARIANTS = {
    "2013": lambda: bundled(2013)[0],
    "2015": lambda: bundled(2015)[0],
    "2020": lambda: bundled(2020)[0],
    "2015-strict": lambda: dataclasses.replace(bundled(2015)[0], strict=True),
    # off_track and not_met listed: misses that fail next to ones that do not
    "2013-fail-on": lambda: dataclasses.replace(
        bundled(2013)[0], fail_on=("not_met", "off_track", "insufficient_data")
    ),
    "2020-fail-on-missing": lambda: dataclasses.replace(bundled(2020)[0], fail_on=("missing",)),
    "2013-progress": lambda: with_progress(bundled(2013)[0]),
    "2013-progress-fail-on": lambda: dataclasses.replace(
        with_progress(bundled(2013)[0]), fail_on=("missing", "off_track")
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_junit_equals_the_report_made_case_by_case(variant: str, lang: str) -> None:
    report = VARIANTS[variant]()
    options = RenderOptions(lang=lang, names=bundled(2015)[1])
    assert rendered(report, options) == reference(report, options)


def test_the_bundled_variants_hold_every_kind_of_case() -> None:
    kinds = set().union(*(outcomes_of(make()) for make in VARIANTS.values()))
    assert kinds == {common.PASS, common.FAIL, common.SKIP, common.NOTE}
    statuses = set().union(*(set(make().results["status"]) for make in VARIANTS.values()))
    assert {"missing", "not_met", "pending", "off_track"} <= statuses


# Texts XML and a reader's terminal must not get raw: markup, the end of a CDATA section,
# quotes, C0/C1 controls, bidi overrides, zero-width and line separators, the two code points
# XML 1.0 cannot hold, a lone surrogate (an undecodable byte read with surrogateescape), NUL.
NASTY = (
    *HOSTILE,
    "a\"b'c<d>&e",
    "]]>",
    "<![CDATA[x]]>",
    "&amp;&#13;",
    "tab\there\r\nCRLF",
    "nul\x00x",
    "c1\x85\x9b[31m",
    "bidi\u202e\u2066x\u2069",
    "zw\u200b\u2028\u2029",
    "not xml \ufffe\uffff",
    "bom\ufeff",
    "lone \udc80 surrogate",
    "high \ud800",
    "astral 𝄞 \U000e0041",
    "   padded   ",
    " ",
)


def with_texts(report: Report, pick: list[str], arrow: bool) -> Report:
    """``report`` with hostile texts cycled through every text column a case shows (as
    Python objects when ``arrow`` is false: a lone surrogate stays a value)."""
    results = report.results.copy()
    n = len(results)

    def column(offset: int, blank_every: int = 0) -> pd.Series:
        values: list[Any] = [pick[(i + offset) % len(pick)] for i in range(n)]
        if blank_every:
            values = [None if i % blank_every == 0 else v for i, v in enumerate(values)]
        if arrow:
            values = [None if v is None else v.encode("utf-8", "replace").decode() for v in values]
            return pd.Series(values, index=results.index, dtype="str")
        return pd.Series(values, index=results.index, dtype=object)

    for offset, name in enumerate(
        ("actual_unit", "flag", "basis", "actual_cell", "hedge", "section", "quote")
    ):
        results[name] = column(offset, blank_every=3 if name in ("flag", "basis") else 0)
    results["target_unit"] = column(11)
    files = column(13)
    results["actual_file"] = files.where(results["actual_file"].notna(), None)
    if arrow:  # the types a national report's columns have: Arrow's texts, pandas' Int64
        results["actual_value"] = results["actual_value"].astype("str")
        results["actual_row"] = results["actual_row"].astype("Int64")
    # Catalogue ids are checked when loaded (lower-case letters, digits, _): the renderer
    # escapes their markup only, so here they hold markup but nothing for visible() to show.
    results["target_id"] = [f"{_safe(p)}{i}" for i, p in enumerate(column(17).fillna(""))]
    return dataclasses.replace(report, results=results, selected=None)


@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("year", [2013, 2015, 2020])
def test_hostile_texts_are_escaped_as_case_by_case(arrow: bool, lang: str, year: int) -> None:
    report, names = bundled(year)
    report = with_texts(report, list(NASTY), arrow)
    options = RenderOptions(lang=lang, names=names)
    text = rendered(report, options)
    assert text == reference(report, options)
    for raw in ("\x00", "\x1b", "\x85", "\u202e", "\ufffe", "\udc80", "]]>"):
        assert raw not in text
    ET.fromstring(text.encode())  # well-formed


def test_hostile_names_and_regions_are_escaped_as_case_by_case() -> None:
    report, names = hostile()
    ids = report.results["target_id"].map(visible)
    report = dataclasses.replace(report, results=report.results.assign(target_id=ids))
    options = RenderOptions(names=names)
    assert rendered(report, options) == reference(report, options)


_TEXT = st.text(
    alphabet=st.characters(codec=None, categories=None, exclude_categories=()), max_size=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, min_size=1, max_size=8), st.booleans(), st.sampled_from(["en", "zh"]))
def test_any_texts_are_escaped_as_case_by_case(pick: list[str], arrow: bool, lang: str) -> None:
    report, names = bundled(2015)
    report = with_texts(report, pick, arrow)
    options = RenderOptions(lang=lang, names=names)
    assert rendered(report, options) == reference(report, options)


# --- the message parts against the message functions, value by value -------------------------


def joined_by_row(groups: list[tuple[Any, common.Parts]], rows: int) -> list[list[str]]:
    """Each row's texts of the groups that have it, each group's parts joined."""
    made: list[list[str]] = [[] for _ in range(rows)]
    for mask, parts in groups:
        columns = [
            p if isinstance(p, str) else (p.to_pylist() if hasattr(p, "to_pylist") else list(p))
            for p in parts
        ]
        for place, row in enumerate(np.flatnonzero(mask)):
            made[row].append("".join(p if isinstance(p, str) else p[place] for p in columns))
    return made


REPORTS = {
    **{name: make for name, make in VARIANTS.items()},
    "hostile-objects": lambda: with_texts(bundled(2015)[0], list(NASTY), False),
    "hostile-arrow": lambda: with_texts(bundled(2020)[0], list(NASTY), True),
}


@pytest.mark.parametrize("which", sorted(REPORTS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_message_parts_join_to_the_messages_of_each_row(which: str, lang: str) -> None:
    report = REPORTS[which]()
    options = RenderOptions(lang=lang, names=bundled(2015)[1])
    results = report.results
    misses = joined_by_row(common.miss_message_parts(results, options), len(results))
    sources = joined_by_row(common.provenance_parts(results, lang), len(results))
    old_misses = common.miss_messages(results, options)
    old_sources = common.provenances(results, lang)
    for i, (_, row) in enumerate(results.iterrows()):
        assert misses[i] == [common.miss_message(row, options)] == [old_misses[i]]
        assert sources[i] == common.provenance(row, lang) == old_sources[i]


def test_source_lines_say_a_record_that_starts_past_its_rows_line() -> None:
    report, _ = bundled(2015)
    results = report.results.copy()
    sourced = results["actual_file"].notna().to_numpy()
    assert sourced.any()
    # every third record starts two lines on (a quoted cell with line breaks before it)
    lines = results["actual_row"] + 1 + np.where(np.arange(len(results)) % 3 == 0, 2, 0)
    results["actual_line"] = lines.astype("Int64")
    results["actual_cell"] = pd.Series(
        ["B7" if i % 2 else None for i in range(len(results))], index=results.index, dtype=object
    )
    made = joined_by_row(common.provenance_parts(results, "en"), len(results))
    said = [line for lines_ in made for line in lines_ if "(line " in line]
    assert said and all(", cell B7" in line or "cell" not in line for line in said)
    for i, (_, row) in enumerate(results.iterrows()):
        assert made[i] == common.provenance(row, "en")


@pytest.mark.parametrize(
    "key", ["msg.miss", "msg.missing", "msg.quote", "msg.source", "msg.source_line"]
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_parts_fill_in_as_the_message_does(key: str, lang: str) -> None:
    from string import Formatter

    from plancheck.render.i18n import t

    names = [name for _, name, _, _ in Formatter().parse(t(lang, key)) if name]
    values = {name: f"<{name}>{{x}}" for name in names}
    parts = common.template_parts(
        lang, key, {n: np.array([v], dtype=object) for n, v in values.items()}
    )
    assert "".join(p if isinstance(p, str) else p[0] for p in parts) == t(lang, key, **values)


# --- escaping a column at once ------------------------------------------------------------------


@pytest.mark.parametrize("escape", [junit._attr, junit._attribute, junit._text])
def test_a_column_is_escaped_as_each_of_its_texts(escape: Any) -> None:
    import pyarrow as pa

    plain = ["a&b", "<x>", 'say "hi"', "]]>", "中文 ≥ 5", "", "ok"]
    nasty = list(NASTY)
    if escape is junit._attr:  # names only: a catalogue id holds no lone surrogate
        nasty = [t for t in nasty if not re.search("[\ud800-\udfff]", t)]
    for texts in (plain, [*plain, *nasty], nasty[::-1] * 3):
        expected = [escape(t) for t in texts]
        assert junit._escaped(np.array(texts, dtype=object), escape).to_pylist() == expected
    arrow = pa.array(plain, pa.string())
    assert junit._escaped(arrow, escape).to_pylist() == [escape(t) for t in plain]


def test_plain_means_nothing_for_visible_or_xml_to_change() -> None:
    for text in [*NASTY, "a&b", "中文", "x\ty", "\x7f", "\u3000", "é"]:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            continue
        assert junit._plain(data) == (junit._safe(text) == text), repr(text)


def test_blank_masks_equal_blank_value_by_value() -> None:
    from decimal import Decimal

    odd: list[Any] = [None, pd.NA, float("nan"), np.float32("nan"), pd.NaT, Decimal("NaN")]
    odd += ["", "x", 0, 0.0, -0.0, np.datetime64("NaT"), True, "nan"]
    for values in (
        pd.Series(odd * 3, dtype=object),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([1.5, float("nan")]),
        pd.Series(["a", None, "b"], dtype="str"),
    ):
        assert list(common._blanks(values)) == [common.blank(v) for v in values.tolist()]
        assert list(common._blanks(values)) == list(common.blanks(values))


def test_own_texts_are_arrow_texts_only_of_texts() -> None:
    assert common._own_texts(pd.Series(["a", "b"], dtype=object)).to_pylist() == ["a", "b"]
    assert common._own_texts(pd.Series(["a", "b"], dtype="str")).to_pylist() == ["a", "b"]
    assert common._own_texts(pd.Series(["a", None], dtype=object)) is None
    assert common._own_texts(pd.Series(["a", 1], dtype=object)) is None
    assert common._own_texts(pd.Series(["a", "\udc80"], dtype=object)) is None
    assert common._own_texts(pd.Series([1.0, 2.0])) is None


def test_a_report_that_only_passes_has_no_failure_or_skipped() -> None:
    report, names = bundled(2015)
    results = report.results[report.results["status"] == "met"]
    passing = dataclasses.replace(report, results=results, selected=None)
    options = RenderOptions(names=names)
    text = rendered(passing, options)
    assert text == reference(passing, options)
    assert "<failure" not in text and "<skipped" not in text and text.count("<testcase") == 15


def test_whitespace_list_is_what_str_strip_strips() -> None:
    """The literal list of whitespace (used to find texts that need str.strip()) is exactly the
    code points Python calls whitespace: a character missing from it would leave a padded
    figure unstripped in the messages."""
    from plancheck.render.common import WHITESPACE

    every = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert every == WHITESPACE
    assert all((" x" + c).strip() == "x" for c in WHITESPACE)
