"""The fast block-style reader gives exactly what the event-based strict loader gives.

For every text, strict_yaml.loads (which tries the fast reader first) and the event-based
loader alone must agree: the same data with the same Python types, the same position for every
path, or the same problems, word for word. The fast reader must also really be used for the
way catalogue files are written (else the national-scale load is slow again).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plancheck import strict_yaml, yaml_block
from plancheck.problems import InputError
from plancheck.yaml_block import read_block


def typed(value: Any) -> Any:
    """The value with every scalar's type beside it (1 and Decimal('1') and True differ)."""
    if isinstance(value, dict):
        return {repr(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, str(value))


def outcome(read: Any, text: str) -> tuple[str, Any, dict[Any, Any]]:
    try:
        doc = read(text)
    except InputError as err:
        return "problems", [p.to_dict() for p in err.problems], {}
    slow = strict_yaml._read_events(text, "f.yaml", 0)
    return "data", typed(doc.data), {path: doc.position(path) for path in slow.positions}


def event_loads(text: str) -> strict_yaml.Document:
    """strict_yaml.loads with the fast reader turned off."""
    with mock.patch.object(strict_yaml, "read_block", lambda *_: None):
        return strict_yaml.loads(text, "f.yaml")


def assert_same(text: str) -> None:
    fast = outcome(lambda t: strict_yaml.loads(t, "f.yaml"), text)
    slow = outcome(event_loads, text)
    assert fast == slow, text


def flow(text: str) -> Any:
    return strict_yaml._read_events(text, "f.yaml", 0).data


TEXTS = [
    # plain scalars the core schema reads, and those it refuses
    "a: yes\nb: no\nc: on\nd: y\n",
    "a: 010\n",
    "a: 0x1F\n",
    "a: 1_000\n",
    "a: .inf\n",
    "a: 1e400\n",
    "a: 1e-400\n",
    "a: .5\nb: 1.\nc: +1\nd: -1\ne: -.5\nf: 1e3\ng: 51.50\nh: 0\ni: -0.0\n",
    "a: null\nb: ~\nc: Null\nd: NULL\ne:\nf: nULL\n",
    "a: true\nb: True\nc: TRUE\nd: tRUE\ne: false\n",
    "a: 12:30\nb: http://x.y/z?q=1\nc: a#b\nd: a #c\ne: x:y\n",
    "a: 中文 文本\nb: 全角\u3000空格\nc: x\u00a0\nd: 2016年ind000达到目标\n",
    "a:   spaced   \nb: x   # comment: with colon\n",
    # quoted scalars
    "a: 'it''s'\nb: \"x\"\nc: \"\"\nd: ''\ne: '010'\nf: \"12:30\"\n",
    'a: "a\\tb"\nb: "\\u4e2d"\nc: "\\"q\\""\n',
    "a: \"x\" # c\nb: 'y'#c\n",
    'a: "x"#c\n',
    'a: "unterminated\n',
    "a: 'multi\n  line'\n",
    # flow collections, read by the strict loader
    "a: [1, 2]\nb: {c: 1, d: [x, y]}\nc: [R&D, x]\nd: []\ne: {}\n",
    "a: {b: 1, b: 2}\n",
    "a: [1, 2\nb: 3\n",
    "a: [&x 1, *x]\n",
    # things only the strict loader reads or refuses
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !custom 3\n",
    "<<: {a: 1}\n",
    "a: |\n  text\n",
    "a: >\n  folded\n  text\n",
    "a: x\n  continued\n",
    "a: b: c\n",
    "a: -x\nb: - x\nc: x:\n",
    "? a\n: b\n",
    '"quoted key": 1\n',
    "1: a\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.2\n---\na: 1\n",
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "a: x\u2028y\n",
    "a: \x07\n",
    # structure
    "a:\n  b: 1\n  c:\n    d: 2\ne: 3\n",
    "a:\n- 1\n- 2\nb: 3\n",
    "- a: 1\n  b: 2\n- c\n- 'd'\n",
    "a:\n  - b: 1\n    c:\n      d: 2\n  - e\n",
    "a:\n  - b:\n    - 1\n    c: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "a: 1\n b: 2\n",
    "a:\n  b: 1\n   c: 2\n",
    "  a: 1\n  b: 2\n",
    "- a: 1\n    b: 2\n",
    "- a: 1\n  - b\n",
    "-\n  a: 1\n",
    "- \n",
    "a:\n  -\n",
    "a: 1\n- b\n",
    "- a\nb: 1\n",
    "a:\n\n  # a comment: here\n  b: 1\n\n",
    "# only: comments\n# and more\n",
    "a: 1\n  # an indented comment\nb: 2\n",
    "a:\n  b\n",
    "a:",
    "a: 1",
    "plain",
    # duplicates, after reading the keys
    "a: 1\na: 2\n",
    "null: 1\n~: 2\n",
    "true: 1\nTrue: 2\n",
    "a:\n  b: 1\n  b: 2\n",
    "- a: 1\n  a: 2\n",
    # a catalogue entry as written
    "plan:\n  id: p\n  period: {start: 2016, end: 2022}\ntargets:\n"
    '  - id: t_1\n    value: 39499.61\n    unit: "亿元"\n    source:\n'
    "      section: 第1条\n      quote: 2016年达到目标\n  - id: t_2\n    value: 7\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_fast_reader_agrees_with_the_event_loader(text: str) -> None:
    assert_same(text)


def test_catalogue_files_as_written_take_the_fast_way() -> None:
    text = (
        "# a plan: with a comment\nplan:\n  id: p\n  period: {start: 2016, end: 2022}\n"
        "targets:\n  - id: t_1\n    comparator: \">=\"\n    value: 51.50\n    unit: '%'\n"
        "    source:\n      section: 一(九)2\n      quote: 力争达到51.5%\n"
        "  - id: t_2\n    value: 3\n"
    )
    read = read_block(text, flow)
    assert read is not None
    data, items = read
    assert data["targets"][0]["value"] == Decimal("51.50")
    assert str(data["targets"][0]["value"]) == "51.50"
    assert data["plan"]["period"] == {"start": 2016, "end": 2022}
    assert items == {("targets", 0): (6, 5), ("targets", 1): (13, 5)}


def test_positions_of_a_fast_document_are_those_of_the_event_loader() -> None:
    text = "plan:\n  id: x\ntargets:\n  - id: a\n    value: 1\n  - id: b\n"
    doc = strict_yaml.loads(text, "f.yaml")
    assert doc.text is not None  # read the fast way
    assert doc.position(("targets", 1)) == (6, 5)
    assert doc.position(("targets", 0, "value"))[0] == 5  # read again, event by event
    assert doc.position(("targets", 0, "not_there"))[0] == 4


PIECES = [
    "a",
    "b",
    "1",
    "01",
    "1.50",
    "-2",
    "yes",
    "null",
    "~",
    "true",
    "'q'",
    '"d"',
    '"e\\n"',
    "[1, x]",
    "{k: v}",
    "x: y",
    "x #c",
    "#c",
    "&a x",
    "*a",
    "!t x",
    "|",
    "12:30",
    "",
    "中文",
]


def random_text(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        indent = " " * rng.choice([0, 0, 2, 2, 4, 1, 3])
        dash = rng.choice(["", "", "- "])
        key = rng.choice(["k: ", "k:", "m: ", "null: ", "", "k : "])
        lines.append(indent + dash + key + rng.choice(PIECES))
    return "\n".join(lines) + rng.choice(["\n", "", "\n\n"])


def test_random_block_texts_read_alike() -> None:
    rng = random.Random(20240601)
    for _ in range(1500):
        assert_same(random_text(rng))


SCALARS = [*PIECES[:13], "12:30", "中文", "a b", "x:y", "a#b", "-1.5", "+3", ".5", "1e5", "Null"]


def render(value: Any, indent: int, rng: random.Random) -> list[str]:
    """Block-style lines for a nested value, with some of YAML's layout freedom."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if rng.random() < 0.1:
                lines.append(pad + rng.choice(["", "# note: here", "  # indented"]))
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                inner = indent + 2 if isinstance(item, dict) or rng.random() < 0.5 else indent
                lines.extend(render(item, inner, rng))
            else:
                lines.append(f"{pad}{key}: {item}" if item != "" else f"{pad}{key}:")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = render(item, indent + 2, rng)
                lines.append(f"{pad}- {first.lstrip(' ')}" if first.strip() else f"{pad}-")
                lines.extend(rest)
            else:
                lines.append(f"{pad}- {item}")
    return lines


def random_value(rng: random.Random, depth: int = 0) -> Any:
    if depth > 2 or rng.random() < 0.4:
        return rng.choice(SCALARS)
    if rng.random() < 0.6:
        keys = rng.sample(["id", "value", "unit", "null", "k", "True", "source"], rng.randint(1, 4))
        return {k: random_value(rng, depth + 1) for k in keys}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(1, 3))]


def test_random_nested_documents_read_alike() -> None:
    rng = random.Random(15)
    fast = 0
    for _ in range(1500):
        value = {"root": random_value(rng), "other": random_value(rng)}
        text = "\n".join(render(value, 0, rng)) + "\n"
        assert_same(text)
        fast += read_block(text, flow) is not None
    assert fast > 500  # most of them are read the fast way, so the comparison means something


# --- items read by a learned layout (yaml_block._Layout) --------------------------------------
# A sequence's later items are read with the layout of an earlier one; these hold that reading
# to the line-by-line one (layouts off) and to the event loader, item after item.


def without_layouts(text: str) -> Any:
    with mock.patch.object(yaml_block, "_MAX_LAYOUTS", 0):
        return read_block(text, flow)


def assert_layouts_read_alike(text: str) -> None:
    assert_same(text)
    by_line = without_layouts(text)
    by_layout = read_block(text, flow)
    if by_line is None or by_layout is None:
        assert by_line is by_layout, text
        return
    assert typed(by_layout[0]) == typed(by_line[0]), text
    assert by_layout[1] == by_line[1], text


def counting_builds() -> Any:
    return mock.patch.object(yaml_block._Layout, "build", autospec=True, side_effect=BUILD)


BUILD = yaml_block._Layout.build


def target_item(i: int, rng: random.Random | None = None) -> list[str]:
    lines = [
        f"  - id: t_{i}",
        "    indicator: gdp",
        f"    year: {2016 + i % 5}",
        '    comparator: ">="',
        f"    value: {i}.50",
        '    unit: "亿元"',
        "    source:",
        "      section: 第1条",
        f"      quote: 目标{i % 3}",
    ]
    if i % 4 == 1:
        lines.insert(5, f"    value_max: {i + 1}.5")
        lines[3] = "    comparator: between"
    return lines


def test_a_target_list_is_read_by_layout() -> None:
    text = "targets:\n" + "\n".join(line for i in range(40) for line in target_item(i)) + "\n"
    with counting_builds() as build:
        read = read_block(text, flow)
    assert read is not None
    data, items = read
    assert build.call_count >= 35  # all but the first item of each layout
    assert data["targets"][1] == {
        "id": "t_1",
        "indicator": "gdp",
        "year": 2017,
        "comparator": "between",
        "value": Decimal("1.50"),
        "value_max": Decimal("2.5"),
        "unit": "亿元",
        "source": {"section": "第1条", "quote": "目标1"},
    }
    assert items[("targets", 39)] == (2 + 9 * 39 + 10, 5)  # 10 items before have a value_max
    assert_layouts_read_alike(text)


# Changes to one item of a list of alike items: each must be read as the line reader reads it.
CHANGES = [
    lambda lines: lines,
    lambda lines: [*lines[:2], "    # a comment", *lines[2:]],
    lambda lines: [*lines[:2], "", *lines[2:]],
    lambda lines: [lines[0], "    indicator:", *lines[2:]],  # empty: null
    lambda lines: [lines[0], "    indicator: ", *lines[2:]],
    lambda lines: [lines[0], "    indicator: # c", *lines[2:]],
    lambda lines: [lines[0], "    indicator: [a, b]", *lines[2:]],
    lambda lines: [lines[0], "    indicator: {a: 1}", *lines[2:]],
    lambda lines: [lines[0], "    indicator: 'q''s'", *lines[2:]],
    lambda lines: [lines[0], '    indicator: "e\\n"', *lines[2:]],
    lambda lines: [lines[0], "    indicator: a: b", *lines[2:]],
    lambda lines: [lines[0], "    indicator: &x a", *lines[2:]],
    lambda lines: [lines[0], "    indicator: 010", *lines[2:]],
    lambda lines: [lines[0], "    indicator: 1e400", *lines[2:]],
    lambda lines: [lines[0], "    indicator: x  ", *lines[2:]],
    lambda lines: [lines[0], "    id: again", *lines[2:]],  # a duplicate key
    lambda lines: [*lines, "    id: again"],  # a duplicate key after the block
    lambda lines: [*lines, "      section: again"],  # a duplicate in the block
    lambda lines: [*lines, "    note: after"],
    lambda lines: [*lines, "      extra: in the block"],
    lambda lines: [*lines, "        deeper: 1"],
    lambda lines: [*lines, "       odd: 1"],
    lambda lines: [*lines, "    - x"],
    lambda lines: [*lines, "  - scalar"],
    lambda lines: [*lines, "  -"],
    lambda lines: [*lines[:6], "    source:  ", *lines[7:]],
    lambda lines: [*lines[:6], "    source: ", *lines[7:]],
    lambda lines: [*lines[:6], "    source:", "    - a", "    - b"],
    lambda lines: [*lines[:6], "    source:", "      - a"],
    lambda lines: [*lines[:6], "    source:"],  # null
    lambda lines: lines[:7],  # a block left empty
    lambda lines: [lines[0].replace("id", "null"), *lines[1:]],
    lambda lines: [lines[0].replace("id", "True"), *lines[1:]],
    lambda lines: [lines[0].replace("- id: ", "- "), *lines[1:]],
    lambda lines: [lines[0].replace("  - ", "   - "), *lines[1:]],
    lambda lines: [lines[0].replace("  - ", "- "), *lines[1:]],
    lambda lines: [line.replace("    ", "  ", 1) for line in lines],
    lambda lines: [lines[0] + " # c", *lines[1:]],
    lambda lines: [lines[0], *lines[1:-1], lines[-1] + "\t"],
    lambda lines: [*lines[:-1], lines[-1] + ":"],
]


@pytest.mark.parametrize("change", range(len(CHANGES)))
def test_a_changed_item_among_alike_ones_is_read_as_the_line_reader_reads_it(change: int) -> None:
    for changed in ([0], [1], [2], [5], [1, 2], [0, 1, 2, 3, 4, 5]):
        items = [target_item(i) for i in range(6)]
        for position in changed:  # changed alike: the changed layout is learned and used
            items[position] = CHANGES[change](items[position])
        text = (
            "plan:\n  id: p\ntargets:\n" + "\n".join(line for item in items for line in item) + "\n"
        )
        assert_layouts_read_alike(text)
        assert_layouts_read_alike(text.rstrip("\n"))  # the last line without its line break


def test_random_lists_of_alike_items_read_alike() -> None:
    rng = random.Random(285000)
    for _ in range(400):
        items = []
        for i in range(rng.randint(2, 12)):
            lines = target_item(i)
            for _ in range(rng.choice([0, 0, 0, 1, 2])):
                lines = rng.choice(CHANGES)(lines)
            items.append(lines)
        indent = rng.choice(["", "  "])
        body = [line if indent else line[2:] for item in items for line in item]
        text = ("targets:\n" if indent else "") + "\n".join(body) + rng.choice(["\n", ""])
        assert_layouts_read_alike(text)


# Lines of items: keys at the item's and the block's indentation, values of every kind.
ITEM_LINES = st.sampled_from(
    [
        "    k: v",
        "    m: 1.50",
        "    k: 010",
        "    n: null",
        "    k:",
        "    b:",
        "      k: v",
        "      m: [1, 2]",
        "      q: 'x'",
        "        d: 1",
        "    # c",
        "",
        "    - s",
        "    k: a: b",
        '    e: "\\t"',
    ]
)
FIRST_LINES = st.sampled_from(["  - id: a", "  - id: b", "  - k: 1", "  - x", "  - null: 1"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(FIRST_LINES, st.lists(ITEM_LINES, max_size=6)), min_size=1, max_size=4),
    st.lists(st.integers(0, 3), min_size=1, max_size=12),
)
def test_generated_lists_of_items_read_alike(shapes: list[Any], order: list[int]) -> None:
    """Items drawn from a few shapes, repeated in any order: layouts learned and used."""
    items = [shapes[i % len(shapes)] for i in order]
    lines = [line for first, rest in items for line in (first, *rest)]
    assert_layouts_read_alike("targets:\n" + "\n".join(lines) + "\n")


def test_printable_text_holds_no_character_left_to_the_strict_loader() -> None:
    """read_block skips the search for unusual characters on printable lines."""
    for code in range(0x110000):
        char = chr(code)
        if char.isprintable():
            assert yaml_block._UNUSUAL.search(char) is None, hex(code)


def test_a_layout_is_never_made_of_lines_that_repeat_a_key() -> None:
    """Items are learned after the line reader has read them (so with no key twice); the layout
    check refuses a repeated key on its own all the same."""
    reader = yaml_block._Reader(flow)
    item = ["  - id: a", "    k: 1", "    b:", "      k: 2", "    m: 3"]
    shapes = [reader.line_shape(line) for line in item]
    assert yaml_block._segments(shapes) is not None
    repeated = [
        [*item, "    id: b"],  # a key of the item again, after the block
        [*item, "    b: 4"],  # the block's key again
        [*item, "    k: 4"],
        [*item[:4], "      k: 5", item[4]],  # a key of the block again
    ]
    for lines in repeated:
        assert yaml_block._segments([reader.line_shape(line) for line in lines]) is None, lines
