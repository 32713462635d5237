"""A name as a statistician writes it → the catalogue id it stands for.

Yearbook and bulletin tables print indicator and region names with decoration around the name
itself: a unit in a trailing bracket (``森林覆盖率(%)``), footnote markers (``森林覆盖率①``),
a leading ``#`` or ``其中：`` for an of-which row (``#工业``), spaces that pad the name to the
column width (``森 林 覆 盖 率``), traditional characters and full-width letters.
:func:`split_name` takes the decoration off; :func:`fold` gives the key that two spellings of
one name share; :class:`NameIndex` maps every spelling the catalogue knows to its id and
suggests the closest when nothing matches.

Folding never picks between two entries: spellings of two ids that fold to one key resolve to
neither, and the catalogue loader reports them (:attr:`NameIndex.conflicts`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from . import units
from .problems import did_you_mean

if TYPE_CHECKING:
    from opencc import OpenCC


class NameParts(NamedTuple):
    """A name cell taken apart; ``name`` is what is looked up in the catalogue."""

    name: str  # the bare name, outer spaces stripped (inner ones kept as written)
    unit: str = ""  # the unit a trailing bracket states, NFKC-normalised ("%", "个", "亿元")
    markers: str = ""  # the trailing footnote markers, as written ("①", "³", "*", "(1)")
    of_which: bool = False  # a leading '#' or '其中：': its own item, never added to its parent


# Footnote markers: enclosed alphanumerics (① ⑴ ⒈ ⒜ Ⓐ ⓫ ⓵), dingbat circled numbers (❶ ➀),
# circled numbers 21–50 and circled ideographs (㉑ ㊀ ㊱), plus the symbols tables use.
_MARKER_BLOCKS = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3251, 0x325F), (0x3280, 0x32BF))
_MARKER_SYMBOLS = frozenset("*＊∗⁎†‡§※")
_OF_WHICH = re.compile(r"\s*(?:[#＃]+|其中\s*[:：])\s*")
_BRACKET_TAIL = re.compile(r"[(\[（［【〔]([^()\[\]（）［］【】〔〕]*)[)\]）］】〕]\s*$")
_FOOTNOTE_NUMBER = re.compile(r"[0-9]{1,2}")
_UNIT_LABEL = re.compile(r"^单位\s*[:：]\s*")  # 金额(单位：亿元)
_BARE_SHARE = ("%", "％", "‰")  # 森林覆盖率% : a share sign needs no bracket
_QUOTES = frozenset("\"'“”‘’„‚«»‹›「」『』〝〞〟＂＇")
# Printable ASCII and CJK ideographs: NFKC leaves them alone and the only space, quotes and dash
# among them are ASCII, so most names fold without a look at each character.
_PLAIN = re.compile(r"[\x20-\x7e\u4e00-\u9fff]*")
_PLAIN_DROP = str.maketrans("", "", " \"'")
_MAX_UNIT_LENGTH = 12


def _is_marker(char: str) -> bool:
    if char in _MARKER_SYMBOLS:
        return True
    if char < "\u00aa" or "\u4e00" <= char <= "\u9fff":  # ASCII, Latin-1 signs, CJK: never
        return False
    code = ord(char)
    if any(low <= code <= high for low, high in _MARKER_BLOCKS):
        return True
    # superscript and subscript digits and letters: ¹ ² ³ ⁴ ₁ ᵃ ⁿ …
    return unicodedata.decomposition(char).startswith(("<super>", "<sub>"))


def _as_unit(text: str) -> str | None:
    """The bracket's text as a unit, or None when it is not a unit plancheck knows.

    Bare numbers are footnote references, never units (``units.is_known`` accepts ``1`` as the
    dimensionless unit), and a single Latin letter is as often a footnote or a flag (a, b, p, r,
    s, d) as a unit (t, m, h): both stay with the name, which then does not resolve and is refused.
    """
    unit = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _UNIT_LABEL.sub("", text.strip())))
    if not unit or len(unit) > _MAX_UNIT_LENGTH or unit.isdigit():
        return None
    if len(unit) == 1 and unit.isascii() and unit.isalpha():
        return None
    return unit if units.is_known(unit) else None


@lru_cache(maxsize=1 << 16)
def split_name(cell: str) -> NameParts:
    """Take a name cell apart into the bare name, a stated unit, footnote markers and of-which.

    - A leading ``#`` (or ``＃``) or ``其中：`` / ``其中:`` marks an of-which row.
    - Trailing footnote markers are split off: enclosed numbers and letters (① ⑴ ⒈ Ⓐ ❶ ㉑),
      superscript and subscript digits and letters (³ ₁ ᵃ), ``* † ‡ § ※``, and a bracketed
      number of one or two digits (``(1)``, ``［2］``).
    - One trailing bracket, ASCII or full-width (``() （） [] ［］ 【】 〔〕``), is the unit when
      its text is a unit plancheck knows (``units.is_known``: ``%``, ``个``, ``亿元``, ``万户``,
      ``元/人``…; ``单位：`` inside is dropped). So is a bare trailing ``%``, ``％`` or ``‰``.
    - Any other bracket stays part of the name: ``(初步)`` or ``(含深汕)`` qualify what is
      counted, so such a name matches only an entry (or alias) written with it. A single Latin
      letter or a second unit bracket also stays, and the name then does not resolve.

    Markers and the unit may come in either order (``森林覆盖率(%)①``, ``森林覆盖率①(%)``).
    Nothing is stripped that would leave an empty name: the cell is then the name as written.
    """
    text = cell.strip()
    last = text[-1:]
    plain_end = (last.isascii() and last.isalnum()) or "\u4e00" <= last <= "\u9fff"
    if plain_end and text[0] not in "#＃其":
        return NameParts(text)  # most names: nothing to take off either end
    of_which = False
    prefix = _OF_WHICH.match(text)
    if prefix and text[prefix.end() :].strip():
        of_which, text = True, text[prefix.end() :]
    unit, markers = "", ""
    while (piece := _last_decoration(text.rstrip(), unit)) is not None:
        text, found_unit, found_markers = piece
        unit, markers = found_unit or unit, found_markers + markers
    return NameParts(text.strip(), unit, markers, of_which)


def _last_decoration(text: str, unit: str) -> tuple[str, str, str] | None:
    """The decoration at the end of a name, split off: (the rest, a unit, footnote markers), or
    None when there is none (``unit``: the one found already; a second is part of the name)."""
    end = len(text)
    while end and _is_marker(text[end - 1]):
        end -= 1
    if 0 < end < len(text) and text[:end].strip():
        return text[:end], "", text[end:]
    bracket = _BRACKET_TAIL.search(text)
    if bracket and text[: bracket.start()].strip():
        inner = unicodedata.normalize("NFKC", bracket.group(1)).strip()
        if _FOOTNOTE_NUMBER.fullmatch(inner):  # (1), ［2］: a footnote reference
            return text[: bracket.start()], "", bracket.group(0).strip()
        found = None if unit else _as_unit(bracket.group(1))
        if found is not None:
            return text[: bracket.start()], found, ""
    if not unit and text.endswith(_BARE_SHARE) and text[:-1].strip():
        return text[:-1], unicodedata.normalize("NFKC", text[-1]), ""
    return None


@lru_cache(maxsize=1)
def _simplifier() -> OpenCC:
    import opencc  # a C++ extension with its dictionaries: loaded when a name is first folded

    return opencc.OpenCC("t2s")


def _compatibility_form(text: str) -> str:
    """NFKC (full-width → half-width, compatibility ideographs → unified), markers left alone.

    NFKC would turn ① into 1 and ³ into 3; a name that still holds a marker must not gain a digit.
    """
    if not any(_is_marker(c) for c in text):
        return unicodedata.normalize("NFKC", text)
    out: list[str] = []
    run = 0
    for i, char in enumerate(text):
        if _is_marker(char):
            out.append(unicodedata.normalize("NFKC", text[run:i]))
            out.append(char)
            run = i + 1
    out.append(unicodedata.normalize("NFKC", text[run:]))
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The key two spellings of one name share.

    Full-width and compatibility forms → NFKC (markers such as ① and ³ kept, never digits);
    whitespace, format characters (zero-width spaces, BOM) and quotation marks removed; every
    dash written ``-``; traditional → simplified characters (OpenCC's ``t2s``); casefolded.
    ``森林覆蓋率``, ``森 林 覆 盖 率`` and ``“森林覆盖率”`` all fold to ``森林覆盖率``.
    """
    if _PLAIN.fullmatch(text):
        folded = text.translate(_PLAIN_DROP)
    else:
        kept: list[str] = []
        for char in _compatibility_form(text):
            if char.isspace() or char in _QUOTES:
                continue
            category = unicodedata.category(char)
            if category == "Cf":
                continue
            kept.append("-" if category == "Pd" else char)
        folded = "".join(kept)
    if not folded.isascii():  # only CJK text needs the converter
        folded = _simplifier().convert(folded)
    return folded.casefold()


