"""What a comparison method is: the kind of target it judges and how it judges them.

A method takes the canonical targets of its kind, the canonical actuals and the context, and
returns a frame indexed like the targets with the :data:`RESULT_FIELDS` it knows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ...catalogue import Catalogue

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

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

# The targets table's columns that judging reads (the comparison methods here and the progress
# methods): the evaluation hands each method these only, so that a national catalogue's long
# texts (quotes, sections, ids) are not copied into every kind's share of the targets.
TARGET_COLUMNS = (
    "indicator",
    "region",
    "year",
    "kind",
    "comparator",
    "value",
    "value_max",
    "value_text",  # their exact decimal texts, read in one pass at a near tie
    "value_max_text",
    "value_float",
    "t_factor",
    "t_factor_float",
    "lo",
    "hi",
    "direction",
    "base_year",
    "period_start",
    "level_indicator",
    "stage",
)
# Besides the RESULT_FIELDS, a method's frame says where the actual it shows is: its position in
# the canonical actuals table (-1: none), so that its line and cell are found without a search.
# Not a result column.
AT = "actual_at"

# Added by the evaluation to the targets it hands out: each target's (indicator, region) as
# ActualsIndex.pair_keys numbers it, worked out once for every method.
PAIR = "pair"


def target_pairs(targets: pd.DataFrame, ctx: Context) -> np.ndarray:
    """Each target's (indicator, region) number: the evaluation's, else worked out here."""
    if PAIR in targets.columns:
        return targets[PAIR].to_numpy(dtype="int64")
    return ctx.actuals.pair_keys(targets["indicator"], targets["region"])


@dataclass(frozen=True)
class Context:
    catalogue: Catalogue
    as_of: int
    # The canonical actuals, with their rows found by key; or a function that returns them
    # once indexed (the evaluation indexes a national table in a worker thread, and a method
    # that finds no rows by key starts without waiting for it).
    index: ActualsIndex | Callable[[], ActualsIndex]

    @property
    def actuals(self) -> ActualsIndex:
        return self.index() if callable(self.index) else self.index


class ComparisonMethod(ABC):
    """Judges every target of one ``kind`` (level, growth, milestone) against the actuals."""

    kind: ClassVar[str]  # the catalogue's target kind (targets_table.kind_of) it judges
    description: ClassVar[str]  # one line, for docs and the registry's listing
    # The TARGET_COLUMNS its check reads (besides PAIR): the evaluation hands it these only,
    # as each column handed out is a gather over its targets (text ones over Arrow strings).
    reads: ClassVar[tuple[str, ...]] = TARGET_COLUMNS
    # Whether its check finds actual rows by key (ctx.actuals); and its rough cost per target
    # relative to the others (measured at national scale): together they order the kinds
    # judged side by side, the ones that need not wait for the index first, then the longest.
    looks_up: ClassVar[bool] = True
    cost: ClassVar[float] = 1.0

    @abstractmethod
    def check(self, targets: pd.DataFrame, actuals: pd.DataFrame, ctx: Context) -> pd.DataFrame:
        """The :data:`RESULT_FIELDS` it knows, one row per target, indexed like ``targets``."""
