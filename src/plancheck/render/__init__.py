"""Renderers: pure functions from a report to text, chosen by name. The CLI decides where text goes."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..evaluation import Report
from .options import RenderOptions

Renderer = Callable[[Report, RenderOptions], str]

# name → module holding render(); imported only when chosen, to keep start-up fast.
FORMATS: dict[str, str] = {"table": "table", "json": "json_report"}


def renderer(name: str) -> Renderer:
    module = import_module(f"{__name__}.{FORMATS[name]}")
    return module.render  # type: ignore[no-any-return]


__all__ = ["FORMATS", "RenderOptions", "Renderer", "renderer"]
