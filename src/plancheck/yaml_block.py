"""A fast reader for plain block-style YAML, the way catalogue files are written.

PyYAML hands libyaml's events to Python one object at a time (about 3 µs each): a national
catalogue of 285,000 targets is ten million events, half a minute before any check runs. Most
catalogue files use a small part of YAML: block mappings and sequences, one ``key: value`` per
line, plain or quoted one-line scalars. This reader takes each line apart with one regular
expression (run over the whole text in C) and builds the values from those lines.

It never decides anything the strict loader would decide differently: every plain scalar goes
through the same :func:`yaml_scalars.plain_value`, a flow collection (``[a, b]``) is read by the
strict loader itself (``read_flow``), as is a double-quoted scalar with escapes, and anything
else — anchors, tags, block scalars, multi-line scalars, complex or quoted keys, duplicate keys,
document markers, tabs, unusual line breaks, a number it would refuse, a line it cannot place —
makes it return None: the caller then reads the file with the strict event-based loader, which
gives the same value or the exact problem, with its line and column.

A catalogue's target list repeats a few layouts of keys thousands of times. Once an item of a
sequence has been read line by line, its layout (:class:`_Layout`) becomes one regular
expression that reads a whole further item of that layout at once; anything it does not match
exactly (another key, a comment, an empty value) is read line by line as before.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from itertools import islice, repeat
from typing import Any, NamedTuple

from .problems import InputError
from .yaml_scalars import _PLAIN_IN_RANGE, BOOL, NULL, ScalarError, plain_value

Path_ = tuple[str | int, ...]

# Characters this reader leaves to the strict loader wherever they occur: tabs and carriage
# returns (indentation and line rules), line breaks other than \n (\x85, \u2028, \u2029), a
# byte-order mark inside the text, and control characters libyaml refuses.
_UNUSUAL = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Document markers and directives start a line with one of these.
_MARKERS = ("---", "...", "%")
# A plain scalar: it starts with no indicator (a '-' only before a digit or '.'), holds no ': '
# or ' #', and ends with no space or ':'. Whitespace as Python sees it (\s, wider than YAML's)
# is excluded, so that text with an ideographic or no-break space goes the strict way.
_PLAIN_REST = r"[^\s:#]*(?:(?::(?=\S)|(?<=\S)#)[^\s:#]*)*"
_PLAIN = (
    rf"(?:[^\s\-?:,\[\]{{}}#&*!|>'\"%@`]|-(?=[0-9.])){_PLAIN_REST}(?: +(?=[^\s#]){_PLAIN_REST})*"
)
# What follows "key: " or "- " on a line: one scalar or flow collection, then maybe a comment.
_VALUE = re.compile(
    r" *(?:"
    r"(\"[^\"\\]*\")"  # a double-quoted scalar without escapes
    r"|('(?:[^']|'')*')"  # a single-quoted scalar
    rf"|({_PLAIN})"
    r"|(\"(?:[^\"\\]|\\.)*\")"  # a double-quoted scalar with escapes: read_flow
    r"|([\[{].*)"  # a flow collection (and the rest of the line): read_flow
    r")? *(?:(?<![^ ])#.*)?"
)
# One word, with no ':', '#' or space: a plain scalar whole, found sooner than by _VALUE.
_WORD = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\s:#]*")
# What stands before ": " (or before a final ":"): indentation, a dash, a plain key.
_HEAD = re.compile(r"( *)(- )?([A-Za-z_][A-Za-z0-9_]*)")
_NONE = object()  # a key with nothing after it: a nested block follows, or the value is null
_UNSEEN = object()  # a value text not read yet
_MAX_LAYOUTS = 16  # item layouts learned per document; past that, items are read line by line


class _NotBlock(Exception):
    """The text is not in the part of YAML this reader takes: use the strict loader."""


class _Layout:
    """The lines of a sequence item as one pattern: ``- key: value`` at ``indent``, then
    ``key: value`` lines two columns in, and blocks of ``key:`` with ``key: value`` lines two
    columns further in; every key a plain one, each once in its mapping.

    Read line by line, such an item is one mapping (with a mapping for each block) whose values
    are the line reader's values of the texts after each ``": "``: which :meth:`build` makes
    from the pattern's groups.
    """

    __slots__ = ("block", "indent", "lines", "pattern", "segments")

    def __init__(
        self,
        indent: int,
        pattern: str,
        lines: int,
        segments: list[tuple[int, int, tuple[Any, ...], Any]],
    ) -> None:
        self.indent = indent
        self.pattern = re.compile(pattern)
        self.lines = lines
        # (first value, end, keys, block key or _NONE): a run of keys of the item, or a block
        self.segments = segments
        self.block = segments[-1][3]  # the block the last line is in (_NONE: the item)

    def build(self, values: list[Any]) -> dict[Any, Any]:
        item: dict[Any, Any] = {}
        for start, end, keys, block in self.segments:
            if block is _NONE:
                item.update(zip(keys, values[start:end], strict=True))
            else:
                item[block] = dict(zip(keys, values[start:end], strict=True))
        return item


class _Open:
    """A mapping or sequence still taking entries: its indentation and key path."""

    __slots__ = ("indent", "items", "path")

    def __init__(self, indent: int, items: dict[Any, Any] | list[Any], path: Path_) -> None:
        self.indent = indent
        self.items = items
        self.path = path


def read_block(
    text: str, read_flow: Callable[[str], Any]
) -> tuple[Any, dict[Path_, tuple[int, int]]] | None:
    """The data of a block-style YAML document and the (line, column) of each sequence item,
    or None: read it with the strict loader.

    ``read_flow`` reads one flow collection or escaped scalar with the strict loader (raising InputError on
    anything the loader refuses).
    """
    if text.startswith(_MARKERS) or any(f"\n{marker}" in text for marker in _MARKERS):
        return None
    lines = text.split("\n")
    # Printable text (Unicode's sense) holds none of them; the search is for the rest.
    if not all(map(str.isprintable, lines)) and _UNUSUAL.search(text):
        return None
    try:
        return _Reader(read_flow).read(text, lines)
    except (_NotBlock, ScalarError, InputError, RecursionError):
        return None  # the strict loader reads it, or says exactly what is wrong and where


class _Reader:
    def __init__(self, read_flow: Callable[[str], Any]) -> None:
        self.read_flow = read_flow
        self.heads: dict[str, tuple[int, bool, Any]] = {}  # "  - id" → (2, True, "id")
        self.values: dict[str, Any] = {}  # text after "key: " → value; repeats are common
        self.layouts: list[_Layout] = []  # most recently used first
        self.patterns: set[str] = set()  # the layouts' patterns, each learned once

    def head(self, text: str) -> tuple[int, bool, Any] | None:
        found = self.heads.get(text)
        if found is None:
            match = _HEAD.fullmatch(text)
            if match is None:
                return None
            indent, dash, key = match.groups()
            found = self.heads[text] = (len(indent), bool(dash), plain_value(key))
        return found

    def value(self, text: str) -> Any:
        found = self.values.get(text, self)
        if found is not self:
            return found
        if _WORD.fullmatch(text):  # most values: what _VALUE would read as a plain scalar
            found = self.values[text] = plain_value(text)
            return found
        match = _VALUE.fullmatch(text)
        if match is None:
            raise _NotBlock
        double, single, plain, escaped, flow = match.groups()
        if flow:
            return self.read_flow(flow)  # a new list or dict each time: never shared
        if escaped:
            found = self.read_flow(escaped)
        elif double:
            found = double[1:-1]
        elif single:
            found = single[1:-1].replace("''", "'")
        elif plain:
            found = plain_value(plain)
        else:
            found = _NONE
        self.values[text] = found
        return found

    def line(self, line: str) -> tuple[tuple[int, bool, Any], Any] | None:
        """A line's (indentation, dash, key) and value, None for a blank or comment line."""
        before, colon, after = line.partition(": ")
        shape = self.head(before) if colon else None
        if shape is not None:
            return shape, self.value(after)
        bare = line.rstrip(" ")
        shape = self.head(bare[:-1]) if bare.endswith(":") else None
        if shape is not None:
            return shape, _NONE
        content = bare.lstrip(" ")
        if content.startswith("- "):
            found = self.value(content[2:])
            if found is _NONE:
                raise _NotBlock  # "-" alone: a nested block or null; rare
            return (len(bare) - len(content), True, _NONE), found
        if not content or content.startswith("#"):
            return None
        raise _NotBlock  # a continued scalar, a bare scalar, a complex key …

    def read(self, text: str, lines: list[str]) -> tuple[Any, dict[Path_, tuple[int, int]]]:
        self.stack: list[_Open] = []
        self.items: dict[Path_, tuple[int, int]] = {}
        self.pending: tuple[dict[Any, Any], Any, int, Path_] | None = None  # an empty "key:"
        self.last_item: tuple[int, list[Any]] | None = None  # line and sequence of a mapping item
        self.offset = (1, 0)  # a line's number and where it starts in the text
        heads, values = self.heads, self.values
        top_indent, top_mapping = -1, None  # the innermost open block, when it is a mapping
        rows = enumerate(lines, 1)
        for number, line in rows:
            # Most lines are "key: value" with a key and often a value seen before, in the
            # mapping the line before was in: they take the first branch of each choice.
            before, colon, after = line.partition(": ")
            shape = heads.get(before) if colon else None
            if shape is not None:
                indent, dash, key = shape
                found = values.get(after, _NONE)
                if found is _NONE:
                    found = self.value(after)
            else:
                read = self.line(line)
                if read is None:
                    continue
                (indent, dash, key), found = read
            if (
                indent == top_indent
                and top_mapping is not None
                and not dash
                and self.pending is None
            ):
                if key in top_mapping:
                    raise _NotBlock  # a duplicate: the strict loader names both lines
                if found is not _NONE:
                    top_mapping[key] = found
                    continue
                top_mapping[key] = None
                self.pending = (top_mapping, key, indent, self.stack[-1].path)
                continue
            taken = self.by_layout(text, lines, number, indent, dash, key)
            if taken:
                deque(islice(rows, taken - 1), maxlen=0)  # the lines after this one it read
            else:
                self.place(number, indent, dash, key, found)
            top = self.stack[-1]
            top_indent = top.indent
            top_mapping = top.items if isinstance(top.items, dict) else None
        if not self.stack:
            raise _NotBlock
        return self.stack[0].items, self.items

    def place(self, number: int, indent: int, dash: bool, key: Any, found: Any) -> None:
        """Put a line's entry where its indentation and dash say: in a nested block opened for
        a key with nothing after it, or after closing the blocks it is left of."""
        self.open_pending(indent, dash)
        top = self.close_to(indent, dash)
        if dash:
            entry = self.item(top, number, indent, key, found)
            if entry is None:
                return
            mapping, path = entry
            indent += 2  # "- key: value": the keys stand two columns in from the dash
        elif isinstance(top.items, dict):
            mapping, path = top.items, top.path
        else:
            raise _NotBlock
        if key in mapping:
            raise _NotBlock  # a duplicate: the strict loader names both lines
        if found is _NONE:
            mapping[key] = None
            self.pending = (mapping, key, indent, path)
        else:
            mapping[key] = found

    def open_pending(self, indent: int, dash: bool) -> None:
        """The block under a key with nothing after it, when this line starts one."""
        if self.pending is None:
            if not self.stack:  # the document's first line
                self.stack.append(_Open(indent, [] if dash else {}, ()))
            return
        parent, parent_key, parent_indent, parent_path = self.pending
        self.pending = None
        if indent > parent_indent or (indent == parent_indent and dash):
            # A nested block, or a sequence at its key's own indentation.
            child: dict[Any, Any] | list[Any] = [] if dash else {}
            parent[parent_key] = child
            self.stack.append(_Open(indent, child, (*parent_path, parent_key)))

    def close_to(self, indent: int, dash: bool) -> _Open:
        """Close the blocks a line at ``indent`` ends; the block it belongs to."""
        stack = self.stack
        top = stack[-1]
        while top.indent > indent or (
            top.indent == indent and not dash and isinstance(top.items, list)
        ):
            stack.pop()
            if not stack:
                raise _NotBlock
            top = stack[-1]
        if top.indent != indent:
            raise _NotBlock
        return top

    def item(
        self, top: _Open, number: int, indent: int, key: Any, found: Any
    ) -> tuple[dict[Any, Any], Path_] | None:
        """A new sequence item: the scalar (None returned), or the mapping its key opens."""
        sequence = top.items
        if not isinstance(sequence, list):
            raise _NotBlock
        path = (*top.path, len(sequence))
        self.items[path] = (number, indent + 3)
        if key is _NONE:
            sequence.append(found)
            return None
        mapping: dict[Any, Any] = {}
        sequence.append(mapping)
        self.stack.append(_Open(indent + 2, mapping, path))
        self.last_item = (number, sequence)
        return mapping, path

    def by_layout(
        self, text: str, lines: list[str], number: int, indent: int, dash: bool, key: Any
    ) -> int:
        """Read the items of a sequence that start at line ``number`` with the layouts of
        items before them; the lines read (0: none, the line is read on its own).

        Only a line ``- key: value`` with no block pending starts one: it belongs to the
        sequence whose items stand at ``indent``, as :meth:`place` would find it.
        """
        if not dash or key is _NONE or self.pending is not None or not self.stack:
            return 0
        top = self.close_to(indent, True)
        sequence = top.items
        if not isinstance(sequence, list):
            return 0
        last, self.last_item = self.last_item, None
        if last is not None and last[1] is sequence and len(self.patterns) < _MAX_LAYOUTS:
            self.learn(lines[last[0] - 1 : number - 1])  # the item before, read line by line
        if not self.layouts:
            return 0
        known, at = self.offset
        at += sum(map(len, lines[known - 1 : number - 1])) + number - known
        self.offset = (number, at)
        read = self.read_items(text, at, number, top)
        if read is None:
            return 0
        end, at, layout = read
        item, path = sequence[-1], (*top.path, len(sequence) - 1)
        # Open what the line reader would have open after the last item's last line.
        self.stack.append(_Open(indent + 2, item, path))
        if layout.block is not _NONE:
            self.stack.append(_Open(indent + 4, item[layout.block], (*path, layout.block)))
        self.offset = (end, at)
        return end - number

    def read_items(
        self, text: str, at: int, number: int, top: _Open
    ) -> tuple[int, int, _Layout] | None:
        """Append to the sequence each item a layout reads from ``at`` (line ``number``) on;
        the line and offset after them and the last one's layout, or None: none read."""
        sequence, indent = top.items, top.indent
        assert isinstance(sequence, list)
        values_get, unseen, used = self.values.get, repeat(_UNSEEN), None
        while True:
            for layout in self.layouts:
                match = layout.pattern.match(text, at) if layout.indent == indent else None
                if match is not None:
                    break
            else:
                break
            texts = match.groups()
            found = list(map(values_get, texts, unseen))
            if _UNSEEN in found:
                found = [
                    self.value(t) if f is _UNSEEN else f for t, f in zip(texts, found, strict=True)
                ]
            if _NONE in found:
                break  # an empty value: a block or null, which the line reader decides
            path = (*top.path, len(sequence))
            self.items[path] = (number, indent + 3)
            sequence.append(layout.build(found))
            used, number, at = layout, number + layout.lines, match.end()
        if used is None:
            return None
        if used is not self.layouts[0]:  # most recently used first
            self.layouts.remove(used)
            self.layouts.insert(0, used)
        return number, at, used

    def learn(self, lines: list[str]) -> None:
        """Learn the layout of an item's lines, when they fit the form :class:`_Layout` reads."""
        shapes = [self.line_shape(line) for line in lines]
        segments = _segments(shapes)
        if segments is None:
            return
        pattern = "".join(
            re.escape(line) + "\n"
            if shape is None or not shape[3]  # "key:" (None: not met, _segments refuses it)
            else re.escape(line.partition(": ")[0]) + ": ([^\n]*)\n"
            for line, shape in zip(lines, shapes, strict=True)
        )
        if pattern not in self.patterns:
            self.patterns.add(pattern)
            indent = len(lines[0]) - len(lines[0].lstrip(" "))
            self.layouts.append(_Layout(indent, pattern, len(lines), segments))

    def line_shape(self, line: str) -> tuple[int, bool, Any, bool] | None:
        """A line's indentation, dash and key, and whether a value follows ``": "``."""
        before, colon, _ = line.partition(": ")
        shape = self.head(before if colon else line[:-1] if line.endswith(":") else "")
        return None if shape is None else (*shape, bool(colon))


