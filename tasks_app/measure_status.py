"""A measure's state and traffic light for a period: the one definition every page and the API share.

A measure is judged by its LEAD units' reports of the period (the consolidated reports; a
collective lead such as 各旗市区 means each member's report), and a measure with several
lead units takes the worst of them:

- state: the worst ``progress_status`` among the lead reports that were filed (submitted or
  accepted), ranked 滞后 > 未启动 > 正常推进 > 已完成; 未报送 when no lead report was filed.
  A draft or a returned report is not the unit's word yet, so it does not count;
- light: the worst ``tasks_app.lights.report_light`` of the lead reports.

Both are computed in the database in ONE query for all measures of a period (a GROUP BY
over the lead reports), so a page costs the same whether the plan has 50 measures or 5,000.
The light is the SQL mirror of ``report_light``; ``tests/test_measure_status.py`` checks the two
agree on every combination of state, progress status and deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Case, IntegerField, Max, Q, QuerySet, Value, When

from tasks_app.lights import DUE_SOON_DAYS, SEVERITY, Light
from tasks_app.models import FILED_STATES, Measure, Period, PeriodKind, ProgressStatus, Report, ReportState


class MeasureState(models.TextChoices):
    DONE = "done", "已完成"
    ON_TRACK = "on_track", "正常推进"
    BEHIND = "behind", "滞后"
    NOT_STARTED = "not_started", "未启动"
    UNREPORTED = "unreported", "未报送"


# Worst wins. Unreported ranks lowest so that any filed lead report decides the state.
STATE_RANK = {
    MeasureState.UNREPORTED: 0,
    MeasureState.DONE: 1,
    MeasureState.ON_TRACK: 2,
    MeasureState.NOT_STARTED: 3,
    MeasureState.BEHIND: 4,
}
STATE_BY_RANK = {rank: state for state, rank in STATE_RANK.items()}
LIGHT_BY_RANK = {rank: light for light, rank in SEVERITY.items()}
# The order pages list them in: the four states of the report form, then the missing ones.
STATES = [
    MeasureState.DONE,
    MeasureState.ON_TRACK,
    MeasureState.BEHIND,
    MeasureState.NOT_STARTED,
    MeasureState.UNREPORTED,
]
LIGHTS = [Light.RED, Light.YELLOW, Light.GREEN, Light.GREY]


@dataclass(frozen=True)
class MeasureStatus:
    measure_id: int
    state: MeasureState
    light: Light


# Most filed reports say 正常推进: test it first.
FILED_STATUS_ORDER = (ProgressStatus.ON_TRACK, ProgressStatus.BEHIND, ProgressStatus.NOT_STARTED, ProgressStatus.DONE)


def state_rank_expression() -> Case:
    """A report's contribution to its measure's state, as a rank (see ``STATE_RANK``)."""
    # Unfiled first: most rows of a period are either unfiled or filed 正常推进, so most stop at one test.
    return Case(
        When(~Q(state__in=FILED_STATES), then=Value(STATE_RANK[MeasureState.UNREPORTED])),
        *[When(progress_status=status, then=Value(STATE_RANK[MeasureState(status)])) for status in FILED_STATUS_ORDER],
        default=Value(STATE_RANK[MeasureState.UNREPORTED]),
        output_field=IntegerField(),
    )


def light_rank_expression(today: dt.date) -> Case:
    """``report_light(report, today)`` as a SQL expression, ranked by ``lights.SEVERITY``."""
    unfiled = ~Q(state__in=FILED_STATES)
    return Case(
        When(
            Q(progress_status=ProgressStatus.BEHIND) & ~Q(state=ReportState.REQUESTED), then=Value(SEVERITY[Light.RED])
        ),
        When(unfiled & Q(due_date__lt=today), then=Value(SEVERITY[Light.RED])),
        When(
            unfiled & (Q(state=ReportState.RETURNED) | Q(due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))),
            then=Value(SEVERITY[Light.YELLOW]),
        ),
        When(unfiled, then=Value(SEVERITY[Light.GREY])),
        When(progress_status=ProgressStatus.NOT_STARTED, then=Value(SEVERITY[Light.YELLOW])),
        default=Value(SEVERITY[Light.GREEN]),
        output_field=IntegerField(),
    )


def lead_reports(periods, measures: QuerySet[Measure] | None = None) -> QuerySet[Report]:
    """The reports that judge a measure: its lead units' reports of the given period(s)."""
    period_ids = [periods.pk] if isinstance(periods, Period) else [getattr(p, "pk", p) for p in periods]
    reports = Report.objects.filter(period_id__in=period_ids, role=Report.Role.LEAD)
    if measures is not None:
        reports = reports.filter(measure__in=measures.values("pk"))
    return reports.order_by()


