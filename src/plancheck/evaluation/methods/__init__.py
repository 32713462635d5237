"""Comparison methods, one module each: ``KIND`` names the targets it judges, ``check()`` judges them.

A method takes the canonical targets of its kind, the canonical actuals and the context, and
returns a frame indexed like the targets with the :data:`RESULT_FIELDS` it knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ...catalogue import Catalogue

if TYPE_CHECKING:
    from ..lookup import ActualsIndex

RESULT_FIELDS = (
    "status",
    "actual_value",
    "actual_unit",
    "actual_year",
    "gap",
    "achievement",
    "actual_file",
    "actual_row",
    "basis",
    "completed",
    "flag",
)


@dataclass(frozen=True)
class Context:
    catalogue: Catalogue
    as_of: int
    actuals: ActualsIndex  # the canonical actuals, with their rows found by key


def registry() -> dict[str, ModuleType]:
    from . import growth, milestone, threshold

    return {m.KIND: m for m in (threshold, growth, milestone)}
