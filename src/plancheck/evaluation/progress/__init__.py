"""Progress methods for targets not yet due, one :class:`~.base.ProgressMethod` each, by name.

The names and one-line descriptions live in :mod:`plancheck.progress_methods`, which the CLI reads
at start-up without importing pandas; a test checks that the registry holds exactly those.
"""

from __future__ import annotations

from ...progress_methods import PROGRESS_METHODS
from .base import OUTPUT, ProgressMethod

__all__ = ["METHODS", "OUTPUT", "ProgressMethod", "method", "registry"]

METHODS = tuple(PROGRESS_METHODS)


def registry() -> dict[str, ProgressMethod]:
    """Name → method, in the order of the light table."""
    from .eurostat import Eurostat
    from .linear import Linear
    from .ndrc import Ndrc
    from .unsd import Unsd

    methods: tuple[ProgressMethod, ...] = (Ndrc(), Eurostat(), Unsd(), Linear())
    return {m.name: m for m in methods}


def method(name: str) -> ProgressMethod:
    """The method called ``name``; KeyError when there is none."""
    return registry()[name]
