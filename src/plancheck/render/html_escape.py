"""Text from input written into HTML: one value at a time, or a whole column at once.

A national results table holds millions of cells from input, nearly all of which escaping
leaves as they are. :func:`escape_all` looks at a column joined into one text (C loops: a few
nanoseconds a character) and escapes each value by itself only when that text holds a control
or invisible character. The result is :func:`escape` of each value, value for value.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as escape_html
from typing import Any

from ..text import has_hidden, rewrite_joined, visible

_HTML_SPECIAL = "&<>\"'"  # what html.escape(quote=True) rewrites


def escape(text: str, quote: bool = True) -> str:
    """HTML-escaped, with control and invisible characters shown as escapes (plancheck.text)."""
    return escape_html(visible(text), quote)


def escape_all(texts: Iterable[str]) -> list[str]:
    """:func:`escape` of each text (quote=True)."""
    texts = list(texts)
    joined = "".join(texts)  # as escape() would, refuses a value that is not text
    if has_hidden(joined):  # hostile or odd input: each value by itself
        return [escape(text) for text in texts]
    # No text holds a control character: visible() keeps each as it is, and html.escape
    # (quote=True by default) rewrites character by character.
    if not any(char in joined for char in _HTML_SPECIAL):
        return texts
    return rewrite_joined(texts, escape_html)


# What html.escape(quote=True) rewrites, in its order (the ampersand first).
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def escape_strings(strings: Any) -> Any:
    """:func:`escape` of each text of an Arrow string array (none missing), by Arrow's kernels;
    None when a text holds a control or invisible character (the caller escapes value by
    value: :func:`escape_all`)."""
    import pyarrow.compute as pc

    from .columns import utf8_of

    data = bytes(utf8_of(strings))
    if has_hidden(data.decode("utf-8")):
        return None
    for char, entity in _ENTITIES:
        if char.encode("ascii") in data:
            strings = pc.replace_substring(strings, char, entity)
    return strings
