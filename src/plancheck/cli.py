"""Command line: parse options, call the core, hand results to a renderer, return an exit code.

Exit codes: 0 every due, non-soft target met; 1 a target is not met or missing; 2 bad input,
bad usage, or an internal error (never 1: 1 means only "the data missed a target").
Heavy modules (pandas, pydantic, pint) are imported inside the commands, so ``--version`` and
``--help`` stay fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer

from . import __version__
from .choices import LANGS, NATURES, STATUSES
from .formats import FORMAT_SPECS, FORMATS, SPECS
from .progress_methods import DEFAULT_PROGRESS_METHOD, PROGRESS_METHODS

if TYPE_CHECKING:  # the types only: the modules themselves load when a command runs
    from .app import Outcome, ReadSummary
    from .catalogue import Catalogue
    from .evaluation import Report
    from .output import ReportSpec
    from .problems import Problem
    from .readers import ReadOptions
    from .render import RenderOptions


class _Group(typer.core.TyperGroup):
    """The command group; with ``--lang zh`` (or a Chinese locale) its help is in Chinese."""

    def main(self, args: Any = None, *rest: Any, **options: Any) -> Any:
        from .help_zh import help_lang, translate

        given = list(sys.argv[1:] if args is None else args)
        if help_lang(given, os.environ) == "zh":
            translate(self)  # a fresh command tree each run: nothing leaks into the next
        return super().main(args, *rest, **options)


app = typer.Typer(
    name="plancheck",
    cls=_Group,
    help="Check government plan targets against submitted actual figures.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
T = TypeVar("T")


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


def _members(values: Iterable[str]) -> dict[str, str]:
    return {value: value for value in values}


# The choices (str Enums, as Typer wants) are made from the core's own lists, never copies: the
# output formats' registry (formats.py), the statuses, natures and languages (choices.py), the
# progress methods (progress_methods.py).
ReportFormat = Enum("ReportFormat", _members(FORMATS), type=str)  # type: ignore[misc]
Status = Enum("Status", _members(STATUSES), type=str)  # type: ignore[misc]
Lang = Enum("Lang", _members(LANGS), type=str)  # type: ignore[misc]
Nature = Enum("Nature", _members(NATURES), type=str)  # type: ignore[misc]
# none: targets not yet due stay pending
Method = Enum("Method", _members((*PROGRESS_METHODS, "none")), type=str)  # type: ignore[misc]
# validate: its text, or the problems in a format a CI job's parser reads
_VALIDATE_FORMATS = ("text", *(spec.name for spec in FORMAT_SPECS if spec.problems))
ValidateFormat = Enum("ValidateFormat", _members(_VALIDATE_FORMATS), type=str)  # type: ignore[misc]


class _Command(typer.core.TyperCommand):
    """Help that names an argument by its metavar alone, as Click does (Typer would add its
    Python type, "<list[Path]>", which means nothing to a user)."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((param.metavar or param.name.upper(), record[1]))
            else:
                options.append(record)
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _choices(choices: type[Enum]) -> str:
    """A choice option's metavar as Click writes it: [a|b|c]."""
    return "[" + "|".join(str(c.value) for c in choices) + "]"


class TemplateFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


MethodOpt = Annotated[
    Method,
    typer.Option(
        "--method",
        metavar=_choices(Method),
        help="How targets not yet due are assessed (docs/methods.md); none leaves them pending.",
    ),
]
NatureOpt = Annotated[
    list[Nature] | None,
    typer.Option(
        "--nature",
        metavar=_choices(Nature),
        help="Only binding (约束性) or expected (预期性) targets; repeatable.",
    ),
]


class SchemaKind(str, Enum):
    plan = "plan"
    indicators = "indicators"
    regions = "regions"


TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        metavar="DIR",
        help="Catalogue folder (default: ./targets, else the bundled catalogue).",
    ),
]
ActualsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--actuals",
        "-a",
        metavar="PATH",
        help="Actuals file or folder; repeatable (default: ./actuals).",
    ),
]
AsOfOpt = Annotated[
    int | None,
    typer.Option(
        "--as-of",
        metavar="YEAR",
        min=1900,  # a year, not 0 or -5: anything else is a usage error (exit 2)
        max=2200,
        help="Judge as of this year (default: latest year in the actuals).",
    ),
]
PlanOpt = Annotated[
    list[str] | None, typer.Option("--plan", metavar="ID", help="Only this plan id; repeatable.")
]
RegionOpt = Annotated[
    list[str] | None,
    typer.Option("--region", metavar="ID", help="Only this region id; repeatable."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", metavar="NAME", help="Force the actuals' text encoding."),
]
MaxErrorsOpt = Annotated[
    int, typer.Option("--max-errors", min=1, metavar="N", help="Show at most this many problems.")
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", metavar="NAME", help="Read this sheet of Excel actuals (default: the first)."
    ),
]
ColorOpt = Annotated[
    Color,
    typer.Option(
        "--color",
        metavar="[auto|always|never]",
        help="Colour in the table output (default: auto; FORCE_COLOR and NO_COLOR are honoured).",
    ),
]
SkipUnknownOpt = Annotated[
    bool,
    typer.Option(
        "--skip-unknown",
        help="Skip actuals rows whose indicator or region the catalogue does not know (a whole"
        " yearbook table), listing them once, instead of stopping with exit 2.",
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Did we hit the plan's targets? Compare a YAML target catalogue with submitted actuals."""


@dataclass
class _ProblemSink:
    """Where input problems go besides stderr, once the output options are known to be good:
    stdout in a format a CI job reads (github, json, gitlab, junit), the --output and --report
    files in such a format, and the GitHub step summary."""

    stdout_format: str | None = None
    reports: list[ReportSpec] = field(default_factory=list)
    step_summary: bool = False


def _run(
    debug: bool,
    max_errors: int,
    work: Callable[[], int],
    lang: str | None = None,
    sink: _ProblemSink | None = None,
) -> None:
    """Run a command body: input problems → exit 2 with every problem listed; crashes → exit 2."""
    import gc

    from .problems import InputError

    # A run allocates millions of small objects (records for the reports) that are freed by
    # reference counting; the cyclic collector would rescan them all, ~25% of a national run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = work()
    except InputError as err:
        from .lang import default_lang

        language = lang or default_lang(os.environ)
        _print_problems(err.problems, max_errors, language)
        if sink is not None:
            _report_problems(err.problems, sink, language)
        code = EXIT_INPUT
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as err:  # an internal error must not look like "targets missed" (exit 1)
        if debug:
            raise
        from .text import visible

        typer.echo(
            f"plancheck: internal error: {type(err).__name__}: {visible(str(err))}\n"
            "This is a bug in plancheck, not in your files. Run again with --debug for a traceback.",
            err=True,
        )
        code = EXIT_INPUT
    finally:
        if collecting:
            gc.enable()
    raise typer.Exit(code)


_VALUE_SHOWN = 200  # a 30,000-character cell is named by its start and its length


def _shown_value(text: str) -> str:
    if len(text) <= _VALUE_SHOWN:
        return text
    return f"{text[:_VALUE_SHOWN]}… ({len(text):,} characters in all)"


def _print_problems(problems: list[Problem], max_errors: int, lang: str = "en") -> None:
    stream = sys.stderr
    count = len(problems)
    from .render.problem_text import framing, problem_hint, problem_location, problem_message
    from .text import visible  # input text never reaches a terminal or CI log raw

    lines = [framing("count", lang, count=count, s="s" if count != 1 else "")]
    for p in problems[:max_errors]:
        location = visible(problem_location(p, lang))
        message = visible(problem_message(p, lang))
        lines.append(f"{location}: {p.type}: {message}" if location else f"{p.type}: {message}")
        if p.value is not None and p.value not in p.message:
            lines.append(f"    {framing('value', lang)}: {_shown_value(visible(p.value))}")
        hint = problem_hint(p, lang)
        if hint:
            lines.append(f"    {framing('hint', lang)}: {visible(hint)}")
    if count > max_errors:
        lines.append(framing("more", lang, count=count - max_errors))
    text = "\n".join(lines) + "\n"
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))
    stream.flush()


