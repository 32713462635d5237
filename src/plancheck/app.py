"""The application layer: a request (catalogue, actuals, how to read, how to judge) → an outcome.

Both reporting commands (``check`` and ``report``) and the Python API (``plancheck.check``) run
this one pipeline: load the catalogue, check the selection names what it holds, read the
actuals, evaluate. Nothing here knows the terminal: what happens while reading (progress, the
notices of what was left out) goes to an :class:`Observer` passed in, and where the results go
is the caller's choice. Bad input raises :class:`plancheck.problems.InputError` with every
problem found.

Example (the README's "Python API" runs it)::

    outcome = plancheck.check("targets", ["actuals"], as_of=2015)
    outcome.exit_code, outcome.report.overview()["counts"]
    print(outcome.render("markdown"))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Protocol

from .actuals import ReadAhead, read_actuals
from .catalogue import Catalogue, default_targets_dir, load_catalogue
from .choices import DEFAULT_FAIL_ON
from .evaluation import EvaluationOptions, Report, evaluate
from .problems import InputError, Problem, did_you_mean
from .progress_methods import DEFAULT_PROGRESS_METHOD
from .readers import ReadOptions

DEFAULT_ACTUALS = Path("actuals")


class Observer(Protocol):
    """What a caller is told while the pipeline runs (the CLI draws a progress bar and prints
    the notices; the API keeps quiet and returns them in the outcome)."""

    def reading(self, path: str, done: int, total: int) -> None:
        """``done`` of ``total`` actuals files read; ``path`` is the one being read."""

    def read(self, summary: ReadSummary) -> None:
        """Every actuals file is read: what was read, how, and what was left out."""


class Quiet:
    """The observer that is told everything and says nothing."""

    def reading(self, path: str, done: int, total: int) -> None:
        pass

    def read(self, summary: ReadSummary) -> None:
        pass


@dataclass(frozen=True)
class ReadSummary:
    """What reading the actuals found, besides the figures: kept after the table is freed."""

    files: tuple[str, ...] = ()
    # Rows, columns, files and cells left out, each with its place and the reason (never silent).
    notices: tuple[Problem, ...] = ()
    details: dict[str, dict[str, str]] = field(default_factory=dict)  # file → reader, encoding …
    counts: dict[str, dict[str, str]] = field(default_factory=dict)  # file → rows read, used …


@dataclass(frozen=True)
class Request:
    """One run: which catalogue, which actuals, how to read them and how to judge."""

    targets: Path | None = None  # catalogue folder; None: ./targets, else the bundled one
    actuals: tuple[Path, ...] = ()  # files or folders; empty: ./actuals
    read: ReadOptions = field(default_factory=ReadOptions)
    evaluation: EvaluationOptions = field(default_factory=EvaluationOptions)

    @property
    def catalogue_dir(self) -> Path:
        return self.targets if self.targets is not None else default_targets_dir()

    @property
    def actuals_paths(self) -> list[Path]:
        return list(self.actuals) or [DEFAULT_ACTUALS]


@dataclass(frozen=True)
class Outcome:
    """The catalogue the run judged against, what was read, and the report (one row per target)."""

    catalogue: Catalogue
    actuals: ReadSummary
    report: Report
    charts: bool = False  # whether the chart series were built (EvaluationOptions.chart_series)

    @property
    def exit_code(self) -> int:
        """0: every due, non-soft target met; 1: a target with a fail-on status (as the CLI)."""
        return self.report.exit_code()

    def render(self, format: str = "json", lang: str = "en", quiet: bool = False) -> str:
        """The report as a file of ``format`` (``plancheck.formats.FORMATS`` names them) holds it."""
        return "".join(self.render_chunks(format, lang, quiet))

    def render_chunks(
        self, format: str = "json", lang: str = "en", quiet: bool = False
    ) -> Iterator[str]:
        """The same text in chunks, as they are made: a national report need not be held whole."""
        from .formats import SPECS
        from .render import Names, RenderOptions, chunks

        if format in SPECS and SPECS[format].needs_series and not self.charts:
            # A page without its charts would look complete: refuse rather than draw it bare.
            raise ValueError(f"the {format} format draws charts: run with chart_series=True")
        options = RenderOptions(lang=lang, names=Names.from_catalogue(self.catalogue), quiet=quiet)
        return chunks(format)(self.report, options)


def run(request: Request, observer: Observer | None = None) -> Outcome:
    """Load, read, judge. Raises InputError (every problem found) when the input cannot be used."""
    observer = observer or Quiet()
    # The first actuals file is parsed while the catalogue loads (see ReadAhead).
    ahead = ReadAhead(request.actuals_paths, request.read)
    catalogue = load_catalogue(request.catalogue_dir)
    options = request.evaluation
    check_selection(catalogue, options.plans, options.regions)
    data = read_actuals(request.actuals_paths, catalogue, request.read, observer.reading, ahead)
    summary = ReadSummary(tuple(data.files), tuple(data.notices), data.details, data.counts)
    observer.read(summary)
    report = evaluate(catalogue, data, options)
    return Outcome(catalogue, summary, report, charts=options.chart_series)


def check_selection(
    catalogue: Catalogue, plans: Sequence[str] = (), regions: Sequence[str] = ()
) -> None:
    """Every plan and region id asked for is in the catalogue: a typo selects nothing silently."""
    problems = []
    for given, known, what in (
        (plans, catalogue.plans, "plan"),
        (regions, catalogue.regions, "region"),
    ):
        for value in given:
            if value not in known:
                problems.append(
                    Problem(
                        "usage-error",
                        f"--{what} '{value}' is not in the catalogue",
                        hint=did_you_mean(value, sorted(known))
                        or f"see `plancheck list` for {what} ids",
                    )
                )
    if problems:
        raise InputError(problems)


PathArg = str | PathLike[str]


def check(
    targets: PathArg | None = None,
    actuals: PathArg | Iterable[PathArg] = (),
    *,
    as_of: int | None = None,
    plans: Iterable[str] = (),
    regions: Iterable[str] = (),
    natures: Iterable[str] = (),
    statuses: Iterable[str] = (),
    strict: bool = False,
    fail_on: Iterable[str] = DEFAULT_FAIL_ON,
    method: str | None = DEFAULT_PROGRESS_METHOD,
    encoding: str | None = None,
    sheet: str | None = None,
    skip_unknown: bool = False,
    chart_series: bool = False,
    observer: Observer | None = None,
) -> Outcome:
    """Compare a catalogue's targets with actuals files, as ``plancheck check`` does.

    ``targets``: the catalogue folder (default: ./targets, else the bundled catalogue);
    ``actuals``: a file or folder, or several (default: ./actuals). The keywords are the CLI's
    options (``method=None`` leaves targets not yet due pending; ``chart_series`` builds what
    the html format draws). Raises InputError, whose ``problems`` say what and where, on bad input.
    """
    given = [actuals] if isinstance(actuals, (str, PathLike)) else list(actuals)
    request = Request(
        targets=Path(targets) if targets is not None else None,
        actuals=tuple(Path(p) for p in given),
        read=ReadOptions(encoding=encoding, sheet=sheet, skip_unknown=skip_unknown),
        evaluation=EvaluationOptions(
            as_of=as_of,
            plans=tuple(plans),
            regions=tuple(regions),
            natures=tuple(natures),
            statuses=tuple(statuses),
            strict=strict,
            fail_on=tuple(fail_on),
            method=method,
            chart_series=chart_series,
        ),
    )
    return run(request, observer)
