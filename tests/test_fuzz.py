"""Property-based fuzzing of the readers, of the canonical step and of the CLI.

Whatever bytes arrive (random, or a real file of the corpus with bytes flipped, inserted, deleted,
or cut off), reading ends in a table or in positioned problems, never in another exception; the
CLI ends in exit code 0, 1 or 2 with a message, never a traceback or an "internal error".

Each reader gets at least 1,000 examples (called directly, to keep the suite fast); the CLI gets
fewer. On CI (``CI`` set) the examples are derandomised, so a run is repeatable.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancheck.actuals import canonicalise, to_long
from plancheck.catalogue import load_catalogue
from plancheck.problems import InputError, Problem
from plancheck.readers import READERS, RawTable, ReadOptions
from plancheck.readers.xlsx_reader import column_letter

from .conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow  # hypothesis fuzzing of every reader and the CLI; run with --slow

# Problems of the header as a whole: they name the column, not a row.
HEADER_PROBLEMS = ("missing-column", "duplicate-column", "ambiguous-column", "mixed-layout")

CORPUS = Path(__file__).parent / "data" / "corpus"
CATALOGUE_DIR = FIXTURES / "catalogue"
CATALOGUE = load_catalogue(CATALOGUE_DIR)
WORK = Path(tempfile.mkdtemp(prefix="plancheck-fuzz-"))
CI = bool(os.environ.get("CI"))

# At least 1,000 per reader; PLANCHECK_FUZZ_EXAMPLES raises it for a longer hunt.
READER_EXAMPLES = max(1000, int(os.environ.get("PLANCHECK_FUZZ_EXAMPLES", "1000")))
CLI_EXAMPLES = max(40, READER_EXAMPLES // 25)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=CI,
        database=None if CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def seeds(*suffixes: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(CORPUS.iterdir()) if p.suffix in suffixes]


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """A real file with a few bytes flipped, inserted, deleted, duplicated or cut off."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "cut", "repeat"]))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            data[at] = draw(
                st.sampled_from(
                    [0, 0x0A, 0x0D, 0x22, 0x2C, 0x09, 0x80, 0xFF, 0x3A, 0x26, 0x2A, 0x21]
                )
            )
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "cut":
            del data[at:]
        else:
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end]
    return bytes(data)


def blobs(originals: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=600), mutated(originals), mutated(originals))


# --- CSV from a grammar: known and unknown headers, tricky cells ---------------------------------

HEADERS = ["indicator", "region", "year", "value", "unit", "source", "note", "date", "flag", "指标", "地区",
           "年份", "数值", "单位", "指標", "2013", "2014年", "２０１５", "2015", "", "x", "value"]  # fmt: skip
CELLS = ["gdp", "zhaoqing", "肇庆", "廣東", "441200", "2015", "2015年", "２０１５", "1,234.5", "５１．５％",
         "2250万户", "2250万", "1000亿元", "-3", "−3", "—", "-", "N/A", "", " ", "是", "否", "yes", "abc",
         "1e400", "1e-400", "nan", "inf", "0x10", "1,23", "万", "%", "‰", "个", "处", "人次", "万户",
         "railway_opened", "forest_coverage", "broadband_users", "wetland_parks", "2014-06", "2014-13-45",
         '"', "a,b", "\n", "\t", "\u3000", "\ufeff", "𠀀", "\x00", "亿", "万亿元", "1" * 400]  # fmt: skip


_LONG = ["indicator", "region", "year", "value", "unit"]
_WIDE = ["指标", "地区", "单位", "2013", "2014年", "２０１５"]


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    """A long header, a wide (yearbook) header, or any list of names, in any order."""
    kind = draw(st.sampled_from(["long", "wide", "any"]))
    if kind == "any":
        return draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7))
    header = draw(st.permutations(_LONG if kind == "long" else _WIDE))
    return header + draw(st.lists(st.sampled_from(HEADERS), max_size=2))


