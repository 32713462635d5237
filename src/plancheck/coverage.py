"""``plancheck coverage``: is every commitment of a plan's source in the catalogue?

``validate --sources`` proves each quote stands in its source; this proves the reverse. A plan's
source is cut into clauses (at 。；！？, commas and line ends); a clause carries a checkable
commitment when it holds a marker: a number with a unit or a percentage, a year or deadline
phrase (2015年, 到…年, 年底前, 今年), or a completion verb (建成, 开通, 完成, 出台, 启动 …, and
the outcomes milestones name: 建立, 设立, 制定, 编制, 实现, 举办, 签署 …).
Each such clause is covered when a target's quote overlaps it, excluded when an entry of the
plan's ``excluded:`` list (verbatim text, a kind and a reason) overlaps it, and uncovered
otherwise. The report gives, per plan, the covered share and every uncovered clause with its
section, so a curator sees what is left to encode or to justify.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import Catalogue
from .catalogue.loader import Plan
from .problems import InputError, Problem, short

# A number with a unit, or a percentage. Arabic figures take any unit; Chinese numerals only a
# counting unit (五个, 三条, 千亿), and not inside “…”, where they name slogans (“五个一体化”).
_UNITS = (
    "%|％|个|個|家|所|公里|千米|米|万|萬|亿|億|项|項|条|條|座|处|處|人|户|戶|吨|噸|千伏|兆瓦|"
    "千瓦|小时|小時|分钟|分鐘|平方|亩|畝|元|倍|批|次|张|張|套|台|辆|輛|级|級|类|類|片|宗|场|場|"
    "间|間|公顷|公頃|立方|天|周|週|期|区|區|园|園|镇|鎮|村|县|縣|市|省|岁|歲|床|名|位"
)
_ARABIC_WITH_UNIT = re.compile(
    r"(?<![第0-9０-９.．])[0-9０-９]+(?:[.．][0-9０-９]+)?\s*(?:" + _UNITS + r")"
)
_CHINESE_WITH_UNIT = re.compile(
    r"(?<![第一二三四五六七八九十百千两兩])[一二三四五六七八九十百千两兩]+"
    r"(?:个|個|家|项|項|条|條|座|所|处|處|公里|万|萬|亿|億|千吨|吨|噸)"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_PERCENT = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]|百分之")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}\s*年|[二〇○零一九]{4}年|年底前|年内|年內|今年|明年|每年")
COMPLETION_VERBS = (
    "建成",
    "开通",
    "開通",
    "完成",
    "出台",
    "出臺",
    "启动",
    "啟動",
    "通车",
    "通車",
    "投产",
    "投產",
    "(?<!召)开工",  # not 召开工作 (convene work meetings)
    "(?<!召)開工",
    "(?<!推)动工",  # not 推动工业 (promote industry)
    "(?<!推)動工",
    "竣工",
    "印发",
    "印發",
    "挂牌",
    "掛牌",
    "成立",
    "开行",
    "開行",
    "投入使用",
    "投入运营",
    "投入運營",
    # The outcomes the catalogue's milestones name: set up, issued, achieved, held, signed.
    "建立",
    "设立",
    "設立",
    "组建",
    "組建",
    "搭建",
    "制定",
    "制订",
    "制訂",
    "製定",
    "编制",
    "編制",
    "发布",
    "發布",
    "实现",
    "實現",
    "达到",
    "達到",
    "签署",
    "簽署",
    "举办",
    "舉辦",
    "划定",
    "劃定",
    "纳入",
    "納入",
    "取消",
    "开设",
    "開設",
    "推出",
    "淘汰",
    "认定",
    "認定",
)
_VERB = re.compile("|".join(COMPLETION_VERBS))
# Clause boundaries: sentence ends, semicolons, commas, colons and line ends.
_BOUNDARY = re.compile(r"[。；;！!？?，,：:\n]")

# Section headings, by the numbering each plan uses.
_CHAPTER = re.compile(r"^第([一二三四五六七八九十]+)章")
_PART = re.compile(r"^第([一二三四五六七八九十]+)节")
_LEVEL1 = re.compile(r"^([一二三四五六七八九十]+)、")
_LEVEL2 = re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")
_LEVEL3 = re.compile(r"^([0-9]+)\s*[.、．]")
_ANNEX = re.compile(r"^附件(?:[:：]|$)")  # not the contents line "附 件 名词解释"
_FOREWORD = re.compile(r"^前\s*言$")


@dataclass(frozen=True)
class Clause:
    section: str
    start: int
    end: int
    text: str
    markers: tuple[str, ...]  # what made it a commitment clause: the matched texts


@dataclass
class PlanCoverage:
    plan: str
    source_file: str
    clauses: list[Clause] = field(default_factory=list)  # every clause carrying a marker
    covered: list[Clause] = field(default_factory=list)  # overlapped by a target's quote
    excluded: list[Clause] = field(default_factory=list)  # overlapped by an exclusion
    uncovered: list[Clause] = field(default_factory=list)
    unused_exclusions: list[str] = field(default_factory=list)  # overlap no marked clause

    @property
    def share(self) -> float:
        """Covered or justified share of the commitment clauses (1.0 when there are none)."""
        total = len(self.clauses)
        return (len(self.covered) + len(self.excluded)) / total if total else 1.0


def markers(text: str) -> tuple[str, ...]:
    """The commitment markers a clause holds, in order of appearance."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    found = [
        (m.start(), m.group(0))
        for pattern in (_ARABIC_WITH_UNIT, _PERCENT, _YEAR, _VERB)
        for m in pattern.finditer(text)
    ]
    found += [
        (m.start(), m.group(0))
        for m in _CHINESE_WITH_UNIT.finditer(text)
        if not any(a <= m.start() < b for a, b in quoted)
    ]
    return tuple(dict.fromkeys(word for _, word in sorted(found)))


