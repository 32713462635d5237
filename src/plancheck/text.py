"""Text from input made safe to show: control characters visible, spreadsheet formulas inert.

Submitted files and catalogue edits are untrusted. A region cell holding ``\\n::error::…`` would
forge a GitHub workflow command if printed raw, an ``ESC ]52;…`` sequence would write to the
reader's clipboard, a right-to-left override would make ``exe.txt`` read as ``txt.exe``, and a
cell starting with ``=`` is a live formula when a spreadsheet opens the CSV. Every value from
input that reaches a text output goes through :func:`visible`; every cell of a spreadsheet-bound
output goes through :func:`inert`.

Both are cheap on ordinary text (``str.isprintable``, a C loop, settles nearly every value: a
printable string holds none of these characters), so renderers call them on each value they
print rather than on whole tables in advance.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Characters that change what a terminal, CI log or editor shows rather than being shown:
# Unicode categories Cc (C0, DEL, C1), Cf (format: bidi controls, zero-width characters, tags),
# Zl/Zp (line and paragraph separators) and Cs (lone surrogates, from undecodable bytes).
# tests/test_text.py checks this class against unicodedata for every code point.
HIDDEN_CLASS = (
    "\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_HIDDEN = re.compile(f"[{HIDDEN_CLASS}]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_RISKY = re.compile(f"^[=+\\-@\t\r]|[{HIDDEN_CLASS}]")


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` on one line with every control or invisible character written as an escape.

    ``"a\\nb"`` → ``a\\\\nb`` (a backslash and an n), ESC → ``\\x1b``, a right-to-left override
    → ``\\u202e``, a lone surrogate → ``\\udc80``. Backslashes already in the text are kept as
    they are (Windows paths stay readable); ordinary text is returned unchanged.
    """
    if text.isprintable() or _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(_shown, text)


def has_hidden(text: str) -> bool:
    """Whether :func:`visible` would change ``text``."""
    return not text.isprintable() and _HIDDEN.search(text) is not None


PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable_utf8(data: bytes) -> bool:
    """Whether UTF-8 text (of one text, or many joined) is all printable characters, in C
    loops: the bytes that are not printable ASCII (control characters, and whole UTF-8
    sequences: ASCII bytes are never inside one) are few, and only they are decoded."""
    others = data.translate(None, PRINTABLE_ASCII)
    return not others or str(others, "utf-8").isprintable()


def rewrite_joined(texts: list[str], rewrite: Callable[[str], str]) -> list[str]:
    """``rewrite`` of each text, made by one call on all of them joined by NUL.

    Value for value the same when no text holds a NUL (the callers check they hold no control
    character at all) and ``rewrite`` works character by character, never making or removing a
    NUL (HTML and Markdown escaping): a national report's column is one C loop, not 10^5 calls.
    """
    return rewrite("\x00".join(texts)).split("\x00") if texts else []


def is_formula(text: str) -> bool:
    """Whether a spreadsheet would read this cell as a formula (a plain number is not one)."""
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def inert(text: str) -> str:
    """A spreadsheet cell's text: visible, and with a leading ``'`` when it would be a formula.

    ``=HYPERLINK("http://x")`` → ``'=HYPERLINK("http://x")``; ``-3.5`` stays a number.
    """
    if (text.isprintable() and not text.startswith(FORMULA_STARTS)) or _RISKY.search(text) is None:
        return text
    shown = visible(text)
    return "'" + shown if is_formula(shown) else shown


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as a UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_hidden_escaped(encoded: str) -> str:
    """JSON text with every control or invisible character written as a ``\\u`` escape.

    Lossless (a JSON parser gives back the very same string), unlike :func:`visible`: JSON is
    data, but ``cat report.json`` must not send a C1 control or a bidi override to a terminal.
    Only for JSON text: outside strings, JSON holds no such character.
    """
    if encoded.isprintable() or _HIDDEN.search(encoded) is None:
        return encoded
    return _HIDDEN.sub(_json_escape, encoded)
