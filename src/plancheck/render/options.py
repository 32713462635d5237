"""What a renderer needs to know about where its text will go; decided by the CLI, not by renderers."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..catalogue import Catalogue

_SYMBOLS = "✓✗…○↑↓·─│┃━╇"


@dataclass(frozen=True)
class Names:
    """Display names from the catalogue, id → (Chinese, English), so renderers need no catalogue."""

    indicators: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    regions: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_catalogue(cls, catalogue: Catalogue) -> Names:
        return cls(
            {k: (v.name_zh, v.name_en) for k, v in catalogue.indicators.items()},
            {k: (v.name_zh, v.name_en) for k, v in catalogue.regions.items()},
        )

    def indicator(self, iid: str, lang: str) -> str:
        return _pick(self.indicators.get(iid), iid, lang)

    def region(self, rid: str, lang: str) -> str:
        return _pick(self.regions.get(rid), rid, lang)


def _pick(names: tuple[str, str] | None, fallback: str, lang: str) -> str:
    if names is None:
        return fallback
    return names[0] if lang == "zh" else names[1]


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int | None = None  # None: as wide as the content needs (not a terminal)
    unicode: bool = True  # False: ASCII markers and borders (a console that cannot print ✓)
    lang: str = "en"
    quiet: bool = False
    names: Names = field(default_factory=Names)  # empty: renderers show ids


def for_stream(
    stream: TextIO, color: str = "auto", lang: str = "en", quiet: bool = False
) -> RenderOptions:
    """Colour on a terminal, or when forced (--color always, FORCE_COLOR); never with NO_COLOR.

    --color always/never decide; with auto, NO_COLOR (no-color.org) wins over FORCE_COLOR
    (force-color.org), which colours a log that is not a terminal (CI). Full width when piped.
    """
    tty = bool(getattr(stream, "isatty", lambda: False)())
    force = os.environ.get("FORCE_COLOR", "")
    if color == "always":
        use_color = True
    elif color == "never" or os.environ.get("NO_COLOR"):
        use_color = False
    elif force and force.lower() not in ("0", "false"):
        use_color = True
    else:
        use_color = tty and os.environ.get("TERM") != "dumb"
    width = None
    if tty:
        try:
            width = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            width = None
    return RenderOptions(use_color, width, can_encode(stream, _SYMBOLS), lang, quiet)


def can_encode(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or sys.getdefaultencoding()
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
