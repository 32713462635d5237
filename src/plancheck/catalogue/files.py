"""One catalogue file → validated models, with a problem for each bad entry (not only the first).

A plan file in the plain block form has its target list read column by column and checked in
bulk (catalogue.target_columns); any other file, or one with a target the bulk checks do not
clear, is parsed by the strict loader, then validated: a plan's targets all at once (one call
into pydantic for thousands of targets), and only when that fails one by one, so that each bad
target gives its own problems, placed at its line, and does not hide the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import strict_yaml
from ..problems import InputError, Problem, did_you_mean, short
from .loaded import Plan
from .models import PlanFile, Target
from .target_columns import ColumnTargets, clear

M = TypeVar("M", bound=BaseModel)


def shown_name(path: Path) -> str:
    """A catalogue file as messages name it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _problems_from(
    err: ValidationError, doc: strict_yaml.Document, prefix: tuple[Any, ...], model: type[BaseModel]
) -> list[Problem]:
    """One problem for each of pydantic's errors, placed at the line of the key it is about."""
    problems: list[Problem] = []
    for e in err.errors():
        loc = tuple(x for x in e["loc"] if x != "[key]")
        path = (*prefix, *loc)
        line, column = doc.position(path)
        kind, message, raw, hint = _described(e, loc, model)
        problems.append(
            Problem(
                kind,
                message,
                doc.file,
                line=line,
                column=column,
                field=".".join(str(x) for x in path) or "(top level)",
                value=None if raw is None or isinstance(raw, (dict, list)) else short(raw),
                hint=hint,
            )
        )
    return problems


_TYPE_ERRORS = ("bool_parsing", "int_parsing", "date_from_datetime_parsing")


def _described(
    e: Any, loc: tuple[Any, ...], model: type[BaseModel]
) -> tuple[str, str, Any, str | None]:
    """A pydantic error in the catalogue's words: type, message, the value, a hint."""
    error, message, raw = e["type"], e["msg"], e.get("input")
    if error == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        fields = _fields_at(model, loc[:-1])
        allowed = f"allowed keys: {', '.join(fields)}" if fields else None
        return "unknown-key", f"unknown key '{key}'", key, did_you_mean(key, fields) or allowed
    if error == "missing":
        return "missing-key", f"required key '{loc[-1]}' is missing", None, None
    if error.endswith("_type") or error in _TYPE_ERRORS:
        hint = None
        if isinstance(raw, (int, float)) or type(raw).__name__ == "Decimal":
            hint = "quote the value if it is text"
        elif isinstance(raw, str) and error.startswith("bool"):
            hint = "write true or false"
        return "type-error", message, raw, hint
    if error == "value_error":
        message = message.removeprefix("Value error, ")
        kind = "type-error" if "expected a number" in message else "invalid-value"
        return kind, message, raw, None
    return "invalid-value", message, raw, None


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


def load_mapping(
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


def load_plan(path: Path, problems: list[Problem], display: str) -> Plan | None:
    """The plan of a plan file, its targets kept as columns when the bulk checks clear them all
    (catalogue.target_columns), else validated one by one."""
    try:
        doc, items = strict_yaml.load_with_columns(path, "targets", display=display)
        columns = clear(items) if items is not None else None
        if items is not None and columns is None:
            # A target the bulk checks do not clear: the whole file the strict way, so that
            # each problem is found, worded and placed as it always is.
            doc, items = strict_yaml.load(path, display=display), None
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
    # Check the top level without the targets, then the targets.
    top = {k: (v if k != "targets" else []) for k, v in data.items()}
    shell = _validate(PlanFile, top, doc, (), problems)
    if items is not None and columns is not None:
        if shell is None:
            return None
        targets: Sequence[Target] = ColumnTargets(columns, items.count)
        return Plan(shell.plan, targets, display, tuple(items.lines), tuple(shell.excluded))
    written = data.get("targets")
    if written is not None and not isinstance(written, list):
        line, col = doc.position(("targets",))
        problems.append(
            Problem("type-error", "'targets' must be a list", display, line=line, column=col)
        )
        written = []
    validated, lines = _targets(written or [], doc, problems)
    if shell is None:
        return None
    return Plan(shell.plan, tuple(validated), display, tuple(lines), tuple(shell.excluded))


@cache
def _target_list() -> TypeAdapter[list[Target]]:
    return TypeAdapter(list[Target])


def _targets(
    written: list[Any], doc: strict_yaml.Document, problems: list[Problem]
) -> tuple[list[Target], list[int]]:
    """The valid targets and their lines; a problem for each invalid one, at its line."""
    try:
        targets = _target_list().validate_python(written)
    except ValidationError:
        pass  # one by one, so that each bad target's problems carry its own place
    else:
        return targets, [doc.position(("targets", i))[0] or 0 for i in range(len(targets))]
    targets, lines = [], []
    for i, raw in enumerate(written):
        target = _validate(Target, raw, doc, ("targets", i), problems)
        if target is not None:
            targets.append(target)
            lines.append(doc.position(("targets", i))[0] or 0)
    return targets, lines
