"""The command line's help in Chinese: ``plancheck check --help --lang zh`` or a zh locale.

Keyed by the English text, so that the options keep one definition (in cli.py) and a help
text without a translation here is shown in English rather than not at all; a test lists
every help text that lacks one. Option names, metavars and choices stay as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

HELP_ZH: dict[str, str] = {
    "Check government plan targets against submitted actual figures.": "对照报送的实际数据检查政府规划目标。",
    "Compare the catalogue's targets with the actuals and report each target's status.\n\n"
    "Exit 1 when a target with a --fail-on status fails (soft targets only with --strict).": (
        "将目录中的目标与实际数据比较，报告每项目标的状态。\n\n"
        "有目标处于 --fail-on 所列状态时退出码为 1（软目标仅在 --strict 时计入）。"
    ),
    "Catalogue folder (default: ./targets, else the bundled catalogue).": "目录文件夹（默认：./targets，没有则用内置目录）。",
    "Actuals file or folder; repeatable (default: ./actuals).": "实际数据文件或文件夹；可重复（默认：./actuals）。",
    "Judge as of this year (default: latest year in the actuals).": "以该年份为评估时点（默认：实际数据中最新的年份）。",
    "Only this plan id; repeatable.": "只看该规划 id；可重复。",
    "Only this region id; repeatable.": "只看该地区 id；可重复。",
    "List only results with this status; repeatable. The summary and exit code still cover"
    " every selected target.": "只列出该状态的结果；可重复。汇总和退出码仍按全部选中的目标计算。",
    "Soft (hedged) targets that miss fail the run too.": "未达成的软目标（力争、基本等）也判为不通过。",
    "How targets not yet due are assessed (docs/methods.md); none leaves them pending.": (
        "未到期目标的进度评估方法（见 docs/methods.md）；none 表示不评估，记为未到期。"
    ),
    "Only binding (约束性) or expected (预期性) targets; repeatable.": "只看约束性（binding）或预期性（expected）目标；可重复。",
    "Output format (default: from --output's suffix, else $PLANCHECK_FORMAT, else table).": (
        "输出格式（默认：按 --output 的后缀，其次 $PLANCHECK_FORMAT，再次 table）。"
    ),
    "Write the report to FILE (atomically) instead of stdout.": "将报告写入 FILE（原子写入），而不是标准输出。",
    "Also write a report in FORMAT to FILE; repeatable.": "另将 FORMAT 格式的报告写入 FILE；可重复。",
    "Statuses that make the exit code 1, comma-separated (default: not_met,missing; none:"
    " never).": "使退出码为 1 的状态，用逗号分隔（默认：not_met,missing；none 表示从不）。",
    "Language of headings, status words, names, problems and help (default: from the locale).": (
        "标题、状态词、名称、问题信息和帮助的语言（默认：按系统区域设置）。"
    ),
    "Only the summary.": "只输出汇总。",
    "Force the actuals' text encoding.": "指定实际数据的文本编码。",
    "Read this sheet of Excel actuals (default: the first).": "读取 Excel 实际数据的该工作表（默认：第一个）。",
    "Skip actuals rows whose indicator or region the catalogue does not know (a whole yearbook"
    " table), listing them once, instead of stopping with exit 2.": (
        "跳过目录中没有的指标或地区所在的行（如整张年鉴表）并列出一次，而不是以退出码 2 停止。"
    ),
    "Say how each actuals file was read (on stderr).": "说明每个实际数据文件是如何读取的（输出到标准错误）。",
    "Colour in the table output (default: auto; FORCE_COLOR and NO_COLOR are honoured).": (
        "表格输出是否着色（默认：auto；遵从 FORCE_COLOR 和 NO_COLOR）。"
    ),
    "Show at most this many problems.": "最多显示这么多个问题。",
    "Show a traceback for internal errors.": "内部错误时显示调用栈。",
    "Write one self-contained HTML page: plan summaries, a sortable table and charts.\n\n"
    "Exit codes as for `check`: 1 when a target is not met or missing, 2 on bad input (and then\n"
    "no file is written).": (
        "生成一个独立的 HTML 页面：各规划汇总、可排序的表格和图表。\n\n"
        "退出码与 `check` 相同：有目标未达成或缺数据时为 1，输入有误时为 2（此时不写任何文件）。"
    ),
    "Write the HTML report to FILE (atomically).": "将 HTML 报告写入 FILE（原子写入）。",
    "Language of the page (default: from the locale).": "页面语言（默认：按系统区域设置）。",
    "List the catalogue: one row per target.": "列出目录：每项目标一行。",
    "Output format.": "输出格式。",
    "Check catalogue and actuals files without comparing them.": "检查目录和实际数据文件，但不作比较。",
    "Catalogue folders or files, and actuals files or folders (default: ./targets ./actuals).": (
        "目录文件夹或文件，以及实际数据文件或文件夹（默认：./targets ./actuals）。"
    ),
    "Folder of the plans' source documents: check every quote.": "规划原文所在的文件夹：逐条核对引文。",
    "text, or problems and checks as json, github annotations, gitlab Code Quality or junit"
    " (default: $PLANCHECK_FORMAT when it is one of these, else text).": (
        "text，或以 json、github 注释、gitlab Code Quality、junit 输出问题和检查结果"
        "（默认：$PLANCHECK_FORMAT 为其中之一时用它，否则 text）。"
    ),
    "Print a blank actuals file: one row per indicator, region and year the targets need.": (
        "输出空白的实际数据模板：目标所需的每个指标、地区和年份各一行。"
    ),
    "Only this plan id's targets; repeatable.": "只含该规划 id 的目标；可重复。",
    "Only targets due this year; repeatable.": "只含该年到期的目标；可重复。",
    "csv or xlsx (default: from --output's suffix, else csv).": "csv 或 xlsx（默认：按 --output 的后缀，否则 csv）。",
    "Write to FILE (atomically); xlsx needs it. Default: stdout.": "写入 FILE（原子写入）；xlsx 必须指定。默认：标准输出。",
    "Print the JSON Schema of a catalogue file kind (for editors and other validators).": (
        "输出某类目录文件的 JSON Schema（供编辑器和其他校验工具使用）。"
    ),
    "plan, indicators or regions: the file kind.": "文件类别：plan、indicators 或 regions。",
    "Check every commitment clause of the plans' sources is a target's quote or excluded.\n\n"
    "Exit code 1 when a clause is uncovered.": (
        "检查规划原文中的每个承诺性条款都已作为目标引文收录或注明排除理由。\n\n有未覆盖的条款时退出码为 1。"
    ),
    "Folder of the plans' source documents (required).": "规划原文所在的文件夹（必填）。",
    "Also list the excluded clauses.": "同时列出已排除的条款。",
    "Show the version and exit.": "显示版本并退出。",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的补全脚本，以便复制或自定义安装。"
    ),
    "Show this message and exit.": "显示此帮助并退出。",
}


def help_lang(args: list[str], environ: Mapping[str, str]) -> str:
    """The language of --help: ``--lang`` when given on the command line, else the locale."""
    from .lang import default_lang

    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return default_lang(environ)


def translate(command: Any) -> list[str]:
    """Put the Chinese help on a command, its subcommands and their parameters, in place.

    Returns the English texts that have no translation (shown in English).
    """
    missing: list[str] = []

    def zh(text: str | None) -> str | None:
        if not text:
            return text
        found = HELP_ZH.get(text)
        if found is None:
            missing.append(text)
        return found or text

    def walk(cmd: Any) -> None:
        cmd.help = zh(cmd.help)
        if getattr(cmd, "short_help", None):
            cmd.short_help = zh(cmd.short_help)
        for param in cmd.params:
            if getattr(param, "help", None):
                param.help = zh(param.help)
        for sub in getattr(cmd, "commands", {}).values():
            walk(sub)

    walk(command)
    return missing