def _report_problems(problems: list[Problem], sink: _ProblemSink, lang: str) -> None:
    """Input problems in the formats a CI job reads (each format's ``problems`` fact): on stdout,
    in the --output and --report files (a whole report of the problems), in the step summary."""
    from . import output as out
    from .problems import InputError
    from .render.problems import PROBLEM_FORMATS, render

    if sink.stdout_format in PROBLEM_FORMATS:
        _emit(render(sink.stdout_format, problems, lang))
    files = [
        (r.path, render(r.format, problems, lang).encode("utf-8"))
        for r in sink.reports
        if r.format in PROBLEM_FORMATS
    ]
    try:
        if files:
            out.write_atomically(files)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file and sink.step_summary:
            out.append_text(Path(summary_file), render("markdown", problems, lang) + "\n")
    except InputError as err:  # the run already fails with exit 2: say what was not written
        _print_problems(err.problems, len(err.problems), lang)


def _emit(text: str) -> None:
    """Write to stdout (output.write_stdout: a legacy console, a full disk are handled there)."""
    from .output import write_stdout

    write_stdout([text])


def _targets_dir(targets: Path | None) -> Path:
    from .catalogue import default_targets_dir

    return targets if targets is not None else default_targets_dir()


StatusOpt = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="List only results with this status; repeatable. The summary and exit code"
        " still cover every selected target.",
    ),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Soft (hedged) targets that miss fail the run too.")
]
FormatOpt = Annotated[
    ReportFormat | None,
    typer.Option(
        "--format",
        "-f",
        metavar=_choices(ReportFormat),
        help="Output format (default: from --output's suffix, else $PLANCHECK_FORMAT, else table).",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE (atomically) instead of stdout.",
    ),
]
ReportsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar="FORMAT:FILE",
        help="Also write a report in FORMAT to FILE; repeatable.",
    ),
]
FailOnOpt = Annotated[
    str | None,
    typer.Option(
        "--fail-on",
        metavar="LIST",
        help="Statuses that make the exit code 1, comma-separated (default: not_met,missing; none: never).",
    ),
]
CheckLangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        metavar=_choices(Lang),
        help="Language of headings, status words, names, problems and help"
        " (default: from the locale).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")]
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Say how each actuals file was read (on stderr)."),
]


@app.command()
def check(
    targets: TargetsOpt = None,
    actuals: ActualsOpt = None,
    as_of: AsOfOpt = None,
    plan: PlanOpt = None,
    region: RegionOpt = None,
    status: StatusOpt = None,
    strict: StrictOpt = False,
    method: MethodOpt = Method[DEFAULT_PROGRESS_METHOD],
    nature: NatureOpt = None,
    output_format: FormatOpt = None,
    output: OutputOpt = None,
    reports: ReportsOpt = None,
    fail_on: FailOnOpt = None,
    lang: CheckLangOpt = None,
    quiet: QuietOpt = False,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    skip_unknown: SkipUnknownOpt = False,
    verbose: VerboseOpt = False,
    color: ColorOpt = Color.auto,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Compare the catalogue's targets with the actuals and report each target's status.

    Exit 1 when a target with a --fail-on status fails (soft targets only with --strict).
    """

    def work() -> int:
        from . import app as core
        from .evaluation import EvaluationOptions

        given = output_format.value if output_format else None
        inputs = _run_inputs(targets, actuals)
        routes, fail_statuses = _routes(sink, given, output, reports or [], fail_on, inputs)
        request = core.Request(
            targets,
            tuple(actuals or ()),
            _read_options(encoding, sheet, skip_unknown),
            EvaluationOptions(
                as_of=as_of,
                plans=tuple(plan or ()),
                regions=tuple(region or ()),
                statuses=tuple(s.value for s in status or ()),
                strict=strict,
                fail_on=fail_statuses,
                natures=tuple(n.value for n in nature or ()),
                method=_method(method),
                chart_series=routes.needs("needs_series"),
            ),
        )
        outcome = core.run(request, _Observer(verbose))
        _deliver(outcome, routes, _language(lang), quiet, color.value)
        return outcome.exit_code

    sink = _ProblemSink()
    _run(debug, max_errors, work, lang.value if lang else None, sink)


@dataclass(frozen=True)
class _Routes:
    """Where a run's reports go: stdout (in ``stdout``'s format, or nothing when --output names
    a file), the --output file (``main``, which --quiet shortens) and the --report files."""

    stdout: str | None
    main: ReportSpec | None = None
    extra: tuple[ReportSpec, ...] = ()

    @property
    def formats(self) -> tuple[str, ...]:
        files = (r.format for r in (*([self.main] if self.main else []), *self.extra))
        return (*([self.stdout] if self.stdout else []), *files)

    def needs(self, fact: str) -> bool:
        """Whether an output's format has ``fact`` (formats.FormatSpec: needs_series …)."""
        return any(getattr(SPECS[name], fact) for name in self.formats)


