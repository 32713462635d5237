"""The column-wise reading of a plan's targets gives exactly what the strict way gives.

A plan file's target list is read column by column (yaml_block.read_columns), checked in bulk
against the Target model (catalogue.target_columns.clear) and cross-checked column by column
(checks._targets_clear); the targets table of the cache is built as Arrow from those columns.
Each of these steps is held here to the strict way it stands for, on generated plans, clean
and with each kind of error: the same data, lines, models, table, and the same problems word
for word, in the same places.
"""

from __future__ import annotations

import json
import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from plancheck import strict_yaml, yaml_block
from plancheck.catalogue import cache, files, load_catalogue, target_columns, targets_table
from plancheck.catalogue.decimals import Decimals
from plancheck.catalogue.loaded import Catalogue
from plancheck.catalogue.target_columns import ColumnTargets
from plancheck.problems import InputError, Problem

from .conftest import FIXTURES
from .test_decimals import as_stored
from .test_yaml_block import typed


def read_flow(flow: str) -> Any:
    return strict_yaml._read_events(flow, "f.yaml", 0).data


# --- the YAML: read_columns against the event-based loader ------------------------------------

# Texts after "key: ", plain and otherwise: each must read as the strict loader reads it, or
# make read_columns give the file up.
VALUE_TEXTS = [
    "x", "t_c00001_ind000_2016", "中文", "2016年ind000达到目标", "第1条", "_a", "a-b", "a:b",
    "51.50", "2250", "-3", "-0.5", "0", "-0", ".5", "1.", "+1", "1e3", "010", "0x1F", "1_000",
    ".inf", "1e400", "null", "Null", "~", "true", "True", "false", "yes", "no", "12:30",
    '"x"', '""', '"亿元"', '"a\\tb"', '"\\u4e2d"', "'it''s'", "''", "'010'", '"12:30"',
    "x   ", "x # c", "a #c", '"x" # c', "[a, b]", "{a: 1}", "[]", "&a x", "*a", "!tag x",
    "! 12", "|", ">", "中文 文本", "全角\u3000空格", "x\u00a0", "", " ", "# only", "%x", "@x",
    "`x", "-x", "- x", "?x", ",x", "'unterminated", '"unterminated', "a: b",
]  # fmt: skip
PLAIN_TEXTS = ["x", "中文", "51.50", "2250", '"x"', "'y'", "null", "第1条", "-3", "2016年q"]


def value_text(rng: random.Random) -> str:
    return rng.choice(VALUE_TEXTS if rng.random() < 0.08 else PLAIN_TEXTS)


KEYS = ["id", "indicator", "region", "year", "comparator", "value", "unit", "note", "true"]


def item_lines(rng: random.Random, indent: int) -> list[str]:
    """One sequence item: a few keys (sometimes a nested block, sometimes something odd)."""
    pad = " " * indent
    keys = rng.sample(KEYS, rng.randint(1, 5))
    lines = [f"{pad}- {keys[0]}: {value_text(rng)}"]
    lines += [f"{pad}  {k}: {value_text(rng)}" for k in keys[1:]]
    if rng.random() < 0.7:
        lines += [f"{pad}  source:", f"{pad}    section: {value_text(rng)}"]
        lines += [f"{pad}    quote: {value_text(rng)}"] * (rng.random() < 0.8)
    odd = rng.random()
    if odd < 0.02:
        lines.append(f"{pad}  {keys[0]}: again")  # a duplicate key
    elif odd < 0.06:
        lines.append("")  # a blank line
    elif odd < 0.08:
        lines.append(f"{pad}  # a comment")
    elif odd < 0.10:
        lines.append(f"{pad}   misplaced: 1")
    elif odd < 0.12:
        lines.append(f"{pad}  source: {{section: a, quote: b}}")
    elif odd < 0.14:
        lines.append(f"{pad}  tags:\n{pad}    - a")
    elif odd < 0.16:
        lines.append(f"{pad}  empty:")
    elif odd < 0.18:
        lines.append(f"{pad}  note: first line\n{pad}    continued")
    return lines


