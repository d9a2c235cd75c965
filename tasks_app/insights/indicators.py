"""Indicators (主要指标) and the quantitative targets of measures (量化目标): actual against the
straight path to target.

A headline indicator runs from its baseline at the end of the previous five-year period (the day
before the plan starts) through each milestone (2027, 2030) in straight lines; its figures are
filed each quarter by its responsible unit. A measure's quantitative target has no baseline in the
plan, so its path runs from the first figure filed to the target at the end of its phase; its
figures come from the lead units' filed reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from tasks_app.access import measures_for, reports_for, sees_everything
from tasks_app.models import (
    FILED_STATES,
    Indicator,
    IndicatorFigure,
    IndicatorTarget,
    Plan,
    Report,
    ReportFigure,
    TargetMetric,
    User,
)
from tasks_app.models.insights import quarter_end, quarter_label

METRICS_PER_PAGE = 100


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: Decimal


def path_value(path: list[Point], day: dt.date) -> Decimal | None:
    """The straight-line value of ``path`` on ``day`` (flat after the last point, None before the first)."""
    if not path or day < path[0].day:
        return None
    for before, after in pairwise(path):
        if before.day <= day <= after.day:
            span = (after.day - before.day).days
            share = Decimal((day - before.day).days) / Decimal(span) if span else Decimal(1)
            return (before.value + (after.value - before.value) * share).quantize(Decimal("0.01"))
    return path[-1].value


def percent_of(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def bar_value(fraction: float | None) -> float:
    """The value of a <progress max=100>: the share clipped to 0-100."""
    return 0.0 if fraction is None else max(0.0, min(100.0, fraction * 100))


def chart_table(chart: dict) -> list[tuple[str, list]]:
    """A line chart's data as table rows: (category, value of each series), rows without any value left out."""
    rows = []
    for index, label in enumerate(chart["categories"]):
        values = [series["data"][index] for series in chart["series"]]
        if any(v is not None for v in values):
            rows.append((label, values))
    return rows


def share(value: Decimal | None, start: Decimal | None, target: Decimal | None) -> float | None:
    """How far ``value`` has come from ``start`` to ``target``, as a fraction (may pass 1)."""
    if value is None or start is None or target is None or target == start:
        return None
    return float((value - start) / (target - start))


@dataclass
class IndicatorProgress:
    indicator: Indicator
    targets: list[IndicatorTarget]
    figures: list[IndicatorFigure]
    path: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> IndicatorFigure | None:
        return self.figures[-1] if self.figures else None

    @property
    def final_target(self) -> IndicatorTarget | None:
        return self.targets[-1] if self.targets else None

    @property
    def progress(self) -> float | None:
        """Share of the way from the baseline to the final target, at the latest figure."""
        final = self.final_target
        return share(
            self.latest.value if self.latest else None,
            self.indicator.baseline_value,
            final.target_value if final else None,
        )

    @property
    def progress_percent(self) -> float | None:
        return percent_of(self.progress)

    @property
    def progress_bar(self) -> float:
        return bar_value(self.progress)

    @property
    def expected(self) -> Decimal | None:
        """Where the straight path stands at the latest figure's quarter."""
        return path_value(self.path, self.latest.end_date) if self.latest else None

    @property
    def on_path(self) -> bool | None:
        if self.latest is None or self.expected is None:
            return None
        rising = not self.path or self.path[-1].value >= self.path[0].value
        return self.latest.value >= self.expected if rising else self.latest.value <= self.expected


def indicator_path(indicator: Indicator, targets: list[IndicatorTarget], plan_start: dt.date) -> list[Point]:
    if indicator.baseline_value is None:
        return []
    path = [Point(plan_start - dt.timedelta(days=1), indicator.baseline_value)]
    for target in targets:
        if target.target_value is not None:
            path.append(Point(dt.date(target.year, 12, 31), target.target_value))
    return path


