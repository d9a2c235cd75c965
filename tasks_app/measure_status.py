"""A measure's state and traffic light in a period, from its lead units' reports.

One place for it: the dashboard, the quarterly circular and the annual summary all
read measures through here. The lead unit's (consolidated) report speaks for the
measure; a measure with two lead units takes the worse of the two. A measure
whose lead has not filed has no state yet ("未报送"), and its light follows the
deadline (grey before, red after).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from tasks_app.lights import SEVERITY, Light, report_light
from tasks_app.models import FILED_STATES, Measure, Period, ProgressStatus, Report

NOT_FILED = "not_filed"
STATE_LABELS = {**dict(ProgressStatus.choices), NOT_FILED: "未报送"}
STATE_ORDER = [
    ProgressStatus.DONE,
    ProgressStatus.ON_TRACK,
    ProgressStatus.BEHIND,
    ProgressStatus.NOT_STARTED,
    NOT_FILED,
]
# Which state is worse, when two lead units disagree.
STATE_SEVERITY = {
    ProgressStatus.DONE: 0,
    ProgressStatus.ON_TRACK: 1,
    ProgressStatus.NOT_STARTED: 2,
    ProgressStatus.BEHIND: 3,
    NOT_FILED: 4,
}


@dataclass
class MeasureStatus:
    measure_id: int
    state: str
    light: Light
    report: Report | None = None  # the lead report the state comes from

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _state(report: Report) -> str:
    return report.progress_status if report.state in FILED_STATES and report.progress_status else NOT_FILED


def measure_statuses(period: Period, today: dt.date, measure_ids=None) -> dict[int, MeasureStatus]:
    """Every measure of the period's plan (or ``measure_ids``): its state and light. One query."""
    reports = Report.objects.filter(period=period, role=Report.Role.LEAD).select_related("unit")
    if measure_ids is not None:
        reports = reports.filter(measure_id__in=list(measure_ids))
    by_measure: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        by_measure[report.measure_id].append(report)
    statuses: dict[int, MeasureStatus] = {}
    for measure_id, leads in by_measure.items():
        worst = max(leads, key=lambda r: (STATE_SEVERITY[_state(r)], SEVERITY[report_light(r, today)]))
        light = max((report_light(r, today) for r in leads), key=lambda light: SEVERITY[light])
        statuses[measure_id] = MeasureStatus(measure_id, _state(worst), light, worst)
    if measure_ids is not None:
        for measure_id in measure_ids:
            statuses.setdefault(measure_id, MeasureStatus(measure_id, NOT_FILED, Light.GREY))
    return statuses


def current_measure_ids(period: Period) -> list[int]:
    return list(
        Measure.objects.current()
        .filter(task__plan_id=period.plan_id, task__archived_in__isnull=True)
        .values_list("pk", flat=True)
    )