def _segments(
    shapes: list[tuple[int, bool, Any, bool] | None],
) -> list[tuple[int, int, tuple[Any, ...], Any]] | None:
    """The runs of keys (and blocks) of the item whose lines have these shapes, if it is one
    :class:`_Layout` reads: ``- key: value``, then keys two columns in, blocks' keys four."""
    first = shapes[0]
    if first is None or not first[1] or not first[3]:
        return None
    runs: list[tuple[int, list[Any], Any]] = [(0, [first[2]], _NONE)]  # start, keys, block
    if not all(_extend(runs, shape, first[0]) for shape in shapes[1:]) or not runs[-1][1]:
        return None  # not a layout's lines, or a block left empty (null, or other lines)
    item_keys = [block for _, _, block in runs if block is not _NONE]
    for _, keys, block in runs:
        item_keys += keys if block is _NONE else []
    if len(set(item_keys)) != len(item_keys):
        return None  # a key twice in the item
    return [(start, start + len(keys), tuple(keys), block) for start, keys, block in runs]


def _extend(runs: list[tuple[int, list[Any], Any]], shape: Any, indent: int) -> bool:
    """Add an item's line to its runs of keys; False: not a line of a layout's item."""
    if shape is None or shape[1]:
        return False  # not a "key: value" or "key:" line
    column, _, key, valued = shape
    start, keys, block = runs[-1]
    if block is not _NONE and not keys and column != indent + 4:
        return False  # "key:" with no line under it: null, not a block
    if not valued or (column == indent + 2 and block is not _NONE):
        runs.append((start + len(keys), [], _NONE if valued else key))
    in_block = valued and runs[-1][2] is not _NONE
    if column != (indent + 4 if in_block else indent + 2) or key in runs[-1][1]:
        return False
    if valued:
        runs[-1][1].append(key)
    return True