def indicators_progress(plan: Plan) -> list[IndicatorProgress]:
    """Every indicator of the plan with its targets, figures and path: three queries."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        .select_related("responsible_unit")
        .prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
            Prefetch("figures", queryset=IndicatorFigure.objects.order_by("year", "quarter")),
        )
    )
    result = []
    for indicator in indicators:
        targets = list(indicator.targets.all())
        for target in targets:
            target.indicator = indicator  # target_value reads the baseline without another query
        progress = IndicatorProgress(indicator, targets, list(indicator.figures.all()))
        progress.path = indicator_path(indicator, targets, plan.start_date)
        result.append(progress)
    return result


def plan_quarters(plan: Plan) -> list[tuple[int, int]]:
    quarters = []
    for year in range(plan.start_date.year, plan.end_date.year + 1):
        quarters.extend((year, q) for q in range(1, 5) if quarter_end(year, q) <= plan.end_date)
    return quarters


def indicator_chart(progress: IndicatorProgress, plan: Plan) -> dict:
    """Data of the line chart: actual by quarter against the straight path, one label per quarter."""
    actual = {(f.year, f.quarter): f.value for f in progress.figures}
    quarters = plan_quarters(plan)
    return {
        "kind": "line",
        "unit": progress.indicator.unit_of_measure,
        "categories": ["基期"] + [quarter_label(y, q) for y, q in quarters],
        "series": [
            {
                "name": "实际",
                "color": "#0b5cad",
                "data": [_number(progress.indicator.baseline_value)]
                + [_number(actual.get((y, q))) for y, q in quarters],
            },
            {
                "name": "目标路径",
                "color": "#8c959f",
                "dashed": True,
                "data": [_number(progress.indicator.baseline_value)]
                + [_number(path_value(progress.path, quarter_end(y, q))) for y, q in quarters],
            },
        ],
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- Quantitative targets of measures -------------------------------------------------------------


@dataclass
class MetricProgress:
    metric: TargetMetric
    figures: list[tuple[Report, Decimal]]  # (the lead report, its value), oldest first

    @property
    def latest(self) -> tuple[Report, Decimal] | None:
        return self.figures[-1] if self.figures else None

    @property
    def reached(self) -> float | None:
        """Share of the target value reached by the latest figure."""
        if not self.latest or not self.metric.target_value:
            return None
        return float(self.latest[1] / self.metric.target_value)

    @property
    def reached_percent(self) -> float | None:
        return percent_of(self.reached)

    @property
    def reached_bar(self) -> float:
        return bar_value(self.reached)

    @property
    def path(self) -> list[Point]:
        if not self.figures:
            return []
        first_report, first_value = self.figures[0]
        return [
            Point(first_report.period.end_date, first_value),
            Point(self.metric.phase.end_date, self.metric.target_value),
        ]

    @property
    def expected(self) -> Decimal | None:
        return path_value(self.path, self.latest[0].period.end_date) if self.latest else None


def _visible_metrics(user: User, plan: Plan):
    metrics = TargetMetric.objects.filter(measure__task__plan=plan, measure__archived_in__isnull=True)
    if not sees_everything(user):
        metrics = metrics.filter(measure__in=measures_for(user).values("pk"))
    return metrics.select_related("measure__task", "phase").order_by(
        "measure__task__number", "measure__position", "phase__ordinal", "pk"
    )


def _metric_figures(user: User, metric_ids: list[int]) -> dict[int, list[tuple[Report, Decimal]]]:
    """Figures of the lead units' filed reports the user may read, one per period (the latest submitted)."""
    figures = ReportFigure.objects.filter(
        metric_id__in=metric_ids, report__role=Report.Role.LEAD, report__state__in=FILED_STATES
    )
    if not sees_everything(user):
        figures = figures.filter(report__in=reports_for(user).values("pk"))
    by_metric: dict[int, dict[int, tuple[Report, Decimal]]] = {}
    for figure in figures.select_related("report__period", "report__unit").order_by(
        "report__period__start_date", "report__submitted_at"
    ):
        # Two lead units filing in one period: the later submission stands.
        by_metric.setdefault(figure.metric_id, {})[figure.report.period_id] = (figure.report, figure.value)
    return {metric_id: list(periods.values()) for metric_id, periods in by_metric.items()}


def metrics_progress(user: User, plan: Plan, page: int | str = 1) -> tuple[Page, list[MetricProgress]]:
    """A page of the quantitative targets the user may see, with their figures: three queries."""
    page_obj = Paginator(_visible_metrics(user, plan), METRICS_PER_PAGE).get_page(page)
    metrics = list(page_obj.object_list)
    figures = _metric_figures(user, [m.pk for m in metrics])
    return page_obj, [MetricProgress(m, figures.get(m.pk, [])) for m in metrics]


def metrics_all(user: User, plan: Plan) -> list[MetricProgress]:
    """Every quantitative target the user may see, for the export: two queries."""
    metrics = list(_visible_metrics(user, plan))
    figures = _metric_figures(user, [m.pk for m in metrics])
    return [MetricProgress(m, figures.get(m.pk, [])) for m in metrics]


def metric_progress(user: User, plan: Plan, pk: int) -> MetricProgress | None:
    metric = _visible_metrics(user, plan).filter(pk=pk).first()
    if metric is None:
        return None
    return MetricProgress(metric, _metric_figures(user, [metric.pk]).get(metric.pk, []))


def metric_chart(progress: MetricProgress) -> dict:
    labels = [report.period.label for report, _ in progress.figures]
    actual = [float(value) for _, value in progress.figures]
    path = [_number(path_value(progress.path, report.period.end_date)) for report, _ in progress.figures]
    phase_end = progress.metric.phase.end_date
    labels.append(f"{phase_end.year}年底（目标）")
    actual.append(None)
    path.append(float(progress.metric.target_value))
    return {
        "kind": "line",
        "unit": progress.metric.unit_of_measure,
        "categories": labels,
        "series": [
            {"name": "实际", "color": "#0b5cad", "data": actual},
            {"name": "目标路径", "color": "#8c959f", "dashed": True, "data": path},
        ],
    }