def _routes(
    sink: _ProblemSink,
    given: str | None,
    output: Path | None,
    reports: list[str],
    fail_on: str | None,
    inputs: list[Path],
) -> tuple[_Routes, tuple[str, ...]]:
    """Check every output option (and --fail-on) before any work, so a bad one never
    half-writes a report; the problem sink learns each destination once it is known to be good.
    Returns where the reports go and the statuses that fail the run."""
    from . import output as out

    if output is not None and out.is_stdout(output):
        output = None  # "-o -" and "-o /dev/stdout": the report goes to stdout
    formats = list(FORMATS)
    fmt = out.choose_format(_report_format(given, output, reports), os.environ, formats)
    sink.stdout_format = fmt if output is None else None
    extra = out.parse_reports(reports, formats)
    fail_statuses = out.parse_fail_on(fail_on)
    out.check_destinations([*([output] if output else []), *(r.path for r in extra)], inputs)
    main = out.ReportSpec(fmt, output) if output else None
    routes = _Routes(sink.stdout_format, main, tuple(extra))
    # Only now are the report files known to be good places for a problem report.
    sink.reports = [*extra, *([main] if main else [])]
    sink.step_summary = routes.needs("step_summary")
    return routes, fail_statuses


def _deliver(outcome: Outcome, routes: _Routes, language: str, quiet: bool, color: str) -> None:
    """Every report of the run: the files all together (atomically), with the GitHub step
    summary appended when an output asks for it, then stdout; each streamed as rendered."""
    from . import output as out
    from .render import Names, RenderOptions, chunks
    from .render.options import for_stream

    report, names = outcome.report, Names.from_catalogue(outcome.catalogue)
    to_file = RenderOptions(lang=language, names=names)  # files: no colour, full width, complete
    files = [(r.path, chunks(r.format)(report, to_file)) for r in routes.extra]
    if routes.main is not None:
        main = routes.main
        files.insert(0, (main.path, chunks(main.format)(report, replace(to_file, quiet=quiet))))
    summary = _open_step_summary(report, to_file) if routes.needs("step_summary") else None
    try:
        out.write_atomically(files)
    except BaseException:
        if summary is not None:
            summary[2].close()
        raise
    if summary is not None:
        out.append_text(*summary)
    if routes.stdout is not None:
        console = replace(for_stream(sys.stdout, color, language, quiet), names=names)
        text = chunks(routes.stdout)(report, console)
        out.write_stdout(_console_text(text, SPECS[routes.stdout].bom))


def _open_step_summary(report: Report, options: RenderOptions) -> tuple[Path, str, TextIO] | None:
    """Inside a GitHub Actions job ($GITHUB_STEP_SUMMARY set): the summary's file, its text and
    the file opened for appending, before any report is written, so that it is all or none."""
    from . import output as out

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return None
    from .render import renderer
    from .render.markdown import capped_summary

    text = capped_summary(renderer("markdown")(report, options), options.lang) + "\n"
    return Path(summary_file), text, out.open_append(Path(summary_file))


def _console_text(chunks: Iterable[str], bom: bool) -> Iterable[str]:
    """A report's text for stdout: a format that starts with a byte order mark (for the files
    spreadsheets open) loses it when the console cannot show it. Otherwise the chunks as they
    are, so that chunks made as UTF-8 are written as those bytes (output.write_stdout)."""
    from .render.options import can_encode

    if not bom or can_encode(sys.stdout, "\ufeff"):
        return chunks
    return _without_bom(chunks)


def _without_bom(chunks: Iterable[str]) -> Iterator[str]:
    drop = True
    for chunk in chunks:
        if drop and chunk:
            chunk, drop = chunk.removeprefix("\ufeff"), False
        yield chunk


