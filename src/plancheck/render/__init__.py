"""Renderers: pure functions from a report to text, chosen by name. The CLI decides where text goes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from typing import cast

from ..evaluation import Report
from ..formats import FORMATS
from .options import Names, RenderOptions

Renderer = Callable[[Report, RenderOptions], str]
ChunkRenderer = Callable[[Report, RenderOptions], Iterator[str]]


def renderer(name: str) -> Renderer:
    module = import_module(f"{__name__}.{FORMATS[name]}")
    return cast(Renderer, module.render)


def chunks(name: str) -> ChunkRenderer:
    """The renderer as a stream of text chunks, so that its output is written as it is made:
    the module's ``render_chunks`` when it has one, else its whole text as one chunk."""
    module = import_module(f"{__name__}.{FORMATS[name]}")
    streamed = getattr(module, "render_chunks", None)
    if streamed is not None:
        return cast(ChunkRenderer, streamed)
    whole = cast(Renderer, module.render)

    def one_chunk(report: Report, options: RenderOptions) -> Iterator[str]:
        yield whole(report, options)

    return one_chunk


__all__ = ["FORMATS", "ChunkRenderer", "Names", "RenderOptions", "Renderer", "chunks", "renderer"]
