"""Every word a person reads in a report, in Chinese and English; one place to translate.

JSON keys, JUnit/GitLab field names and status ids never change with the language: only the
words around them do. ``default_lang`` picks the language from the locale (``LC_ALL``, then
``LC_MESSAGES``, then ``LANG``, as POSIX orders them): ``zh*`` → Chinese, anything else → English.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # status words (the English ones are the status ids, as JSON has them)
        "status.met": "met",
        "status.not_met": "not_met",
        "status.missing": "missing",
        "status.on_track": "on_track",
        "status.off_track": "off_track",
        "status.insufficient_data": "insufficient_data",
        "status.pending": "pending",
        "status.open": "open",
        "soft": "soft",
        # column headings
        "col.plan": "plan",
        "col.target": "target",
        "col.indicator": "indicator",
        "col.region": "region",
        "col.year": "year",
        "col.target_value": "target value",
        "col.actual": "actual",
        "col.status": "status",
        "col.gap": "gap",
        # values
        "milestone.by_deadline": "done by deadline",
        "milestone.done": "done",
        "actual.done": "done",
        "actual.not done": "not done",
        "year_inferred_note": "* year not stated in the plan: its end year is used",
        "year_approximate_note": "~ the plan's horizon is approximate (到…年左右): the deadline is about that year",
        # summary
        "summary": "{targets} (as of {as_of}): {parts}; {verdict}",
        "targets.one": "{count} target",
        "targets.many": "{count} targets",
        "selected.none": "no targets selected (as of {as_of}): {why}",
        "selected.none_by": "no target in the catalogue matches {filters}",
        "selected.none_in_catalogue": "the catalogue holds no targets",
        "listed.filtered": "list filtered by --status {statuses}: {shown} of {total} selected targets listed; the counts, completion rates and exit code cover all {total}",
        "summary.part": "{count} {status}",
        "summary.sep": ", ",
        "summary.none": "none",
        "verdict.failing": "{count} failing",
        "verdict.ok": "no failing targets",
        "completion": "completion rate {rate} ({met} of {due} due targets met)",
        "completion.none": "no target due yet",
        "plan_summary": "{plan}: {parts}; {completion}",
        "method_note": "targets not yet due are assessed with the {method} method",
        # markdown
        "md.title": "plancheck report",
        "md.failing_title": "Failing targets",
        # HTML report
        "html.title": "plancheck report",
        "html.plans": "Plans",
        "html.results": "Results",
        "html.charts": "Charts",
        "html.count": "targets",
        "html.share": "share",
        "html.completion_rate": "Completion rate",
        "html.completion_detail": "({met} of {due} due targets met)",
        "html.by_nature": "By nature",
        "html.all": "all",
        "html.shown": "{shown} of {total} targets shown.",
        "html.sort_hint": "Click a column heading to sort.",
        "html.actuals_files": "Actuals: {files}",
        "html.actual": "actual",
        "html.target": "target",
        "html.projected": "projected",
        "html.required": "required path",
        "html.as_of": "as of {year}",
        "html.no_charts": "No target shown has a series of actual values to chart.",
        "html.chart_desc": "Actual values of {indicator} in {region}, {unit}: {points}. {targets}",
        "html.chart_targets": "Targets: {targets}.",
        "html.unit": "unit: {unit}",
        "html.nature_col": "nature",
        "col.progress": "progress",
        "nature.binding": "binding",
        "nature.expected": "expected",
        "nature.unspecified": "unspecified",
        # messages (JUnit, annotations, Code Quality)
        "msg.miss": "{target_id}: {status}: target {target}, actual {actual}, gap {gap}",
        "msg.missing": "{target_id}: no figure submitted for {indicator} / {region} / {year} (target {target})",
        "msg.title": "{target_id} {status}",
        "msg.soft_pass": "soft target ({hedge}) {status}: does not fail the run without --strict",
        "msg.not_failing": "{status}: does not fail the run (not in --fail-on)",
        "msg.skipped.pending": "not due yet: deadline {year}, as of {as_of}",
        "msg.skipped.open": "no deadline year: an open target never fails a run",
        "msg.skipped.insufficient_data": "not due yet, and too little data to assess progress: {basis}",
        "msg.progress": "not due yet: {status} by the {method} method ({category})",
        "msg.more": "… and {count} more failing targets not annotated ({statuses}): see the full report",
        "msg.more_warnings": "… and {count} more missed targets that do not fail the run not annotated ({statuses}): see the full report",
        "msg.quote": "plan {plan}, section {section}: {quote}",
        "msg.source": "actual from {file}, row {row}",
    },
    "zh": {
        "status.met": "达成",
        "status.not_met": "未达成",
        "status.missing": "缺数据",
        "status.on_track": "符合进度",
        "status.off_track": "进度滞后",
        "status.insufficient_data": "数据不足",
        "status.pending": "未到期",
        "status.open": "无期限",
        "soft": "软目标",
        "col.plan": "规划",
        "col.target": "目标",
        "col.indicator": "指标",
        "col.region": "地区",
        "col.year": "年份",
        "col.target_value": "目标值",
        "col.actual": "实际值",
        "col.status": "状态",
        "col.gap": "差距",
        "milestone.by_deadline": "按期完成",
        "milestone.done": "完成",
        "actual.done": "已完成",
        "actual.not done": "未完成",
        "year_inferred_note": "* 规划未写明年份：按规划期末年计",
        "year_approximate_note": "~ 规划期限为约数（到…年左右）：该年份为大致期限",
        "summary": "共 {total} 项目标（截至 {as_of} 年）：{parts}；{verdict}",
        "targets.one": "{count} 项目标",
        "targets.many": "{count} 项目标",
        "selected.none": "未选中任何目标（截至 {as_of} 年）：{why}",
        "selected.none_by": "目录中没有符合 {filters} 的目标",
        "selected.none_in_catalogue": "目录中没有目标",
        "listed.filtered": "列表已按 --status {statuses} 筛选：列出所选 {total} 项目标中的 {shown} 项；各项计数、指标完成率和退出码按全部 {total} 项计算",
        "summary.part": "{status} {count}",
        "summary.sep": "，",
        "summary.none": "无",
        "verdict.failing": "{count} 项不通过",
        "verdict.ok": "无不通过的目标",
        "completion": "指标完成率 {rate}（到期 {due} 项中达成 {met} 项）",
        "completion.none": "尚无到期目标",
        "plan_summary": "{plan}：{parts}；{completion}",
        "method_note": "未到期目标按 {method} 方法评估进度",
        "md.title": "plancheck 检查报告",
        "md.failing_title": "不通过的目标",
        "html.title": "plancheck 检查报告",
        "html.plans": "规划",
        "html.results": "结果",
        "html.charts": "图表",
        "html.count": "目标数",
        "html.share": "占比",
        "html.completion_rate": "指标完成率",
        "html.completion_detail": "（到期 {due} 项中达成 {met} 项）",
        "html.by_nature": "按指标属性",
        "html.all": "全部",
        "html.shown": "显示 {total} 项中的 {shown} 项。",
        "html.sort_hint": "点击列标题排序。",
        "html.actuals_files": "实际数据：{files}",
        "html.actual": "实际值",
        "html.target": "目标",
        "html.projected": "预测",
        "html.required": "进度要求路径",
        "html.as_of": "截至 {year} 年",
        "html.no_charts": "所列目标均无可绘图的实际数据序列。",
        "html.chart_desc": "{region}{indicator}实际值（{unit}）：{points}。{targets}",
        "html.chart_targets": "目标：{targets}。",
        "html.unit": "单位：{unit}",
        "html.nature_col": "属性",
        "col.progress": "进度评估",
        "nature.binding": "约束性",
        "nature.expected": "预期性",
        "nature.unspecified": "未注明",
        "msg.miss": "{target_id}：{status}：目标 {target}，实际 {actual}，差距 {gap}",
        "msg.missing": "{target_id}：未报送 {indicator} / {region} / {year} 的数据（目标 {target}）",
        "msg.title": "{target_id} {status}",
        "msg.soft_pass": "软目标（{hedge}）{status}：不加 --strict 时不判为不通过",
        "msg.not_failing": "{status}：不在 --fail-on 之列，不判为不通过",
        "msg.skipped.pending": "未到期：期限 {year} 年，截至 {as_of} 年",
        "msg.skipped.open": "无期限年份：开放目标不判为不通过",
        "msg.skipped.insufficient_data": "未到期，数据不足以评估进度：{basis}",
        "msg.progress": "未到期：按 {method} 方法评估为{status}（{category}）",
        "msg.more": "……另有 {count} 项不通过的目标未逐条标注（{statuses}）：见完整报告",
        "msg.more_warnings": "……另有 {count} 项未达成但不判为不通过的目标未逐条标注（{statuses}）：见完整报告",
        "msg.quote": "规划 {plan}，{section}：{quote}",
        "msg.source": "实际值来自 {file} 第 {row} 行",
    },
}

# CSV headings: JSON field (flattened with "_") → heading. English headings are the field names.
CSV_HEADINGS_ZH: dict[str, str] = {
    "target_id": "目标编号",
    "plan": "规划",
    "indicator": "指标",
    "indicator_name": "指标名称",
    "region": "地区",
    "region_name": "地区名称",
    "year": "年份",
    "year_inferred": "年份为推定",
    "kind": "类型",
    "comparator": "比较符",
    "target_value": "目标值",
    "target_value_max": "目标上限",
    "target_unit": "目标单位",
    "actual_value": "实际值",
    "actual_unit": "实际单位",
    "actual_year": "实际值年份",
    "status": "状态",
    "status_text": "状态说明",
    "gap": "差距",
    "achievement": "完成度",
    "soft": "软目标",
    "hedge": "限定词",
    "nature": "性质",
    "basis": "计算依据",
    "flag": "数据标记",
    "progress_method": "进度评估方法",
    "progress_category": "进度评估类别",
    "progress_score": "进度评估值",
    "projected_value": "预测值",
    "projected_year": "预计达成年份",
    "regressed": "曾达成后回落",
    "plan_completion_rate": "规划指标完成率",
    "completed": "完成日期",
    "source_section": "规划条目",
    "source_quote": "规划原文",
    "actual_source_file": "数据文件",
    "actual_source_row": "数据行",
}


def t(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English when missing), filled with ``values``."""
    text = MESSAGES.get(lang, MESSAGES["en"]).get(key) or MESSAGES["en"][key]
    return text.format(**values) if values else text


def status_word(status: str, lang: str) -> str:
    return t(lang, f"status.{status}")


def csv_heading(field: str, lang: str) -> str:
    return CSV_HEADINGS_ZH.get(field, field) if lang == "zh" else field


def default_lang(environ: Mapping[str, str]) -> str:
    """``zh`` when the locale is Chinese, else ``en``; the first set variable decides."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
