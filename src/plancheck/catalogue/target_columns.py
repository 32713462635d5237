"""A plan's targets column by column: checked in bulk against the Target model, kept as columns.

A national catalogue's 285,000 targets would each become a dict and then a pydantic model
(~90,000 instructions a target) although ``plancheck check`` needs only the targets table. Here
each of the model's rules is checked on a whole column at once (every id matches the id pattern,
every year is an int in range, …), and the targets are kept as columns; the models are made only
when something asks for them. A column a bulk check cannot clear sends the whole plan file the
strict way (catalogue.files), so that every problem is told in the same words at the same place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, get_args

from ..yaml_block import MISSING, ItemColumns
from .lazy import LazyItems
from .models import COMPARATORS, Stage, Target

# The columns kept: the model's fields, with ``source`` as its two fields.
NESTED = {"section": ("source", "section"), "quote": ("source", "quote")}
FIELDS: tuple[str, ...] = tuple(f for f in Target.model_fields if f != "source") + tuple(NESTED)
_ID = re.compile(r"(?:[a-z][a-z0-9_]{0,79}\n)*")  # models.Id: ^[a-z][a-z0-9_]*$, at most 80
_YEARS = (1949, 2100)  # models.Year

Column = list[Any]
_Check = Callable[[Column], Column | None]


def _texts(column: Column, *, empty: bool, nullable: bool) -> Column | None:
    kinds = set(map(type, column))
    if not kinds <= ({str, type(None)} if nullable else {str}):
        return None
    # (A surrogate, which pydantic would refuse, never gets here: UTF-8 cannot hold one and
    # libyaml refuses the escape "\ud800".)
    return column if empty or "" not in column else None


def _ids(column: Column, *, nullable: bool = False) -> Column | None:
    if _texts(column, empty=False, nullable=nullable) is None:
        return None
    distinct = [v for v in dict.fromkeys(column) if v is not None]
    lines = "\n".join(distinct) + "\n" if distinct else ""
    # One line per id: an id holding a line break ("a\nb", written "a\\nb" in quotes) would
    # otherwise pass as two good ids.
    if lines.count("\n") != len(distinct) or not _ID.fullmatch(lines):
        return None
    return column


def _years(column: Column, *, nullable: bool) -> Column | None:
    kinds = set(map(type, column))  # bool is not int here: StrictInt refuses true
    if not kinds <= ({int, type(None)} if nullable else {int}):
        return None
    given = [v for v in column if v is not None]
    if given and (min(given) < _YEARS[0] or max(given) > _YEARS[1]):
        return None
    return column


def _flags(column: Column) -> Column | None:
    return column if set(map(type, column)) <= {bool} else None


def _choices(allowed: tuple[Any, ...]) -> _Check:
    known = frozenset(allowed) | {None}

    def check(column: Column) -> Column | None:
        # Literal takes the texts only: a non-str value that equals none of them fails too.
        if not set(map(type, column)) <= {str, type(None)} or not known.issuperset(column):
            return None
        return column

    return check


def _numbers(column: Column) -> Column | None:
    """models.ExactNumber: a finite Decimal as it is, an int (not a bool) as a Decimal."""
    kinds = set(map(type, column))
    if not kinds <= {Decimal, int, type(None)}:
        return None
    if Decimal in kinds and not all(map(Decimal.is_finite, filter(_is_decimal, column))):
        return None
    if int in kinds:
        return [Decimal(v) if type(v) is int else v for v in column]
    return column


def _is_decimal(value: Any) -> bool:
    return type(value) is Decimal


_CHECKS: dict[str, _Check] = {
    "id": _ids,
    "indicator": _ids,
    "region": _ids,
    "year": lambda c: _years(c, nullable=True),
    "year_inferred": _flags,
    "comparator": _choices(COMPARATORS),
    "value": _numbers,
    "value_max": _numbers,
    "unit": lambda c: _texts(c, empty=False, nullable=True),
    "hedge": lambda c: _texts(c, empty=False, nullable=True),
    "nature": _choices(("binding", "expected")),
    "base_year": lambda c: _years(c, nullable=True),
    "maintain": _flags,
    "note": lambda c: _texts(c, empty=True, nullable=True),
    "stage": _choices(get_args(Stage)),
    "done_when": lambda c: _texts(c, empty=True, nullable=True),
    "effort": _flags,
    "scope": lambda c: _texts(c, empty=True, nullable=True),
    "part_of": lambda c: _ids(c, nullable=True),
    "section": lambda c: _texts(c, empty=False, nullable=False),
    "quote": lambda c: _texts(c, empty=False, nullable=False),
}
_REQUIRED = frozenset(("id", "indicator", "region", "year", "section", "quote"))


def clear(items: ItemColumns) -> dict[str, Column] | None:
    """The targets' columns as their models hold them (defaults filled in, numbers as Decimal),
    when the model takes every target as it stands; None: validate them the strict way."""
    paths: dict[tuple[str | int, ...], str] = {(f,): f for f in FIELDS if f not in NESTED}
    paths.update({path: name for name, path in NESTED.items()})
    if not set(items.columns) <= set(paths) or set(_CHECKS) != set(FIELDS):
        return None  # a key the model does not have (or a field this module does not know)
    given = {paths[path]: (column, path in items.partial) for path, column in items.columns.items()}
    columns: dict[str, Column] = {}
    for name in FIELDS:
        found, partial = given.get(name, (None, True))
        column = _filled(name, found, partial, items.count)
        checked = None if column is None else _CHECKS[name](column)
        if checked is None:
            return None
        columns[name] = checked
    return columns if all(rule(columns) for rule in _RULES) else None


def _filled(name: str, column: Column | None, partial: bool, count: int) -> Column | None:
    """A field's column with its default where a target does not have it (None: required)."""
    if not partial:
        return column
    if name in _REQUIRED:
        return None
    default = Target.model_fields[name].get_default(call_default_factory=True)
    if column is None:
        return [default] * count
    return [default if v is MISSING else v for v in column]


