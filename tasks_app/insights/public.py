"""公开进度: what the public may see, and nothing else.

The page is built from plain values picked here (the plan's own words, unit names, state, light and
the office's public summary), never from report objects, so a template cannot reach a problem, an
evidence file or a person's name by accident. The rendered page is cached; the office's edits and
the admin's switch clear the cache, and it expires on its own after ``PUBLIC_PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import OuterRef, Subquery, TextField, Value
from django.template.loader import render_to_string
from django.utils import timezone

from tasks_app.insights.dashboard import NOT_REQUESTED
from tasks_app.lights import Light
from tasks_app.measure_status import STATES, MeasureState, current_period, measure_statuses
from tasks_app.models import FILED_STATES, Measure, MeasureUnit, Plan, PublicPageSettings, Report, Sector

CACHE_PREFIX = "public-progress:"


@dataclass
class PublicMeasure:
    code: str
    text: str
    lead_units: list[str]
    state: MeasureState
    light: Light
    summary: str
    summary_period: str


@dataclass
class PublicTask:
    number: int
    title: str
    measures: list[PublicMeasure] = field(default_factory=list)


@dataclass
class PublicSector:
    heading: str
    tasks: list[PublicTask] = field(default_factory=list)


@dataclass
class PublicPart:
    heading: str
    sectors: list[PublicSector] = field(default_factory=list)


def _public_summary(period, column: str) -> Subquery:
    return Subquery(
        Report.objects.filter(
            measure=OuterRef("pk"),
            role=Report.Role.LEAD,
            state__in=FILED_STATES,
            period__start_date__lte=period.start_date,
        )
        .exclude(public_summary="")
        .order_by("-period__start_date", "-submitted_at")
        .values(column)[:1]
    )


def public_progress(plan: Plan, today: dt.date) -> dict:
    """The context of the public page: plain values only."""
    period = current_period(plan, today)
    measures = Measure.objects.filter(task__plan=plan, archived_in__isnull=True, task__archived_in__isnull=True)
    statuses = measure_statuses(period, today) if period else {}
    rows = measures.order_by("task__sector__part__ordinal", "task__sector__ordinal", "task__number", "position")
    if period is not None:
        rows = rows.annotate(
            summary=_public_summary(period, "public_summary"), summary_period=_public_summary(period, "period__label")
        )
    else:
        rows = rows.annotate(summary=Value("", output_field=TextField()), summary_period=Value("", TextField()))
    leads = defaultdict(list)
    for measure_id, name in (
        MeasureUnit.objects.filter(role=MeasureUnit.Role.LEAD, measure__in=measures)
        .order_by("order")
        .values_list("measure_id", "unit__name")
    ):
        leads[measure_id].append(name)
    sectors = {s.pk: s for s in Sector.objects.filter(part__plan=plan).select_related("part")}
    parts: dict[int, PublicPart] = {}
    sector_groups: dict[int, PublicSector] = {}
    tasks: dict[int, PublicTask] = {}
    counts = defaultdict(int)
    for row in rows.values(
        "pk", "code", "text", "task_id", "task__number", "task__title", "task__sector_id", "summary", "summary_period"
    ):
        sector = sectors[row["task__sector_id"]]
        part = parts.setdefault(sector.part_id, PublicPart(sector.part.heading))
        if sector.pk not in sector_groups:
            sector_groups[sector.pk] = PublicSector(sector.heading)
            part.sectors.append(sector_groups[sector.pk])
        if row["task_id"] not in tasks:
            tasks[row["task_id"]] = PublicTask(row["task__number"], row["task__title"])
            sector_groups[sector.pk].tasks.append(tasks[row["task_id"]])
        status = statuses.get(row["pk"], NOT_REQUESTED)
        counts[status.state] += 1
        tasks[row["task_id"]].measures.append(
            PublicMeasure(
                code=row["code"],
                text=row["text"],
                lead_units=leads[row["pk"]],
                state=status.state,
                light=status.light,
                summary=row["summary"] or "",
                summary_period=row["summary_period"] or "",
            )
        )
    return {
        "plan_name": plan.name,
        "period_label": period.label if period else "",
        "parts": list(parts.values()),
        "state_counts": [(state.label, counts[state]) for state in STATES],
        "measure_count": sum(counts.values()),
    }


def _key(plan: Plan) -> str:
    return f"{CACHE_PREFIX}{plan.pk}"


def public_page_html(plan: Plan, page: PublicPageSettings) -> str:
    """The rendered page, from the cache when it is there."""
    key = _key(plan)
    html = cache.get(key)
    if html is None:
        now = timezone.localtime()
        context = public_progress(plan, now.date()) | {
            "title": page.title,
            "intro": page.intro,
            "generated_at": now,
            "cache_minutes": settings.PUBLIC_PAGE_CACHE_SECONDS // 60,
        }
        # Rendered without the request: no user, no session, nothing personal can enter the cached page.
        html = render_to_string("tasks_app/public/progress.html", context)
        cache.set(key, html, settings.PUBLIC_PAGE_CACHE_SECONDS)
    return html


def public_cache_clear() -> None:
    cache.delete_many([_key(plan) for plan in Plan.objects.only("pk")])
