"""The language plancheck speaks, from the locale: imported at start-up, so it imports nothing."""

from __future__ import annotations

from collections.abc import Mapping


def default_lang(environ: Mapping[str, str]) -> str:
    """``zh`` when the locale is Chinese, else ``en``; the first set variable decides."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
