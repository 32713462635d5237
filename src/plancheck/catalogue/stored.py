"""A validated catalogue ↔ a cache entry (catalogue.cache stores and finds the entries)."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_type_hints

from . import cache as _cache
from .loaded import Catalogue, Plan
from .models import Indicator, PlanMeta, Region
from .target_columns import from_stored

if TYPE_CHECKING:
    import pandas as pd


def to_cache(catalogue: Catalogue, path: Path, written: dict[str, bytes]) -> Catalogue:
    """Store a validated catalogue and its targets table; return it with the table.

    ``written``: each plan's targets as JSON columns (by plan id, target_columns.stored_columns),
    not dumped from the models (seconds at national scale): validating them again when they
    are read gives the same models.
    """
    from .targets_table import build_columns, spread_years

    columns, repeats = build_columns(catalogue)
    try:
        table: _cache.StoredTable | None = _cache.table_of_columns(columns, repeats, spread_years)
    except (TypeError, ValueError, ImportError):
        table = None  # not one the cache can hold exactly: the table is made, not stored
    if table is None:
        from .targets_table import build

        return replace(catalogue, table=build(catalogue))  # (the columns were used up)
    # The run's table is the stored one as it is read back: a cold run and a warm one see the
    # very same frame.
    catalogue = replace(catalogue, table=_cache.frame_of(table.table, table.columns))
    extras = [f.name for f in fields(Plan) if f.name not in _PLAN_CORE]
    # Each plan's targets as JSON, one after another in a blob kept with the table: the
    # document says where each plan's are, and they are decoded only when asked for.
    blobs: list[bytes] = []
    at = 0
    plans = []
    for plan in catalogue.plans.values():
        targets = written[plan.meta.id]
        plans.append(
            {
                "meta": plan.meta.model_dump(),
                "file": plan.file,
                "lines": list(plan.target_lines),
                "count": len(plan.targets),
                "targets": [at, len(targets)],
                # further fields (tuples of models), by name
                **{name: [m.model_dump() for m in getattr(plan, name)] for name in extras},
            }
        )
        blobs.append(targets)
        at += len(targets)
    _cache.write(
        path,
        {
            "indicators": {k: v.model_dump() for k, v in catalogue.indicators.items()},
            "regions": {k: v.model_dump() for k, v in catalogue.regions.items()},
            "plans": plans,
        },
        table,
        blobs,
    )
    return catalogue


_PLAN_CORE = ("meta", "targets", "file", "target_lines")


def from_cache(
    stored: dict[str, Any], table: pd.DataFrame, blob: memoryview, root: Path
) -> Catalogue | None:
    """The catalogue of a cache entry, its models validated again; None if they do not validate
    (an entry from another schema): then the YAML is loaded instead."""
    hints = get_type_hints(Plan)
    extras = {f.name: get_args(hints[f.name])[0] for f in fields(Plan) if f.name not in _PLAN_CORE}
    try:
        plans = {}
        for item in stored["plans"]:
            meta = PlanMeta.model_validate(item["meta"])
            start, size = item["targets"]
            if start < 0 or start + size > len(blob):
                return None
            view = memoryview(blob)
            plans[meta.id] = Plan(
                meta,
                _cache.LazyTargets(view[start : start + size], item["count"], from_stored),
                item["file"],
                tuple(item["lines"]),
                **{
                    name: tuple(model.model_validate(m) for m in item[name])
                    for name, model in extras.items()
                },
            )
        indicators = {k: Indicator.model_validate(v) for k, v in stored["indicators"].items()}
        regions = {k: Region.model_validate(v) for k, v in stored["regions"].items()}
    except (KeyError, TypeError, ValueError):  # pydantic's ValidationError is a ValueError
        return None
    return Catalogue(indicators, regions, plans, str(root), table)
