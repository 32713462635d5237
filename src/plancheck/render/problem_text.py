"""Input problems in the reader's language: the fixed words of messages, hints and positions.

Problems are built in English (their kebab-case ``type`` is the stable key and never changes).
For ``--lang zh`` the fixed parts of the most common messages and hints are translated here,
fragment by fragment, while the values quoted in them (file names, cells, ids) stay as written.
A message with no translated fragment is shown in English: a partly translated problem is
better than a wrong one.
"""

from __future__ import annotations

import re

from ..problems import LocationWords, Problem

# (English fragment as a pattern, Chinese replacement). Applied in order, each wherever it
# occurs; values are captured and put back unchanged.
_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"'(?P<v>.*)' is not a number(?:: it is not a number)?", r"'\g<v>' 不是数字"),
    (
        r"'(?P<a>[^']+)' cannot be converted to '(?P<b>[^']+)': they measure different things;"
        r" indicator '(?P<i>[^']+)' is measured in '(?P<u>[^']+)'",
        r"'\g<a>' 不能换算为 '\g<b>'：两者计量的不是同一种量；指标 '\g<i>' 的单位是 '\g<u>'",
    ),
    (r"unknown indicator '(?P<v>.*)'", r"未知指标 '\g<v>'"),
    (r"unknown region '(?P<v>.*)'", r"未知地区 '\g<v>'"),
    (
        r"two different values for (?P<k>.+?): '(?P<a>[^']*)' at (?P<fa>.+?) row (?P<ra>\d+)"
        r" and '(?P<b>[^']*)' at (?P<fb>.+?) row (?P<rb>\d+)",
        r"\g<k> 有两个不同的值：\g<fa> 第 \g<ra> 行的 '\g<a>' 与 \g<fb> 第 \g<rb> 行的 '\g<b>'",
    ),
    (
        r"required column '(?P<c>[^']+)' is missing \(found: (?P<f>.*)\)",
        r"缺少必需的列 '\g<c>'（现有：\g<f>）",
    ),
    (r"^file not found$", "找不到文件"),
    (r"^the file is empty$", "文件为空"),
    (r"^is a folder, not a file$", "这是文件夹，不是文件"),
    (r"unknown key '(?P<k>[^']*)'", r"未知的键 '\g<k>'"),
    (
        r"duplicate key '(?P<k>[^']*)' \(first defined at line (?P<a>\d+), again at line"
        r" (?P<b>\d+)\)",
        r"重复的键 '\g<k>'（第 \g<a> 行已定义，第 \g<b> 行再次出现）",
    ),
    (r"--(?P<w>plan|region) '(?P<v>.*)' is not in the catalogue", r"--\g<w> '\g<v>' 不在目录中"),
    (
        r"expected (?P<e>\d+) cells \(as in the header\), found (?P<f>\d+)",
        r"应有 \g<e> 个单元格（与表头一致），实有 \g<f> 个",
    ),
    (
        r"target '(?P<t>[^']+)': its quote does not occur verbatim in (?P<f>.+)",
        r"目标 '\g<t>'：其引文未逐字出现在 \g<f> 中",
    ),
    (r"cannot write the report: (?P<r>.+)", r"无法写入报告：\g<r>"),
)
_HINTS: tuple[tuple[str, str], ...] = (
    (
        r"expected a number, optionally with a unit: (?P<ex>.+?); leave the cell blank"
        r" \(or write —\) when there is no figure",
        r"应为数字，可带单位：\g<ex>；没有数据时留空（或写 —）",
    ),
    (
        r"give the figure in a unit convertible to the indicator's unit",
        "请用可换算为该指标单位的单位填写",
    ),
    (r"did you mean (?P<c>.+?)\?", r"是否应为 \g<c>？"),
    (
        r" ?To skip rows the catalogue has no target for \(a whole yearbook table\), run with"
        r" --skip-unknown\.",
        "如要跳过目录中没有目标的行（整张年鉴表），请加 --skip-unknown。",
    ),
    (
        r"use an id or name from the catalogue's regions \(plancheck list\)",
        "请使用目录中地区的 id 或名称（见 plancheck list）",
    ),
    (r"keep one row per indicator, region and year", "每个指标、地区和年份只保留一行"),
    (r"^check the path$", "请检查路径"),
    (
        r"check for an unquoted comma, a stray quote or a missing cell",
        "请检查是否有未加引号的逗号、多余的引号或缺少的单元格",
    ),
    (
        r"the header needs indicator, region, year, value \(and unit\), or 指标, 地区, 年份,"
        r" 数值, 单位",
        "表头需要 indicator、region、year、value（及 unit），或 指标、地区、年份、数值、单位",
    ),
    (
        r"; a yearbook table needs indicator, region and one column per year; a table of one"
        r" region may state it once above the header \((?P<e>[^)]*)\)",
        r"；年鉴式的表需要 indicator、region 和每年一列；只含一个地区的表可在表头上方写明一次（\g<e>）",
    ),
    (
        r"copy the clause from the source file exactly \(same characters and punctuation\)",
        "请从原文逐字复制该条款（字符和标点相同）",
    ),
    (r"see `plancheck list` for (?P<w>plan|region) ids", r"\g<w> id 见 `plancheck list`"),
    (r"use one of: ", "可用："),
    (r"give a file name for the report", "请为报告指定文件名"),
    (r"create the folder first", "请先建立该文件夹"),
    (r"write the keys out in full", "请完整写出各个键"),
    (r"keep one value per key", "每个键只保留一个值"),
)
_COMPILED = {
    "message": [(re.compile(p), r) for p, r in _MESSAGES],
    "hint": [(re.compile(p), r) for p, r in _HINTS],
}
_FRAMING = {
    "en": {
        "count": "plancheck: {count} problem{s} in the input:",
        "value": "value",
        "hint": "hint",
        "more": "… and {count} more (raise --max-errors to see them)",
    },
    "zh": {
        "count": "plancheck：输入中有 {count} 个问题：",
        "value": "值",
        "hint": "提示",
        "more": "……另有 {count} 个问题（用 --max-errors 调高上限即可查看）",
    },
}


def _translate(text: str, kind: str, lang: str) -> str:
    if lang != "zh" or not text:
        return text
    for pattern, replacement in _COMPILED[kind]:
        text = pattern.sub(replacement, text)
    return text


def problem_message(problem: Problem, lang: str) -> str:
    return _translate(problem.message, "message", lang)


def problem_hint(problem: Problem, lang: str) -> str | None:
    return None if problem.hint is None else _translate(problem.hint, "hint", lang)


_CHINESE_LOCATION = LocationWords(
    "单元格 {}", "第 {} 行", "（文件第 {} 行）", "第 {} 行", "第 {} 列", "'{}' 列", "，"
)


def problem_location(problem: Problem, lang: str) -> str:
    """Where the problem is; in Chinese, 第 N 行 and 'x' 列 for the positions."""
    return problem.location(_CHINESE_LOCATION if lang == "zh" else None)


def framing(key: str, lang: str, **values: object) -> str:
    """The words around a problem list: the count line, "value", "hint", the cap."""
    words = _FRAMING.get(lang, _FRAMING["en"])
    return words[key].format(**values)
