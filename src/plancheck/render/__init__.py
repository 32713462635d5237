"""Renderers: pure functions from a report to text, chosen by name. The CLI decides where text goes."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from ..evaluation import Report
from ..formats import FORMATS
from .options import Names, RenderOptions

Renderer = Callable[[Report, RenderOptions], str]


def renderer(name: str) -> Renderer:
    module = import_module(f"{__name__}.{FORMATS[name]}")
    return cast(Renderer, module.render)


__all__ = ["FORMATS", "Names", "RenderOptions", "Renderer", "renderer"]