@st.composite
def grammar_csv(draw: st.DrawFn) -> bytes:
    header = draw(headers())
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=8))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if re.search(r'[",\t;\r\n]', text) else text

    text = "\n".join(delimiter.join(quote(c) for c in row) for row in [header, *rows]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"]))
    return text.encode(encoding, errors="replace")


# --- XLSX built directly as a zip, so that every example is a workbook openpyxl can open -----------


def tiny_xlsx(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    cells_xml = []
    for i, row in enumerate(rows, start=1):
        cells = []
        for j, value in enumerate(row):
            ref = f"{column_letter(j)}{i}"
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        cells_xml.append(f'<row r="{i}">{"".join(cells)}</row>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(cells_xml)
        + "</sheetData></worksheet>",
    }  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), text)
    return out.getvalue()


_XML_TEXT = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=10)


@st.composite
def grammar_xlsx(draw: st.DrawFn) -> bytes:
    header: list[object] = list(draw(headers()))
    cell = st.one_of(
        st.sampled_from([c for c in CELLS if "\x00" not in c]),
        _XML_TEXT,
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.booleans(),
    )
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 1), max_size=6))
    return tiny_xlsx([header, *rows])


def test_tiny_xlsx_is_a_real_workbook() -> None:
    path = WORK / "tiny.xlsx"
    path.write_bytes(
        tiny_xlsx(
            [
                ["indicator", "region", "year", "value", "unit"],
                ["gdp", "zhaoqing", 2015, 2000.5, "亿元"],
            ]
        )
    )
    raw = READERS["xlsx"].read(path, "tiny.xlsx", ReadOptions())
    assert raw.frame.values.tolist() == [["gdp", "zhaoqing", "2015", "2000.5", "亿元"]]


# --- the properties ------------------------------------------------------------------------------

_KEBAB = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def assert_good_problems(problems: list[Problem], display: str) -> None:
    assert problems
    for p in problems:
        assert _KEBAB.fullmatch(p.type), p
        assert p.message and p.file == display, p
        assert "Traceback" not in p.message


def read_and_canonicalise(reader: str, suffix: str, data: bytes) -> None:
    """The property: a RawTable of text and then canonical rows or positioned problems; or an
    InputError with well-formed problems. Anything else escapes and fails the test."""
    path = WORK / f"input{suffix}"
    path.write_bytes(data)
    display = f"fuzz{suffix}"
    try:
        raw = READERS[reader].read(path, display, ReadOptions())
        raw, _ = to_long(raw)
    except InputError as err:
        assert_good_problems(err.problems, display)
        return
    assert isinstance(raw, RawTable)
    assert all(isinstance(c, str) for c in raw.frame.columns)
    table, problems = canonicalise(raw, CATALOGUE)
    if problems:
        assert_good_problems(problems, display)
        for p in problems:
            assert p.row is not None or p.type in HEADER_PROBLEMS, p
            assert p.field is not None, p
    if table is not None:
        assert table["year"].dtype == "int64"
        assert set(table["indicator"]) <= set(CATALOGUE.indicators)
        assert set(table["region"]) <= set(CATALOGUE.regions)
        numeric = table[table["value_text"] != ""]
        assert (
            numeric["value_text"]
            .str.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
            .all()
        )


@fuzz_settings(READER_EXAMPLES)
@given(data=st.one_of(blobs(seeds(".csv", ".txt")), grammar_csv()))
def test_csv_reader_never_crashes(data: bytes) -> None:
    read_and_canonicalise("csv", ".csv", data)


@fuzz_settings(READER_EXAMPLES)
@given(data=st.one_of(blobs(seeds(".xlsx")), grammar_xlsx()))
def test_xlsx_reader_never_crashes(data: bytes) -> None:
    read_and_canonicalise("xlsx", ".xlsx", data)


@fuzz_settings(READER_EXAMPLES)
@given(data=blobs(seeds(".parquet")))
def test_parquet_reader_never_crashes(data: bytes) -> None:
    read_and_canonicalise("parquet", ".parquet", data)


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.sampled_from(CELLS),
    st.text(max_size=8),
)
_JSON_RECORDS = st.lists(
    st.dictionaries(
        st.sampled_from(HEADERS),
        st.one_of(_JSON_SCALARS, st.lists(_JSON_SCALARS, max_size=2)),
        max_size=7,
    ),
    max_size=6,
)