def per_measure(period: Period, today: dt.date, measures: QuerySet[Measure] | None = None) -> QuerySet:
    """One row per measure with a lead report in ``period``: ``measure_id``, ``state_rank``, ``light_rank``."""
    return (
        lead_reports(period, measures)
        .values("measure_id")
        .annotate(state_rank=Max(state_rank_expression()), light_rank=Max(light_rank_expression(today)))
    )


def measure_statuses(
    period: Period, today: dt.date, measures: QuerySet[Measure] | None = None
) -> dict[int, MeasureStatus]:
    """State and light of every measure that has a lead report in ``period``: one query.

    ``measures`` narrows the result (a user's measures, one unit's); a measure without any lead
    report in the period (not requested) is absent from the result.
    """
    rows = per_measure(period, today, measures).values_list("measure_id", "state_rank", "light_rank")
    return {
        measure_id: MeasureStatus(measure_id, STATE_BY_RANK[state_rank], LIGHT_BY_RANK[light_rank])
        for measure_id, state_rank, light_rank in rows
    }


def status_counts(period: Period, today: dt.date, **groupings: QuerySet) -> dict[str, dict[object, Counter]]:
    """How many measures of each group are in each (state, light) in ``period``, for one or more
    groupings at once: one query.

    Each grouping is a ``.values(measure_id=…, group_key=…)`` queryset: each measure once per group it
    belongs to (a measure with two lead units counts for both). A measure of a group without any lead
    report in the period counts as 未报送 with a grey light. Only (groups × states × lights) rows come
    back, so the Python side does not grow with the measures.
    """
    status_sql, params = per_measure(period, today).query.sql_with_params()
    params = list(params)
    selects = []
    for index, groups in enumerate(groupings.values()):
        group_sql, group_params = groups.query.sql_with_params()
        params += group_params
        ranks = "COALESCE(s.state_rank, 0), COALESCE(s.light_rank, 0)"
        selects.append(
            f"SELECT {index}, g.group_key, {ranks}, COUNT(*) FROM ({group_sql}) AS g "
            f"LEFT JOIN statuses AS s ON s.measure_id = g.measure_id GROUP BY g.group_key, {ranks}"
        )
    counts: dict[str, dict[object, Counter]] = {name: {} for name in groupings}
    names = list(groupings)
    with connection.cursor() as cursor:
        # Joining aggregates needs derived tables, which the ORM cannot express; every part is still
        # built (and its parameters bound) by the ORM. The statuses are computed once for all groupings.
        cursor.execute(f"WITH statuses AS ({status_sql}) " + " UNION ALL ".join(selects), params)
        for index, key, state_rank, light_rank, count in cursor.fetchall():
            by_key = counts[names[index]].setdefault(key, Counter())
            by_key[(STATE_BY_RANK[state_rank], LIGHT_BY_RANK[light_rank])] += count
    return counts


def state_counts_by_period(periods, measures: QuerySet[Measure] | None = None) -> dict[int, Counter]:
    """How many measures were in each state, per period: one query, whatever the number of periods.

    The database first takes the worst state per (period, measure), then counts per (period, state),
    so only (periods × states) rows come back.
    """
    inner = (
        lead_reports(periods, measures)
        .values("period_id", "measure_id")
        .annotate(state_rank=Max(state_rank_expression()))
        .values("period_id", "state_rank")
    )
    sql, params = inner.query.sql_with_params()
    counts: dict[int, Counter] = {}
    with connection.cursor() as cursor:
        # Aggregating an aggregate needs a derived table, which the ORM cannot express;
        # the inner query is still built (and its parameters bound) by the ORM.
        cursor.execute(
            f"SELECT period_id, state_rank, COUNT(*) FROM ({sql}) AS per_measure GROUP BY period_id, state_rank",
            params,
        )
        for period_id, rank, count in cursor.fetchall():
            counts.setdefault(period_id, Counter())[STATE_BY_RANK[rank]] = count
    return counts


def current_period(plan, today: dt.date, periods: list[Period] | None = None) -> Period | None:
    """The period a dashboard shows by default: the latest monthly one that has started, else the
    latest that has started, else the latest. One query, none when ``periods`` are given."""
    if periods is None:
        periods = list(Period.objects.filter(plan=plan))
    started = [p for p in periods if p.start_date <= today]
    monthly = [p for p in started if p.kind == PeriodKind.MONTH]
    return max(monthly or started or periods, key=lambda p: p.start_date, default=None)


# Names the quarterly circular reads by.
NOT_FILED = MeasureState.UNREPORTED
STATE_LABELS = dict(MeasureState.choices)
STATE_ORDER = STATES


def current_measure_ids(period: Period) -> list[int]:
    """The measures of the period's plan still in the list (archived ones left out)."""
    return list(
        Measure.objects.current()
        .filter(task__plan_id=period.plan_id, task__archived_in__isnull=True)
        .values_list("pk", flat=True)
    )
