"""One strict YAML loader for the catalogue and for YAML actuals.

PyYAML's own constructors follow YAML 1.1: duplicate keys silently keep the last value,
``010`` is octal 8, ``12:30`` is 750, ``no`` is False and ``51.50`` becomes the float 51.5.
This loader builds Python values from the parser's *events* instead, so it sees every scalar's
source text and style, and every anchor, alias and tag:

* numbers become ``int`` or :class:`~decimal.Decimal` read from their text (``51.50`` keeps its
  two decimals); forms YAML 1.1 would misread (``010``, ``0x1F``, ``1_000``, ``.inf``) are refused;
* ``yes``/``no``/``on``/``off`` and ``12:30`` stay text (the YAML 1.2 reading), so a text field
  keeps them as written and a boolean or number field refuses them with a hint;
* duplicate keys are refused naming both lines; merge keys, non-core tags and (unless allowed)
  anchors and aliases are refused; allowed aliases are bounded by the nodes they expand to.

Each value's position is kept in a path → (line, column) map for error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import InputError, Problem, short
from .yaml_block import ItemColumns, read_block, read_columns
from .yaml_scalars import BOOL, ScalarError, number, plain_value

Path_ = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}


@dataclass
class Document:
    """A loaded YAML document: plain Python data plus where each value came from."""

    data: Any
    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # Read by the fast block reader: ``positions`` holds the sequence items only, and the
    # rest are found by reading ``text`` with the event-based loader when first asked for.
    text: str | None = field(default=None, repr=False, compare=False)

    def position(self, path: Path_) -> tuple[int | None, int | None]:
        """The line and column of the value at ``path``, or of its nearest ancestor."""
        p = tuple(path)
        if self.text is not None:
            if p in self.positions:
                return self.positions[p]
            self.positions = _read_events(self.text, self.file, 0).positions
            self.text = None
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (None, None))


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Builder:
    file: str
    events: Iterator[yaml.Event]
    max_alias_nodes: int
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)
    expanded: int = 0

    def refuse(
        self, type_: str, msg: str, mark: Any, value: str | None = None, hint: str | None = None
    ) -> _Refused:
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        return _Refused(
            Problem(type_, msg, self.file, line=line, column=col, value=value, hint=hint)
        )

    def node(self, event: yaml.Event, path: Path_) -> tuple[Any, int]:
        """Build the value that starts with ``event``; returns it and its node count."""
        mark = event.start_mark
        if mark is not None:
            self.positions.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(event, yaml.AliasEvent):
            return self.alias(event)
        anchor = getattr(event, "anchor", None)
        if anchor is not None and self.max_alias_nodes == 0:
            raise self.refuse(
                "anchor-alias",
                f"anchor '&{anchor}' is not allowed here",
                event.start_mark,
                hint="write the values out in full; catalogue files take no anchors or aliases",
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS and tag != "!":
            raise self.refuse(
                "forbidden-tag",
                f"tag '{tag}' is not allowed",
                event.start_mark,
                value=tag,
                hint="remove the tag; only plain YAML values are read",
            )
        if isinstance(event, yaml.ScalarEvent):
            value, size = self.scalar(event), 1
        elif isinstance(event, yaml.SequenceStartEvent):
            value, size = self.sequence(path)
        elif isinstance(event, yaml.MappingStartEvent):
            value, size = self.mapping(path)
        else:  # pragma: no cover - the parser never yields others here
            raise self.refuse(
                "invalid-yaml", f"unexpected {type(event).__name__}", event.start_mark
            )
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        return value, size

    def alias(self, event: yaml.AliasEvent) -> tuple[Any, int]:
        if self.max_alias_nodes == 0:
            raise self.refuse(
                "anchor-alias",
                f"alias '*{event.anchor}' is not allowed here",
                event.start_mark,
                hint="write the values out in full; catalogue files take no anchors or aliases",
            )
        if (event.anchor or "") not in self.anchors:  # libyaml's parser leaves this to the composer
            raise self.refuse(
                "invalid-yaml",
                f"alias '*{event.anchor}' refers to no anchor defined before it",
                event.start_mark,
                value=f"*{event.anchor}",
                hint="define the anchor ('&name') before the alias, or write the value out",
            )
        value, size = self.anchors[event.anchor or ""]
        self.expanded += size
        if self.expanded > self.max_alias_nodes:
            raise self.refuse(
                "alias-limit",
                f"aliases expand to more than {self.max_alias_nodes} values",
                event.start_mark,
                hint="a file this size should not need aliases; write it out or split it",
            )
        return value, size

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        text = event.value
        tag = event.tag
        if tag == f"{_CORE}str" or (tag is None and event.style in ("'", '"', "|", ">")):
            return text
        if tag == "!":  # a non-specific tag on a plain scalar ("! 12") means text
            return text
        if tag is None or tag in (f"{_CORE}int", f"{_CORE}float"):
            try:
                if tag is None:
                    return plain_value(text)
                value = number(text)
            except ScalarError as err:
                raise self.refuse(
                    err.type, err.message, event.start_mark, value=err.value, hint=err.hint
                ) from None
            if value is None:
                raise self.refuse(
                    "type-error", f"'{short(text)}' is not a number", event.start_mark, value=text
                )
            return value
        if tag == f"{_CORE}bool":
            if text in BOOL:
                return BOOL[text]
            raise self.refuse(
                "type-error", f"'{text}' is not true or false", event.start_mark, value=text
            )
        if tag == f"{_CORE}null":
            return None
        raise self.refuse(
            "forbidden-tag", f"tag '{tag}' cannot apply to a scalar", event.start_mark
        )

    def sequence(self, path: Path_) -> tuple[list[Any], int]:
        items: list[Any] = []
        size = 1
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                return items, size
            value, n = self.node(event, (*path, len(items)))
            items.append(value)
            size += n
        raise self.refuse("invalid-yaml", "unterminated sequence", None)  # pragma: no cover

    def mapping(self, path: Path_) -> tuple[dict[Any, Any], int]:
        result: dict[Any, Any] = {}
        key_lines: dict[Any, int] = {}
        size = 1
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                return result, size
            if not isinstance(event, yaml.ScalarEvent):
                raise self.refuse(
                    "invalid-yaml", "a mapping key must be plain text", event.start_mark
                )
            if event.value == "<<" and not event.style:  # libyaml reports plain style as ""
                raise self.refuse(
                    "anchor-alias",
                    "merge keys ('<<') are not allowed",
                    event.start_mark,
                    hint="write the keys out in full",
                )
            key = self.scalar(event)
            if isinstance(key, (list, dict)):  # pragma: no cover - scalar() never returns these
                raise self.refuse(
                    "invalid-yaml", "a mapping key must be a scalar", event.start_mark
                )
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else 0
            if key in key_lines:
                raise self.refuse(
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined at line {key_lines[key]}, again at line {line})",
                    event.start_mark,
                    value=str(key),
                    hint="YAML keeps only one of them; remove or rename one",
                )
            key_lines[key] = line
            child = (*path, key)
            self.positions[child] = (line, mark.column + 1 if mark is not None else 0)
            value_event = next(self.events)
            value, n = self.node(value_event, child)
            result[key] = value
            size += n
        raise self.refuse("invalid-yaml", "unterminated mapping", None)  # pragma: no cover


def loads(text: str, file: str, *, max_alias_nodes: int = 0) -> Document:
    """Parse one YAML document strictly. Raises :class:`InputError` with one problem."""
    # A text whose first character after white space is not '#' has a line of data: no need
    # to split all of it into lines to look for one.
    opening = text.lstrip()[:1]
    if opening in ("", "#") and all(
        line.strip() == "" or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise InputError(
            [
                Problem(
                    "empty-file",
                    "the file holds no YAML data",
                    file,
                    hint="add content or remove the file",
                )
            ]
        )
    fast = read_block(text, lambda flow: _read_events(flow, file, 0).data)
    if fast is not None:
        data, items = fast
        return Document(data, file, items, text)
    return _read_events(text, file, max_alias_nodes)


def _read_events(text: str, file: str, max_alias_nodes: int) -> Document:
    """Parse with libyaml's events: every YAML form, every refusal, every position."""
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = iter(yaml.parse(text, Loader=loader_cls))
        builder = _Builder(file, events, max_alias_nodes)
        data: Any = None
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise builder.refuse(
                        "invalid-yaml",
                        "the file holds more than one YAML document",
                        event.start_mark,
                        hint="keep one document per file (remove the extra '---')",
                    )
                data, _ = builder.node(next(events), ())
        return Document(data, file, builder.positions)
    except _Refused as refused:
        raise InputError([refused.problem]) from None
    except RecursionError:
        raise InputError(
            [
                Problem(
                    "invalid-yaml", "the YAML is nested too deeply", file, hint="flatten the data"
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        reason = " ".join(x for x in (err.context, err.problem) if x)
        raise InputError(
            [
                Problem(
                    "invalid-yaml",
                    f"not valid YAML: {reason}",
                    file,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                    hint="check indentation, colons and quotes at this place",
                )
            ]
        ) from None
    except yaml.YAMLError as err:  # reader errors, e.g. control characters
        raise InputError([Problem("invalid-yaml", f"not valid YAML: {err}", file)]) from None


def load(path: Path, *, max_alias_nodes: int = 0, display: str | None = None) -> Document:
    """Read and parse a YAML file (always as UTF-8, never the locale's encoding)."""
    name = display or str(path)
    return loads(read_text(path, name), name, max_alias_nodes=max_alias_nodes)


def load_with_columns(
    path: Path, key: str, *, display: str | None = None
) -> tuple[Document, ItemColumns | None]:
    """A YAML file whose top-level ``key`` holds a long list of mappings (a plan's targets):
    the document with ``key: []``, and the list column by column (yaml_block.read_columns);
    or, when the file is not in the plain form that takes, the whole document and None.
    The document's positions are the file's: the list's lines are left empty, not removed."""
    name = display or str(path)
    text = read_text(path, name)
    split = read_columns(text, key, lambda flow: _read_events(flow, name, 0).data)
    if split is not None:
        # The rest must be plain too (read by the block reader): then nothing in it can
        # change how the list's lines read, and ``key`` is a key of the top-level mapping.
        fast = read_block(split.rest, lambda flow: _read_events(flow, name, 0).data)
        if fast is not None and isinstance(fast[0], dict) and fast[0].get(key) == []:
            return Document(fast[0], name, split.moved(fast[1]), split.blanked()), split.columns
    return loads(text, name), None


def read_text(path: Path, name: str) -> str:
    """A YAML file's text (UTF-8, a byte-order mark dropped); InputError if it cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [Problem("missing-file", "file not found", name, hint="check the path")]
        ) from None
    except OSError as err:
        raise InputError(
            [Problem("unreadable-file", f"cannot read the file: {err.strerror}", name)]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    "encoding-error",
                    f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})",
                    name,
                    line=line,
                    hint="save the YAML file as UTF-8",
                )
            ]
        ) from None
    return text