def document(rng: random.Random, clean: bool) -> str:
    indent = 2 if clean or rng.random() < 0.9 else rng.choice([0, 4])
    items: list[str] = []
    for _ in range(rng.randint(1, 6)):
        if clean:
            pad = " " * indent
            items += [f"{pad}- id: t{rng.randint(0, 9)}", f"{pad}  year: {rng.randint(1990, 2030)}"]
            value = rng.choice(["1.5", "2", "-0.25", '"x"', "null"])
            items += [f"{pad}  value: {value}"]
            items += [f"{pad}  source:", f"{pad}    section: s", f"{pad}    quote: 2016年q"]
        else:
            items += item_lines(rng, indent)
    head = ["plan:", "  id: p", "  period: {start: 2014, end: 2015}"]
    tail = ["excluded:", "  - section: a", "    kind: past", "  - section: b"]
    lines = [*head, "targets:", *items, *(tail if rng.random() < 0.5 else [])]
    if not clean and rng.random() < 0.05:
        lines.insert(0, "---")
    return "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")


def test_read_columns_reads_what_the_strict_loader_reads() -> None:
    rng = random.Random(20261129)
    taken = 0
    for n in range(1500):
        text = document(rng, clean=n % 5 == 0)
        split = yaml_block.read_columns(text, "targets", read_flow)
        if n % 5 == 0:
            assert split is not None, text  # the plain form is read column by column
        # What strict_yaml.load_with_columns takes: the rest must read with the block reader.
        rest_read = yaml_block.read_block(split.rest, read_flow) if split is not None else None
        if n % 5 == 0:
            assert rest_read is not None and rest_read[0]["targets"] == [], text
        if split is None or rest_read is None or rest_read[0].get("targets") != []:
            continue
        taken += 1
        slow = strict_yaml._read_events(text, "f.yaml", 0)  # no InputError: it reads
        targets = slow.data["targets"]
        assert typed(split.columns.items()) == typed(targets), text
        assert split.columns.lines == [
            slow.positions[("targets", i)][0] for i in range(len(targets))
        ]
        assert {slow.positions[("targets", i)][1] for i in range(len(targets))} == {
            split.columns.column
        }
        for path, column in split.columns.columns.items():
            assert (path in split.columns.partial) == (yaml_block.MISSING in column)
        rest = strict_yaml._read_events(split.rest, "f.yaml", 0)
        assert typed(rest.data) == typed({**slow.data, "targets": []})
        moved = split.moved(rest.positions)
        outside = {p: at for p, at in slow.positions.items() if p[:1] != ("targets",)}
        assert {p: moved[p] for p in outside} == outside
        blanked = strict_yaml._read_events(split.blanked(), "f.yaml", 0).positions
        assert {p: blanked[p] for p in outside} == outside
    assert taken > 400  # the clean 300 and many others are read column by column


