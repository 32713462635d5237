"""YAML catalogue → validated models.

Each file is read and validated on its own (catalogue.files), then the whole is cross-checked
(catalogue.checks): ids unique across the catalogue, references resolve, units convert. All
problems are collected and raised together. A large catalogue that loads without problems is
kept in the cache (catalogue.stored, catalogue.cache) with its targets table.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path

from .. import strict_yaml
from ..problems import InputError, Problem
from . import cache as _cache
from .checks import cross_check as cross_check
from .files import load_mapping, load_plan, shown_name
from .loaded import Catalogue as Catalogue
from .loaded import Plan as Plan
from .models import Indicator, Region
from .stored import from_cache, to_cache
from .target_columns import stored_columns


def load_catalogue(root: Path) -> Catalogue:
    """Load and check the whole catalogue under ``root``; raises InputError listing every problem."""
    if not root.is_dir():
        raise InputError(
            [
                Problem(
                    "missing-file",
                    "catalogue folder not found",
                    str(root),
                    hint="pass --targets DIR",
                )
            ]
        )
    plan_paths = sorted((root / "plans").glob("*.y*ml")) if (root / "plans").is_dir() else []
    cached_at = _cache.cache_file(
        root,
        [root / "indicators.yaml", root / "regions.yaml", *plan_paths],
        shown_name,
    )
    with _collector_paused():
        if cached_at is not None:
            stored = _cache.read(cached_at)
            if stored is not None:
                cached = from_cache(*stored, root)
                if cached is not None:
                    return cached
        return _load(root, plan_paths, cached_at)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of values are made (and none freed): each
    pass would walk all of them again, a quarter of the load. It resumes after the load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(root: Path, plan_paths: list[Path], cached_at: Path | None) -> Catalogue:
    """Read, validate and check every file; cache the catalogue when it has a place."""
    problems: list[Problem] = []
    documents: dict[str, strict_yaml.Document] = {}  # for the lines of cross-checked names
    shown = {name: shown_name(root / name) for name in ("indicators.yaml", "regions.yaml")}
    indicators = load_mapping(
        root / "indicators.yaml", Indicator, problems, shown["indicators.yaml"], documents
    )
    regions = load_mapping(
        root / "regions.yaml", Region, problems, shown["regions.yaml"], documents
    )
    plans, written = _load_plans(root, plan_paths, problems, keep=cached_at is not None)
    catalogue = Catalogue(indicators, regions, plans, str(root))
    problems.extend(cross_check(catalogue, documents))
    if problems:
        raise InputError(problems)
    if cached_at is not None:
        catalogue = to_cache(catalogue, cached_at, written)
    return catalogue


def _load_plans(
    root: Path, paths: list[Path], problems: list[Problem], *, keep: bool
) -> tuple[dict[str, Plan], dict[str, bytes]]:
    """Each plan file's plan by id, and (``keep``: for the cache) its targets' columns as JSON,
    made at once (the plain values of 285,000 targets would double the peak memory)."""
    if not paths:
        problems.append(
            Problem(
                "missing-file",
                "no plan files found",
                shown_name(root / "plans"),
                hint="add targets/plans/<plan-id>.yaml",
            )
        )
    plans: dict[str, Plan] = {}
    written: dict[str, bytes] = {}
    for path in paths:
        plan = load_plan(path, problems, shown_name(path))
        if plan is None:
            continue
        if plan.meta.id in plans:
            problems.append(
                Problem(
                    "duplicate-id",
                    f"plan id '{plan.meta.id}' is also used by {plans[plan.meta.id].file}",
                    plan.file,
                    value=plan.meta.id,
                )
            )
            continue
        plans[plan.meta.id] = plan
        if keep:
            written[plan.meta.id] = _cache.dump_bytes(stored_columns(plan.targets))
    return plans, written
