"""Column-wise escaping (render/html_escape.escape_all) gives escape() of each value, exactly.

escape_all joins a column, looks for control or invisible characters once, and escapes the
column as one text when there are none; these check it against escape() value by value on
arbitrary text: lone surrogates, controls, bidi and tag characters, private-use characters
(the kind a separator might be), and the five characters html.escape rewrites.
"""

from __future__ import annotations

from html import escape as escape_html

from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck.render.html_escape import escape, escape_all
from plancheck.text import visible

AWKWARD = [
    "&", "<", ">", '"', "'", "\x00", "\n", "\x1b", "\x7f", "\x85", "\u00ad", "\u200b",
    "\u202e", "\u2028", "\ud800", "\udc80", "\ue000", "\uf8ff", "\U000f0000", "\U000e0041",
    "\ufeff", "_", "\\", "\xa0", "\u3000", "区",
]  # fmt: skip
CHARS = st.one_of(st.characters(exclude_categories=()), st.sampled_from(AWKWARD))
COLUMNS = st.lists(st.text(alphabet=CHARS, max_size=12), max_size=40)
# Columns a national table has: no control character, maybe html's five.
PLAIN_COLUMNS = st.lists(
    st.text(alphabet=st.sampled_from(["a", "1", " ", "_", "≥", "万", "&", "<", ">", '"', "'"])),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(COLUMNS)
def test_escape_all_is_escape_of_each_value(texts: list[str]) -> None:
    assert escape_all(texts) == [escape(text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(PLAIN_COLUMNS)
def test_a_column_without_controls_is_escaped_as_one_text(texts: list[str]) -> None:
    escaped = escape_all(texts)
    assert escaped == [escape_html(text, quote=True) for text in texts]
    assert len(escaped) == len(texts)


@settings(max_examples=200, deadline=None)
@given(COLUMNS, st.integers(min_value=0, max_value=40), st.sampled_from(AWKWARD))
def test_one_hostile_value_among_plain_ones(texts: list[str], at: int, char: str) -> None:
    """A single value with a control character switches the column to value-by-value."""
    column = ["plain"] * 5 + texts
    column.insert(min(at, len(column)), f"a{char}b")
    assert escape_all(column) == [escape(text) for text in column]


def test_what_escaping_does() -> None:
    hostile = ["<script>", "a&b", "\x1b]52;c;\x07", "x\u202ey", "\ud800", 'q"', "it's", "ok"]
    assert escape_all(hostile) == [
        "&lt;script&gt;",
        "a&amp;b",
        "\\x1b]52;c;\\x07",
        "x\\u202ey",
        "\\ud800",
        "q&quot;",
        "it&#x27;s",
        "ok",
    ]
    assert escape_all(["a", "b"]) == ["a", "b"] and escape_all([]) == []
    assert all(escape(text) == escape_html(visible(text)) for text in hostile)
