"""The cadence's daily work: remind before the deadline, chase after it, issue 督办单, collect.

Everything here takes ``today`` as an argument: the same code runs from the daily
Celery job and from ``run_cadence --today`` when the office rehearses a month.
Every send goes through the outbox with a key (period, unit, step, channel,
recipient), so running a day twice — or two workers running it at once — sends
nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import Message, deliveries_create, enqueue_after_commit, recipients_rows
from notifications.models import SupervisionNotice
from notifications.notify import office_users, unit_robots, unit_users
from notifications.sequences import sequence_next
from tasks_app.models import Period, ReminderKind, ReminderStep, Report, Role
from tasks_app.workdays import WorkCalendar

LAST_STEP_WINDOW_WORKDAYS = 5
UNITS_PER_CHUNK = 50
NOTICE_DEADLINE_WORKDAYS = 2


@dataclass(frozen=True)
class StepDue:
    period_id: int
    step_id: int
    step_date: dt.date


def step_due_today(period: Period, steps: list[ReminderStep], calendar: WorkCalendar, today: dt.date):
    """The one step of the ladder to act on today: the latest whose date has come, while the
    next one's has not (so a day missed — a server down — is caught up, never sent late)."""
    dated = sorted(((calendar.shift(period.due_date, s.offset_workdays), s) for s in steps), key=lambda x: x[0])
    for index, (day, step) in enumerate(dated):
        next_day = dated[index + 1][0] if index + 1 < len(dated) else calendar.shift(day, LAST_STEP_WINDOW_WORKDAYS)
        if day <= today < next_day:
            return StepDue(period.pk, step.pk, day)
    return None


def steps_due(today: dt.date, calendar: WorkCalendar) -> list[StepDue]:
    """Every (period, step) to act on today, for periods that still have open requests."""
    awaited = Report.objects.awaited().filter(period__due_date__gte=today - dt.timedelta(days=60))
    periods = Period.objects.filter(
        cadence__is_active=True, pk__in=awaited.values("period_id").distinct().order_by()
    ).select_related("cadence")
    steps: dict[int, list[ReminderStep]] = defaultdict(list)
    for step in ReminderStep.objects.filter(cadence_id__in={p.cadence_id for p in periods}):
        steps[step.cadence_id].append(step)
    due = []
    for period in periods:
        found = step_due_today(period, steps[period.cadence_id], calendar, today)
        if found is not None:
            due.append(found)
    return due


def units_with_open_reports(period_id: int) -> list[int]:
    # order_by(): Report's default ordering would otherwise join into the DISTINCT and repeat units.
    reports = Report.objects.awaited().filter(period_id=period_id).order_by()
    return sorted(set(reports.values_list("unit_id", flat=True).distinct()))


@transaction.atomic
def remind_units(*, period_id: int, step_id: int, unit_ids: list[int], today: dt.date) -> int:
    """The step's messages (and 督办单) for these units. Returns deliveries waiting for a worker.

    Queries are constant per chunk: period, step, open reports, users with channels, robots,
    existing keys, inserts (and for 督办单 a few per unit).
    """
    period = Period.objects.select_related("cadence").get(pk=period_id)
    step = ReminderStep.objects.get(pk=step_id)
    reports = Report.objects.awaited().filter(period=period, unit_id__in=unit_ids).select_related("measure__task")
    by_unit: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_unit[report.unit_id].append(report)
    roles = [
        role for role, wanted in ((Role.REPORTER, step.to_reporters), (Role.UNIT_HEAD, step.to_unit_head)) if wanted
    ]
    users: dict[int, list] = defaultdict(list)
    for user in unit_users(by_unit, roles):
        users[user.unit_id].append(user)
    robots: dict[int, list] = defaultdict(list)
    if step.to_reporters:
        for endpoint in unit_robots(by_unit):
            robots[endpoint.unit_id].append(endpoint)

    calendar = WorkCalendar.load() if step.kind == ReminderKind.NOTICE else None
    rows = []
    for unit_id, open_reports in by_unit.items():
        notice = _notice(period, unit_id, open_reports, today, calendar) if calendar else None
        message = reminder_message(period, step, open_reports, notice)
        key = f"remind:p{period.pk}:{step.code}:u{unit_id}"
        rows += recipients_rows(key=key, message=message, users=users[unit_id], unit_endpoints=robots[unit_id])
    ids = deliveries_create(rows)
    enqueue_after_commit(ids)
    return len(ids)


@transaction.atomic
def remind_office(*, period_id: int, step_id: int) -> int:
    """One message to the office for the whole period and step (not one per chunk of units)."""
    period = Period.objects.get(pk=period_id)
    step = ReminderStep.objects.get(pk=step_id)
    by_unit: dict[int, list[Report]] = defaultdict(list)
    for report in Report.objects.awaited().filter(period=period).only("pk", "unit_id"):
        by_unit[report.unit_id].append(report)
    if not step.to_office or not by_unit:
        return 0
    rows = recipients_rows(
        key=f"remind:p{period.pk}:{step.code}:office",
        message=office_message(period, step, by_unit),
        users=office_users(),
    )
    ids = deliveries_create(rows)
    enqueue_after_commit(ids)
    return len(ids)


