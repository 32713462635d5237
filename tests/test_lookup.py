"""Finding actual rows by key: the dense slots and the hash index find the same rows."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from plancheck import keys
from plancheck.evaluation import lookup
from plancheck.evaluation.lookup import ActualsIndex

INDICATORS = [f"i{k}" for k in range(4)]
REGIONS = [f"r{k}" for k in range(5)]
CATALOGUE = SimpleNamespace(indicators=dict.fromkeys(INDICATORS), regions=dict.fromkeys(REGIONS))


def _table(rows: int, seed: int, repeat: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    every = [
        (i, r, y)
        for i in range(len(INDICATORS))
        for r in range(len(REGIONS))
        for y in range(2010, 2020)
    ]
    chosen = rng.choice(len(every), size=rows, replace=False)
    picked = np.array([every[c] for c in chosen])
    if repeat:  # the same (indicator, region, year) twice: the first row is the one found
        picked = np.vstack([picked, picked[:3]])
    return pd.DataFrame(
        {
            "key": keys.row_keys(picked[:, 0], picked[:, 1], picked[:, 2], len(REGIONS)),
            "value": np.arange(len(picked), dtype="float64"),
        }
    )


def _lookups(index: ActualsIndex, seed: int) -> tuple[list[int], list[int]]:
    rng = np.random.default_rng(seed)
    n = 300
    indicators = pd.Series(np.array([*INDICATORS, "unknown"])[rng.integers(0, 5, n)])
    regions = pd.Series(np.array(REGIONS)[rng.integers(0, len(REGIONS), n)])
    years = rng.integers(2005, 2025, n)  # some outside the table's years
    found = index.find(indicators, regions, years).tolist()
    latest = index.latest(indicators, regions, 2016).tolist()
    return found, latest


def _naive_find(table: pd.DataFrame, indicator: str, region: str, year: int) -> int:
    if indicator not in INDICATORS:
        return -1
    key = keys.row_keys(
        np.array([INDICATORS.index(indicator)]),
        np.array([REGIONS.index(region)]),
        np.array([year]),
        len(REGIONS),
    )[0]
    hits = np.flatnonzero(table["key"].to_numpy() == key)
    return int(hits[0]) if len(hits) else -1


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("repeat", [False, True])
def test_slots_and_hash_index_agree(
    seed: int, repeat: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = _table(150, seed, repeat)
    monkeypatch.setattr(lookup._Slots, "DENSITY", 100)
    dense = ActualsIndex(table, CATALOGUE)  # type: ignore[arg-type]
    assert (dense._slots is None) == repeat  # a repeated key: the hash index decides
    monkeypatch.setattr(lookup._Slots, "DENSITY", 0)
    hashed = ActualsIndex(table, CATALOGUE)  # type: ignore[arg-type]
    assert hashed._slots is None
    assert _lookups(dense, seed) == _lookups(hashed, seed)


def test_slots_find_each_row() -> None:
    table = _table(120, 5)
    index = ActualsIndex(table, CATALOGUE)  # type: ignore[arg-type]
    assert index._slots is not None  # 200 slots for 120 rows
    rng = np.random.default_rng(5)
    ask = [
        (
            str(rng.choice([*INDICATORS, "x"])),
            str(rng.choice(REGIONS)),
            int(rng.integers(2008, 2022)),
        )
        for _ in range(200)
    ]
    found = index.find(
        pd.Series([a[0] for a in ask]),
        pd.Series([a[1] for a in ask]),
        np.array([a[2] for a in ask]),
    )
    assert found.tolist() == [_naive_find(table, *a) for a in ask]
    assert (found >= 0).any() and (found < 0).any()
