"""The catalogue cache holds data only, trusts only the user's own private files, and is never
fatal (issue 11, item 1); relative and absolute --targets share an entry (issue 15)."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from plancheck.catalogue import cache, load_catalogue
from plancheck.catalogue.cache import LazyTargets
from plancheck.catalogue.decimals import Decimals

from .test_decimals import as_stored

MARKER = Path("/tmp/plancheck-cache-test-executed")


class Exploit:
    """Unpickling this creates MARKER: what a planted pickle could do as whoever runs next."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (MARKER.touch, ())


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache" / "plancheck"
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANCHECK_CACHE", raising=False)
    monkeypatch.setattr(cache, "MIN_BYTES", 0)  # the fixture catalogue is small
    monkeypatch.setattr(cache, "_warned", False, raising=False)
    MARKER.unlink(missing_ok=True)
    return folder


def cached(catalogue: object) -> bool:
    return all(isinstance(p.targets, LazyTargets) for p in catalogue.plans.values())  # type: ignore[attr-defined]


def assert_same(a: object, b: object) -> None:
    assert a.indicators == b.indicators and a.regions == b.regions  # type: ignore[attr-defined]
    for pid, plan in a.plans.items():  # type: ignore[attr-defined]
        other = b.plans[pid]  # type: ignore[attr-defined]
        assert tuple(plan.targets) == tuple(other.targets)
        assert (plan.meta, plan.file, plan.target_lines) == (
            other.meta,
            other.file,
            other.target_lines,
        )


def test_a_cached_catalogue_is_the_same_catalogue_and_table(
    catalogue_dir: Path, cache_folder: Path
) -> None:
    from plancheck.catalogue.targets_table import targets_table

    first = load_catalogue(catalogue_dir)
    second = load_catalogue(catalogue_dir)
    assert not cached(first) and cached(second)
    assert_same(first, second)
    assert first.table is not None and second.table is not None
    pd.testing.assert_frame_equal(first.table, second.table)
    fresh = targets_table(
        type(first)(first.indicators, first.regions, first.plans, first.root)  # no table
    )
    pd.testing.assert_frame_equal(as_stored(fresh), second.table)
    rows = np.arange(len(fresh))
    for name in ("value", "value_max"):  # the figures the text gives are the models' own
        made = Decimals(second.table[name])[rows]
        assert list(map(repr, made)) == list(map(repr, fresh[name]))
    assert {type(v).__name__ for v in Decimals(second.table["value"])[rows]} >= {"Decimal"}
    assert {type(v).__name__ for v in second.table["t_factor"]} == {"Fraction"}


def test_the_cache_holds_no_pickle_and_is_private(catalogue_dir: Path, cache_folder: Path) -> None:
    load_catalogue(catalogue_dir)
    files = sorted(p.suffix for p in cache_folder.iterdir())
    assert files == [".arrow", ".json"]
    assert stat.S_IMODE(cache_folder.stat().st_mode) == 0o700
    for path in cache_folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert not path.read_bytes().startswith(b"\x80")  # not a pickle stream


def test_a_planted_pickle_is_never_loaded(catalogue_dir: Path, cache_folder: Path) -> None:
    load_catalogue(catalogue_dir)
    for path in list(cache_folder.iterdir()):  # every cache file replaced by a hostile pickle
        path.write_bytes(pickle.dumps(Exploit()))
        path.with_suffix(".pickle").write_bytes(pickle.dumps(Exploit()))
    again = load_catalogue(catalogue_dir)
    assert not MARKER.exists()
    assert not cached(again)  # rebuilt from the YAML
    assert cached(load_catalogue(catalogue_dir))
    assert not list(cache_folder.glob("*.pickle"))  # left-overs of old versions are removed


