"""The catalogue's schema: indicators, regions and plans with their targets.

Strict: unknown keys are errors, text fields take only text and numbers only numbers (the
strict YAML loader has already turned numeric scalars into ``int``/``Decimal`` from their text).
``plancheck schema`` exports these models as JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)

COMPARATORS = (">=", ">", "<=", "<", "==", "between", "range", "about")
# between: a band that must hold (inflation 2–3 %); range: a planned range for a quantity where
# more (or, lower-is-better, less) is better, met at its near end ("新增4—5家": met at 4 or more);
# about: the plan's 左右/约 figure, met within a tolerance of it on the short side (evaluation/methods/compare.py).
Comparator = Literal[">=", ">", "<=", "<", "==", "between", "range", "about"]
Direction = Literal["higher_is_better", "lower_is_better"]
HEDGES = ("力争", "争取", "基本", "初步", "逐步", "力爭", "爭取")
# What counts as done for a milestone, in the plan's own words (stages.py maps report words).
Stage = Literal[
    "preparatory",  # 开展…前期工作: preparatory work (studies, approvals) under way
    "started",  # 开工建设 / 启动 / 开展: work has begun
    "under_construction",  # 建设 / 加快建设 / 推进…建设 / 加快实施: under way (or further)
    "completed",  # 建成 / 完成 / 竣工
    "in_operation",  # 建成通车 / 投产 / 开通 / 运营 / 投入使用
    "issued",  # 出台 / 制定 / 印发 / 编制: a document issued
    "approved",  # 获批 / 批复: approved by a higher authority
    "established",  # 建立 / 成立 / 设立 / 挂牌: a body, mechanism or system set up
    "signed",  # 签署 / 签订: an agreement signed
    "held",  # 举办 / 召开: an event held
    "achieved",  # 实现 / 创建成为 / 达到: a stated state reached
]


def _exact_number(value: Any) -> Decimal:
    if type(value) is Decimal and value.is_finite():  # most values, as the loader reads them
        return value
    # bool is an int subclass: refuse it before the int branch.
    if isinstance(value, bool):
        raise ValueError("expected a number, got true/false")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("expected a finite number")
        return value
    if isinstance(value, str):
        raise ValueError(f"expected a number, got text '{value}' (write it without quotes)")
    raise ValueError("expected a number")


ExactNumber = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    WithJsonSchema({"type": "number"}),
]
Id = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Year = Annotated[StrictInt, Field(ge=1949, le=2100)]
Text = Annotated[StrictStr, Field(min_length=1)]


def _date_text(value: Any) -> Any:
    # The strict loader keeps dates as text; a YAML date must not arrive as a number.
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        raise ValueError("expected a date written YYYY-MM-DD")
    return value


IssueDate = Annotated[dt.date, BeforeValidator(_date_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GrowthOf(_Model):
    indicator: Id = Field(description="The level indicator whose growth this is.")
    basis: Literal["year_on_year", "average_annual"] = Field(
        description="year_on_year: on the previous year; average_annual: compound annual "
        "growth since the base year."
    )


class Indicator(_Model):
    name_zh: Text
    name_en: Text
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names yearbooks and bulletins print for exactly this measure.",
    )
    unit: Text | None = Field(None, description="Canonical unit; values are compared in it.")
    direction: Direction | None = None
    description: StrictStr | None = None
    type: Literal["numeric", "milestone"] = "numeric"
    growth_of: GrowthOf | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if self.type == "numeric":
            if self.unit is None or self.direction is None:
                raise ValueError("a numeric indicator needs 'unit' and 'direction'")
            if self.growth_of is not None and self.unit != "%":
                raise ValueError("a growth-rate indicator ('growth_of') has unit '%'")
        else:
            if self.unit is not None or self.growth_of is not None:
                raise ValueError("a milestone indicator has no 'unit' or 'growth_of'")
        return self


class Region(_Model):
    name_zh: Text
    name_en: Text
    aliases: list[Text] = Field(default_factory=list)
    code: Annotated[StrictStr, Field(pattern=r"^[1-9][0-9]{5}$")] | None = Field(
        None, description="GB/T 2260 administrative division code (six digits, quoted)."
    )
    level: (
        Literal[
            "country",
            "province",
            "prefecture",
            "county",
            "district",
            "grouping",
            "special_zone",
            "zone",
        ]
        | None
    ) = None
    parent: Id | None = None
    members: list[Id] = Field(default_factory=list)


class Source(_Model):
    section: Text = Field(description="The plan's own numbering of the clause, e.g. 一(九)2.")
    quote: Text = Field(
        description="The shortest clause stating the target, verbatim from the plan."
    )


class Period(_Model):
    start: Year
    end: Year | None = None
    end_approximate: StrictBool = Field(
        False,
        description="The plan's horizon is approximate (到2020年左右): its deadlines are 'about' that year.",
    )


class PlanMeta(_Model):
    id: Id
    title_zh: Text
    title_en: Text
    issuer: Text | None = None
    document_number: Text | None = None
    issue_date: IssueDate | None = None
    period: Period
    base_year: Year | None = None
    source_file: Text
    script: Literal["simplified", "traditional"] | None = None


class Target(_Model):
    id: Id
    indicator: Id
    region: Id
    year: Year | None = Field(description="Deadline year; null only for a plan with no end year.")
    year_inferred: StrictBool = False
    comparator: Comparator | None = None
    value: ExactNumber | None = None
    value_max: ExactNumber | None = None
    unit: Text | None = None
    hedge: Text | None = Field(None, description="Softening word (力争, 基本 …): a soft target.")
    nature: Literal["binding", "expected"] | None = Field(
        None, description="约束性 (binding) or 预期性 (expected), where the plan says so."
    )
    base_year: Year | None = None
    maintain: StrictBool = Field(
        False, description="Hold the target every year of the plan period, not only in its year."
    )
    source: Source
    note: StrictStr | None = None
    stage: Stage | None = Field(
        None,
        description="Milestones: the stage the plan asks for by the year (what counts as done).",
    )
    done_when: StrictStr | None = Field(
        None, description="Milestones: what counts as done, when no stage says it."
    )
    effort: StrictBool = Field(
        False,
        description="A process commitment (推动建立, 积极参与, 研究…) naming no outcome: "
        "reported, but not counted in the completion rate.",
    )
    scope: StrictStr | None = Field(
        None, description="Where the plan's scope is narrower than the region (珠三角发达地区)."
    )
    part_of: Id | None = Field(
        None, description="The id of the count target this named item is one of."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        given = (self.comparator is not None) + (self.value is not None) + (self.unit is not None)
        if 0 < given < 3:  # counted, not any(): this runs for each of 285,000 targets
            raise ValueError("a numeric target needs 'comparator', 'value' and 'unit' together")
        if self.comparator in ("between", "range"):
            if self.value_max is None:
                raise ValueError(f"'{self.comparator}' needs 'value_max'")
            if self.value is not None and self.value_max <= self.value:
                raise ValueError("'value_max' must be greater than 'value'")
        elif self.value_max is not None:
            raise ValueError("'value_max' goes only with comparator 'between' or 'range'")
        if self.comparator is not None and (self.stage or self.done_when):
            raise ValueError("'stage' and 'done_when' are for milestones, not numeric targets")
        if self.maintain and (self.comparator is None or self.year is None):
            raise ValueError("'maintain' needs a numeric target with a year")
        return self

    @property
    def soft(self) -> bool:
        return self.hedge is not None


ExclusionKind = Literal[
    "baseline",  # a figure the plan states as a fact at its start
    "past",  # a past achievement or an earlier plan's result
    "description",  # context, a definition, a name, a heading, a date of the document
    "outlook",  # a vision beyond the plan's period (展望2035年)
    "principle",  # a general aim or principle naming nothing checkable
    "duplicate",  # restates a commitment a target already quotes
    "responsibility",  # who leads or takes part (牵头, 负责)
    "procedure",  # the plan's own working routine: reporting dates, meetings, reviews
    "not_checkable",  # a commitment with no observable outcome or figure
]


class Exclusion(_Model):
    """A clause of the plan's source that carries a commitment marker but is not a target."""

    section: Text = Field(description="The plan's own numbering of the clause.")
    text: Text | None = Field(
        None,
        description="Verbatim from the source; every clause it overlaps is excluded. "
        "Omitted: the whole section is excluded (a review of past achievements, say).",
    )
    kind: ExclusionKind
    reason: Text = Field(description="Why this is not a checkable target of the plan.")


class PlanFile(_Model):
    plan: PlanMeta
    targets: list[Target]
    excluded: list[Exclusion] = Field(
        default_factory=list,
        description="Clauses plancheck coverage would flag that are not targets, each with a reason.",
    )


class IndicatorsFile(RootModel[dict[Id, Indicator]]):
    pass


class RegionsFile(RootModel[dict[Id, Region]]):
    pass


SCHEMAS: dict[str, type[BaseModel]] = {
    "plan": PlanFile,
    "indicators": IndicatorsFile,
    "regions": RegionsFile,
}
