"""The actuals corpus (tests/data/corpus, made by tests/data/make_corpus.py): every file with its
expected outcome, through the reader API and through the CLI."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import pytest

from plancheck.actuals import read_actuals
from plancheck.catalogue import Catalogue, load_catalogue
from plancheck.problems import InputError
from plancheck.readers import ReadOptions

from .conftest import FIXTURES, run_cli

CORPUS = Path(__file__).parent / "data" / "corpus"
CATALOGUE = FIXTURES / "catalogue"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


# file → (how it was read, {(indicator, region, year): (value as written, unit, canonical value)})
GOOD: dict[
    str, tuple[dict[str, str], dict[tuple[str, str, int], tuple[str, str, float | None]]]
] = {
    "utf8_bom.csv": (
        {"reader": "csv", "encoding": "utf-8-sig", "delimiter": "comma", "layout": "long"},
        {
            ("forest_coverage", "prd", 2015): ("51.50", "%", 51.5),  # ５１．５０％
            ("rd_share", "prd", 2014): ("0.026", "ratio", 2.6),
            ("broadband_users", "guangdong", 2015): (
                "2250",
                "万户",
                2250.0,
            ),  # 2250万户, region by code
            ("wetland_parks", "guangdong", 2015): ("67", "个", 67.0),  # 67个 for an indicator in 处
            ("tech_investment", "guangdong", 2014): ("1000", "亿元", 1000.0),  # 1,000
            ("tech_investment", "guangdong", 2013): ("83300000000", "元", 833.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),  # 2000亿元, unit column blank
            ("railway_opened", "guangdong", 2014): ("", "", None),  # 是
        },
    ),
    "utf16_tab.txt": (
        {"reader": "csv", "encoding": "utf-16", "delimiter": "tab", "layout": "long"},
        {
            ("forest_coverage", "prd", 2015): ("51.5", "%", 51.5),
            ("rd_share", "prd", 2015): ("2.69", "%", 2.69),
            ("unemployment_rate", "guangdong", 2015): ("3.6", "%", 3.6),
        },
    ),
    "gb18030.csv": (
        {"reader": "csv", "encoding": "gb18030", "delimiter": "comma", "layout": "long"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),
            ("pilot_projects", "foshan", 2014): ("3", "个", 3.0),
            ("broadband_users", "guangdong", 2015): ("22500000", "户", 2250.0),
        },
    ),
    "big5.csv": (
        {"reader": "csv", "encoding": "big5hkscs", "delimiter": "comma", "layout": "long"},
        {
            ("forest_coverage", "prd", 2015): ("51.69", "%", 51.69),
            ("wetland_parks", "guangdong", 2015): ("67", "個", 67.0),
            ("pilot_projects", "zhaoqing", 2015): ("2", "個", 2.0),
        },
    ),
    "wide.csv": (
        {"reader": "csv", "encoding": "utf-8", "delimiter": "comma", "layout": "wide"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),
            ("tech_investment", "guangdong", 2013): ("833", "亿元", 833.0),
            ("tech_investment", "guangdong", 2014): ("1000", "亿元", 1000.0),
        },
    ),
    "wide.xlsx": (
        {"reader": "xlsx", "sheet": "主要指标", "layout": "wide"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),
            ("tech_investment", "guangdong", 2013): ("833", "亿元", 833.0),
            ("tech_investment", "guangdong", 2014): ("1000", "亿元", 1000.0),
            ("forest_coverage", "prd", 2015): ("51.5", "%", 51.5),
        },
    ),
    "long.xlsx": (
        {"reader": "xlsx", "sheet": "Sheet1", "layout": "long"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("railway_opened", "guangdong", 2014): ("", "", None),  # TRUE
            ("forest_coverage", "prd", 2015): ("0.515", "ratio", 51.5),
        },
    ),
    "percent.xlsx": (  # read as shown (51.6%), the merged region filled, the hidden sheet not read
        {"reader": "xlsx", "sheet": "Sheet1", "layout": "long"},
        {
            ("forest_coverage", "prd", 2015): ("51.6", "%", 51.6),
            ("unemployment_rate", "guangdong", 2015): ("4.2", "%", 4.2),
            ("rd_share", "prd", 2015): ("2.69", "%", 2.69),
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),
        },
    ),
    "long.parquet": (
        {"reader": "parquet", "layout": "long"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000", "亿元", 2000.0),
            ("tech_investment", "guangdong", 2013): ("833", "亿元", 833.0),
            ("tech_investment", "guangdong", 2014): ("1000", "亿元", 1000.0),  # null unit
            ("rd_share", "prd", 2015): ("0.0269", "ratio", 2.69),
        },
    ),
    "records.json": (
        {"reader": "json", "encoding": "utf-8", "layout": "long"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000.00", "亿元", 2000.0),  # decimals kept as written
            ("railway_opened", "guangdong", 2014): ("", "", None),
            ("forest_coverage", "prd", 2015): ("51.50", "%", 51.5),
        },
    ),
    "records.yaml": (
        {"reader": "yaml", "encoding": "utf-8", "layout": "long"},
        {
            ("gdp", "zhaoqing", 2013): ("1660", "亿元", 1660.0),
            ("gdp", "zhaoqing", 2015): ("2000.00", "亿元", 2000.0),
            ("railway_opened", "guangdong", 2014): ("", "", None),  # yes stays the word yes
            ("forest_coverage", "prd", 2015): ("51.50", "%", 51.5),
        },
    ),
}
SHEET = {"wide.xlsx": "主要指标"}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_file_is_read_as_expected(name: str, catalogue: Catalogue) -> None:
    how, expected = GOOD[name]
    actuals = read_actuals([CORPUS / name], catalogue, ReadOptions(sheet=SHEET.get(name)))
    assert actuals.details[str(CORPUS / name)] == how
    table = actuals.table
    found = {
        (r.indicator, r.region, r.year): (
            r.value_text,
            r.unit,
            None if r.value != r.value else r.value,
        )
        for r in table.itertuples()
    }
    assert found.keys() == expected.keys()
    for key, (text, unit, value) in expected.items():
        assert found[key][:2] == (text, unit), key
        assert found[key][2] == pytest.approx(value) if value is not None else found[key][2] is None
    milestones = table[table["indicator"] == "railway_opened"]
    assert milestones["done"].tolist() == [True] * len(milestones)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_file_through_the_cli(name: str) -> None:
    sheet = ["--sheet", SHEET[name]] if name in SHEET else []
    result = run_cli("check", "--targets", CATALOGUE, "-a", CORPUS / name, "-v", "-q", *sheet)
    assert result.exit_code == 1, result.stderr  # the corpus never meets every target
    how = GOOD[name][0]
    assert f"read {CORPUS / name}: reader {how['reader']}" in result.stderr
    for value in how.values():
        assert value in result.stderr


# file → (problem type, where it is (Problem.location()), the value shown, extra CLI arguments)
BAD: dict[str, tuple[str, str, str | None, list[str]]] = {
    "bad_value.csv": ("type-error", "row 2, column 'value'", "约2000", []),
    "bad_year.csv": ("type-error", "row 1, column 'year'", "二〇一五", []),
    "bad_milestone.csv": ("type-error", "row 1, column 'value'", "差不多", []),
    "unit_conflict.csv": ("unit-conflict", "row 1, column 'value'", "2250万户", []),
    "incompatible_unit.csv": ("incompatible-unit", "row 1, column 'unit'", "万人次", []),
    "unknown_region.csv": ("unknown-region", "row 2, column 'region'", "肇庆x", []),
    "unknown_indicator.csv": ("unknown-indicator", "row 1, column 'indicator'", "gpd", []),
    "malformed_row.csv": ("malformed-row", "line 3", "gdp,zhaoqing,2015,2,000,亿元,x", []),
    "missing_column.csv": ("missing-column", "line 1, region", None, []),
    "conflicting.csv": ("conflicting-actuals", "row 2, column 'value'", "1700 亿元", []),
    "duplicate_year.csv": ("duplicate-column", "line 1, 2015年", None, []),
    "empty.csv": ("empty-file", "empty.csv", None, []),
    "bad_encoding.csv": ("encoding-error", "line 2", "80 80 ff 0a", []),
    "bad.json": ("invalid-json", "line 2, column 16", None, []),
    "not_records.json": ("malformed-file", "not_records.json", None, []),
    "nested_value.json": ("type-error", "row 1, column 'value'", "['1660']", []),
    "python_tag.yaml": ("forbidden-tag", "line 1, column 14", None, []),
    "duplicate_key.yaml": ("duplicate-key", "line 5, column 3", "value", []),
    "octal.yaml": ("ambiguous-number", "line 1, column 28", "010", []),
    "billion_laughs.yaml": ("alias-limit", "line 4, column 36", None, []),
    "yes_no.yaml": ("unknown-unit", "row 1 (line 1), column 'unit'", "no", []),
    "garbage.parquet": ("malformed-file", "garbage.parquet", None, []),
    "truncated.xlsx": ("malformed-file", "truncated.xlsx", None, []),
    "not_a_workbook.xlsx": ("malformed-file", "not_a_workbook.xlsx", None, []),
    "excel_error.xlsx": ("excel-error", "cell Sheet1!D3", "#DIV/0!", []),
    "formula_no_result.xlsx": ("formula-without-result", "cell Sheet1!D3", None, []),
    "far_cell.xlsx": ("sheet-too-large", "cell Sheet1!XFD1048576", None, []),
    "bad_cell.xlsx": (
        "type-error",
        "cell 主要指标!E5, row 2, column '2014年'",
        "一千",
        ["--sheet", "主要指标"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_one_positioned_problem(name: str, catalogue: Catalogue) -> None:
    kind, where, value, args = BAD[name]
    sheet = args[1] if args else None
    with pytest.raises(InputError) as err:
        read_actuals([CORPUS / name], catalogue, ReadOptions(sheet=sheet))
    problems = err.value.problems
    assert [p.type for p in problems] == [kind], [p.message for p in problems]
    problem = problems[0]
    assert problem.file == str(CORPUS / name)
    assert where in problem.location(), problem.location()
    if value is not None:
        assert problem.value == value
    assert problem.message and problem.hint


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_through_the_cli_exits_2_without_a_traceback(name: str) -> None:
    kind, where, _, args = BAD[name]
    result = run_cli("check", "--targets", CATALOGUE, "-a", CORPUS / name, *args)
    assert result.exit_code == 2
    assert f"{where}: {kind}:" in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout == ""


def test_corpus_has_every_kind_and_each_file_an_outcome() -> None:
    files = {p.name for p in CORPUS.iterdir()}
    assert files == set(GOOD) | set(BAD)
    assert {".csv", ".txt", ".xlsx", ".parquet", ".json", ".yaml"} <= {Path(f).suffix for f in GOOD}


def test_corpus_is_what_the_script_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS.parent / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    for made in tmp_path.iterdir():
        if made.name == "long.parquet":  # the writer stamps its pyarrow version into the file
            import pyarrow.parquet as pq

            assert pq.read_table(made).equals(pq.read_table(CORPUS / made.name))
            continue
        assert made.read_bytes() == (CORPUS / made.name).read_bytes(), made.name


def test_reading_never_modifies_an_input_file(catalogue: Catalogue) -> None:
    def fingerprint() -> dict[str, tuple[int, str]]:
        return {
            p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(CORPUS.iterdir())
        }

    before = fingerprint()
    for path in sorted(CORPUS.iterdir()):
        for sheet in (None, "主要指标"):
            with contextlib.suppress(InputError):
                read_actuals([path], catalogue, ReadOptions(sheet=sheet))
    run_cli("check", "--targets", CATALOGUE, "-a", CORPUS)
    assert fingerprint() == before
