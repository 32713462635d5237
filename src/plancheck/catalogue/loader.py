"""YAML catalogue → validated models.

Each file is parsed by the strict loader, then validated item by item (one bad target gives one
problem and does not hide the others), then cross-checked: ids unique across the catalogue,
references resolve, units convert. All problems are collected and raised together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_type_hints

from pydantic import BaseModel, ValidationError

from .. import strict_yaml, units
from ..names import NameIndex, split_name
from ..problems import InputError, Problem, short
from ..problems import did_you_mean as did_you_mean  # re-exported: readers import it from here
from . import cache as _cache
from .models import Exclusion, Indicator, PlanFile, PlanMeta, Region, Target

if TYPE_CHECKING:
    import pandas as pd

M = TypeVar("M", bound=BaseModel)


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
                item_id: [s for _, s in _named(item_id, item)] for item_id, item in items.items()
            }
            index = self._indexes[kind] = NameIndex(kind, spellings)
        return index


def _named(item_id: str, item: Indicator | Region) -> list[tuple[tuple[str | int, ...], str]]:
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


def _problems_from(
    err: ValidationError, doc: strict_yaml.Document, prefix: tuple[Any, ...], model: type[BaseModel]
) -> list[Problem]:
    problems: list[Problem] = []
    for e in err.errors():
        loc = tuple(x for x in e["loc"] if x != "[key]")
        path = (*prefix, *loc)
        line, column = doc.position(path)
        where = ".".join(str(x) for x in path) or "(top level)"
        raw = e.get("input")
        kind, hint = "invalid-value", None
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            kind = "unknown-key"
            key = str(loc[-1]) if loc else "?"
            message = f"unknown key '{key}'"
            fields = _fields_at(model, loc[:-1])
            hint = did_you_mean(key, fields) or (
                f"allowed keys: {', '.join(fields)}" if fields else None
            )
            raw = key
        elif e["type"] == "missing":
            kind = "missing-key"
            message = f"required key '{loc[-1]}' is missing"
            raw = None
        elif e["type"].endswith("_type") or e["type"] in (
            "bool_parsing",
            "int_parsing",
            "date_from_datetime_parsing",
        ):
            kind = "type-error"
            if isinstance(raw, (int, float)) or type(raw).__name__ == "Decimal":
                hint = "quote the value if it is text"
            elif isinstance(raw, str) and e["type"].startswith("bool"):
                hint = "write true or false"
        elif e["type"] == "value_error" and "expected a number" in message:
            kind = "type-error"
            message = message.removeprefix("Value error, ")
        elif e["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        problems.append(
            Problem(
                kind,
                message,
                doc.file,
                line=line,
                column=column,
                field=where,
                value=None if raw is None or isinstance(raw, (dict, list)) else short(raw),
                hint=hint,
            )
        )
    return problems


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the (sub)model that an error location points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            break
        annotation = field.annotation
        args = getattr(annotation, "__args__", ()) or (annotation,)
        nested = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return []
        current = nested[0]
    return list(getattr(current, "model_fields", {}))


def _validate(
    model: type[M],
    data: Any,
    doc: strict_yaml.Document,
    prefix: tuple[Any, ...],
    problems: list[Problem],
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems.extend(_problems_from(err, doc, prefix, model))
        return None


def _load_mapping(
    path: Path,
    model: type[M],
    problems: list[Problem],
    display: str,
    documents: dict[str, strict_yaml.Document] | None = None,
) -> dict[str, M]:
    """Validate each entry of an id → entry file; ``documents[display]`` keeps its positions."""
    try:
        doc = strict_yaml.load(path, display=display)
    except InputError as err:
        problems.extend(err.problems)
        return {}
    if documents is not None:
        documents[display] = doc
    if not isinstance(doc.data, dict):
        problems.append(
            Problem("type-error", "the file must be a mapping of id → entry", display, line=1)
        )
        return {}
    result: dict[str, M] = {}
    for key, entry in doc.data.items():
        if (
            not isinstance(key, str)
            or not key.isascii()
            or not key.replace("_", "").isalnum()
            or not key[:1].islower()
        ):
            line, col = doc.position((key,))
            problems.append(
                Problem(
                    "invalid-id",
                    f"'{key}' is not a valid id",
                    display,
                    line=line,
                    column=col,
                    value=str(key),
                    hint="ids are lower-case ASCII letters, digits and underscores, starting with a letter",
                )
            )
            continue
        item = _validate(model, entry, doc, (key,), problems)
        if item is not None:
            result[key] = item
    return result


def _load_plan(path: Path, problems: list[Problem], display: str) -> Plan | None:
    try:
        doc = strict_yaml.load(path, display=display)
    except InputError as err:
        problems.extend(err.problems)
        return None
    data = doc.data
    if not isinstance(data, dict):
        problems.append(
            Problem(
                "type-error", "a plan file is a mapping with 'plan' and 'targets'", display, line=1
            )
        )
        return None
    # Check the top level without the targets, then each target on its own.
    top = {k: (v if k != "targets" else []) for k, v in data.items()}
    shell = _validate(PlanFile, top, doc, (), problems)
    raw_targets = data.get("targets")
    if raw_targets is not None and not isinstance(raw_targets, list):
        line, col = doc.position(("targets",))
        problems.append(
            Problem("type-error", "'targets' must be a list", display, line=line, column=col)
        )
        raw_targets = []
    targets: list[Target] = []
    lines: list[int] = []
    for i, raw in enumerate(raw_targets or []):
        target = _validate(Target, raw, doc, ("targets", i), problems)
        if target is not None:
            targets.append(target)
            lines.append(doc.position(("targets", i))[0] or 0)
    if shell is None:
        return None
    return Plan(shell.plan, tuple(targets), display, tuple(lines), tuple(shell.excluded))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_catalogue(root: Path) -> Catalogue:
    """Load and check the whole catalogue under ``root``; raises InputError listing every problem."""
    problems: list[Problem] = []
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
        lambda path: _display(path, root),
    )
    if cached_at is not None:
        stored = _cache.read(cached_at)
        if stored is not None:
            cached = _from_cache(*stored, root)
            if cached is not None:
                return cached
    documents: dict[str, strict_yaml.Document] = {}  # for the lines of cross-checked names
    indicators = _load_mapping(
        root / "indicators.yaml",
        Indicator,
        problems,
        _display(root / "indicators.yaml", root),
        documents,
    )
    regions = _load_mapping(
        root / "regions.yaml", Region, problems, _display(root / "regions.yaml", root), documents
    )
    if not plan_paths:
        problems.append(
            Problem(
                "missing-file",
                "no plan files found",
                _display(root / "plans", root),
                hint="add targets/plans/<plan-id>.yaml",
            )
        )
    plans: dict[str, Plan] = {}
    for path in plan_paths:
        plan = _load_plan(path, problems, _display(path, root))
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
    catalogue = Catalogue(indicators, regions, plans, str(root))
    problems.extend(cross_check(catalogue, documents))
    if problems:
        raise InputError(problems)
    if cached_at is not None:
        catalogue = _to_cache(catalogue, cached_at)
    return catalogue


def _to_cache(catalogue: Catalogue, path: Path) -> Catalogue:
    """Store a validated catalogue and its targets table; return it with the table."""
    from .targets_table import build

    catalogue = replace(catalogue, table=build(catalogue))
    assert catalogue.table is not None
    extras = [f.name for f in fields(Plan) if f.name not in _PLAN_CORE]
    # Each plan's targets as JSON, one after another in a blob kept with the table: the
    # document says where each plan's are, and they are decoded only when asked for.
    blob = bytearray()
    plans = []
    for plan in catalogue.plans.values():
        targets = _cache.dumps([t.model_dump() for t in plan.targets]).encode("utf-8")
        plans.append(
            {
                "meta": plan.meta.model_dump(),
                "file": plan.file,
                "lines": list(plan.target_lines),
                "count": len(plan.targets),
                "targets": [len(blob), len(targets)],
                # further fields (tuples of models), by name
                **{name: [m.model_dump() for m in getattr(plan, name)] for name in extras},
            }
        )
        blob += targets
    _cache.write(
        path,
        {
            "indicators": {k: v.model_dump() for k, v in catalogue.indicators.items()},
            "regions": {k: v.model_dump() for k, v in catalogue.regions.items()},
            "plans": plans,
        },
        catalogue.table,
        bytes(blob),
    )
    return catalogue


_PLAN_CORE = ("meta", "targets", "file", "target_lines")


def _from_cache(
    stored: dict[str, Any], table: pd.DataFrame, blob: bytes, root: Path
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
                _cache.LazyTargets(
                    view[start : start + size], item["count"], Target.model_validate
                ),
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


def cross_check(
    cat: Catalogue, documents: Mapping[str, strict_yaml.Document] | None = None
) -> list[Problem]:
    """References, uniqueness and unit checks that span files.

    ``documents``: the loaded indicators and regions files by display name, for the lines of
    problems with names (without them those problems name the entry only).
    """
    problems: list[Problem] = _name_problems(cat, documents or {})
    regions_file = _display(Path(cat.root) / "regions.yaml", Path(cat.root))
    indicators_file = _display(Path(cat.root) / "indicators.yaml", Path(cat.root))
    region_ids, indicator_ids = sorted(cat.regions), sorted(cat.indicators)

    for rid, region in cat.regions.items():
        for ref in (region.parent, *region.members):
            if ref is not None and ref not in cat.regions:
                problems.append(
                    Problem(
                        "unknown-region",
                        f"region '{rid}' refers to unknown region '{ref}'",
                        regions_file,
                        field=rid,
                        value=ref,
                        hint=did_you_mean(ref, region_ids),
                    )
                )
    for iid, ind in cat.indicators.items():
        if ind.growth_of is not None:
            level = cat.indicators.get(ind.growth_of.indicator)
            if level is None or level.type != "numeric" or level.growth_of is not None:
                problems.append(
                    Problem(
                        "unknown-indicator",
                        f"indicator '{iid}' is the growth of '{ind.growth_of.indicator}', which is not a numeric level indicator",
                        indicators_file,
                        field=iid,
                        value=ind.growth_of.indicator,
                        hint=did_you_mean(ind.growth_of.indicator, indicator_ids),
                    )
                )

    seen: dict[str, tuple[str, int]] = {}
    for plan in cat.plans.values():
        for t, line in zip(plan.targets, plan.target_lines, strict=True):

            def add(
                kind: str,
                msg: str,
                value: str | None = None,
                hint: str | None = None,
                field: str | None = None,
                *,
                where: tuple[str, str, int] = (t.id, plan.file, line),
            ) -> None:
                target_id, file, at = where
                problems.append(
                    Problem(
                        kind,
                        f"target '{target_id}': {msg}",
                        file,
                        line=at,
                        field=field,
                        value=value,
                        hint=hint,
                    )
                )

            if t.id in seen:
                first_file, first_line = seen[t.id]
                add(
                    "duplicate-id",
                    f"id is also used at {first_file}, line {first_line}",
                    t.id,
                    "target ids are unique in the whole catalogue",
                )
            else:
                seen[t.id] = (plan.file, line)
            indicator = cat.indicators.get(t.indicator)
            if indicator is None:
                add(
                    "unknown-indicator",
                    f"unknown indicator '{t.indicator}'",
                    t.indicator,
                    did_you_mean(t.indicator, indicator_ids) or "add it to indicators.yaml",
                    "indicator",
                )
            if t.region not in cat.regions:
                add(
                    "unknown-region",
                    f"unknown region '{t.region}'",
                    t.region,
                    did_you_mean(t.region, region_ids) or "add it to regions.yaml",
                    "region",
                )
            end = plan.meta.period.end
            if t.year is None and end is not None:
                add(
                    "missing-year",
                    f"no year, but the plan ends in {end}",
                    None,
                    f"write year: {end} and year_inferred: true",
                    "year",
                )
            if t.year_inferred and t.year != end:
                add(
                    "invalid-value",
                    f"year_inferred is set, so the year should be the plan's end year {end}",
                    str(t.year),
                    field="year",
                )
            if indicator is None:
                continue
            if indicator.type == "milestone" and t.comparator is not None:
                add(
                    "invalid-target",
                    f"'{t.indicator}' is a milestone: a milestone target has no comparator, value or unit",
                    field="comparator",
                )
            elif indicator.type == "numeric" and t.comparator is None:
                add(
                    "invalid-target",
                    f"'{t.indicator}' is numeric: the target needs comparator, value and unit",
                    field="comparator",
                )
            elif indicator.type == "numeric" and t.unit is not None and indicator.unit is not None:
                try:
                    units.conversion_factor(t.unit, indicator.unit)
                except units.UnitError as err:
                    add(
                        err.kind,
                        f"{err} (the indicator '{t.indicator}' is measured in '{indicator.unit}')",
                        t.unit,
                        "write the unit as a convertible one, or use another indicator",
                        "unit",
                    )
            if indicator.growth_of is not None and t.comparator in ("about", "range"):
                add(
                    "invalid-target",
                    f"comparator '{t.comparator}' is for level targets, not growth rates",
                    t.comparator,
                    "use '>=' for a growth rate",
                    "comparator",
                )
            average_growth = (
                indicator.growth_of is not None and indicator.growth_of.basis == "average_annual"
            )
            if average_growth and t.base_year is None and plan.meta.base_year is None:
                add(
                    "missing-key",
                    "an average-annual growth target needs a base year",
                    None,
                    "set base_year on the target or the plan",
                    "base_year",
                )
    problems.extend(_part_of_problems(cat))
    return problems


def _part_of_problems(cat: Catalogue) -> list[Problem]:
    """A named item's ``part_of`` names a numeric (count) target of the same plan."""
    problems: list[Problem] = []
    for plan in cat.plans.values():
        numeric = {
            t.id
            for t in plan.targets
            if t.indicator in cat.indicators and cat.indicators[t.indicator].type == "numeric"
        }
        for t, line in zip(plan.targets, plan.target_lines, strict=True):
            if t.part_of is not None and t.part_of not in numeric:
                problems.append(
                    Problem(
                        "unknown-target",
                        f"target '{t.id}': part_of '{t.part_of}' is not a count target of this plan",
                        plan.file,
                        line=line,
                        field="part_of",
                        value=t.part_of,
                        hint=did_you_mean(t.part_of, sorted(numeric))
                        or "name the count target's id",
                    )
                )
    return problems