def test_a_document_read_with_columns_keeps_its_positions(tmp_path: Path) -> None:
    text = (
        "plan:\n  id: p\ntargets:\n  - id: a\n    year: 1\n  - id: b\n    year: 2\n"
        "excluded:\n  - section: s\n    kind: k\n"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    doc, items = strict_yaml.load_with_columns(path, "targets", display="p.yaml")
    assert items is not None and items.lines == [4, 6]
    assert doc.data == {
        "plan": {"id": "p"},
        "targets": [],
        "excluded": [{"section": "s", "kind": "k"}],
    }
    assert doc.position(("excluded", 0)) == (9, 5)
    assert doc.position(("excluded", 0, "kind")) == (10, 5)  # read again, lines where they were
    assert doc.position(("plan", "id")) == (2, 3)


# --- the model: target_columns.clear against pydantic, one target at a time -------------------

BASE = load_catalogue(FIXTURES / "catalogue")
DEMO = BASE.plans["demo_plan"]
MISSING = object()
# Changes to a target as written: each valid, or wrong in one way the model refuses.
CHANGES: list[dict[str, Any]] = [
    {},
    {},
    {},
    {"value": 5},
    {"value": 123456789012345678901234},
    {"value": Decimal("-0.50")},
    {"note": ""},
    {"done_when": ""},
    {"hedge": "力争"},
    {"nature": "binding"},
    {"scope": "珠三角"},
    {"effort": True},
    {"maintain": True},
    {"base_year": 2010},
    {"year": None},
    {"year_inferred": True},
    {"part_of": "demo_forest_2015"},
    {"id": "Bad-Id"},
    {"id": "demo_a\nb"},  # two valid ids on two lines are not one valid id
    {"id": "demo_a\n"},
    {"indicator": "forest_coverage\nx"},
    {"part_of": "demo_forest_2015\nx"},
    {"id": "a" * 81},
    {"id": "a" * 80},
    {"id": 12},
    {"indicator": "x y"},
    {"region": None},
    {"year": "2015"},
    {"year": True},
    {"year": 1800},
    {"year": 2101},
    {"year": Decimal("2015.0")},
    {"year_inferred": "yes"},
    {"year_inferred": 1},
    {"comparator": "=>"},
    {"comparator": 1},
    {"value": "51.5"},
    {"value": True},
    {"unit": ""},
    {"unit": 5},
    {"nature": "soft"},
    {"stage": "finished"},
    {"stage": "completed"},
    {"stage": "completed", "comparator": None, "value": None, "unit": None},
    {"comparator": None},
    {"comparator": "between"},
    {"comparator": "between", "value_max": Decimal("1")},
    {"comparator": "range", "value_max": Decimal("99999")},
    {"value_max": Decimal("99999")},
    {"maintain": True, "comparator": None, "value": None, "unit": None},
    {"maintain": True, "year": None},
    {"effort": "no"},
    {"part_of": "Bad"},
    {"note": 3},
    {"base_year": "2013"},
    {"extra_key": 1},
    {"section": "x"},
    {"id": MISSING},
    {"year": MISSING},
    {"region": MISSING},
    {"year_inferred": MISSING, "maintain": MISSING},
    {"quote": MISSING},
    {"quote": ""},
    {"section": 7},
    {"source": "text"},
]


def scalar(rng: random.Random, value: Any) -> str:
    """A value as YAML writes it, in one of the ways it can."""
    if value is None:
        return rng.choice(["null", "~", "null"])
    if isinstance(value, bool):
        return rng.choice(["true", "True"]) if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if not value:
        return rng.choice(['""', "''"])
    way = rng.random()
    plain = value[0].isascii() and value[0].isalpha() and "\n" not in value
    if way < 0.6 and plain and value not in ("null", "true"):
        return value
    if way < 0.8:
        return json.dumps(value, ensure_ascii=False)
    return "'" + value.replace("'", "''") + "'"


def written(rng: random.Random, change: dict[str, Any], i: int) -> list[str]:
    """A demo target, changed, as the lines of a plan's target list."""
    entry = rng.choice(DEMO.targets).model_dump(exclude_defaults=rng.random() < 0.5)
    entry["id"] = f"{entry['id']}_{i}"
    source = entry.pop("source")
    entry.update({"section": source["section"], "quote": source["quote"]})
    entry.update(change)
    fields = [
        (k, v) for k, v in entry.items() if v is not MISSING and k not in target_columns.NESTED
    ]
    rng.shuffle(fields)
    lines = [f"    {k}: {scalar(rng, v)}" for k, v in fields]
    if "source" not in entry:
        lines.append("    source:")
        lines += [
            f"      {k}: {scalar(rng, entry[k])}"
            for k in ("section", "quote")
            if entry[k] is not MISSING
        ]
    lines[0] = "  - " + lines[0][4:]
    return lines


def plan_text(rng: random.Random, wrong: float, prefix: str = "t") -> str:
    head = DEMO_HEAD
    lines: list[str] = []
    for i in range(rng.randint(1, 40)):
        change = rng.choice(CHANGES) if rng.random() < wrong else {}
        lines += written(rng, change, i)
    lines = [line.replace("  - id: demo", f"  - id: {prefix}demo") for line in lines]
    return head + "\n".join(lines) + "\n"


DEMO_HEAD = (FIXTURES / "catalogue" / "plans" / "demo_plan.yaml").read_text("utf-8").split(
    "targets:\n"
)[0] + "targets:\n"


def strictly(path: Path, key: str, *, display: str | None = None) -> Any:
    return strict_yaml.load(path, display=display), None


def loaded(path: Path, way: Any) -> tuple[Any, list[dict[str, Any]]]:
    problems: list[Problem] = []
    with mock.patch.object(strict_yaml, "load_with_columns", way):
        plan = files.load_plan(path, problems, "p.yaml")
    return plan, [p.to_dict() for p in problems]


@pytest.mark.parametrize("wrong", [0.0, 0.03, 0.3])
def test_targets_cleared_in_bulk_are_the_models_pydantic_makes(
    tmp_path: Path, wrong: float
) -> None:
    rng = random.Random(int(wrong * 100))
    path = tmp_path / "p.yaml"
    fast_used = wrong_files = 0
    for _ in range(60):
        path.write_text(plan_text(rng, wrong), encoding="utf-8")
        plan, problems = loaded(path, strict_yaml.load_with_columns)
        plain, plain_problems = loaded(path, strictly)
        assert problems == plain_problems
        wrong_files += bool(problems)
        if plain is None:
            assert plan is None
            continue
        assert plan is not None
        fast_used += isinstance(plan.targets, ColumnTargets)
        assert (plan.meta, plan.file, plan.target_lines, plan.excluded) == (
            plain.meta,
            plain.file,
            plain.target_lines,
            plain.excluded,
        )
        assert tuple(plan.targets) == tuple(plain.targets)
        assert [t.model_dump() for t in plan.targets] == [t.model_dump() for t in plain.targets]
        assert [str(t.value) for t in plan.targets] == [str(t.value) for t in plain.targets]
    if wrong == 0.0:
        assert fast_used == 60  # clean plans in block form are read column by column
    else:
        assert fast_used < 60 and wrong_files > 5


def test_each_kind_of_wrong_target_gives_the_strict_problems(tmp_path: Path) -> None:
    rng = random.Random(7)
    path = tmp_path / "p.yaml"
    refused = 0
    for change in CHANGES:
        lines = [*written(rng, {}, 0), *written(rng, change, 1), *written(rng, {}, 2)]
        path.write_text(DEMO_HEAD + "\n".join(lines) + "\n", encoding="utf-8")
        plan, problems = loaded(path, strict_yaml.load_with_columns)
        plain, plain_problems = loaded(path, strictly)
        assert problems == plain_problems, change
        refused += bool(problems)
        assert (plan is None) == (plain is None)
        if plan is not None and plain is not None:
            assert tuple(plan.targets) == tuple(plain.targets)
    assert refused >= 35  # most changes are errors of one kind or another


# --- the catalogue: cross-checks and the table ------------------------------------------------


def catalogue_dir(tmp_path: Path, rng: random.Random, wrong: float) -> Path:
    root = tmp_path / f"c{rng.random()}"
    shutil.copytree(FIXTURES / "catalogue", root)
    for p in range(3):
        text = plan_text(rng, wrong, prefix=f"p{p}_" if rng.random() < 0.8 else "")
        text = text.replace("id: demo_plan", f"id: plan_{p}")
        if rng.random() < 0.3:  # a plan whose end year is unknown (year: null must be allowed)
            text = text.replace("period: {start: 2014, end: 2015}", "period: {start: 2012}")
        (root / "plans" / f"plan_{p}.yaml").write_text(text, encoding="utf-8")
    return root


def load_either(root: Path, strict: bool) -> Catalogue | list[dict[str, Any]]:
    way = strictly if strict else strict_yaml.load_with_columns
    try:
        with mock.patch.object(strict_yaml, "load_with_columns", way):
            return load_catalogue(root)
    except InputError as err:
        return [p.to_dict() for p in err.problems]


CROSS: list[dict[str, Any]] = [
    {"indicator": "no_such_indicator"},
    {"region": "no_such_region"},
    {"year": None},
    {"year_inferred": True},
    {"indicator": "railway_opened"},
    {"indicator": "gdp_avg_growth"},
    {"unit": "公里"},
    {"unit": "no_such_unit"},
    {"comparator": "about", "indicator": "tech_investment_growth"},
    {"part_of": "no_such_target"},
    {"maintain": True},
]


@pytest.mark.parametrize("cached", [False, True])
def test_a_catalogue_loads_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    if cached:
        monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.delenv("PLANCHECK_CACHE", raising=False)
        monkeypatch.setattr(cache, "MIN_BYTES", 0)
    else:
        monkeypatch.setenv("PLANCHECK_CACHE", "off")
    rng = random.Random(11)
    CHANGES.extend(CROSS)  # the cross-checks' problems too
    try:
        outcomes = set()
        for n in range(16):
            root = catalogue_dir(tmp_path, rng, [0.0, 0.02, 0.2][n % 3])
            fast = load_either(root, strict=False)
            plain = load_either(root, strict=True)
            if isinstance(fast, list) or isinstance(plain, list):
                assert fast == plain
                outcomes.add("problems")
                continue
            outcomes.add("catalogue")
            assert fast.indicators == plain.indicators and fast.regions == plain.regions
            for pid, plan in fast.plans.items():
                other = plain.plans[pid]
                assert (plan.meta, plan.target_lines, tuple(plan.targets)) == (
                    other.meta,
                    other.target_lines,
                    tuple(other.targets),
                )
            fresh = targets_table.build(plain)  # the table made from the models, via pandas
            table = targets_table.targets_table(fast)
            stored = table["value"].dtype != object  # cached: figures held as their text
            pd.testing.assert_frame_equal(table, as_stored(fresh) if stored else fresh)
            rows = np.arange(len(fresh))
            for name in ("value", "value_max"):  # the figures, from their text, are the same
                made = Decimals(table[name])[rows]
                assert list(map(repr, made)) == list(map(repr, fresh[name]))
            assert list(map(repr, table["t_factor"])) == list(map(repr, fresh["t_factor"]))
        assert outcomes == {"problems", "catalogue"}
    finally:
        del CHANGES[-len(CROSS) :]


def test_the_stored_table_is_the_frame_the_columns_make() -> None:
    rng = random.Random(3)
    for _ in range(10):
        plan = DEMO
        picked = [rng.choice(DEMO.targets) for _ in range(rng.randint(0, 30))]
        updates = [
            {"id": f"x{i}", "maintain": rng.random() < 0.3, "hedge": rng.choice([None, "力争"])}
            for i in range(len(picked))
        ]
        targets = tuple(
            t.model_copy(update=u if t.comparator else {**u, "maintain": False})
            for t, u in zip(picked, updates, strict=True)
        )
        cat = Catalogue(
            BASE.indicators,
            BASE.regions,
            {"demo_plan": type(plan)(plan.meta, targets, plan.file, tuple(range(len(targets))))},
            BASE.root,
        )
        columns, repeats = targets_table.build_columns(cat)
        stored = cache.table_of_columns(columns, repeats, targets_table.spread_years)
        made = cache.frame_of(stored.table, stored.columns)
        pd.testing.assert_frame_equal(made, as_stored(targets_table.build(cat)))
