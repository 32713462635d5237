"""Checks that span files: references resolve, ids are unique, units convert, names are told apart.

Each check is a named function; the problems come out in the order a reader meets them (the
indicators' and regions' names first, then the references between entries, then the targets
one by one, each target's problems together).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from .. import strict_yaml, units
from ..names import NameIndex, split_name
from ..problems import Problem, did_you_mean, short
from .files import shown_name
from .loaded import Catalogue, Plan, named
from .models import Indicator, Region, Target
from .target_columns import ColumnTargets


def cross_check(
    cat: Catalogue, documents: Mapping[str, strict_yaml.Document] | None = None
) -> list[Problem]:
    """References, uniqueness and unit checks that span files.

    ``documents``: the loaded indicators and regions files by display name, for the lines of
    problems with names (without them those problems name the entry only).
    """
    return [
        *_name_problems(cat, documents or {}),
        *_region_references(cat),
        *_growth_references(cat),
        *_target_problems(cat),
        *_part_of_problems(cat),
    ]


def _region_references(cat: Catalogue) -> list[Problem]:
    """A region's parent and members are regions of the catalogue."""
    file = shown_name(Path(cat.root) / "regions.yaml")
    problems = []
    for rid, region in cat.regions.items():
        for ref in (region.parent, *region.members):
            if ref is not None and ref not in cat.regions:
                problems.append(
                    Problem(
                        "unknown-region",
                        f"region '{rid}' refers to unknown region '{ref}'",
                        file,
                        field=rid,
                        value=ref,
                        hint=did_you_mean(ref, sorted(cat.regions)),
                    )
                )
    return problems


def _growth_references(cat: Catalogue) -> list[Problem]:
    """A growth-rate indicator is the growth of a numeric level indicator."""
    file = shown_name(Path(cat.root) / "indicators.yaml")
    problems = []
    for iid, ind in cat.indicators.items():
        if ind.growth_of is None:
            continue
        level = cat.indicators.get(ind.growth_of.indicator)
        if level is None or level.type != "numeric" or level.growth_of is not None:
            problems.append(
                Problem(
                    "unknown-indicator",
                    f"indicator '{iid}' is the growth of '{ind.growth_of.indicator}', which is "
                    "not a numeric level indicator",
                    file,
                    field=iid,
                    value=ind.growth_of.indicator,
                    hint=did_you_mean(ind.growth_of.indicator, sorted(cat.indicators)),
                )
            )
    return problems


# A target's problem before it is placed: (type, message, value, hint, field).
_Found = tuple[str, str, str | None, str | None, str | None]


def _target_problems(cat: Catalogue) -> list[Problem]:
    """Each target's problems, target by target: its id, references, year and kind."""
    if _targets_clear(cat):
        return []
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}  # target id → where it is first used
    indicators, regions = cat.indicators, cat.regions
    # _kind's findings depend on these of a target only (and its indicator, named by it): at
    # national scale a few hundred combinations stand for 285,000 targets.
    kinds: dict[tuple[str, str | None, str | None, bool, bool], list[_Found]] = {}
    for plan in cat.plans.values():
        end, base_year = plan.meta.period.end, plan.meta.base_year
        for t, line in zip(plan.targets, plan.target_lines, strict=True):
            if t.id in seen or t.indicator not in indicators or t.region not in regions:
                found = _identity(cat, t, seen)
            else:
                found = []
            if t.id not in seen:
                seen[t.id] = (plan.file, line)
            if (t.year is None and end is not None) or (t.year_inferred and t.year != end):
                found += _year(t, end)
            indicator = indicators.get(t.indicator)
            if indicator is not None:
                key = (t.indicator, t.comparator, t.unit, t.base_year is None, base_year is None)
                kind = kinds.get(key)
                if kind is None:
                    kind = kinds[key] = _kind(t, indicator, base_year)
                found += kind
            if found:
                problems.extend(as_problems(t, plan.file, line, found))
    return problems


class _KindFields(Protocol):
    """What _kind and _unit read of a target."""

    @property
    def indicator(self) -> str: ...
    @property
    def comparator(self) -> str | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def base_year(self) -> int | None: ...


class _Kind(NamedTuple):
    indicator: str
    comparator: str | None
    unit: str | None
    base_year: int | None


def _targets_clear(cat: Catalogue) -> bool:
    """Whether _target_problems would find nothing, found column by column (the targets are
    not made models): True only when every plan's targets are columns and none has a problem."""
    plans = list(cat.plans.values())
    if not all(isinstance(plan.targets, ColumnTargets) for plan in plans):
        return False
    seen: set[str] = set()
    total = 0
    kinds: set[tuple[_Kind, bool]] = set()
    for plan in plans:
        assert isinstance(plan.targets, ColumnTargets)
        c = plan.targets.columns
        seen.update(c["id"])
        total += len(c["id"])
        if len(seen) != total or not _plan_clear(cat, plan, c):
            return False  # an id used twice, or a plan's target with a problem
        # A target's kind depends on these (and its indicator): a few hundred combinations.
        own = [None if year is None else 0 for year in c["base_year"]]  # only "is None" counts
        given = zip(c["indicator"], c["comparator"], c["unit"], own, strict=True)
        kinds.update((_Kind(*k), plan.meta.base_year is None) for k in set(given))
    indicators = cat.indicators
    return not any(_kind(k, indicators[k.indicator], None if none else 0) for k, none in kinds)


