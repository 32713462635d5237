"""Command line: parse options, call the core, hand results to a renderer, return an exit code.

Exit codes: 0 every due, non-soft target met; 1 a target is not met or missing; 2 bad input,
bad usage, or an internal error (never 1: 1 means only "the data missed a target").
Heavy modules (pandas, pydantic, pint) are imported inside the commands, so ``--version`` and
``--help`` stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__

app = typer.Typer(
    name="plancheck",
    help="Check government plan targets against submitted actual figures.",
    no_args_is_help=True,
    add_completion=False,
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


class Status(str, Enum):
    met = "met"
    not_met = "not_met"
    missing = "missing"
    pending = "pending"
    open = "open"


class SchemaKind(str, Enum):
    plan = "plan"
    indicators = "indicators"
    regions = "regions"


TargetsOpt = Annotated[
    Path | None,
    typer.Option("--targets", help="Catalogue folder (default: ./targets, else the bundled catalogue)."),
]
MaxErrorsOpt = Annotated[int, typer.Option("--max-errors", min=1, help="Show at most this many problems.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")]
ColorOpt = Annotated[Color, typer.Option("--color", help="Colour in the table output.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"plancheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Did we hit the plan's targets? Compare a YAML target catalogue with submitted actuals."""


def _run(debug: bool, max_errors: int, work: Callable[[], int]) -> None:
    """Run a command body: input problems → exit 2 with every problem listed; crashes → exit 2."""
    from .problems import InputError

    try:
        code = work()
    except InputError as err:
        _print_problems(err.problems, max_errors)
        code = EXIT_INPUT
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as err:  # an internal error must not look like "targets missed" (exit 1)
        if debug:
            raise
        typer.echo(
            f"plancheck: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in plancheck, not in your files. Run again with --debug for a traceback.",
            err=True,
        )
        code = EXIT_INPUT
    raise typer.Exit(code)


def _print_problems(problems: list[Any], max_errors: int) -> None:
    stream = sys.stderr
    count = len(problems)
    lines = [f"plancheck: {count} problem{'s' if count != 1 else ''} in the input:"]
    for p in problems[:max_errors]:
        location = p.location()
        lines.append(f"{location}: {p.type}: {p.message}" if location else f"{p.type}: {p.message}")
        if p.value is not None and p.value not in p.message:
            lines.append(f"    value: {p.value}")
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    if count > max_errors:
        lines.append(f"… and {count - max_errors} more (raise --max-errors to see them)")
    text = "\n".join(lines) + "\n"
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))
    stream.flush()


def _emit(text: str) -> None:
    """Write to stdout even when its encoding cannot hold every character (a GBK console)."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))
    stream.flush()


def _targets_dir(targets: Path | None) -> Path:
    from .catalogue import default_targets_dir

    return targets if targets is not None else default_targets_dir()


@app.command()
def check(
    targets: TargetsOpt = None,
    actuals: Annotated[
        list[Path] | None,
        typer.Option("--actuals", "-a", help="Actuals file or folder; repeatable (default: ./actuals)."),
    ] = None,
    as_of: Annotated[
        int | None, typer.Option("--as-of", help="Judge as of this year (default: latest year in the actuals).")
    ] = None,
    plan: Annotated[list[str] | None, typer.Option("--plan", help="Only this plan id; repeatable.")] = None,
    region: Annotated[list[str] | None, typer.Option("--region", help="Only this region id; repeatable.")] = None,
    status: Annotated[list[Status] | None, typer.Option("--status", help="Only results with this status; repeatable.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Soft (hedged) targets that miss fail the run too.")] = False,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Force the actuals' text encoding.")] = None,
    color: ColorOpt = Color.auto,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Compare the catalogue's targets with the actuals and report each target's status."""

    def work() -> int:
        from .actuals import read_actuals
        from .catalogue import load_catalogue
        from .evaluation import EvaluationOptions, evaluate
        from .readers import ReadOptions
        from .render import renderer
        from .render.options import for_stream

        catalogue = load_catalogue(_targets_dir(targets))
        _check_choices(catalogue, plan, region)
        data = read_actuals(list(actuals or [Path("actuals")]), catalogue, ReadOptions(encoding=encoding))
        report = evaluate(
            catalogue,
            data,
            EvaluationOptions(
                as_of=as_of,
                plans=tuple(plan or ()),
                regions=tuple(region or ()),
                statuses=tuple(s.value for s in status or ()),
                strict=strict,
            ),
        )
        options = for_stream(sys.stdout, color.value, quiet=quiet)
        _emit(renderer(output_format.value)(report, options))
        return report.exit_code()

    _run(debug, max_errors, work)


def _check_choices(catalogue: Any, plans: list[str] | None, regions: list[str] | None) -> None:
    from .catalogue.loader import did_you_mean
    from .problems import InputError, Problem

    problems = []
    for given, known, what in ((plans or [], catalogue.plans, "plan"), (regions or [], catalogue.regions, "region")):
        for value in given:
            if value not in known:
                problems.append(
                    Problem(
                        "usage-error",
                        f"--{what} '{value}' is not in the catalogue",
                        hint=did_you_mean(value, sorted(known)) or f"see `plancheck list` for {what} ids",
                    )
                )
    if problems:
        raise InputError(problems)


@app.command("list")
def list_targets(
    targets: TargetsOpt = None,
    plan: Annotated[list[str] | None, typer.Option("--plan", help="Only this plan id; repeatable.")] = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
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
        _emit(render_listing(catalogue, plan or [], output_format.value, for_stream(sys.stdout, color.value)))
        return EXIT_OK

    _run(debug, max_errors, work)


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Catalogue folders or files, and actuals files or folders (default: ./targets ./actuals)."),
    ] = None,
    targets: TargetsOpt = None,
    sources: Annotated[
        Path | None, typer.Option("--sources", help="Folder of the plans' source documents: check every quote.")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Force the actuals' text encoding.")] = None,
    max_errors: MaxErrorsOpt = 50,
    debug: DebugOpt = False,
) -> None:
    """Check catalogue and actuals files without comparing them."""

    def work() -> int:
        from .validate import validate_paths

        lines = validate_paths(paths or [], targets, sources, encoding)
        _emit("\n".join(lines) + "\n")
        return EXIT_OK

    _run(debug, max_errors, work)


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which file kind's schema to print.")] = SchemaKind.plan,
) -> None:
    """Print the JSON Schema of a catalogue file kind (for editors and other validators)."""
    import json

    from .catalogue.models import SCHEMAS

    document = SCHEMAS[kind.value].model_json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"plancheck {kind.value} file", **document}
    _emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    # Windows consoles and CI runners may default to a legacy code page: keep stdout usable.
    if os.environ.get("PYTHONIOENCODING") is None:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                try:
                    reconfigure(errors="replace")
                except (ValueError, OSError):
                    pass
    app()
