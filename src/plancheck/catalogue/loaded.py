"""A loaded catalogue: its plans (with each target's line) and its indicators and regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..names import NameIndex
from .models import Exclusion, Indicator, PlanMeta, Region, Target

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Plan:
    meta: PlanMeta
    targets: Sequence[Target]  # a tuple; for a cached catalogue, decoded on first use
    file: str
    target_lines: tuple[int, ...]  # line of each target's entry, in the order of `targets`
    excluded: tuple[Exclusion, ...] = ()  # clauses that are not targets, with reasons (coverage)


@dataclass(frozen=True)
class Catalogue:
    indicators: dict[str, Indicator]
    regions: dict[str, Region]
    plans: dict[str, Plan]
    root: str
    # The canonical targets table of every target (targets_table.build), kept with a large
    # catalogue so that it is built once and cached with it; None: built when needed.
    table: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    # Name indexes, built on first use (names.NameIndex): "indicator" and "region".
    _indexes: dict[str, NameIndex] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def targets(self) -> list[tuple[Plan, Target]]:
        return [(plan, t) for plan in self.plans.values() for t in plan.targets]

    def targets_with_lines(self) -> list[tuple[Plan, Target, int]]:
        return [
            (plan, t, line)
            for plan in self.plans.values()
            for t, line in zip(plan.targets, plan.target_lines, strict=True)
        ]

    def region_lookup(self) -> dict[str, str]:
        """Every accepted spelling of a region (id, names, aliases, code) → region id."""
        lookup: dict[str, str] = {}
        for rid, region in self.regions.items():
            for name in (rid, region.name_zh, region.name_en, region.code, *region.aliases):
                if name:
                    lookup.setdefault(name, rid)
                    lookup.setdefault(name.casefold(), rid)
        return lookup

    def indicator_index(self) -> NameIndex:
        """Every spelling of an indicator (id, names, aliases) → indicator id; built once."""
        return self._index("indicator", self.indicators)

    def region_index(self) -> NameIndex:
        """Every spelling of a region (id, names, aliases, code) → region id; built once."""
        return self._index("region", self.regions)

    def _index(self, kind: str, items: Mapping[str, Indicator | Region]) -> NameIndex:
        index = self._indexes.get(kind)
        if index is None:
            spellings = {
                item_id: [s for _, s in named(item_id, item)] for item_id, item in items.items()
            }
            index = self._indexes[kind] = NameIndex(kind, spellings)
        return index


def named(item_id: str, item: Indicator | Region) -> list[tuple[tuple[str | int, ...], str]]:
    """Every spelling an indicator or region is known by, with its key path in the YAML file."""
    found: list[tuple[tuple[str | int, ...], str]] = [
        ((item_id,), item_id),
        ((item_id, "name_zh"), item.name_zh),
        ((item_id, "name_en"), item.name_en),
    ]
    code = getattr(item, "code", None)
    if code:
        found.append(((item_id, "code"), code))
    found.extend(((item_id, "aliases", i), alias) for i, alias in enumerate(item.aliases))
    return found
