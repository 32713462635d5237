"""``plancheck validate``: check catalogue and actuals files without comparing them."""

from __future__ import annotations

from pathlib import Path

from .actuals import read_actuals
from .catalogue import Catalogue, default_targets_dir, load_catalogue
from .catalogue.provenance import check_sources
from .problems import InputError, Problem
from .readers import ReadOptions
from .text import visible


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def catalogue_root(path: Path) -> Path | None:
    """The catalogue folder a path belongs to: itself, or the ancestor holding indicators.yaml."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if (candidate / "indicators.yaml").is_file() and (candidate / "plans").is_dir():
            return candidate
    return None


def validate_paths(
    paths: list[Path],
    targets: Path | None,
    sources: Path | None,
    encoding: str | None,
    *,
    sheet: str | None = None,
    skip_unknown: bool = False,
) -> list[str]:
    """Lines describing what was checked; raises InputError listing every problem found."""
    roots, data = _catalogues_and_data(paths, targets)
    lines: list[str] = []
    problems: list[Problem] = []
    catalogue = _check_catalogues(roots, sources, lines, problems)
    if data and catalogue is not None:
        options = ReadOptions(encoding=encoding, sheet=sheet, skip_unknown=skip_unknown)
        _check_actuals(data, catalogue, options, lines, problems)
    if problems:
        raise InputError(problems)
    return [visible(line) for line in lines]  # file and sheet names come from the input


def _catalogues_and_data(paths: list[Path], targets: Path | None) -> tuple[list[Path], list[Path]]:
    """The catalogue folders the paths belong to, and the actuals files and folders among them
    (none given: the targets folder and ./actuals, when it exists)."""
    roots: list[Path] = []
    data: list[Path] = []
    for path in paths or [targets or default_targets_dir(), Path("actuals")]:
        root = (
            catalogue_root(path)
            if path.exists() and (path.is_dir() or path.suffix in (".yaml", ".yml"))
            else None
        )
        if root is not None:
            if root not in roots:
                roots.append(root)
        elif not paths and not path.exists():
            continue  # no ./actuals folder: nothing to check there
        else:
            data.append(path)
    if not roots:
        roots.append((targets or default_targets_dir()).resolve())
    return roots, data


def _check_catalogues(
    roots: list[Path], sources: Path | None, lines: list[str], problems: list[Problem]
) -> Catalogue | None:
    """Each catalogue loaded (and its quotes found in ``sources``); the last that loads, which
    the actuals are read against."""
    catalogue: Catalogue | None = None
    for root in roots:
        try:
            catalogue = load_catalogue(root)
        except InputError as err:
            problems.extend(err.problems)
            continue
        n_targets = sum(len(plan.targets) for plan in catalogue.plans.values())  # no decoding
        lines.append(
            f"ok  catalogue {_shown(root)}: {len(catalogue.plans)} plans, {n_targets} targets, "
            f"{len(catalogue.indicators)} indicators, {len(catalogue.regions)} regions"
        )
        if sources is not None:
            found, checked = check_sources(catalogue, sources)
            problems.extend(found)
            if not found:
                lines.append(f"ok  provenance: all {checked} quotes found verbatim in {sources}")
    return catalogue


def _check_actuals(
    data: list[Path],
    catalogue: Catalogue,
    options: ReadOptions,
    lines: list[str],
    problems: list[Problem],
) -> None:
    """The actuals read: a line per file with its counts and notes, or the problems."""
    try:
        actuals = read_actuals(data, catalogue, options)
    except InputError as err:
        problems.extend(err.problems)
        return
    for file in actuals.files:
        rows = int((actuals.table["file"] == file).sum())
        detail = ", ".join(f"{k} {v}" for k, v in actuals.details.get(file, {}).items())
        lines.append(f"ok  actuals {file}: {rows} rows with a value ({detail})")
    # What was not read is part of the verdict on a file: say it under the file.
    lines.extend(f"    note: {n.location()}: {n.message}" for n in actuals.notices)