# Target._consistent, rule by rule, on every target (its messages come from the strict way).


def _given_together(c: dict[str, Column]) -> bool:
    for comparator, value, unit in zip(c["comparator"], c["value"], c["unit"], strict=True):
        if 0 < (comparator is not None) + (value is not None) + (unit is not None) < 3:
            return False
    return True


def _upper_values(c: dict[str, Column]) -> bool:
    for comparator, value, high in zip(c["comparator"], c["value"], c["value_max"], strict=True):
        if comparator in ("between", "range"):
            if high is None or (value is not None and high <= value):
                return False
        elif high is not None:
            return False
    return True


def _milestones_only(c: dict[str, Column]) -> bool:
    given = zip(c["comparator"], c["stage"], c["done_when"], strict=True)
    return not any(comparator is not None and (stage or done) for comparator, stage, done in given)


def _maintained_numbers(c: dict[str, Column]) -> bool:
    given = zip(c["maintain"], c["comparator"], c["year"], strict=True)
    return not any(
        keep and (comparator is None or year is None) for keep, comparator, year in given
    )


_RULES = (_given_together, _upper_values, _milestones_only, _maintained_numbers)


class ColumnTargets(LazyItems[Target]):
    """A plan's targets kept as columns (``columns``: field → values); each Target model is
    made, validated by pydantic, when first asked for."""

    def __init__(self, columns: dict[str, Column], count: int) -> None:
        super().__init__(count)
        self.columns = columns

    def model(self, index: int) -> Target:
        """One target's model, without making the others."""
        if self._items is not None:
            return self._items[index]
        return Target.model_validate(_entry(FIELDS, [self.columns[f][index] for f in FIELDS]))

    def _made(self) -> tuple[Target, ...]:
        rows = zip(*(self.columns[f] for f in FIELDS), strict=True)
        return tuple(Target.model_validate(_entry(FIELDS, row)) for row in rows)


def _entry(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    entry = dict(zip(names, row, strict=True))
    entry["source"] = {"section": entry.pop("section"), "quote": entry.pop("quote")}
    return entry


def as_columns(targets: Sequence[Target]) -> dict[str, Column]:
    """A plan's targets column by column: their own columns, or those of the models."""
    return targets.columns if isinstance(targets, ColumnTargets) else columns_of(targets)


def columns_of(targets: Sequence[Target]) -> dict[str, Column]:
    """The columns of targets held as models (a plan read the strict way)."""
    columns: dict[str, Column] = {name: [] for name in FIELDS}
    for t in targets:
        for name in FIELDS:
            columns[name].append(getattr(t.source if name in NESTED else t, name))
    return columns


# --- in the cache: the columns as JSON --------------------------------------------------------
_NUMBERS = ("value", "value_max")  # Decimal columns, stored as their text


def stored_columns(targets: Sequence[Target]) -> dict[str, Column]:
    """A plan's targets as JSON-ready columns (each number as its exact text)."""
    columns = as_columns(targets)
    stored = dict(columns)
    for name in _NUMBERS:
        stored[name] = [None if v is None else str(v) for v in columns[name]]
    return stored


def from_stored(stored: dict[str, Column]) -> tuple[Target, ...]:
    """The models of :func:`stored_columns`' columns, validated again."""
    if set(stored) != set(FIELDS):
        raise ValueError("the stored targets have other fields than the model")
    columns = dict(stored)
    for name in _NUMBERS:
        columns[name] = [None if v is None else Decimal(v) for v in stored[name]]
    return ColumnTargets(columns, len(columns["id"]))._load()
