"""What a renderer needs to know about where its text will go; decided by the CLI, not by renderers."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TextIO

_SYMBOLS = "✓✗…○─│┃━╇"


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False
    width: int | None = None  # None: as wide as the content needs (not a terminal)
    unicode: bool = True  # False: ASCII markers and borders (a console that cannot print ✓)
    lang: str = "en"
    quiet: bool = False


def for_stream(stream: TextIO, color: str = "auto", lang: str = "en", quiet: bool = False) -> RenderOptions:
    """Colour only on a terminal (or when forced), never with NO_COLOR; full width when piped."""
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if color == "always":
        use_color = True
    elif color == "never" or os.environ.get("NO_COLOR"):
        use_color = False
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