def _name_problems(cat: Catalogue, documents: Mapping[str, strict_yaml.Document]) -> list[Problem]:
    """Names that could not be told apart when reading actuals, or could never be matched.

    Actuals name indicators and regions as yearbooks print them, matched through names.fold
    (traditional/simplified, width, case, spaces), so two entries whose spellings fold alike
    would make a cell ambiguous; and a name ending in a unit or footnote marker is never seen,
    since names.split_name takes those off a cell before it is looked up.
    """
    problems: list[Problem] = []
    kinds: list[tuple[str, Mapping[str, Indicator | Region], NameIndex]] = [
        ("indicator", cat.indicators, cat.indicator_index()),
        ("region", cat.regions, cat.region_index()),
    ]
    for kind, items, index in kinds:
        file = _display(Path(cat.root) / f"{kind}s.yaml", Path(cat.root))
        at = _NamePlaces(file, documents.get(file))
        for clash in index.conflicts:
            same = clash.other_spelling == clash.first_spelling
            problems.append(
                at.problem(
                    f"ambiguous-{kind}-name",
                    f"'{clash.other_spelling}' names both {kind} '{clash.first_id}' and {kind} "
                    f"'{clash.other_id}'"
                    if same
                    else f"'{clash.other_spelling}' of {kind} '{clash.other_id}' reads the same "
                    f"as '{clash.first_spelling}' of {kind} '{clash.first_id}' (names are "
                    "matched across traditional and simplified characters, full- and half-width "
                    "forms, case and spaces)",
                    _path_of(clash.other_spelling, clash.other_id, items[clash.other_id]),
                    clash.other_spelling,
                    f"keep each name or alias on one {kind} only",
                )
            )
        for item_id, item in items.items():
            for path, spelling in _named(item_id, item)[1:]:
                if split_name(spelling).name != spelling.strip():
                    problems.append(
                        at.problem(
                            "unreachable-name",
                            f"{kind} '{item_id}': '{spelling}' has a unit, a footnote marker or "
                            "an of-which sign, which is taken off a cell before it is looked up, "
                            "so it never matches",
                            path,
                            spelling,
                            "write the bare name",
                        )
                    )
    return problems


@dataclass(frozen=True)
class _NamePlaces:
    """Problems placed at a name's line in the indicators or regions file."""

    file: str
    doc: strict_yaml.Document | None

    def problem(
        self, type_: str, message: str, path: tuple[str | int, ...], value: str, hint: str
    ) -> Problem:
        line, column = self.doc.position(path) if self.doc is not None else (None, None)
        field = ".".join(str(p) for p in path)
        return Problem(
            type_, message, self.file, line, column, field=field, value=short(value), hint=hint
        )


def _path_of(spelling: str, item_id: str, item: Indicator | Region) -> tuple[str | int, ...]:
    return next((path for path, s in _named(item_id, item) if s == spelling), (item_id,))
