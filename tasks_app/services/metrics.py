"""Quantitative targets found in phase target texts (储能规模达到300万千瓦, 新增优质中小企业5户左右).

Only targets stated with a target verb are taken; project capacities mentioned in
passing (推进扎兰屯市50万千瓦独立储能电站项目) are not targets. The office can
add, correct or delete what was found in the admin; re-running keeps those edits
for metrics whose name it finds again and adds the new ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tasks_app.models import PhaseTarget, Plan, TargetMetric

NUMBER = r"(?P<value>\d+(?:\.\d+)?)(?:\s*[-—–~]\s*(?P<upper>\d+(?:\.\d+)?))?"
UNIT_WORDS = r"万千瓦|千瓦|万吨|亿元|万元|户|家|个|座|项|%"
UNIT = rf"(?P<unit>{UNIT_WORDS})"
HAN = r"[\u4e00-\u9fff]"
# 储能规模达到300万千瓦 / 大型煤矿产能占比达到100%
REACH = re.compile(rf"(?P<name>{HAN}{{2,14}}?)(?:达到|提升至|超过|突破)" + NUMBER + UNIT)
# 新增优质中小企业5户左右 / 认定基础级智能工厂30家以上 / 先进级智能工厂2-3家
COUNT_AFTER_NAME = re.compile(rf"(?:新增|培育|认定|创建|建成)(?P<name>{HAN}{{2,14}}?)" + NUMBER + UNIT)
# 建成2个园区增量配电网项目 / 累计实现10个以上高端农机装备新机型
COUNT_BEFORE_NAME = re.compile(
    r"(?:新增|培育|认定|创建|建成|实现)" + NUMBER + UNIT + rf"(?:左右|以上)?(?P<name>{HAN}{{2,16}})"
)
# 年铅锌冶炼能力由20万吨提升至30万吨
RAISE_FROM_TO = re.compile(
    rf"(?P<name>{HAN}{{2,14}}?)由\d+(?:\.\d+)?(?:{UNIT_WORDS})(?:提升至|提高到|增加到|增至)" + NUMBER + UNIT
)
# …智能工厂30家以上、先进级智能工厂2-3家: further items of an enumeration.
LIST_ITEM = re.compile(rf"(?:左右|以上)?[、，](?P<name>{HAN}{{2,14}}?)" + NUMBER + UNIT)
NOT_NAMES = {"万千瓦", "千瓦", "万吨", "亿元", "万元"}
PATTERNS = (RAISE_FROM_TO, REACH, COUNT_AFTER_NAME, COUNT_BEFORE_NAME)
FILLER = re.compile(r"^(力争|全市|累计|年|底|前|到|在|此阶段|本阶段|成功|认定|新增)+")
TRAILER = re.compile(r"(等|的|认定).*$")
PLACE = re.compile(r"(市|旗|区|县)$")


@dataclass(frozen=True)
class FoundMetric:
    name: str
    unit_of_measure: str
    target_value: Decimal
    source_text: str


def _metric_name(raw: str) -> str:
    return TRAILER.sub("", FILLER.sub("", raw))


def find_metrics(text: str) -> list[FoundMetric]:
    found: dict[str, FoundMetric] = {}
    taken: list[tuple[int, int]] = []

    def take(match: re.Match) -> None:
        name = _metric_name(match["name"])
        overlaps = any(match.start() < end and start < match.end() for start, end in taken)
        # A place (建成扎兰屯市50万千瓦…) is a project's location, not a target.
        if overlaps or len(name) < 2 or PLACE.search(name) or name in NOT_NAMES or name in found:
            return
        taken.append(match.span())
        # A range (1-2个) counts its lower bound as the target to meet.
        found[name] = FoundMetric(
            name, match["unit"], Decimal(match["value"]), match.group(0).lstrip("以上左右、，")[:300]
        )

    for sentence in re.split(r"[。；;\n]", text):
        taken.clear()
        for pattern in PATTERNS:
            for match in pattern.finditer(sentence):
                take(match)
                position = match.end()
                # An enumeration right after a count: …30家以上，先进级智能工厂2-3家
                while pattern is COUNT_AFTER_NAME and (item := LIST_ITEM.match(sentence, position)):
                    take(item)
                    position = item.end()
    return list(found.values())


@transaction.atomic
def target_metrics_refresh(*, plan: Plan) -> int:
    """Find the quantitative targets of the plan's current measures; returns how many were added."""
    targets = PhaseTarget.objects.filter(measure__task__plan=plan, measure__archived_in__isnull=True).select_related(
        "measure", "phase"
    )
    existing = set(TargetMetric.objects.filter(measure__task__plan=plan).values_list("measure_id", "phase_id", "name"))
    new = []
    for target in targets:
        for metric in find_metrics(target.text):
            if (target.measure_id, target.phase_id, metric.name) in existing:
                continue
            new.append(
                TargetMetric(
                    measure=target.measure,
                    phase=target.phase,
                    name=metric.name,
                    unit_of_measure=metric.unit_of_measure,
                    target_value=metric.target_value,
                    source_text=metric.source_text,
                )
            )
    TargetMetric.objects.bulk_create(new)
    return len(new)