def reminder_message(period: Period, step: ReminderStep, reports: list[Report], notice=None) -> Message:
    due = f"{period.due_date.month}月{period.due_date.day}日"
    items = "\n".join(f"· {r.measure.label} {r.measure.task.title}（{r.get_state_display()}）" for r in reports[:20])
    if len(reports) > 20:
        items += f"\n……共 {len(reports)} 项"
    subjects = {
        ReminderKind.REMIND: f"提醒：{period.label}有 {len(reports)} 项报告将于{due}截止",
        ReminderKind.DUE: f"今日截止：{period.label}尚有 {len(reports)} 项报告未报送",
        ReminderKind.CHASE: f"催办：{period.label}有 {len(reports)} 项报告已逾期（截止{due}）",
        ReminderKind.NOTICE: f"督办单{notice.number if notice else ''}：{period.label}报告逾期未报",
    }
    body = items
    if notice is not None:
        body = f"请于{notice.deadline.month}月{notice.deadline.day}日前报送以下逾期报告，并说明逾期原因。\n{items}"
    url = reverse("notice-detail", args=[notice.pk]) if notice is not None else reverse("my-tasks")
    return Message(subject=subjects[step.kind], body=body, url=url)


def office_message(period: Period, step: ReminderStep, by_unit: dict[int, list[Report]]) -> Message:
    count = sum(len(reports) for reports in by_unit.values())
    return Message(
        subject=f"{step.get_kind_display()}：{period.label}共 {len(by_unit)} 个单位 {count} 项报告逾期",
        body="各单位逾期情况见报送纪律汇总。",
        url=reverse("period-discipline", args=[period.pk]),
    )


def _notice(period: Period, unit_id: int, reports: list[Report], today: dt.date, calendar) -> SupervisionNotice:
    """The unit's 督办单 for the period: one only, numbered in sequence for the year."""
    notice = SupervisionNotice.objects.filter(period=period, unit_id=unit_id).first()
    if notice is not None:
        return notice
    try:
        with transaction.atomic():
            number = sequence_next(name="督办", year=today.year)
            notice = SupervisionNotice.objects.create(
                number=f"督办〔{today.year}〕{number}号",
                year=today.year,
                sequence=number,
                period=period,
                unit_id=unit_id,
                issued_on=today,
                deadline=calendar.shift(today, NOTICE_DEADLINE_WORKDAYS),
            )
            notice.reports.set(reports)
    except IntegrityError:  # another worker issued it a moment ago (its number is not consumed here)
        notice = SupervisionNotice.objects.get(period=period, unit_id=unit_id)
    return notice


@transaction.atomic
def period_collect(*, period_id: int, today: dt.date) -> bool:
    """At the deadline, once: mark late requests, tell lead units which supporting reports
    are missing, give the office the period's summary. Returns False if already done."""
    claimed = Period.objects.filter(pk=period_id, collected_at__isnull=True, due_date__lt=today).update(
        collected_at=timezone.now()
    )
    if not claimed:
        return False
    period = Period.objects.get(pk=period_id)
    late = Report.objects.filter(
        period=period,
        first_submitted_at__isnull=True,
        measure__archived_in__isnull=True,
        measure__task__archived_in__isnull=True,
    )
    late.update(overdue_since=period.due_date + dt.timedelta(days=1))
    missing_by_measure: dict[int, list[str]] = defaultdict(list)
    for report in late.filter(role=Report.Role.SUPPORT).select_related("unit"):
        missing_by_measure[report.measure_id].append(report.unit.name)
    leads = Report.objects.filter(
        period=period, role=Report.Role.LEAD, measure_id__in=missing_by_measure
    ).select_related("measure__task")
    rows = []
    lead_users: dict[int, list] = defaultdict(list)
    for user in unit_users({r.unit_id for r in leads}, (Role.REPORTER, Role.UNIT_HEAD)):
        lead_users[user.unit_id].append(user)
    for lead in leads:
        missing = missing_by_measure[lead.measure_id]
        names = "、".join(missing)
        message = Message(
            subject=f"{lead.measure.label}：{period.label}有 {len(missing)} 个责任单位未报送",
            body=f"截至{period.due_date.month}月{period.due_date.day}日未报送：{names}。请督促其尽快报送，并在汇总报告中说明。",
            url=reverse("report-detail", args=[lead.pk]),
        )
        rows += recipients_rows(
            key=f"collect:p{period.pk}:lead:r{lead.pk}", message=message, users=lead_users[lead.unit_id]
        )
    from tasks_app.discipline import discipline_totals, period_discipline

    totals = discipline_totals(period_discipline(period, today))
    summary = Message(
        subject=f"{period.label}报送情况：按时 {totals.get('on_time', 0)}，逾期 {totals.get('late', 0)}，"
        f"未报 {totals.get('missing', 0)}",
        body=f"共 {totals.get('total', 0)} 项报告。逐单位情况见报送纪律汇总。",
        url=reverse("period-discipline", args=[period.pk]),
    )
    rows += recipients_rows(key=f"collect:p{period.pk}:office", message=summary, users=office_users())
    enqueue_after_commit(deliveries_create(rows))
    return True


def periods_to_collect(today: dt.date) -> list[int]:
    return list(
        Period.objects.filter(collected_at__isnull=True, due_date__lt=today, cadence__isnull=False).values_list(
            "pk", flat=True
        )
    )


def chunks(items: list[int], size: int = UNITS_PER_CHUNK) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
