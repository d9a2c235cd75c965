"""Province-scale synthetic data: a task list of thousands of measures and hundreds of units.

Names are plausible Chinese government names (自治区发展改革委, 某某旗, 某某集团 …),
mixed like a real province: many banner-level divisions, a few dozen departments,
some enterprises and vertical agencies. The generator is seeded, so a run is
reproducible; everything goes through the same importer the admin uses.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tasks_app.models import Plan, Unit, UnitKind
from tasks_app.services.plans import plan_get_or_create
from tasks_app.tasklist.apply import apply_tasklist
from tasks_app.tasklist.data import MeasureData, PhaseColumn, TaskData, TaskList

SCALE_PLAN_NAME = "自治区工业经济高质量发展任务清单（合成数据）"

DEPARTMENTS = [
    "发展改革委",
    "工信厅",
    "能源局",
    "自然资源厅",
    "生态环境厅",
    "林草局",
    "水利厅",
    "应急管理厅",
    "科技厅",
    "文旅厅",
    "交通运输厅",
    "农牧厅",
    "住建厅",
    "商务厅",
    "外事办",
    "市场监管局",
    "卫健委",
    "教育厅",
    "财政厅",
    "统计局",
    "政数局",
    "人社厅",
    "投促局",
    "国资委",
    "审计厅",
    "公安厅",
    "民政厅",
    "司法厅",
    "税务局",
    "气象局",
    "医保局",
    "粮食和储备局",
    "乡村振兴局",
    "体育局",
    "广电局",
    "地震局",
    "通信管理局",
    "能源监管局",
    "数据局",
    "机关事务管理局",
    "知识产权局",
    "药监局",
    "消防救援总队",
    "邮政管理局",
]
PLACE_SYLLABLES = list("阿巴查达额嘎哈杭吉喀科拉满那乌锡兴扎准正镶苏托固和林武四卓凉清多太新西东南北宁包鄂伊赤")
DIVISION_SUFFIXES = ["旗", "县", "区", "市"]
ENTERPRISE_STEMS = [
    "能源",
    "电力",
    "矿业",
    "煤业",
    "化工",
    "稀土",
    "乳业",
    "农垦",
    "森工",
    "交通投资",
    "城投",
    "陆港",
    "水务",
]
VERTICAL_NAMES = ["海关", "人民银行分行", "金融监管局", "铁路局", "电网公司", "通信管理局", "国家统计调查总队"]
PART_HEADINGS = ["一、推进产业协同，实现转型升级", "二、强化要素赋能，提供有力支撑", "三、保障措施"]
SECTOR_NAMES = [
    ["煤炭产业", "电力产业", "新能源产业", "有色金属产业", "制造业", "化工产业"],
    ["政策维度赋能", "平台维度赋能", "机制维度赋能", "科技维度赋能", "数据维度赋能"],
    ["组织保障", "要素保障", "资金保障", "招商引资保障", "安全生产保障", "人才保障"],
]
VERBS = ["推动", "加快", "深化", "强化", "完善", "健全", "培育", "提升", "实施", "推进"]
OBJECTS = [
    "煤矿智能化建设",
    "独立储能项目",
    "绿电外送通道",
    "工业园区基础设施",
    "产业链招商",
    "优质中小企业梯度培育",
    "矿山生态修复",
    "风光制氢一体化项目",
    "农畜产品精深加工",
    "数字化转型",
    "绿色金融产品",
    "项目手续办理",
    "跨境资源合作",
    "人才引进培养",
    "安全生产监管",
    "要素保障机制",
    "创新平台建设",
    "资源循环利用",
]
CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass
class ScaleResult:
    plan: Plan
    units: int
    measures: int
    reports: int = 0


def _numeral(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    return "十" + CHINESE_NUMERALS[n - 11] if n < 20 else str(n)


def generate_units(count: int, rng: random.Random) -> list[Unit]:
    """About 15% departments, 60% divisions, 12% enterprises, 8% vertical, 5% zones."""
    names: dict[str, str] = {}
    for dept in DEPARTMENTS[: max(10, count * 15 // 100)]:
        names["自治区" + dept] = UnitKind.CITY_DEPARTMENT
    while len(names) < count * 75 // 100:
        stem = "".join(rng.sample(PLACE_SYLLABLES, rng.choice([2, 2, 3])))
        names.setdefault(stem + rng.choice(DIVISION_SUFFIXES), UnitKind.DIVISION)
    while len(names) < count * 87 // 100:
        stem = "".join(rng.sample(PLACE_SYLLABLES, 2))
        names.setdefault(f"{stem}{rng.choice(ENTERPRISE_STEMS)}集团", UnitKind.ENTERPRISE)
    while len(names) < count * 95 // 100:
        stem = "".join(rng.sample(PLACE_SYLLABLES, 2))
        names.setdefault(stem + rng.choice(VERTICAL_NAMES), UnitKind.VERTICAL)
    while len(names) < count:
        stem = "".join(rng.sample(PLACE_SYLLABLES, 2))
        names.setdefault(stem + "经济技术开发区", UnitKind.DEV_ZONE)
    existing = set(Unit.objects.filter(name__in=names).values_list("name", flat=True))
    Unit.objects.bulk_create([Unit(name=n, kind=k) for n, k in names.items() if n not in existing], batch_size=1000)
    return list(Unit.objects.filter(name__in=names))


def generate_tasklist(measure_count: int, units: list[Unit], rng: random.Random) -> TaskList:
    departments = [u.name for u in units if u.kind == UnitKind.CITY_DEPARTMENT]
    others = [u.name for u in units if u.kind != UnitKind.CITY_DEPARTMENT]
    phases = [
        PhaseColumn(1, "2026-2027年（筑基期）", "筑基期", 2026, 2027),
        PhaseColumn(2, "2028-2030年（提升期）", "提升期", 2028, 2030),
    ]
    tasks: list[TaskData] = []
    made = 0
    number = 0
    while made < measure_count:
        number += 1
        part_index = min(2, made * 3 // max(1, measure_count))
        sectors = SECTOR_NAMES[part_index]
        sector_index = rng.randrange(len(sectors))
        sector = f"（{_numeral(sector_index + 1)}）{sectors[sector_index]}：稳中求进与提质增效"
        title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}。"
        measures = []
        for position in range(1, min(rng.choice([1, 1, 1, 2, 3, 4, 6, 8]), measure_count - made) + 1):
            lead = rng.sample(departments, rng.choice([1, 1, 2]))
            support = [name for name in rng.sample(departments + others, rng.randint(2, 8)) if name not in lead]
            text = f"{position}.{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(VERBS)}{rng.choice(OBJECTS)}。"
            targets = [
                f"1.到{2026 + rng.randint(0, 1)}年底完成{rng.choice(OBJECTS)}{rng.randint(2, 50)}项。\n"
                f"2.{rng.choice(VERBS)}{rng.choice(OBJECTS)}取得阶段性进展。",
                f"力争2030年前{rng.choice(VERBS)}{rng.choice(OBJECTS)}规模达到{rng.randint(10, 900)}万千瓦。",
            ]
            measures.append(MeasureData(position, text, lead, support, targets, "、".join(lead), "、".join(support)))
        made += len(measures)
        tasks.append(TaskData(number, title, PART_HEADINGS[part_index], sector, measures))
    return TaskList(phases, tasks)


PROGRESS_TEXTS = [
    "按计划推进，已完成阶段性工作。",
    "项目前期手续办理中，已完成用地预审。",
    "已召开专题调度会，协调解决要素保障问题。",
    "受季节性因素影响，施工进度略有滞后。",
    "已完成年度目标任务。",
    "正在开展调研摸底，形成初步方案。",
]


def generate_reports(plan: Plan, months: int, rng: random.Random, end: dt.date) -> int:
    """``months`` monthly periods up to ``end``'s month, every request filed and accepted
    except in the last month, where a realistic mix is still open. Bulk inserts, no history rows."""
    from tasks_app.models import Measure, Period, PeriodKind, ProgressStatus, Report, ReportState
    from tasks_app.services.periods import add_months, period_label
    from tasks_app.services.permissions import responsibilities

    measure_ids = list(Measure.objects.filter(task__plan=plan).values_list("pk", flat=True))
    wanted = responsibilities(measure_ids)
    statuses = [ProgressStatus.ON_TRACK] * 6 + [ProgressStatus.DONE, ProgressStatus.BEHIND, ProgressStatus.NOT_STARTED]
    first = add_months(end.replace(day=1), -(months - 1))
    total = 0
    for index in range(months):
        start = add_months(first, index)
        due = start.replace(day=25)
        period, created = Period.objects.get_or_create(
            plan=plan,
            kind=PeriodKind.MONTH,
            start_date=start,
            defaults={
                "end_date": add_months(start, 1) - dt.timedelta(days=1),
                "due_date": due,
                "label": period_label(PeriodKind.MONTH, start),
            },
        )
        if not created:
            continue
        last = index == months - 1
        submitted = dt.datetime.combine(due - dt.timedelta(days=rng.randint(0, 5)), dt.time(10), tzinfo=dt.UTC)
        rows = []
        for r in wanted:
            state = (
                rng.choice([ReportState.REQUESTED, ReportState.DRAFT, ReportState.SUBMITTED])
                if last
                else ReportState.ACCEPTED
            )
            filed = state in (ReportState.SUBMITTED, ReportState.ACCEPTED)
            rows.append(
                Report(
                    period=period,
                    measure_id=r.measure_id,
                    unit_id=r.unit_id,
                    role=r.role,
                    via_id=r.via_id,
                    due_date=due,
                    state=state,
                    progress_status=rng.choice(statuses) if filed else "",
                    progress=rng.choice(PROGRESS_TEXTS) if filed else "",
                    submitted_at=submitted if filed else None,
                    first_submitted_at=submitted if filed else None,
                )
            )
        Report.objects.bulk_create(rows, batch_size=5000)
        total += len(rows)
    return total


def seed_scale(
    *, measures: int, units: int, months: int = 0, seed: int = 2026, end: dt.date | None = None
) -> ScaleResult:
    """Create (or top up) the synthetic province plan and ``months`` of reports. Idempotent."""
    rng = random.Random(seed)
    unit_rows = generate_units(units, rng)
    plan = plan_get_or_create(name=SCALE_PLAN_NAME)
    tasklist = generate_tasklist(measures, unit_rows, rng)
    apply_tasklist(plan=plan, tasklist=tasklist, source_name="seed_scale", note="合成数据")
    reports = generate_reports(plan, months, rng, end or dt.date.today()) if months else 0
    return ScaleResult(plan, len(unit_rows), tasklist.measure_count, reports)
