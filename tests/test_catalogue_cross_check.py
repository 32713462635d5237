"""cross_check's per-target checks take shortcuts at national scale (a target with none of the
conditions of a problem is passed over; a kind check is worked out once per combination of
what it depends on). These hold it to the plain reading: every check on every target."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from plancheck.catalogue import checks, load_catalogue
from plancheck.catalogue.loaded import Catalogue
from plancheck.problems import Problem, did_you_mean

from .conftest import FIXTURES

# Changes that make a target wrong in one way or another (or leave it right).
CHANGES: list[dict[str, Any]] = [
    {},
    {},
    {"indicator": "no_such_indicator"},
    {"region": "no_such_region"},
    {"year": None},
    {"year_inferred": True},
    {"comparator": None},
    {"comparator": "about"},
    {"comparator": "range"},
    {"unit": "公里"},
    {"unit": "no_such_unit"},
    {"base_year": None},
    {"base_year": 2010},
    {"indicator": "railway_opened"},
    {"indicator": "gdp_avg_growth"},
    {"indicator": "tech_investment_growth", "comparator": "about"},
    {"part_of": "demo_pilots_2015"},
    {"part_of": "no_such_target"},
]


def plain_target_problems(cat: Catalogue) -> list[Problem]:
    """The target checks without shortcuts: each helper on each target."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for plan in cat.plans.values():
        for t, line in zip(plan.targets, plan.target_lines, strict=True):
            found = checks._identity(cat, t, seen)
            seen.setdefault(t.id, (plan.file, line))
            found += checks._year(t, plan.meta.period.end)
            indicator = cat.indicators.get(t.indicator)
            if indicator is not None:
                found += checks._kind(t, indicator, plan.meta.base_year)
            problems.extend(checks.as_problems(t, plan.file, line, found))
    return problems


def plain_part_of_problems(cat: Catalogue) -> list[Problem]:
    """A part_of that is not a numeric target of its plan, target by target."""
    problems: list[Problem] = []
    for plan in cat.plans.values():
        numeric = sorted(
            {
                t.id
                for t in plan.targets
                if t.indicator in cat.indicators and cat.indicators[t.indicator].type == "numeric"
            }
        )
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
                        hint=did_you_mean(t.part_of, numeric) or "name the count target's id",
                    )
                )
    return problems


def changed_catalogue(seed: int) -> Catalogue:
    rng = random.Random(seed)
    base = load_catalogue(FIXTURES / "catalogue")
    (plan,) = base.plans.values()
    plans = {}
    for p in range(3):
        targets, lines = [], []
        for i in range(120):
            t = rng.choice(plan.targets)
            update = dict(rng.choice(CHANGES))
            update.setdefault("id", rng.choice([f"{t.id}_{p}_{i}", t.id, f"x_{i % 7}"]))
            targets.append(t.model_copy(update=update))
            lines.append(10 + i)
        meta = plan.meta.model_copy(
            update={
                "id": f"plan_{p}",
                "base_year": rng.choice([None, 2013]),
                "period": plan.meta.period.model_copy(update={"end": rng.choice([None, 2015])}),
            }
        )
        plans[meta.id] = replace(
            plan, meta=meta, targets=tuple(targets), target_lines=tuple(lines), file=f"p{p}.yaml"
        )
    return replace(base, plans=plans)


def test_target_checks_find_what_every_check_on_every_target_finds() -> None:
    for seed in range(12):
        cat = changed_catalogue(seed)
        fast = [p.to_dict() for p in checks._target_problems(cat)]
        plain = [p.to_dict() for p in plain_target_problems(cat)]
        assert fast == plain
        assert len(plain) > 100  # many targets are wrong, in many ways


def test_part_of_checks_find_what_the_plain_reading_finds() -> None:
    for seed in range(6):
        cat = changed_catalogue(seed)
        fast = [p.to_dict() for p in checks._part_of_problems(cat)]
        plain = [p.to_dict() for p in plain_part_of_problems(cat)]
        assert fast == plain
        assert plain