def _report_format(given: str | None, output: Path | None, reports: list[str] | None) -> str | None:
    """--format, else the format --output's suffix names; every contradicting suffix refused."""
    from .problems import InputError
    from .suffixes import REPORT_SUFFIXES, format_for

    chosen, wrong = format_for(output, given, REPORT_SUFFIXES)
    problems = [wrong] if wrong is not None else []
    for spec in reports or []:
        name, sep, file = spec.partition(":")
        if sep and file and name in FORMATS:
            _, mismatch = format_for(Path(file), name, REPORT_SUFFIXES, option="--report")
            problems += [mismatch] if mismatch is not None else []
    if problems:
        raise InputError(problems)
    return chosen


def _run_inputs(targets: Path | None, actuals: list[Path] | None) -> list[Path]:
    """Everything the run reads, which no report may be written over."""
    from .output import run_inputs

    return run_inputs(actuals, _targets_dir(targets))


def _read_options(encoding: str | None, sheet: str | None, skip_unknown: bool) -> ReadOptions:
    from .readers import ReadOptions

    return ReadOptions(encoding=encoding, sheet=sheet, skip_unknown=skip_unknown)


def _method(method: Any) -> str | None:
    """--method's value; ``none`` leaves targets not yet due pending."""
    return None if method.value == "none" else str(method.value)


def _language(lang: Any) -> str:
    from .lang import default_lang

    return str(lang.value) if lang else default_lang(os.environ)


# The format `plancheck report` writes: one self-contained page with charts.
PAGE_FORMAT = "html"


