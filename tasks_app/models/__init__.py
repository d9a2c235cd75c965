from tasks_app.models.accounts import Role, User
from tasks_app.models.cadence import Cadence, CadenceDocument, DueRule, ReminderKind, ReminderStep
from tasks_app.models.calendar import CalendarDay, CalendarSource, CalendarYear
from tasks_app.models.imports import ImportJob
from tasks_app.models.indicators import Indicator, IndicatorTarget
from tasks_app.models.insights import IndicatorFigure, PublicPageSettings
from tasks_app.models.permissions import MeasureGroupObjectPermission, MeasureUserObjectPermission
from tasks_app.models.plan import (
    Measure,
    MeasureUnit,
    Part,
    Phase,
    PhaseTarget,
    Plan,
    PlanRevision,
    Sector,
    Task,
    split_target_items,
)
from tasks_app.models.reports import (
    EDITABLE_STATES,
    FILED_STATES,
    CollectiveDesignation,
    Evidence,
    Period,
    PeriodKind,
    ProgressStatus,
    Report,
    ReportEvent,
    ReportFigure,
    ReportState,
    TargetMetric,
)
from tasks_app.models.units import Unit, UnitAlias, UnitKind

__all__ = [
    "EDITABLE_STATES",
    "FILED_STATES",
    "Cadence",
    "CadenceDocument",
    "CalendarDay",
    "CalendarSource",
    "CalendarYear",
    "CollectiveDesignation",
    "DueRule",
    "Evidence",
    "ImportJob",
    "Indicator",
    "IndicatorFigure",
    "IndicatorTarget",
    "Measure",
    "MeasureGroupObjectPermission",
    "MeasureUnit",
    "MeasureUserObjectPermission",
    "Part",
    "Period",
    "PeriodKind",
    "Phase",
    "PhaseTarget",
    "Plan",
    "PlanRevision",
    "ProgressStatus",
    "PublicPageSettings",
    "ReminderKind",
    "ReminderStep",
    "Report",
    "ReportEvent",
    "ReportFigure",
    "ReportState",
    "Role",
    "Sector",
    "TargetMetric",
    "Task",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "User",
    "split_target_items",
]