# --- a catalogue's target list, column by column ----------------------------------------------
# A national catalogue's plan file is a short head and one long block sequence of mappings, all
# in a few layouts. Read item by item, each value is a Python call or more; read column by
# column, the texts of all items' values come from one regular expression over the block, each
# distinct text is made a value once, and whole columns of plain words or numbers are made at
# once after one match over all of them.

MISSING: Any = object()  # a key an item does not have
_VALUE_TEXT = re.compile(": ([^\n]*)")  # a line's text after its key (the first ": " of a line)
_VALUE_GAP = re.compile(": [^\n]*")
_BLOCK_END = re.compile("\n(?! )")  # the end of an indented block: a line not starting in " "
_SPACES = re.compile(" *")
# Whole columns of texts joined by "\n" (none holds one): plain words the reader keeps as they are
# (no indicator first, not null, a boolean or a number: those start with a letter or "_"), and
# numbers written the usual way (yaml_scalars._PLAIN_NUMBER).
_ALL_WORDS = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`+.0-9][^\s:#]*\n)*")
_ALL_NUMBERS = re.compile(r"(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\n)*")
_ALL_QUOTED = re.compile(r'(?:"[^"\\\n]*"\n)*')
_WORDS_NOT_TEXT = NULL | frozenset(BOOL)  # words that are not text: "~", "null", "true" …


class ItemColumns:
    """The items of a block sequence of mappings, column by column.

    ``columns``: each key path in an item (``("id",)``, ``("source", "quote")``) → its value
    in each item, :data:`MISSING` where an item has no such key; ``lines``: each item's line;
    ``column``: the column of each item's first key (where its position is).
    """

    __slots__ = ("column", "columns", "count", "lines", "partial")

    def __init__(
        self,
        count: int,
        columns: dict[Path_, list[Any]],
        lines: list[int],
        column: int,
        partial: frozenset[Path_],
    ) -> None:
        self.count = count
        self.columns = columns
        self.lines = lines
        self.column = column
        self.partial = partial  # the paths some items do not have (MISSING in their columns)

    def items(self) -> list[dict[Any, Any]]:
        """The items as the line reader gives them (for tests and comparison)."""
        made: list[dict[Any, Any]] = [{} for _ in range(self.count)]
        for path, values in self.columns.items():
            for item, value in zip(made, values, strict=True):
                if value is MISSING:
                    continue
                if len(path) == 1:
                    item[path[0]] = value
                else:
                    item.setdefault(path[0], {})[path[1]] = value
        return made


class Split(NamedTuple):
    """A document with its long list taken out (:func:`read_columns`)."""

    columns: ItemColumns
    rest: str  # the document with ``key: []`` and without the list's lines
    line: int  # the line of ``key:``: the list's lines followed it
    removed: int  # how many lines the list took

    def blanked(self) -> str:
        """The rest with an empty line for each of the list's: every line where it was."""
        lines = self.rest.split("\n")
        return "\n".join([*lines[: self.line], *[""] * self.removed, *lines[self.line :]])

    def moved(self, positions: dict[Path_, tuple[int, int]]) -> dict[Path_, tuple[int, int]]:
        """Positions in the rest → in the document (lines after ``key:`` move down)."""
        return {
            path: (line + self.removed, column) if line > self.line else (line, column)
            for path, (line, column) in positions.items()
        }


def read_columns(text: str, key: str, read_flow: Callable[[str], Any]) -> Split | None:
    """The block sequence under the top-level ``key:`` of a document, column by column, and
    the rest of the document (``key: []`` in place of ``key:`` and the list), or None: read
    the document as a whole.

    The rest is for :func:`read_block` to read (or refuse: document markers, tabs, unusual
    line breaks or characters, anything it does not take): the list's lines all start with a
    space, so no marker is among them, and their values are checked for unusual characters
    here. Only the plainest form is taken: ``key:`` alone at the start of a line, then items at one
    indentation, each ``- k: v`` then ``k: v`` lines and ``k:`` blocks of ``k: v`` lines (as
    :class:`_Layout` reads them), no blank or comment line, no key twice, no value the line
    reader would not read as one scalar (an empty one, a flow collection, anything it refuses).
    """
    opener = f"{key}:\n"
    start = 0 if text.startswith(opener) else text.find(f"\n{opener}") + 1
    if start == 0 and not text.startswith(opener):
        return None
    begin = start + len(opener)
    found = _BLOCK_END.search(text, begin)
    end = found.start() if found is not None else len(text)
    block = text[begin:end]
    indent = _SPACES.match(block).end()  # type: ignore[union-attr]
    if indent == 0 or block[indent : indent + 2] != "- ":
        return None
    first_line = text.count("\n", 0, begin) + 1
    try:
        columns = _Columns(read_flow, indent).read(block, first_line)
    except (_NotBlock, ScalarError, InputError, RecursionError):
        return None
    if columns is None:
        return None
    rest = f"{text[:start]}{key}: []" + ("\n" + text[end + 1 :] if end < len(text) else "")
    return Split(columns, rest, first_line - 1, block.count("\n") + 1)


# Each item's layout (an index into the layouts), the layouts (key paths, lines), and the
# texts of the values at one place of the items of a layout.
_Read = tuple[Any, list[tuple[list[Path_], int]], Callable[[int, int], Any]]


def _members(kinds: Any) -> list[Any]:
    """The items of each layout, in order."""
    import numpy as np

    order = np.argsort(kinds, kind="stable")
    return np.split(order, np.cumsum(np.bincount(kinds))[:-1].tolist())


class _Columns:
    """The reader of one block sequence's items (see :func:`read_columns`)."""

    def __init__(self, read_flow: Callable[[str], Any], indent: int) -> None:
        self.reader = _Reader(read_flow)
        self.indent = indent

    def read(self, block: str, first_line: int) -> ItemColumns | None:
        import numpy as np

        read = self.by_shapes(block)
        if read is None:
            return None
        kinds, layouts, texts = read
        count = len(kinds)
        heights = np.array([lines for _, lines in layouts], dtype=np.int64)[kinds]
        lines = (np.cumsum(heights) - heights + first_line).tolist()
        places: dict[Path_, list[tuple[int, int]]] = {}
        for kind, (paths, _) in enumerate(layouts):
            for at, path in enumerate(paths):
                places.setdefault(path, []).append((kind, at))
        members = _members(kinds)
        columns: dict[Path_, list[Any]] = {}
        for path, where in places.items():
            if len(where) == len(layouts):  # every item has it
                given = np.empty(count, dtype=object)
                for kind, at in where:
                    given[members[kind]] = texts(kind, at)
                made = self.values(given.tolist())
                if made is None:
                    return None
                columns[path] = made
                continue
            column = np.full(count, MISSING, dtype=object)
            present = np.concatenate([members[kind] for kind, _ in where])
            present.sort()
            for kind, at in where:
                column[members[kind]] = texts(kind, at)
            made = self.values(column[present].tolist())
            if made is None:
                return None
            values = np.empty(len(made), dtype=object)
            values[:] = made
            column[present] = values
            columns[path] = column.tolist()
        partial = frozenset(p for p, where in places.items() if len(where) < len(layouts))
        return ItemColumns(count, columns, lines, self.indent + 3, partial)

    def by_shapes(self, block: str) -> _Read | None:
        """Each item's layout from its shape (its text without values), each value's text
        from one match over the block: any mix of layouts."""
        import numpy as np

        indent = self.indent
        separator = "\n" + " " * indent + "- "
        shapes = _VALUE_GAP.sub(": ", block)[indent + 2 :].split(separator)
        found = _VALUE_TEXT.findall(block)
        values = "".join(found)  # the rest of the lines are keys and spaces (self.layout)
        if not values.isprintable() and _UNUSUAL.search(values):
            return None  # (as read_block: printable text holds none of them)
        distinct = {shape: i for i, shape in enumerate(dict.fromkeys(shapes))}
        layouts = [self.layout(shape) for shape in distinct]
        if None in layouts:
            return None
        known = [layout for layout in layouts if layout is not None]
        kinds = np.fromiter(map(distinct.__getitem__, shapes), dtype=np.int64, count=len(shapes))
        sizes = np.array([len(paths) for paths, _ in known], dtype=np.int64)[kinds]
        if int(sizes.sum()) != len(found):
            return None  # pragma: no cover - every ": " is a key's: the layouts counted them
        offsets = np.cumsum(sizes) - sizes
        every = np.empty(len(found), dtype=object)
        every[:] = found
        members = _members(kinds)

        def texts(kind: int, at: int) -> Any:
            return every[offsets[members[kind]] + at]

        return kinds, known, texts

    def layout(self, shape: str) -> tuple[list[Path_], int] | None:
        """The key path of each value of an item of this shape, and its number of lines."""
        lines = (" " * self.indent + "- " + shape).split("\n")
        segments = _segments([self.reader.line_shape(line) for line in lines])
        if segments is None:
            return None
        paths: list[Path_] = []
        for _, _, keys, block in segments:
            paths += [(k,) if block is _NONE else (block, k) for k in keys]
        if not all(isinstance(part, str) for path in paths for part in path):
            return None
        return paths, len(lines)

    def values(self, texts: list[str]) -> list[Any] | None:
        """The value of each text, as the line reader reads it; None: one it does not take."""
        distinct = list(dict.fromkeys(texts))
        joined = "\n".join(distinct) + "\n" if distinct else ""
        if _ALL_WORDS.fullmatch(joined) and _WORDS_NOT_TEXT.isdisjoint(distinct):
            if len(distinct) * 2 > len(texts):
                return texts  # plain words are the text itself
            # Repeated words (an indicator's id on thousands of targets) held once each.
            return list(map(dict(zip(distinct, distinct, strict=True)).__getitem__, texts))
        if _ALL_NUMBERS.fullmatch(joined) and max(map(len, distinct)) <= _PLAIN_IN_RANGE:
            made: list[Any] = [Decimal(t) if "." in t else int(t) for t in distinct]
        elif _ALL_QUOTED.fullmatch(joined):
            made = [t[1:-1] for t in distinct]
        else:
            made = list(map(self.reader.value, distinct))
            if any(v is _NONE or isinstance(v, (list, dict)) for v in made):
                return None  # "key:" with a space after it, or a flow collection
        if len(made) == len(texts):
            return made
        return list(map(dict(zip(distinct, made, strict=True)).__getitem__, texts))
