"""Comparison methods: one :class:`~.base.ComparisonMethod` per kind of target, in a registry.

``registry()`` maps each kind (level, growth, milestone) to the method that judges it; the
evaluation runs each over the targets of its kind.
"""

from __future__ import annotations

from .base import RESULT_FIELDS, TARGET_COLUMNS, ComparisonMethod, Context

__all__ = ["RESULT_FIELDS", "TARGET_COLUMNS", "ComparisonMethod", "Context", "registry"]


def registry() -> dict[str, ComparisonMethod]:
    """Kind → method, for every kind of target the catalogue has."""
    from .growth import GrowthMethod
    from .milestone import MilestoneMethod
    from .threshold import LevelMethod

    methods: tuple[ComparisonMethod, ...] = (LevelMethod(), GrowthMethod(), MilestoneMethod())
    return {method.kind: method for method in methods}
