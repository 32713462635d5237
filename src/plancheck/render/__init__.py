"""Renderers: pure functions from a report to text, chosen by name. The CLI decides where text goes."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from ..evaluation import Report
from .options import Names, RenderOptions

Renderer = Callable[[Report, RenderOptions], str]

# name → module holding render(); imported only when chosen, to keep start-up fast.
FORMATS: dict[str, str] = {
    "table": "table",
    "json": "json_report",
    "csv": "csv_report",
    "markdown": "markdown",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "html": "html_report",
}


def renderer(name: str) -> Renderer:
    module = import_module(f"{__name__}.{FORMATS[name]}")
    return cast(Renderer, module.render)


__all__ = ["FORMATS", "Names", "RenderOptions", "Renderer", "renderer"]
