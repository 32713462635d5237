"""Text decoding for submitted files: explicit, never the locale's default."""

from __future__ import annotations

import codecs

from ..problems import InputError, Problem

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(raw: bytes, display: str, forced: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` and say which encoding was used. UTF-8 with or without BOM, UTF-16/32 with BOM."""
    if forced:
        try:
            return raw.decode(forced), forced
        except LookupError:
            raise InputError([Problem("usage-error", f"unknown encoding '{forced}'", display, hint="e.g. utf-8, gb18030, big5")]) from None
        except UnicodeDecodeError as err:
            raise _decode_problem(raw, display, forced, err) from None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as err:
                raise _decode_problem(raw, display, name, err) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        raise _decode_problem(raw, display, "utf-8", err) from None


def _decode_problem(raw: bytes, display: str, encoding: str, err: UnicodeDecodeError) -> InputError:
    line = raw[: err.start].count(b"\n") + 1
    column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
    return InputError(
        [
            Problem(
                "encoding-error",
                f"cannot decode the file as {encoding} (byte 0x{raw[err.start]:02x} at byte {column} of the line)",
                display,
                line=line,
                hint="re-save it as 'CSV UTF-8', or name its encoding with --encoding (e.g. gb18030, big5)",
            )
        ]
    )
