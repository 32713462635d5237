"""Provenance: every target's quote must stand verbatim in its plan's source document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..problems import Problem, short
from .loader import Catalogue


def _figure(value: Decimal) -> str:
    text = format(value, "f")
    return text


def check_sources(catalogue: Catalogue, sources: Path) -> tuple[list[Problem], int]:
    """Problems for quotes (and stated figures) not found in the source files; and the count checked."""
    problems: list[Problem] = []
    checked = 0
    for plan in catalogue.plans.values():
        path = sources / plan.meta.source_file
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError:
            problems.append(
                Problem(
                    "missing-file",
                    f"source document '{plan.meta.source_file}' of plan '{plan.meta.id}' not found in {sources}",
                    plan.file,
                    hint="check plan.source_file or --sources",
                )
            )
            continue
        for t in plan.targets:
            checked += 1
            line = plan.target_lines.get(t.id)
            if t.source.quote not in text:
                problems.append(
                    Problem(
                        "quote-not-found",
                        f"target '{t.id}': its quote does not occur verbatim in {plan.meta.source_file}",
                        plan.file,
                        line=line,
                        field="source.quote",
                        value=short(t.source.quote),
                        hint="copy the clause from the source file exactly (same characters and punctuation)",
                    )
                )
                continue
            for figure in (t.value, t.value_max):
                if figure is not None and _figure(figure) not in t.source.quote:
                    problems.append(
                        Problem(
                            "figure-not-in-quote",
                            f"target '{t.id}': the figure {_figure(figure)} is not written in its quote",
                            plan.file,
                            line=line,
                            field="value",
                            value=short(t.source.quote),
                            hint="the quote must be the clause that states this figure",
                        )
                    )
    return problems, checked
