from tasks_app.models.accounts import Role, User
from tasks_app.models.indicators import Indicator, IndicatorTarget
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
from tasks_app.models.units import Unit, UnitAlias, UnitKind

__all__ = [
    "Indicator",
    "IndicatorTarget",
    "Measure",
    "MeasureUnit",
    "Part",
    "Phase",
    "PhaseTarget",
    "Plan",
    "PlanRevision",
    "Role",
    "Sector",
    "Task",
    "Unit",
    "UnitAlias",
    "UnitKind",
    "User",
    "split_target_items",
]
