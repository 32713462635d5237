"""Text decoding for submitted files: explicit, never the locale's default.

Order of trust:

1. ``--encoding`` forces one (GBK and GB2312 are read as GB18030, their superset);
2. a byte-order mark: UTF-8, UTF-16 (Excel's "Unicode text") or UTF-32;
3. UTF-16 without a mark, when every other byte of the start is NUL;
4. UTF-8, which almost never decodes text in another encoding by chance;
5. the two legacy Chinese encodings. GB18030 stands for GBK and GB2312 (it is their superset).
   Big5 bytes usually decode "successfully" as GB18030 into nonsense, and GB bytes sometimes
   as Big5, so both are tried and the one whose header names known columns (and whose text is
   made of common characters rather than kana, Cyrillic and rare ideographs) wins.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from functools import lru_cache

from ..problems import InputError, Problem
from .vocabulary import header_hits

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY = ("gb18030", "big5hkscs")  # tried in this order; ties go to the first
_SAMPLE_BYTES = 1 << 16
_HINT = "re-save it as 'CSV UTF-8', or name its encoding with --encoding (e.g. gb18030, big5)"


def decode(raw: bytes, display: str, forced: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` and say which encoding was used."""
    if forced:
        try:
            info = codecs.lookup(forced)
            # rot13, base64, zlib … are codecs but not text encodings: bytes.decode refuses them
            # (CPython marks them so; the flag is what bytes.decode itself checks).
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(f"'{forced}' is not a text encoding")
        except LookupError as err:
            what = "not a text encoding" if "text encoding" in str(err) else "an unknown encoding"
            raise InputError(
                [
                    Problem(
                        "usage-error",
                        f"--encoding '{forced}' is {what}",
                        display,
                        value=forced,
                        hint="e.g. utf-8, utf-16, gb18030, big5",
                    )
                ]
            ) from None
        if info.name in ("gbk", "gb2312"):
            forced = "gb18030"  # their superset: a GBK file with a rare character still reads
        try:
            return raw.decode(forced), forced
        except UnicodeError as err:
            raise _decode_problem(raw, display, forced, err) from None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeError as err:
                raise _decode_problem(raw, display, name, err) from None
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        try:
            return raw.decode(utf16), utf16
        except UnicodeError:
            pass  # not UTF-16 after all: go on guessing
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    text = _legacy(raw)
    if text is not None:
        return text
    raise _decode_problem(raw, display, "utf-8, gb18030 or big5", utf8_error)


def _utf16_without_bom(raw: bytes) -> str | None:
    head = raw[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _legacy(raw: bytes) -> tuple[str, str] | None:
    """Decode with the legacy Chinese encoding whose text makes the most sense."""
    sample = raw[:_SAMPLE_BYTES]
    scored: list[tuple[float, int, str]] = []
    for order, name in enumerate(LEGACY):
        try:
            text = sample.decode(name)
        except UnicodeDecodeError as err:
            if len(sample) == len(raw) or err.start < len(sample) - 4:
                continue  # a real error, not a character cut by the sample's end
            text = sample[: err.start].decode(name)
        scored.append((plausibility(text), -order, name))
    for _, _, name in sorted(scored, reverse=True):
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    return None


def plausibility(text: str) -> float:
    """How much ``text`` looks like a real Chinese table: known header cells, common characters."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    cells = [c.strip().strip('"').strip() for c in first.split(delimiter)]
    non_ascii = re.sub(r"[\x00-\x7f\s]", "", text[:20000])
    common = sum(1 for c in non_ascii if c in _common_characters())
    share = common / len(non_ascii) if non_ascii else 1.0
    return 10.0 * header_hits(cells) + share


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    """GB2312 level 1 (3,755 common simplified characters), Big5 level 1 (5,401 common
    traditional ones) and the full-width punctuation both use."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            _add(chars, bytes((lead, trail)), "gb2312")
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            _add(chars, bytes((lead, trail)), "big5")
    chars.update("，。、；：？！（）《》“”‘’—…·％．－　")
    return frozenset(chars)


def _add(chars: set[str], pair: bytes, encoding: str) -> None:
    with contextlib.suppress(UnicodeDecodeError):
        chars.add(pair.decode(encoding))


def _decode_problem(raw: bytes, display: str, encoding: str, err: UnicodeError) -> InputError:
    start = getattr(err, "start", 0)
    line = raw[:start].count(b"\n") + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    byte = (
        f"byte 0x{raw[start]:02x} at byte {column} of the line" if start < len(raw) else "the end"
    )
    return InputError(
        [
            Problem(
                "encoding-error",
                f"cannot decode the file as {encoding} ({byte})",
                display,
                line=line,
                value=raw[start : start + 4].hex(" ")
                or None,  # the bytes, as a hex editor shows them
                hint=_HINT,
            )
        ]
    )