class NameConflict(NamedTuple):
    """Two ids whose spellings fold to one key: such spellings resolve to neither."""

    key: str
    first_id: str
    first_spelling: str
    other_id: str
    other_spelling: str


class NameIndex:
    """Every spelling of a catalogue's indicators (or regions) → id.

    Built once per catalogue from id → spellings (the id itself, names, aliases, code).
    :meth:`resolve` tries the spelling as written, then its :func:`fold`.
    """

    def __init__(self, kind: str, spellings: Mapping[str, Iterable[str]]) -> None:
        self.kind = kind  # "indicator" or "region", for messages
        self.conflicts: list[NameConflict] = []
        owner: dict[str, tuple[str, str]] = {}  # folded key → (id, first spelling)
        ambiguous: set[str] = set()
        written: dict[str, str] = {}  # spelling as written → id
        for item_id, names in spellings.items():
            for spelling in names:
                key = fold(spelling)
                if not key:
                    continue
                first = owner.setdefault(key, (item_id, spelling))
                if first[0] != item_id:
                    ambiguous.add(key)
                    self.conflicts.append(NameConflict(key, *first, item_id, spelling))
                written.setdefault(spelling, item_id)
        self._folded = {key: item_id for key, (item_id, _) in owner.items() if key not in ambiguous}
        self._written = {s: i for s, i in written.items() if fold(s) not in ambiguous}

    def resolve(self, spelling: str) -> str | None:
        """The id ``spelling`` names, or None when it names none (or more than one)."""
        found = self._written.get(spelling)
        return found if found is not None else self._folded.get(fold(spelling))

    def suggest(self, spelling: str) -> str:
        """A hint for a spelling that does not resolve: the closest spellings with their ids."""
        if spelling:
            close = did_you_mean(spelling, self._written, meaning=self._written) or did_you_mean(
                spelling, self._written, meaning=self._written, key=fold
            )
            if close:
                return close
        return f"use an id or name from the catalogue's {self.kind}s (plancheck list)"

    def spellings(self) -> dict[str, str]:
        """Every unambiguous spelling as written → its id."""
        return dict(self._written)
