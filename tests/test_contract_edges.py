"""Smaller contract breaks (issue 11, item 7): each is a clear problem and exit 2, or a report,
never an internal error or a traceback; and no unit expression silently rescales a value."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from plancheck.app import Request, run
from plancheck.evaluation import EvaluationOptions
from plancheck.evaluation.report import Series
from plancheck.readers import ReadOptions
from plancheck.render import Names, RenderOptions, renderer
from plancheck.units import UnitError, conversion_factor

from .conftest import FIXTURES, run_cli

CATALOGUE = FIXTURES / "catalogue"
DEMO = FIXTURES / "actuals" / "demo.csv"


@pytest.mark.parametrize("year", ["-5", "0", "1899", "2201", "99999"])
def test_an_implausible_as_of_year_is_a_usage_error(year: str) -> None:
    result = run_cli("check", "--targets", CATALOGUE, "-a", DEMO, "--as-of", year)
    assert result.exit_code == 2
    assert "--as-of" in result.stderr and "internal error" not in result.stderr


def test_a_plausible_as_of_year_is_accepted() -> None:
    result = run_cli("check", "--targets", CATALOGUE, "-a", DEMO, "--as-of", "2015", "-q")
    assert result.exit_code == 1 and "as of 2015" in result.stdout


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "hex", "uu"])
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(codec: str) -> None:
    result = run_cli("check", "--targets", CATALOGUE, "-a", DEMO, "--encoding", codec)
    assert result.exit_code == 2
    assert "internal error" not in result.stderr
    assert f"--encoding '{codec}' is not a text encoding" in result.stderr


def test_an_unknown_encoding_is_still_named() -> None:
    result = run_cli("check", "--targets", CATALOGUE, "-a", DEMO, "--encoding", "klingon")
    assert result.exit_code == 2 and "'klingon' is an unknown encoding" in result.stderr


@pytest.mark.parametrize("big", [1.7e308, -1.7e308])
def test_the_html_report_survives_the_largest_floats(big: float) -> None:
    """Readers refuse such figures today; the renderer must not depend on that."""
    outcome = run(Request(CATALOGUE, (DEMO,), ReadOptions(), EvaluationOptions(chart_series=True)))
    catalogue, report = outcome.catalogue, outcome.report
    assert report.series
    series = {
        key: Series(s.unit, (*((y, big if i % 2 else -big) for i, (y, _) in enumerate(s.points)),))
        for key, s in report.series.items()
    }
    results = report.results.copy()
    numeric = results["kind"] != "milestone"
    results.loc[numeric, "gap"] = big
    huge = dataclasses.replace(
        report,
        series=series,
        results=results,
        target_levels={k: (big, None) for k in report.target_levels},
    )
    page = renderer("html")(huge, RenderOptions(names=Names.from_catalogue(catalogue)))
    assert page.count("<figure") == len(series)
    assert "1.7e+308" in page.lower() or "1.7E+308" in page
    # Too large to draw: each chart is described in words (its values listed) instead.
    assert "<svg" not in page and "inf" not in page.replace("info", "")


def _run_to_full_disk(*args: str) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "plancheck", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ("check", "--targets", str(CATALOGUE), "-a", str(DEMO), "-f", "json"),
        ("check", "--targets", str(CATALOGUE), "-a", str(DEMO)),
        ("list", "--targets", str(CATALOGUE)),
        ("--version",),
    ],
)
def test_stdout_on_a_full_disk_is_a_clear_error(args: tuple[str, ...]) -> None:
    result = _run_to_full_disk(*args)
    assert result.returncode == 2
    assert "cannot write to stdout: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Exception ignored" not in result.stderr


@pytest.mark.parametrize(
    ("unit", "target"),
    [("km/m", "%"), ("1/%", "%"), ("1/%", "ratio"), ("%/%", "%"), ("万户/户", "%"), ("m/km", "‰")],
)
def test_unit_expressions_that_would_rescale_are_refused(unit: str, target: str) -> None:
    with pytest.raises(UnitError) as caught:
        conversion_factor(unit, target)
    assert caught.value.kind == "incompatible-unit"


@pytest.mark.parametrize(
    ("unit", "target", "factor"),
    [
        ("万元/人", "元/人", Fraction(10_000)),
        ("%", "ratio", Fraction(1, 100)),
        ("万亩", "公顷", Fraction(2000, 3)),
    ],
)
def test_unit_expressions_of_the_same_terms_still_convert(
    unit: str, target: str, factor: Fraction
) -> None:
    assert conversion_factor(unit, target) == factor


def test_a_rescaling_unit_in_the_actuals_is_a_problem(tmp_path: Path) -> None:
    actuals = tmp_path / "a.csv"
    actuals.write_text(
        "indicator,region,year,value,unit\nforest_coverage,prd,2015,0.5,km/m\n", encoding="utf-8"
    )
    result = run_cli("check", "--targets", CATALOGUE, "-a", actuals)
    assert result.exit_code == 2
    assert "row 1, column 'unit': incompatible-unit: 'km/m' cannot be converted" in result.stderr
