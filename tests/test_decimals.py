"""A targets table's figures as Decimals, whether the table holds objects or their text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import cache, load_catalogue
from plancheck.catalogue.decimals import Decimals
from plancheck.catalogue.targets_table import targets_table
from plancheck.evaluation import evaluate

FIGURES = [
    Decimal("51.50"),
    None,
    Decimal("1E+2"),
    Decimal("-0.005"),
    Decimal("123456789012345678901234"),
]


def as_stored(frame: pd.DataFrame) -> pd.DataFrame:
    """A table built from the models, its figures held as the cache holds them: exact text (a
    column with no figure at all stays None objects)."""
    stored = frame.copy()
    for name in ("value", "value_max"):
        if frame[name].isna().all():
            continue
        texts = [None if v is None else str(v) for v in frame[name]]
        stored[name] = pd.Series(texts, index=frame.index, dtype="str")
    return stored


def both_forms() -> tuple[Decimals, Decimals]:
    objects = pd.Series(np.array(FIGURES, dtype=object))
    return Decimals(objects), Decimals(
        as_stored(pd.DataFrame({"value": objects, "value_max": objects}))["value"]
    )


def test_text_gives_the_same_decimals_as_the_objects() -> None:
    from_objects, from_text = both_forms()
    rows = np.array([4, 0, 2, 1, 3])
    for made in (from_objects[rows], from_text[rows]):
        assert made.dtype == object
        assert list(map(repr, made)) == list(map(repr, (FIGURES[i] for i in rows)))
    for i, figure in enumerate(FIGURES):
        assert repr(from_text[i]) == repr(figure) == repr(from_objects[np.int64(i)])
    assert from_text[1] is None


def test_floats_are_the_decimals_floats() -> None:
    from_objects, from_text = both_forms()
    expected = np.array([np.nan if v is None else float(v) for v in FIGURES])
    assert np.array_equal(from_text.floats(), expected, equal_nan=True)
    assert np.array_equal(from_objects.floats(), expected, equal_nan=True)
    assert from_text.floats()[2] == 100.0


def test_a_cached_table_judges_as_the_models_table(
    catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Growth exactly at its rates (a band's lower bound, an average over two years): the exact
    # comparison reads the targets' Decimals, from the objects and then from the cached text.
    plan = catalogue_dir / "plans" / "demo_plan.yaml"
    text = plan.read_text(encoding="utf-8")
    band = '    comparator: "between"\n    value: 20\n    value_max: 20.5\n    unit: "%"\n'
    old = '    comparator: ">="\n    value: 20\n    unit: "%"\n'
    assert old in text
    plan.write_text(text.replace(old, band, 1), encoding="utf-8")
    actuals = tmp_path / "actuals.csv"
    actuals.write_text(
        "indicator,region,year,value,unit\n"
        "tech_investment,guangdong,2013,1000,亿元\ntech_investment,guangdong,2014,1200,亿元\n"
        "gdp,zhaoqing,2013,1000,亿元\ngdp,zhaoqing,2015,1210,亿元\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PLANCHECK_CACHE", "off")
    plain = load_catalogue(catalogue_dir)
    monkeypatch.delenv("PLANCHECK_CACHE")
    monkeypatch.setenv("PLANCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)
    load_catalogue(catalogue_dir)  # stores the entry
    stored = load_catalogue(catalogue_dir)
    assert targets_table(plain)["value"].dtype == object  # made from the models
    assert isinstance(targets_table(stored)["value"].dtype, pd.StringDtype)  # read from the cache
    judged = [evaluate(c, read_actuals([actuals], c)).results for c in (plain, stored)]
    pd.testing.assert_frame_equal(judged[0], judged[1])
    status = judged[1].set_index("target_id")["status"]
    assert status["demo_tech_growth_2014"] == status["demo_gdp_growth_2015"] == "met"
