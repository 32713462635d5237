"""The catalogue in numbers: the table README shows under "What the bundled catalogue holds".

scripts/refresh_docs.py writes it into README; tests/test_catalogue_semantics.py checks README
shows the table of the catalogue as it is.
"""

from __future__ import annotations

from .loader import Catalogue

HEADER = (
    "| plan | source | level | growth | milestone | total | soft | effort | year inferred "
    "| no deadline |\n|---|---|---|---|---|---|---|---|---|---|\n"
)


def catalogue_table(catalogue: Catalogue) -> str:
    """One Markdown row per plan (in source-file order) and a total row."""
    rows: list[str] = []
    totals = [0] * 8
    for plan in sorted(catalogue.plans.values(), key=lambda p: p.meta.source_file):
        counts = [0] * 8
        for t in plan.targets:
            indicator = catalogue.indicators[t.indicator]
            kind = (
                2 if indicator.type == "milestone" else 1 if indicator.growth_of is not None else 0
            )
            counts[kind] += 1
            counts[3] += 1
            counts[4] += t.hedge is not None
            counts[5] += t.effort
            counts[6] += t.year_inferred
            counts[7] += t.year is None
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        source = plan.meta.source_file[:3] + "…"
        rows.append(
            f"| `{plan.meta.id}` | `{source}` | " + " | ".join(str(n) for n in counts) + " |"
        )
    rows.append("| **all** | | " + " | ".join(str(n) for n in totals) + " |")
    return HEADER + "\n".join(rows) + "\n"
