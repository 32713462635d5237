"""The strict YAML loader: no silent YAML 1.1 coercion, no duplicate keys, no aliases or tags."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from plancheck import strict_yaml
from plancheck.problems import InputError


def problem(text: str, **kw: int) -> object:
    with pytest.raises(InputError) as err:
        strict_yaml.loads(text, "f.yaml", **kw)
    assert len(err.value.problems) == 1
    return err.value.problems[0]


def test_decimals_keep_their_written_precision() -> None:
    doc = strict_yaml.loads("a: 51.50\nb: 2.7\nc: 150000\nd: -3\ne: 1e3\n", "f.yaml")
    assert doc.data == {
        "a": Decimal("51.50"),
        "b": Decimal("2.7"),
        "c": 150000,
        "d": -3,
        "e": Decimal("1E+3"),
    }
    assert str(doc.data["a"]) == "51.50"
    assert isinstance(doc.data["c"], int)


@pytest.mark.parametrize("text", ["010", "0x1F", "0o10", "1_000", ".inf", "-.inf", ".nan", "08"])
def test_yaml11_number_surprises_are_refused_with_line_and_hint(text: str) -> None:
    p = problem(f"x: 1\nvalue: {text}\n")
    assert p.type == "ambiguous-number"  # type: ignore[attr-defined]
    assert p.line == 2  # type: ignore[attr-defined]
    assert "quote" in p.hint  # type: ignore[attr-defined]


def test_quoted_forms_stay_text() -> None:
    doc = strict_yaml.loads("a: '010'\nb: \"12:30\"\nc: !!str 51.50\n", "f.yaml")
    assert doc.data == {"a": "010", "b": "12:30", "c": "51.50"}


@pytest.mark.parametrize(
    "text", ["no", "No", "off", "on", "yes", "y", "n", "12:30", "1:20:00", "2021-12"]
)
def test_yaml11_words_and_sexagesimals_stay_as_written(text: str) -> None:
    assert strict_yaml.loads(f"a: {text}\n", "f.yaml").data == {"a": text}


def test_core_booleans_and_nulls() -> None:
    doc = strict_yaml.loads("a: true\nb: False\nc: null\nd: ~\ne:\n", "f.yaml")
    assert doc.data == {"a": True, "b": False, "c": None, "d": None, "e": None}


def test_duplicate_key_names_both_lines() -> None:
    p = problem("id: a\nvalue: 1\nother: 2\nvalue: 3\n")
    assert p.type == "duplicate-key"  # type: ignore[attr-defined]
    assert "line 2" in p.message and "line 4" in p.message  # type: ignore[attr-defined]
    assert p.line == 4  # type: ignore[attr-defined]


def test_nested_duplicate_key() -> None:
    p = problem("targets:\n  - id: a\n    source: {section: x, section: y}\n")
    assert p.type == "duplicate-key"  # type: ignore[attr-defined]
    assert p.line == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: 2\n",
        "a: &x 1\nb: *x\n",
        "base: &b {k: 1}\nc:\n  <<: *b\n",
        "c:\n  <<: {k: 1}\n",
    ],
)
def test_anchors_aliases_and_merge_keys_are_refused(text: str) -> None:
    assert problem(text).type == "anchor-alias"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo hi']",
        "!custom 3",
        "!!set {a: null}",
        "!!timestamp 2020-01-01",
    ],
)
def test_non_core_tags_are_refused(tag: str) -> None:
    assert problem(f"a: {tag}\n").type == "forbidden-tag"  # type: ignore[attr-defined]


def test_billion_laughs_is_bounded_when_aliases_are_allowed() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    p = problem("\n".join(lines) + "\n", max_alias_nodes=10_000)
    assert p.type == "alias-limit"  # type: ignore[attr-defined]


def test_a_few_aliases_are_allowed_when_asked() -> None:
    doc = strict_yaml.loads("a: &a {k: 1}\nb: *a\n", "f.yaml", max_alias_nodes=100)
    assert doc.data == {"a": {"k": 1}, "b": {"k": 1}}


def test_invalid_yaml_gives_line_and_column() -> None:
    p = problem("a: 1\nb: [1, 2\nc: 3\n")
    assert p.type == "invalid-yaml"  # type: ignore[attr-defined]
    assert p.line is not None and p.line >= 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "  \u3000\n\x0c  # c\u2028 # d\n", "\n#\n  #x: 1\n"]
)
def test_empty_file(text: str) -> None:
    assert problem(text).type == "empty-file"  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["# c\na: 1\n", "  \n  a: 1\n", "\u3000a: 1\n"])
def test_a_file_with_a_line_of_data_is_not_empty(text: str) -> None:
    try:
        strict_yaml.loads(text, "f.yaml")
    except InputError as err:
        assert all(p.type != "empty-file" for p in err.problems)


def test_more_than_one_document() -> None:
    assert problem("a: 1\n---\nb: 2\n").type == "invalid-yaml"  # type: ignore[attr-defined]


def test_positions_point_at_keys_and_items() -> None:
    doc = strict_yaml.loads(
        "plan:\n  id: x\ntargets:\n  - id: a\n    value: 1\n  - id: b\n", "f.yaml"
    )
    assert doc.position(("targets", 1)) == (6, 5)
    assert doc.position(("targets", 0, "value"))[0] == 5
    assert doc.position(("targets", 0, "not_there"))[0] == 4  # falls back to the enclosing item


def test_file_not_utf8_and_missing(tmp_path: Path) -> None:
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("名称: 森林\n".encode("gbk"))
    with pytest.raises(InputError) as err:
        strict_yaml.load(bad)
    assert err.value.problems[0].type == "encoding-error"
    with pytest.raises(InputError) as err:
        strict_yaml.load(tmp_path / "nope.yaml")
    assert err.value.problems[0].type == "missing-file"