def sections(text: str) -> list[tuple[int, str]]:
    """(offset of each line, the section it belongs to), following the plan's own numbering."""
    out: list[tuple[int, str]] = []
    chapter = part = level1 = level2 = level3 = annex = ""
    offset = 0
    for line in text.splitlines(keepends=True):
        head = line.strip()
        if m := _CHAPTER.match(head):
            chapter, part, annex, level3 = f"第{m.group(1)}章", "", "", ""
        elif m := _PART.match(head):
            part, level3 = f"第{m.group(1)}节", ""
        elif _FOREWORD.match(head):  # after a table of contents: no section yet
            chapter = part = level1 = level2 = level3 = annex = ""
        elif _ANNEX.match(head):
            annex, chapter, part, level1, level2, level3 = "附件", "", "", "", "", ""
        elif m := _LEVEL1.match(head):
            level1, level2, level3 = m.group(1), "", ""
        elif m := _LEVEL2.match(head):
            level2, level3 = f"({m.group(1)})", ""
        elif m := _LEVEL3.match(head):
            level3 = m.group(1)
        label = annex or (chapter + part if chapter else level1 + level2)
        label += level3
        out.append((offset, label or "(preamble)"))
        offset += len(line)
    return out


def commitment_clauses(text: str) -> list[Clause]:
    """Every clause of ``text`` that carries a commitment marker, with its section."""
    lines = sections(text)
    clauses: list[Clause] = []
    line_index = 0
    start = 0
    for boundary in [*(m.start() for m in _BOUNDARY.finditer(text)), len(text)]:
        piece = text[start:boundary]
        stripped = piece.strip()
        if stripped:
            lead = start + (len(piece) - len(piece.lstrip()))
            while line_index + 1 < len(lines) and lines[line_index + 1][0] <= lead:
                line_index += 1
            found = markers(stripped)
            if found:
                clauses.append(
                    Clause(lines[line_index][1], lead, lead + len(stripped), stripped, found)
                )
        start = boundary + 1
    return clauses


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(needle)
    while at != -1:
        spans.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return spans


def _overlaps(clause: Clause, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < clause.end and clause.start < end for start, end in spans)


def _line_of(file: str, needle: str) -> int | None:
    """The first line of a plan file that holds ``needle`` (None when it cannot be read)."""
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if needle in line), None)


_Spans = list[tuple[int, int]]


def plan_coverage(plan: Plan, text: str) -> tuple[PlanCoverage, list[Problem]]:
    """Coverage of one plan's source ``text``; problems for exclusions not found verbatim."""
    result = PlanCoverage(plan.meta.id, plan.meta.source_file)
    problems: list[Problem] = []
    quoted = [span for t in plan.targets for span in _spans(text, t.source.quote)]
    result.clauses = commitment_clauses(text)
    excluded: list[tuple[str, _Spans]] = []  # each exclusion as named, and the text it covers
    for number, exclusion in enumerate(plan.excluded, 1):
        if exclusion.text is None:  # a whole section (a plan's review of the past, say)
            spans = _section_spans(plan, number, exclusion.section, result.clauses, problems)
            excluded.append((f"section {exclusion.section}", spans))
        else:
            spans = _quote_spans(plan, number, exclusion.text, text, problems)
            excluded.append((exclusion.text, spans))
    _sort_clauses(result, quoted, excluded)
    return result, problems