@app.command("report")
def html_report(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the HTML report to FILE (atomically)."
        ),
    ],
    targets: TargetsOpt = None,
    actuals: ActualsOpt = None,
    as_of: AsOfOpt = None,
    plan: PlanOpt = None,
    region: RegionOpt = None,
    method: MethodOpt = Method[DEFAULT_PROGRESS_METHOD],
    nature: NatureOpt = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            metavar=_choices(Lang),
            help="Language of the page (default: from the locale).",
        ),
    ] = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    skip_unknown: SkipUnknownOpt = False,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Write one self-contained HTML page: plan summaries, a sortable table and charts.

    Exit codes as for `check`: 1 when a target is not met or missing, 2 on bad input (and then
    no file is written).
    """

    def work() -> int:
        from . import app as core
        from . import output as out
        from .evaluation import EvaluationOptions

        out.check_destinations([output], _run_inputs(targets, actuals))
        to_stdout = out.is_stdout(output)
        routes = _Routes(
            PAGE_FORMAT if to_stdout else None,
            None if to_stdout else out.ReportSpec(PAGE_FORMAT, output),
        )
        request = core.Request(
            targets,
            tuple(actuals or ()),
            _read_options(encoding, sheet, skip_unknown),
            EvaluationOptions(
                as_of=as_of,
                plans=tuple(plan or ()),
                regions=tuple(region or ()),
                natures=tuple(n.value for n in nature or ()),
                method=_method(method),
                chart_series=routes.needs("needs_series"),
            ),
        )
        outcome = core.run(request, _Observer(verbose=False))
        _deliver(outcome, routes, _language(lang), quiet=False, color=Color.auto.value)
        return outcome.exit_code

    _run(debug, max_errors, work, lang.value if lang else None)


class _Observer:
    """What the CLI shows while the pipeline runs: a progress bar on a terminal, then the
    notices of what was read and what was not."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.bar = _progress_observer()

    def reading(self, path: str, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar(path, done, total)

    def read(self, summary: ReadSummary) -> None:
        _print_notices(summary, self.verbose)


def _print_notices(data: ReadSummary, verbose: bool) -> None:
    """What was read, and what was not: every notice on stderr; -v adds how and how much.

    Notices are few (one per file and kind: title rows, footnotes, unknown columns, skipped
    files and names, cells without a figure), so they are always shown: nothing a submission
    holds is left out without a word.
    """
    from .text import visible

    if verbose:
        _print_read_details(data.details)
        for file, counts in data.counts.items():
            described = ", ".join(f"{key} {value}" for key, value in counts.items())
            typer.echo(f"plancheck: rows {visible(file)}: {visible(described)}", err=True)
    for notice in data.notices:
        where = notice.location()
        text = f"{where}: {notice.message}" if where else notice.message
        typer.echo(f"plancheck: note: {visible(text)}", err=True)
        if verbose and notice.hint:
            typer.echo(f"    hint: {visible(notice.hint)}", err=True)


def _print_read_details(details: dict[str, dict[str, str]]) -> None:
    """--verbose: how each actuals file was read (reader, encoding, delimiter, sheet, layout)."""
    from .text import visible

    for file, found in details.items():
        described = ", ".join(f"{key} {value}" for key, value in found.items())
        typer.echo(f"plancheck: read {visible(file)}: {visible(described)}", err=True)


def _progress_observer() -> Callable[[str, int, int], None] | None:
    """A progress bar on stderr, shown only on a terminal and once reading has taken a second."""
    if not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    import time

    started = time.monotonic()
    state: dict[str, Any] = {}

    def observe(path: str, done: int, total: int) -> None:
        if "bar" not in state and done < total and time.monotonic() - started > 1.0:
            from rich.console import Console
            from rich.progress import Progress

            bar = Progress(console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("reading actuals", total=total)
        if "bar" in state:
            state["bar"].update(state["task"], completed=done, description=f"reading {path}"[:60])
            if done >= total:
                state["bar"].stop()

    return observe


def _check_choices(
    catalogue: Catalogue, plans: list[str] | None, regions: list[str] | None
) -> None:
    from .app import check_selection

    check_selection(catalogue, plans or (), regions or ())


@app.command("list")
def list_targets(
    targets: TargetsOpt = None,
    plan: Annotated[
        list[str] | None,
        typer.Option("--plan", metavar="ID", help="Only this plan id; repeatable."),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", metavar="[table|json]", help="Output format.")
    ] = CheckFormat.table,
    color: ColorOpt = Color.auto,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """List the catalogue: one row per target."""

    def work() -> int:
        from .catalogue import load_catalogue
        from .render.listing import render_listing
        from .render.options import for_stream

        catalogue = load_catalogue(_targets_dir(targets))
        _check_choices(catalogue, plan, None)
        _emit(
            render_listing(
                catalogue, plan or [], output_format.value, for_stream(sys.stdout, color.value)
            )
        )
        return EXIT_OK

    _run(debug, max_errors, work)


@app.command(cls=_Command)
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATHS",
            help="Catalogue folders or files, and actuals files or folders (default: ./targets ./actuals).",
        ),
    ] = None,
    targets: TargetsOpt = None,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            metavar="DIR",
            help="Folder of the plans' source documents: check every quote.",
        ),
    ] = None,
    encoding: EncodingOpt = None,
    sheet: SheetOpt = None,
    skip_unknown: SkipUnknownOpt = False,
    output_format: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar=_choices(ValidateFormat),
            help="text, or problems and checks as json, github annotations, gitlab Code Quality"
            " or junit (default: $PLANCHECK_FORMAT when it is one of these, else text).",
        ),
    ] = None,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Check catalogue and actuals files without comparing them."""
    from .output import FORMAT_ENV

    env_format = os.environ.get(FORMAT_ENV, "").strip()
    fmt = (
        output_format.value
        if output_format
        else (env_format if env_format in ValidateFormat.__members__ else "text")
    )

    def work() -> int:
        from .validate import validate_paths

        lines = validate_paths(
            paths or [], targets, sources, encoding, sheet=sheet, skip_unknown=skip_unknown
        )
        if fmt == "text":
            _emit("\n".join(lines) + "\n")
        else:
            from .render.i18n import default_lang
            from .render.problems import render

            _emit(render(fmt, [], default_lang(os.environ), checked=lines))
        return EXIT_OK

    _run(
        debug,
        max_errors,
        work,
        sink=_ProblemSink(stdout_format=fmt, step_summary=fmt in SPECS and SPECS[fmt].step_summary),
    )


@app.command()
def template(
    targets: TargetsOpt = None,
    plan: Annotated[
        list[str] | None,
        typer.Option("--plan", metavar="ID", help="Only this plan id's targets; repeatable."),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", metavar="ID", help="Only this region id; repeatable."),
    ] = None,
    year: Annotated[
        list[int] | None,
        typer.Option("--year", metavar="YEAR", help="Only targets due this year; repeatable."),
    ] = None,
    template_format: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="[csv|xlsx]",
            help="csv or xlsx (default: from --output's suffix, else csv).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically); xlsx needs it. Default: stdout.",
        ),
    ] = None,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Print a blank actuals file: one row per indicator, region and year the targets need."""

    def work() -> int:
        from . import output as out
        from .catalogue import load_catalogue
        from .problems import InputError, Problem
        from .suffixes import TEMPLATE_SUFFIXES, format_for
        from .template import render_csv, render_xlsx, template_rows

        given = template_format.value if template_format else None
        inferred, wrong = format_for(output, given, TEMPLATE_SUFFIXES)
        if wrong is not None:
            raise InputError([wrong])
        fmt = inferred or "csv"
        if fmt == "xlsx" and (output is None or out.is_stdout(output)):
            raise InputError(
                [
                    Problem(
                        "usage-error",
                        "an xlsx template is a binary file",
                        hint="give --output FILE.xlsx",
                    )
                ]
            )
        if output is not None:
            out.check_destinations([output], out.catalogue_inputs(_targets_dir(targets)))
        catalogue = load_catalogue(_targets_dir(targets))
        _check_choices(catalogue, plan, region)
        rows = template_rows(catalogue, plan, region, year)
        if fmt == "xlsx":
            assert output is not None
            out.write_atomically([(output, render_xlsx(rows, catalogue))])
        elif output is not None and not out.is_stdout(output):
            out.write_atomically([(output, render_csv(rows, catalogue).encode("utf-8"))])
        else:
            _emit(render_csv(rows, catalogue))
        return EXIT_OK

    _run(debug, max_errors, work)


