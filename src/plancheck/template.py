"""``plancheck template``: a blank actuals file listing exactly the rows the catalogue expects.

One row per (indicator, region, year) some target needs, with the indicator's canonical unit and
an empty value. A growth-rate target also needs the level indicator's figures it is computed
from when no growth figure is sent (the previous year for year-on-year growth, the base year
for average annual growth), so those rows are listed too. Name columns (Chinese and English)
and ``needed_for`` (the target ids a row serves) help whoever fills it in; the actuals reader
ignores columns it does not know, so a filled-in template is read back unchanged.

Catalogue text is untrusted (a pull request may edit it): a name that a spreadsheet would read
as a formula is written as text (a leading ``'`` in CSV, a string cell in xlsx), and control
characters are shown as escapes (plancheck.text).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .catalogue import Catalogue
from .problems import InputError, Problem
from .text import inert, is_formula, visible

if TYPE_CHECKING:
    from .catalogue import Plan
    from .catalogue.models import Target

# The reader's own headers first (see plancheck.actuals.HEADER_ALIASES), then columns it ignores.
COLUMNS = (
    "indicator", "indicator_name_zh", "indicator_name_en", "region", "region_name_zh",
    "region_name_en", "year", "value", "unit", "date", "source", "note", "needed_for",
)  # fmt: skip
VALUE_COLUMN = COLUMNS.index("value")
MILESTONE_VALUES = ("是", "否")


@dataclass
class TemplateRow:
    indicator: str
    region: str
    year: int
    unit: str
    milestone: bool
    needed_for: list[str] = field(default_factory=list)


def template_rows(
    catalogue: Catalogue,
    plans: list[str] | None = None,
    regions: list[str] | None = None,
    years: list[int] | None = None,
) -> list[TemplateRow]:
    """The rows the selected targets need, ordered as indicators.yaml, then regions.yaml, then year."""
    rows: dict[tuple[str, str, int], TemplateRow] = {}
    for plan, target in catalogue.targets():
        if target.year is None or not _selected(plan, target, plans, regions, years):
            continue  # an open target has no year to report for
        for indicator, region, year in _rows_needed(catalogue, plan, target, target.year):
            ind = catalogue.indicators[indicator]
            row = rows.setdefault(
                (indicator, region, year),
                TemplateRow(indicator, region, year, ind.unit or "", ind.type == "milestone"),
            )
            if target.id not in row.needed_for:
                row.needed_for.append(target.id)
    indicator_order = {k: i for i, k in enumerate(catalogue.indicators)}
    region_order = {k: i for i, k in enumerate(catalogue.regions)}
    ordered = sorted(
        rows.values(), key=lambda r: (indicator_order[r.indicator], region_order[r.region], r.year)
    )
    if not ordered:
        raise InputError(
            [
                Problem(
                    "usage-error",
                    "no targets with a deadline year match the selection",
                    hint="check --plan, --region and --year (plancheck list)",
                )
            ]
        )
    return ordered


def _selected(
    plan: Plan,
    target: Target,
    plans: list[str] | None,
    regions: list[str] | None,
    years: list[int] | None,
) -> bool:
    """Whether the target is among --plan, --region and --year (each: all when not given)."""
    if plans and plan.meta.id not in plans:
        return False
    if regions and target.region not in regions:
        return False
    return not (years and target.year not in years)


def _rows_needed(
    catalogue: Catalogue, plan: Plan, target: Target, year: int
) -> list[tuple[str, str, int]]:
    """(indicator, region, year) of each figure the target needs: its own, and for a growth
    target the level figures its growth is computed from (the base year's and the target year's)."""
    needed = [(target.indicator, target.region, year)]
    growth_of = catalogue.indicators[target.indicator].growth_of
    if growth_of is None:
        return needed
    if growth_of.basis == "year_on_year":
        base_year: int | None = year - 1
    else:
        base_year = target.base_year if target.base_year is not None else plan.meta.base_year
    if base_year is not None:
        needed.append((growth_of.indicator, target.region, base_year))
        needed.append((growth_of.indicator, target.region, year))
    return needed


def cells(row: TemplateRow, catalogue: Catalogue) -> list[object]:
    ind = catalogue.indicators[row.indicator]
    reg = catalogue.regions[row.region]
    values = {
        "indicator": row.indicator,
        "indicator_name_zh": ind.name_zh,
        "indicator_name_en": ind.name_en,
        "region": row.region,
        "region_name_zh": reg.name_zh,
        "region_name_en": reg.name_en,
        "year": row.year,
        "value": None,
        "unit": row.unit,
        "date": None,
        "source": None,
        "note": None,
        "needed_for": " ".join(row.needed_for),
    }
    return [values[c] for c in COLUMNS]


def render_csv(rows: list[TemplateRow], catalogue: Catalogue) -> str:
    """CSV, UTF-8 with a BOM so that Excel shows the Chinese names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                "" if v is None else inert(v) if isinstance(v, str) else v
                for v in cells(row, catalogue)
            ]
        )
    return "\ufeff" + buffer.getvalue()


def render_xlsx(rows: list[TemplateRow], catalogue: Catalogue) -> bytes:
    """XLSX: a bold header row, frozen panes, and data validation on the value column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "actuals"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append([visible(v) if isinstance(v, str) else v for v in cells(row, catalogue)])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            # openpyxl stores any text starting with "=" as a formula: keep it a string.
            if isinstance(cell.value, str) and is_formula(cell.value):
                cell.data_type = "s"
    sheet.freeze_panes = "B2"  # the header row and the indicator column stay in view
    value_letter = get_column_letter(VALUE_COLUMN + 1)
    number = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1E+307",
        formula2="1E+307",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数值 / value",
        error="请填写数字，无数据则留空。Enter a number; leave the cell blank when there is no figure.",
        promptTitle="数值 / value",
        prompt="单位见 unit 列 / in the unit of the unit column",
        showInputMessage=True,
    )
    done = DataValidation(
        type="list",
        formula1='"' + ",".join(MILESTONE_VALUES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成情况 / done",
        error="请选择 是 或 否。Choose 是 (done) or 否 (not done).",
        promptTitle="完成情况 / done",
        prompt="是 = 已完成 done, 否 = 未完成 not done; date 列填完成日期 / completion date in the date column",
        showInputMessage=True,
    )
    for i, row in enumerate(rows, start=2):
        (done if row.milestone else number).add(f"{value_letter}{i}")
    for validation in (number, done):
        if validation.sqref:
            sheet.add_data_validation(validation)
    widths = {
        "indicator": 28,
        "indicator_name_zh": 24,
        "indicator_name_en": 36,
        "region": 14,
        "region_name_zh": 14,
        "region_name_en": 20,
        "needed_for": 40,
    }
    for i, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(name, 10)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