@pytest.mark.parametrize("damage", ["truncate-table", "garbage-json", "swap-table", "empty"])
def test_a_corrupt_or_mismatched_entry_is_rebuilt(
    catalogue_dir: Path, cache_folder: Path, damage: str
) -> None:
    first = load_catalogue(catalogue_dir)
    (manifest,) = cache_folder.glob("*.json")
    table = manifest.with_suffix(".arrow")
    if damage == "truncate-table":
        table.write_bytes(table.read_bytes()[:100])
    elif damage == "garbage-json":
        manifest.write_text('{"format": 3, "plans": [', encoding="utf-8")
    elif damage == "swap-table":  # the table of another write: its token differs
        other = catalogue_dir.parent / "other"
        load_catalogue(_copy_with_change(catalogue_dir, other))
        (other_manifest,) = [m for m in cache_folder.glob("*.json") if m != manifest]
        table.write_bytes(other_manifest.with_suffix(".arrow").read_bytes())
    else:
        manifest.write_bytes(b"")
    again = load_catalogue(catalogue_dir)
    assert not cached(again)
    assert_same(first, again)
    assert cached(load_catalogue(catalogue_dir))


def _copy_with_change(source: Path, target: Path) -> Path:
    import shutil

    shutil.copytree(source, target)
    plan = target / "plans" / "demo_plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_cache_others_can_write_is_not_used(
    catalogue_dir: Path,
    cache_folder: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
) -> None:
    load_catalogue(catalogue_dir)
    capsys.readouterr()
    (manifest,) = cache_folder.glob("*.json")
    victim = cache_folder if what == "folder" else manifest
    victim.chmod(stat.S_IMODE(victim.stat().st_mode) | stat.S_IWOTH | stat.S_IWGRP)
    again = load_catalogue(catalogue_dir)
    load_catalogue(catalogue_dir)
    assert not cached(again)
    err = capsys.readouterr().err
    assert err.count("plancheck: warning:") == 1  # once per run, not once per load
    assert "writable by other users" in err and "running without the cache" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_cache_file_owned_by_another_user_is_not_used(
    catalogue_dir: Path, cache_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_catalogue(catalogue_dir)
    (manifest,) = cache_folder.glob("*.json")
    os.chown(manifest, 4242, -1)
    assert not cached(load_catalogue(catalogue_dir))
    assert "is owned by another user" in capsys.readouterr().err


def test_a_symlinked_cache_file_is_not_followed(catalogue_dir: Path, cache_folder: Path) -> None:
    load_catalogue(catalogue_dir)
    (manifest,) = cache_folder.glob("*.json")
    real = cache_folder.parent / "elsewhere.json"
    manifest.rename(real)
    manifest.symlink_to(real)
    assert not cached(load_catalogue(catalogue_dir))


def test_relative_and_absolute_targets_share_one_entry(
    catalogue_dir: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(catalogue_dir.parent)
    first = load_catalogue(catalogue_dir.resolve())
    second = load_catalogue(Path(catalogue_dir.name))
    assert not cached(first) and cached(second)
    assert second.root == catalogue_dir.name  # the root as given this time
    assert [p.file for p in second.plans.values()] == [p.file for p in first.plans.values()]


def test_an_edited_catalogue_replaces_its_old_entry(
    catalogue_dir: Path, cache_folder: Path
) -> None:
    load_catalogue(catalogue_dir)
    plan = catalogue_dir / "plans" / "demo_plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not cached(load_catalogue(catalogue_dir))
    assert len(list(cache_folder.glob("*.json"))) == 1
    assert len(list(cache_folder.glob("*.arrow"))) == 1
    assert cached(load_catalogue(catalogue_dir))


def test_targets_are_stored_as_written_even_beyond_64_bits(
    catalogue_dir: Path, cache_folder: Path
) -> None:
    # The targets go into the cache as the YAML wrote them (orjson, or the standard library for
    # an int orjson cannot hold), and validate again into the same models.
    plan = catalogue_dir / "plans" / "demo_plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("value: 51.50", "value: 123456789012345678901234"), "utf-8")
    first = load_catalogue(catalogue_dir)
    second = load_catalogue(catalogue_dir)
    assert cached(second)
    assert_same(first, second)
    values = [t.value for t in second.plans["demo_plan"].targets]
    assert values[0] == 123456789012345678901234 and str(values[1]) == "2.6"
