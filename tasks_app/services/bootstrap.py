"""First run: the unit directory, 附件1 and its headline indicators."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from notifications.schedule import beat_schedule_ensure
from tasks_app.models import Plan, PlanRevision
from tasks_app.services.cadence import cadences_load
from tasks_app.services.calendar import calendar_load_from_package
from tasks_app.services.indicators import indicators_load
from tasks_app.services.plans import plan_get_or_create, tasklist_import
from tasks_app.services.units import unit_directory_load


@dataclass
class Annex1Load:
    plan: Plan
    revision: PlanRevision | None
    units: dict[str, int]
    indicators: int
    cadences: int
    calendar_days: int


def annex1_load() -> Annex1Load:
    """Load the fixtures that ``make run`` starts from. Idempotent: a second run writes nothing."""
    units = unit_directory_load(path=settings.UNIT_DIRECTORY_FIXTURE)
    plan = plan_get_or_create(name=settings.ANNEX1_PLAN_NAME)
    revision, _ = tasklist_import(
        plan=plan,
        file_name=settings.ANNEX1_FIXTURE.name,
        data=settings.ANNEX1_FIXTURE.read_bytes(),
        note="附件1（征求意见稿）",
    )
    indicators = indicators_load(plan=plan, path=settings.ANNEX1_INDICATORS_FIXTURE)
    cadences = cadences_load(plan=plan, path=settings.ANNEX1_CADENCES_FIXTURE)
    calendar_days = calendar_load_from_package()
    beat_schedule_ensure()
    return Annex1Load(plan, revision, units, indicators, cadences, calendar_days)
