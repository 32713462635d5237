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

from dataclasses import dataclass

from ...catalogue.models import Stage

# The construction ladder: a later stage reaches every earlier one.
LADDER: dict[str, int] = {
    "preparatory": 0,  # 前期工作: not yet started
    "started": 1,
    "under_construction": 1,  # "under way" is shown by a start or anything later
    "completed": 2,
    "in_operation": 3,
}

# Report words (simplified and traditional) → the stage they say was reached.
_REPORT_WORDS: dict[str, str] = {}
for _stage, _words in {
    "preparatory": "前期 前期工作 开展前期工作 開展前期工作",
    "started": "开工 已开工 动工 开工建设 已启动 启动 開工 已開工 動工 開工建設 已啟動 啟動",
    "under_construction": "在建 建设中 续建 推进中 实施中 建設中 續建 推進中 實施中",
    "completed": "建成 已建成 基本建成 竣工 已竣工 完工 建成验收 已建成 竣工驗收",
    "in_operation": (
        "通车 建成通车 已通车 投产 建成投产 已投产 开通 已开通 运营 投入运营 投入使用 通航 "
        "通車 建成通車 已通車 投產 建成投產 已投產 開通 已開通 運營 投入運營"
    ),
    "issued": "出台 已出台 印发 已印发 发布 已发布 出臺 已出臺 印發 已印發 發布 已發布",
    "approved": "获批 已获批 批复 已批复 獲批 已獲批 批覆 已批覆",
    "established": "成立 已成立 建立 已建立 设立 已设立 挂牌 設立 已設立 掛牌",
    "signed": "签署 已签署 签订 已签订 簽署 已簽署 簽訂 已簽訂",
    "held": "举办 已举办 召开 已召开 舉辦 已舉辦 召開 已召開",
    "achieved": "实现 已实现 达到 已达到 达标 實現 已實現 達到 已達到 達標",
}.items():
    for _word in _words.split():
        _REPORT_WORDS[_word] = _stage


@dataclass(frozen=True)
class Reported:
    """A report word read: the stage it names (None: a plain yes for the target's own stage)."""

    stage: str | None


def reported_stage(text: str) -> Reported | None:
    """The stage a report word names, or None when the word is not a stage word."""
    word = text.strip()
    if word in _REPORT_WORDS:
        return Reported(_REPORT_WORDS[word])
    return None


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