@app.command(cls=_Command)
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(metavar="KIND", help="plan, indicators or regions: the file kind."),
    ] = SchemaKind.plan,
) -> None:
    """Print the JSON Schema of a catalogue file kind (for editors and other validators)."""
    import json

    from .catalogue.models import SCHEMAS

    document = SCHEMAS[kind.value].model_json_schema()
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"plancheck {kind.value} file",
        **document,
    }
    _emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


@app.command("coverage")
def coverage_command(
    sources: Annotated[
        Path,
        typer.Option(
            "--sources", metavar="DIR", help="Folder of the plans' source documents (required)."
        ),
    ],
    targets: TargetsOpt = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list the excluded clauses.")
    ] = False,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Check every commitment clause of the plans' sources is a target's quote or excluded.

    Exit code 1 when a clause is uncovered.
    """

    def work() -> int:
        from .catalogue import load_catalogue
        from .coverage import coverage, render

        results = coverage(load_catalogue(_targets_dir(targets)), sources)
        _emit(render(results, verbose=verbose))
        return EXIT_FAILED if any(r.uncovered for r in results) else EXIT_OK

    _run(debug, max_errors, work)


def main() -> None:
    # Windows consoles and CI runners may default to a legacy code page: keep stdout usable.
    if os.environ.get("PYTHONIOENCODING") is None:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                with contextlib.suppress(ValueError, OSError):
                    reconfigure(errors="replace")
    try:
        app()
    except OSError as err:  # stdout written outside _emit (--version, --help) on a full disk
        from .output import stdout_failed

        _print_problems(stdout_failed(err).problems, 1)
        sys.exit(EXIT_INPUT)


def entry() -> None:
    """The ``plancheck`` command: :func:`main`, then out without tearing the interpreter down.

    Freeing every module and object one by one (pandas, pyarrow, a report's records) took 0.3 s
    of CPU after the work was done; every report file is closed by then and stdout and stderr
    are flushed here. The cyclic collector stays off, as during a command's work (``_run``): the
    process ends with the command. ``main`` itself returns to its caller (tests, the API).
    """
    import gc

    gc.disable()
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as done:
        code = done.code if done.code is not None else EXIT_OK
    if not isinstance(code, int) or sys.getprofile() or sys.gettrace():
        # A message: Python prints it as it exits. A profiler or coverage tracer running the
        # command writes its results at exit, which os._exit would skip.
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None  # Python's own exit reports the stream as before
    os._exit(code)