def _section_spans(
    plan: Plan, number: int, section: str, clauses: list[Clause], problems: list[Problem]
) -> _Spans:
    """The clauses of an excluded section; a problem when the section has none."""
    labels = {clause.section for clause in clauses}
    if section not in labels:
        problems.append(
            Problem(
                "section-not-found",
                f"excluded entry {number}: no commitment clause is in section "
                f"'{section}' of {plan.meta.source_file}",
                plan.file,
                field=f"excluded.{number - 1}.section",
                value=section,
                hint="sections: " + ", ".join(sorted(labels)),
            )
        )
    return [(c.start, c.end) for c in clauses if c.section == section]


def _quote_spans(plan: Plan, number: int, quote: str, text: str, problems: list[Problem]) -> _Spans:
    """Where an excluded quote occurs in the source; a problem when it does not."""
    spans = _spans(text, quote)
    if not spans:
        problems.append(
            Problem(
                "quote-not-found",
                f"excluded entry {number}: its text does not occur verbatim in "
                f"{plan.meta.source_file}",
                plan.file,
                line=_line_of(plan.file, quote),
                field=f"excluded.{number - 1}.text",
                value=short(quote),
                hint="copy the clause from the source file exactly (same characters and punctuation)",
            )
        )
    return spans


def _sort_clauses(result: PlanCoverage, quoted: _Spans, excluded: list[tuple[str, _Spans]]) -> None:
    """Each clause → covered (a target quotes it), excluded, or uncovered; the exclusions that
    cover no clause are noted."""
    used: set[str] = set()
    for clause in result.clauses:
        if _overlaps(clause, quoted):
            result.covered.append(clause)
            continue
        hits = [entry for entry, spans in excluded if _overlaps(clause, spans)]
        if hits:
            used.update(hits)
            result.excluded.append(clause)
        else:
            result.uncovered.append(clause)
    result.unused_exclusions = [entry for entry, spans in excluded if spans and entry not in used]


def coverage(catalogue: Catalogue, sources: Path) -> list[PlanCoverage]:
    """Coverage of every plan whose source is in ``sources``; InputError when one is missing."""
    results: list[PlanCoverage] = []
    problems: list[Problem] = []
    for plan in catalogue.plans.values():
        path = sources / plan.meta.source_file
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(
                Problem(
                    "missing-file",
                    f"source document '{plan.meta.source_file}' of plan '{plan.meta.id}' "
                    f"cannot be read from {sources} ({type(err).__name__})",
                    plan.file,
                    hint="check plan.source_file or --sources",
                )
            )
            continue
        result, found = plan_coverage(plan, text)
        problems.extend(found)
        results.append(result)
    if problems:
        raise InputError(problems)
    return results


def render(results: list[PlanCoverage], *, verbose: bool = False) -> str:
    """Per plan: the covered share, then each uncovered clause with its section and markers."""
    lines: list[str] = []
    for r in results:
        total = len(r.clauses)
        lines.append(
            f"{r.plan} ({r.source_file}): {r.share:.1%} of {total} commitment clauses — "
            f"{len(r.covered)} quoted by a target, {len(r.excluded)} excluded with a reason, "
            f"{len(r.uncovered)} uncovered"
        )
        for clause in r.uncovered:
            lines.append(
                f"  uncovered  {clause.section}  {clause.text}  [{' '.join(clause.markers)}]"
            )
        for entry in r.unused_exclusions:
            lines.append(f"  unused exclusion (overlaps no commitment clause): {entry}")
        if verbose:
            for clause in r.excluded:
                lines.append(f"  excluded   {clause.section}  {clause.text}")
    total = sum(len(r.clauses) for r in results)
    done = sum(len(r.covered) + len(r.excluded) for r in results)
    share = done / total if total else 1.0
    lines.append(f"all plans: {share:.1%} of {total} commitment clauses covered or justified")
    return "\n".join(lines) + "\n"