def _plan_clear(cat: Catalogue, plan: Plan, c: Mapping[str, list[Any]]) -> bool:
    """A plan's targets name known indicators and regions, and have the years they should."""
    if not (
        cat.indicators.keys() >= set(c["indicator"]) and cat.regions.keys() >= set(c["region"])
    ):
        return False
    end, years = plan.meta.period.end, c["year"]
    if end is not None and None in years:
        return False
    inferred = zip(years, c["year_inferred"], strict=True)
    return all(year == end for year, flagged in inferred if flagged)


def as_problems(t: Target, file: str, line: int, found: list[_Found]) -> Iterator[Problem]:
    """What the target checks found, as problems at the target's line."""
    for kind, message, value, hint, field in found:
        yield Problem(
            kind,
            f"target '{t.id}': {message}",
            file,
            line=line,
            field=field,
            value=value,
            hint=hint,
        )


def _identity(cat: Catalogue, t: Target, seen: Mapping[str, tuple[str, int]]) -> list[_Found]:
    """The id is the catalogue's only one of that name; the indicator and region exist."""
    found: list[_Found] = []
    if t.id in seen:
        first_file, first_line = seen[t.id]
        found.append(
            (
                "duplicate-id",
                f"id is also used at {first_file}, line {first_line}",
                t.id,
                "target ids are unique in the whole catalogue",
                None,
            )
        )
    if t.indicator not in cat.indicators:
        hint = did_you_mean(t.indicator, sorted(cat.indicators)) or "add it to indicators.yaml"
        found.append(
            (
                "unknown-indicator",
                f"unknown indicator '{t.indicator}'",
                t.indicator,
                hint,
                "indicator",
            )
        )
    if t.region not in cat.regions:
        hint = did_you_mean(t.region, sorted(cat.regions)) or "add it to regions.yaml"
        found.append(("unknown-region", f"unknown region '{t.region}'", t.region, hint, "region"))
    return found


def _year(t: Target, end: int | None) -> list[_Found]:
    """A target has a year when its plan has an end; an inferred year is the plan's end."""
    found: list[_Found] = []
    if t.year is None and end is not None:
        message = f"no year, but the plan ends in {end}"
        hint = f"write year: {end} and year_inferred: true"
        found.append(("missing-year", message, None, hint, "year"))
    if t.year_inferred and t.year != end:
        message = f"year_inferred is set, so the year should be the plan's end year {end}"
        found.append(("invalid-value", message, str(t.year), None, "year"))
    return found


def _kind(t: _KindFields, indicator: Indicator, plan_base_year: int | None) -> list[_Found]:
    """The target is of its indicator's kind: milestone or numeric, level or growth rate."""
    found: list[_Found] = []
    if indicator.type == "milestone" and t.comparator is not None:
        message = (
            f"'{t.indicator}' is a milestone: a milestone target has no comparator, value or unit"
        )
        found.append(("invalid-target", message, None, None, "comparator"))
    elif indicator.type == "numeric" and t.comparator is None:
        message = f"'{t.indicator}' is numeric: the target needs comparator, value and unit"
        found.append(("invalid-target", message, None, None, "comparator"))
    elif indicator.type == "numeric" and t.unit is not None and indicator.unit is not None:
        found += _unit(t, indicator)
    growth = indicator.growth_of
    if growth is not None and t.comparator in ("about", "range"):
        message = f"comparator '{t.comparator}' is for level targets, not growth rates"
        found.append(
            ("invalid-target", message, t.comparator, "use '>=' for a growth rate", "comparator")
        )
    average = growth is not None and growth.basis == "average_annual"
    if average and t.base_year is None and plan_base_year is None:
        message = "an average-annual growth target needs a base year"
        hint = "set base_year on the target or the plan"
        found.append(("missing-key", message, None, hint, "base_year"))
    return found


def _unit(t: _KindFields, indicator: Indicator) -> list[_Found]:
    """The target's unit converts to its indicator's (a factor pint works out once per pair)."""
    assert t.unit is not None and indicator.unit is not None
    try:
        units.conversion_factor(t.unit, indicator.unit)
    except units.UnitError as err:
        message = f"{err} (the indicator '{t.indicator}' is measured in '{indicator.unit}')"
        hint = "write the unit as a convertible one, or use another indicator"
        return [(err.kind, message, t.unit, hint, "unit")]
    return []


def _part_of_problems(cat: Catalogue) -> list[Problem]:
    """A named item's ``part_of`` names a numeric (count) target of the same plan."""
    problems: list[Problem] = []
    for plan in cat.plans.values():
        if isinstance(plan.targets, ColumnTargets) and set(plan.targets.columns["part_of"]) == {
            None
        }:
            continue  # no named items (found without making the models)
        items = [
            (t.id, t.part_of, line)
            for t, line in zip(plan.targets, plan.target_lines, strict=True)
            if t.part_of is not None
        ]
        if not items:  # most plans name no items: no need to gather their count targets
            continue
        numeric = {
            t.id
            for t in plan.targets
            if t.indicator in cat.indicators and cat.indicators[t.indicator].type == "numeric"
        }
        for target_id, part_of, line in items:
            if part_of not in numeric:
                problems.append(
                    Problem(
                        "unknown-target",
                        f"target '{target_id}': part_of '{part_of}' is not a count target of this plan",
                        plan.file,
                        line=line,
                        field="part_of",
                        value=part_of,
                        hint=did_you_mean(part_of, sorted(numeric)) or "name the count target's id",
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
        file = shown_name(Path(cat.root) / f"{kind}s.yaml")
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
            for path, spelling in named(item_id, item)[1:]:
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
    return next((path for path, s in named(item_id, item) if s == spelling), (item_id,))
