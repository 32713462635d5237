"""``plancheck list``: the catalogue as a table or JSON, one row per target."""

from __future__ import annotations

import io
import json

from ..catalogue import Catalogue
from ..text import visible
from .options import RenderOptions
from .table import console


def listing_rows(catalogue: Catalogue, plans: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for plan, t in catalogue.targets():
        if plans and plan.meta.id not in plans:
            continue
        ind = catalogue.indicators[t.indicator]
        rows.append(
            {
                "target_id": t.id,
                "plan": plan.meta.id,
                "source_file": plan.meta.source_file,
                "indicator": t.indicator,
                "indicator_name": ind.name_zh,
                "kind": "milestone"
                if ind.type == "milestone"
                else ("growth" if ind.growth_of else "level"),
                "region": t.region,
                "year": t.year,
                "year_inferred": t.year_inferred,
                "comparator": t.comparator,
                "value": None if t.value is None else float(t.value),
                "value_max": None if t.value_max is None else float(t.value_max),
                "unit": t.unit,
                "hedge": t.hedge,
                "section": t.source.section,
            }
        )
    return rows


def render_listing(catalogue: Catalogue, plans: list[str], fmt: str, options: RenderOptions) -> str:
    rows = listing_rows(catalogue, plans)
    if fmt == "json":
        return json.dumps({"targets": rows}, ensure_ascii=False, indent=2) + "\n"
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD if options.unicode else box.ASCII, show_edge=False, pad_edge=False
    )
    for name in (
        "plan",
        "source file",
        "target",
        "indicator",
        "region",
        "year",
        "target value",
        "section",
    ):
        table.add_column(name, no_wrap=options.width is None)
    for r in rows:
        if r["kind"] == "milestone":
            target = "milestone"
        elif r["comparator"] in ("between", "range"):
            target = f"{r['value']:g}–{r['value_max']:g} {r['unit']}"
        elif r["comparator"] == "about":
            target = f"≈ {r['value']:g} {r['unit']}"
        else:
            target = f"{r['comparator']} {r['value']:g} {r['unit']}"
        year = "—" if r["year"] is None else f"{r['year']}{'*' if r['year_inferred'] else ''}"
        cells = (
            str(r["plan"]),
            str(r["source_file"]),
            str(r["target_id"]),
            f"{r['indicator_name']} ({r['indicator']})",
            str(r["region"]),
            year,
            target,
            str(r["section"]),
        )
        # Catalogue text shown as it is written: escapes visible, "[...]" not read as Rich markup.
        table.add_row(*(Text(visible(cell)) for cell in cells))
    buffer = io.StringIO()
    out = console(options, buffer)
    out.print(table)
    out.print(f"{len(rows)} targets in {len({r['plan'] for r in rows})} plans")
    return buffer.getvalue()
