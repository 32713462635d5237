"""Milestone stages: what a plan asks to be done, and what a report says was done.

A plan's verb fixes the stage its milestone asks for: 建设 / 加快建设 ask for work under way,
建成 for completion, 建成通车 / 投产 for operation, 出台 for an issued document. A report that
says a later stage of the same ladder (通车 for a project asked to be under way) reaches it; a
plain yes (是, 完成, done) says the target's own stage was reached.

``reported_stage`` reads a report word; ``reaches`` compares it with the stage a target asks
for; ``quote_stages`` lists the stages a plan's clause can support (the catalogue test checks
every milestone's stage against its quote).
"""

from __future__ import annotations

from ...catalogue.models import Stage

# The construction ladder: a later stage reaches every earlier one.
LADDER: dict[str, int] = {
    "preparatory": 0,  # 前期工作: not yet started
    "started": 1,
    "under_construction": 1,  # "under way" is shown by a start or anything later
    "completed": 2,
    "in_operation": 3,
}

# Report words (开工, 建成, 通车 …) are read with the other cell syntax, in plancheck.cells.
from ...cells import Reported, reported_stage  # noqa: E402  (re-exported for callers here)

__all__ = ["LADDER", "Reported", "quote_stages", "reaches", "reported_stage"]


def reaches(reported: str | None, required: str | None) -> bool:
    """Whether a report of ``reported`` (None: a plain yes) reaches the ``required`` stage."""
    if reported is None or required is None or reported == required:
        return True
    if reported in LADDER and required in LADDER:
        return LADDER[reported] >= LADDER[required]
    return False


# The verbs of a plan's clause that can ask for each stage (both scripts).
STAGE_VERBS: dict[Stage, tuple[str, ...]] = {
    "preparatory": ("前期工作",),
    "started": (
        "开工",
        "開工",
        "启动",
        "啟動",
        "开展",
        "開展",
        "动工",
        "开建",
        "启用",
        "啟用",
        "推进",
        "推進",
        "推动",
        "推動",
        "建设",
        "建設",
        "实施",
        "實施",
    ),
    "under_construction": (
        "建设",
        "建設",
        "实施",
        "實施",
        "推进",
        "推進",
        "推动",
        "推動",
        "加快",
        "打造",
        "搭建",
        "共建",
        "建立",
        "构建",
        "構建",
        "改造",
        "提升",
        "完善",
        "培育",
        "整治",
        "治理",
        "发展",
        "發展",
        "扩建",
        "擴建",
        "续建",
        "續建",
        "新建",
        "创建",
        "創建",
        "開展",
        "开展",
    ),
    "completed": (
        "建成",
        "完成",
        "竣工",
        "建好",
        "完工",
        "基本形成",
        "形成",
        "全覆盖",
        "覆蓋",
        "覆盖",
        "消除",
        "划定",
        "劃定",
    ),
    "in_operation": (
        "通车",
        "通車",
        "投产",
        "投產",
        "开通",
        "開通",
        "运营",
        "運營",
        "投入使用",
        "通航",
        "运行",
        "運行",
        "启用",
        "啟用",
        "上线",
        "上線",
        "营运",
        "开设",
        "開設",
        "开行",
        "開行",
        "推出",
        "落实",
        "落實",
        "实施",
        "實施",
        "推行",
    ),
    "issued": (
        "出台",
        "出臺",
        "制定",
        "製定",
        "制訂",
        "制订",
        "印发",
        "印發",
        "发布",
        "發布",
        "编制",
        "編制",
        "修订",
        "修訂",
        "出版",
    ),
    "approved": ("获批", "獲批", "批复", "批覆", "批復"),
    "established": (
        "建立",
        "成立",
        "设立",
        "設立",
        "挂牌",
        "掛牌",
        "组建",
        "組建",
        "构建",
        "構建",
        "健全",
        "形成",
        "建成",
    ),
    "signed": ("签署", "簽署", "签订", "簽訂", "签约", "簽約"),
    "held": ("举办", "舉辦", "召开", "召開", "开展", "開展", "组织", "組織", "办好", "辦好"),
    "achieved": (
        "实现",
        "實現",
        "达到",
        "達到",
        "创建",
        "創建",
        "成为",
        "成為",
        "通过",
        "通過",
        "全部",
        "普及",
        "达标",
        "達標",
        "获评",
        "評為",
        "评为",
        "覆盖",
        "覆蓋",
        "全面实施",
        "列入",
        "纳入",
        "取消",
        "联网",
        "聯網",
        "淘汰",
        "连通",
        "連通",
        "认定",
        "認定",
        "互认",
        "贯通",
        "完成",
    ),
}
# Words that, in an indicator's name, claim the end of the construction ladder.
COMPLETION_WORDS = ("建成", "通车", "投产", "竣工", "開通", "开通", "建成通车")


def quote_stages(quote: str) -> set[str]:
    """The stages a clause's verbs can ask for."""
    return {stage for stage, verbs in STAGE_VERBS.items() if any(v in quote for v in verbs)}