@fuzz_settings(READER_EXAMPLES)
@given(
    data=st.one_of(
        blobs(seeds(".json")), _JSON_RECORDS.map(lambda r: __import__("json").dumps(r).encode())
    )
)
def test_json_reader_never_crashes(data: bytes) -> None:
    read_and_canonicalise("json", ".json", data)


def _yaml_of(records: list[dict[str, object]]) -> bytes:
    import yaml

    return yaml.safe_dump(records, allow_unicode=True).encode()


_YAML_SNIPPETS = st.sampled_from(
    [
        b"&a x",
        b"*a",
        b"!!python/object:os.system",
        b"<<: *a",
        b"? [a]\n: b",
        b"010",
        b"no",
        b"- - -",
        b"{",
        b"\t",
        b"%YAML 1.1\n---\n",
    ]
)


@fuzz_settings(READER_EXAMPLES)
@given(
    data=st.one_of(
        blobs(seeds(".yaml")),
        _JSON_RECORDS.map(_yaml_of),
        st.tuples(st.sampled_from(seeds(".yaml")), _YAML_SNIPPETS, st.integers(0, 400)).map(
            lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
        ),
    )
)
def test_yaml_reader_never_crashes(data: bytes) -> None:
    read_and_canonicalise("yaml", ".yaml", data)


_CELL = st.one_of(st.sampled_from(CELLS), st.text(max_size=6))


@st.composite
def text_tables(draw: st.DrawFn) -> pd.DataFrame:
    """Tables of text cells under a header that is long, wide, or anything."""
    header = draw(headers())
    n = draw(st.integers(0, 6))
    columns = [draw(st.lists(_CELL, min_size=n, max_size=n)) for _ in header]
    frame = pd.DataFrame({f"c{j}": cells for j, cells in enumerate(columns)})
    frame.columns = header
    return frame


@fuzz_settings(READER_EXAMPLES // 2)
@given(frame=text_tables())
def test_canonicalise_never_crashes_on_any_text_table(frame: pd.DataFrame) -> None:
    raw = RawTable("t.csv", frame)
    try:
        raw, _ = to_long(raw)
    except InputError as err:
        assert_good_problems(err.problems, "t.csv")
        return
    table, problems = canonicalise(raw, CATALOGUE)
    if problems:
        assert_good_problems(problems, "t.csv")
    assert table is not None or problems


# --- the CLI -------------------------------------------------------------------------------------

_ALL_SEEDS = [(p.suffix, p.read_bytes()) for p in sorted(CORPUS.iterdir())]


@fuzz_settings(CLI_EXAMPLES)
@given(
    case=st.sampled_from(_ALL_SEEDS).flatmap(
        lambda seed: st.tuples(st.just(seed[0]), st.one_of(st.just(seed[1]), mutated([seed[1]])))
    ),
    extra=st.sampled_from(
        [[], ["--format", "json"], ["-q", "-v"], ["--encoding", "gb18030"], ["--sheet", "主要指标"]]
    ),
)
def test_cli_never_shows_a_traceback(case: tuple[str, bytes], extra: list[str]) -> None:
    suffix, data = case
    path = WORK / f"cli{suffix}"
    path.write_bytes(data)
    result = run_cli("check", "--targets", CATALOGUE_DIR, "-a", path, *extra)
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("plancheck: ")
        if "json" in extra:  # the problems as a JSON document too, for CI (issue 12)
            import json

            assert json.loads(result.stdout)["exit_code"] == 2
        else:
            assert result.stdout == ""


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json", ".yaml"])
def test_cli_on_random_bytes(suffix: str) -> None:
    import random

    rng = random.Random(suffix)
    for size in (0, 1, 7, 100, 3000):
        path = WORK / f"random{suffix}"
        path.write_bytes(bytes(rng.randrange(256) for _ in range(size)))
        result = run_cli("check", "--targets", CATALOGUE_DIR, "-a", path)
        assert result.exit_code == 2, result.stdout
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
