"""Problem types: every type src/ reports is in one registry, and docs/problem-types.md shows it.

The scan reads src/ as syntax trees. A type is found where it is written as a literal: the first
argument (or ``type=``) of ``Problem(...)``; the argument of a function or class whose parameter
or first field is named ``kind``, ``type_`` or ``type`` (helpers and exceptions that build
problems later); an assignment to a variable of that name; the first item of a tuple of three or
more (type, message, … collected and made into problems later); an f-string
(``f"unknown-{column}"``), which must match a registered type.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from plancheck.problems import PROBLEM_TYPES, Problem, problem_type, problem_types_document

from .conftest import REPO

SRC = REPO / "src" / "plancheck"
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")  # a problem type has at least one hyphen
TYPE_PARAMETERS = {"kind", "type_", "type"}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))}


def _type_positions(trees: dict[Path, ast.Module]) -> dict[str, int]:
    """Callable name → the position of its problem-type parameter (Problem's is the first)."""
    positions = {"Problem": 0}
    for tree in trees.values():
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            for item in cls.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    positions.update(_parameter(item, cls.name))
            # a dataclass: its fields in order are its parameters
            names = [getattr(f.target, "id", "") for f in cls.body if isinstance(f, ast.AnnAssign)]
            at = [i for i, name in enumerate(names) if name in TYPE_PARAMETERS]
            if at:
                positions.setdefault(cls.name, at[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name != "__init__":
                positions.update(_parameter(node, node.name))
    return positions


def _parameter(function: ast.FunctionDef, name: str) -> dict[str, int]:
    params = [a.arg for a in function.args.args]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    at = [i for i, p in enumerate(params) if p in TYPE_PARAMETERS]
    return {name: at[0]} if at else {}


def _written_types() -> Iterator[tuple[ast.expr, str, str]]:
    """Each expression that gives a problem its type, where it is (file:line), and how."""
    trees = _trees()
    positions = _type_positions(trees)
    for path, tree in trees.items():
        where = path.relative_to(REPO)
        for node in ast.walk(tree):
            at_line = f"{where}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                func = node.func
                name = getattr(func, "id", None) or getattr(func, "attr", None)
                if name in positions:
                    at = positions[name]
                    how = "Problem" if name == "Problem" else "helper"
                    for given in [*node.args[at : at + 1], *_keywords(node)]:
                        yield given, at_line, how
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id in TYPE_PARAMETERS:
                    yield node.value, at_line, "assignment"
            elif isinstance(node, ast.Tuple) and len(node.elts) >= 3:
                yield node.elts[0], at_line, "tuple"


def _keywords(call: ast.Call) -> list[ast.expr]:
    return [k.value for k in call.keywords if k.arg in {"type", *TYPE_PARAMETERS}]


def _literal_types(ways: set[str] | None = None) -> dict[str, str]:
    found: dict[str, str] = {}
    for given, where, how in _written_types():
        if ways is not None and how not in ways:
            continue
        while isinstance(given, ast.IfExp):  # kind = "type-error" if … else "invalid-value"
            rest = given.orelse
            value = given.body.value if isinstance(given.body, ast.Constant) else None
            if isinstance(value, str) and KEBAB.fullmatch(value):
                found.setdefault(value, where)
            given = rest
        value = given.value if isinstance(given, ast.Constant) else None
        if isinstance(value, str) and KEBAB.fullmatch(value):
            found.setdefault(value, where)
    return found


def _patterns() -> dict[str, str]:
    """f-string types as patterns: f"unknown-{column}" → ^unknown-[a-z0-9-]+$."""
    found: dict[str, str] = {}
    for given, where, _ in _written_types():
        if isinstance(given, ast.JoinedStr):
            parts = [
                re.escape(str(v.value)) if isinstance(v, ast.Constant) else "[a-z0-9-]+"
                for v in given.values
            ]
            pattern = "".join(parts)
            if "-" in pattern.replace("[a-z0-9-]+", ""):  # a kebab-case type, not a cell name
                found.setdefault(pattern, where)
    return found


def test_every_type_written_in_src_is_registered() -> None:
    unregistered = {t: w for t, w in _literal_types().items() if t not in PROBLEM_TYPES}
    assert not unregistered, f"add these types to plancheck.problems.PROBLEM_TYPES: {unregistered}"


def test_every_formatted_type_matches_a_registered_one() -> None:
    patterns = _patterns()
    assert patterns, "the scan finds the f-string types (unknown-…, skipped-unknown-…)"
    for pattern, where in patterns.items():
        assert any(re.fullmatch(pattern, t) for t in PROBLEM_TYPES), (pattern, where)


def test_the_scan_sees_literals_helpers_and_assignments() -> None:
    """The scan is not vacuous: it finds types written each way src/ writes them."""
    assert "usage-error" in _literal_types({"Problem"})  # Problem("usage-error", …)
    for way in ("helper", "assignment", "tuple"):  # refuse("anchor-alias", …), kind = "…" …
        assert _literal_types({way}), way
    assert len(_literal_types()) >= 50


def test_every_registered_type_is_used() -> None:
    """A type nobody reports any more goes out of the registry (and the docs) too."""
    used = set(_literal_types())
    patterns = list(_patterns())
    unused = [
        t for t in PROBLEM_TYPES if t not in used and not any(re.fullmatch(p, t) for p in patterns)
    ]
    assert not unused


def test_registry_entries_are_well_formed() -> None:
    for name, meaning in PROBLEM_TYPES.items():
        assert KEBAB.fullmatch(name), name
        assert meaning.title and meaning.hint, name
        assert not meaning.title.endswith("."), name
    assert problem_type("usage-error").title.startswith("an option")
    with pytest.raises(KeyError):
        problem_type("no-such-type")


def test_docs_list_every_type_as_the_registry_says() -> None:
    shown = (REPO / "docs" / "problem-types.md").read_text(encoding="utf-8")
    assert shown == problem_types_document(), "run: python scripts/refresh_docs.py"
    rows = [line for line in shown.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(PROBLEM_TYPES)


def test_a_problem_of_a_registered_type_says_where_and_what() -> None:
    problem = Problem("missing-column", "required column 'value' is missing", "a.csv", line=1)
    assert problem.type in PROBLEM_TYPES
    assert problem.location() == "a.csv, line 1"
