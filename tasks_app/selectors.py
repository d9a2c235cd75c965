"""Reads for the task browser, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tasks_app.models import Measure, MeasureUnit, Part, Plan, Sector, Task, Unit, UnitKind


def measures_with_units() -> QuerySet[Measure]:
    return Measure.objects.order_by("position").prefetch_related(
        Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("order"))
    )


@dataclass
class TaskRow:
    """A task as the plan overview lists it: number, title, lead units, number of measures."""

    task: Task
    lead_units: list[tuple[int, str]] = field(default_factory=list)  # (unit id, name), first measure first
    measure_count: int = 0


@dataclass
class SectorGroup:
    sector: Sector
    tasks: list[TaskRow] = field(default_factory=list)


@dataclass
class PartGroup:
    part: Part
    sectors: list[SectorGroup] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return sum(len(group.tasks) for group in self.sectors)


def plan_overview(plan: Plan) -> list[PartGroup]:
    """The plan's current tasks grouped by part and sector, with their lead units.

    Three queries whatever the size of the list (tasks with sector and part,
    measure counts, lead units); rows, not model instances, where that is enough.
    """
    tasks = (
        Task.objects.current()
        .filter(plan=plan)
        .select_related("sector__part")
        .order_by("sector__part__ordinal", "sector__ordinal", "number")
    )
    rows: dict[int, TaskRow] = {task.pk: TaskRow(task) for task in tasks}
    current_measures = Measure.objects.current().filter(task__plan=plan)
    for task_id, count in current_measures.values("task_id").annotate(n=Count("pk")).values_list("task_id", "n"):
        if task_id in rows:
            rows[task_id].measure_count = count
    leads = (
        MeasureUnit.objects.filter(role=MeasureUnit.Role.LEAD, measure__in=current_measures)
        .order_by("measure__position", "order")
        .values_list("measure__task_id", "unit_id", "unit__name")
    )
    for task_id, unit_id, name in leads:
        row = rows.get(task_id)
        if row is not None and (unit_id, name) not in row.lead_units:
            row.lead_units.append((unit_id, name))

    parts: dict[int, PartGroup] = {}
    sectors: dict[int, SectorGroup] = {}
    for row in rows.values():
        sector = row.task.sector
        part_group = parts.setdefault(sector.part_id, PartGroup(sector.part))
        if sector.pk not in sectors:
            sectors[sector.pk] = SectorGroup(sector)
            part_group.sectors.append(sectors[sector.pk])
        sectors[sector.pk].tasks.append(row)
    return list(parts.values())


def task_for_display(pk: int) -> Task:
    """One task with its measures, units and phase targets (archived ones included, marked)."""
    measures = measures_with_units().select_related("archived_in").prefetch_related("targets__phase")
    queryset = Task.objects.select_related("plan", "sector__part", "archived_in").prefetch_related(
        Prefetch("measures", queryset=measures), "plan__phases"
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass
class UnitRole:
    measure: Measure
    role: str
    via: Unit | None = None  # the collective through which the unit is responsible


def unit_responsibilities(unit: Unit, plan: Plan | None) -> dict[str, list[UnitRole]]:
    """Where ``unit`` leads and where it supports, directly or as a member of a collective."""
    collectives = list(unit.collectives.all())
    through = {c.pk: c for c in collectives}
    links = (
        MeasureUnit.objects.filter(unit_id__in=[unit.pk, *through])
        .filter(measure__archived_in__isnull=True, measure__task__archived_in__isnull=True)
        .select_related("measure__task__sector", "unit")
        .order_by("measure__task__number", "measure__position")
    )
    if plan is not None:
        links = links.filter(measure__task__plan=plan)
    roles: dict[str, list[UnitRole]] = defaultdict(list)
    for link in links:
        via = through.get(link.unit_id)
        roles[link.role].append(UnitRole(link.measure, link.role, via))
    return {"lead": roles[MeasureUnit.Role.LEAD], "support": roles[MeasureUnit.Role.SUPPORT]}


def unit_directory_groups() -> list[tuple[str, list[Unit]]]:
    units = Unit.objects.prefetch_related("aliases").order_by("sort_order", "name")
    grouped: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        grouped[unit.kind].append(unit)
    return [(label, grouped[value]) for value, label in UnitKind.choices if grouped[value]]


# --- revisions: the list as it stood, from each revision's snapshot ---------------------------


@dataclass
class SnapshotSector:
    heading: str
    tasks: list[dict] = field(default_factory=list)


@dataclass
class SnapshotPart:
    heading: str
    sectors: list[SnapshotSector] = field(default_factory=list)


def revision_history(plan: Plan) -> list:
    """A plan's revisions, newest first, with who imported them (one query)."""
    return list(plan.revisions.select_related("created_by").order_by("-number"))


def archived_tasks(plan: Plan) -> QuerySet[Task]:
    """Tasks a revision took off the list: not reminded any more, their reports still readable."""
    return Task.objects.archived().filter(plan=plan).select_related("archived_in").order_by("number")


def snapshot_groups(snapshot: dict, tasks_by_number: dict[int, Task]) -> list[SnapshotPart]:
    """A revision's snapshot grouped by part and sector as it was issued; each task
    carries ``task_id`` (today's task row, current or archived) for its history."""
    parts: list[SnapshotPart] = []
    for task in snapshot.get("tasks", []):
        if not parts or parts[-1].heading != task["part"]:
            parts.append(SnapshotPart(task["part"]))
        sectors = parts[-1].sectors
        if not sectors or sectors[-1].heading != task["sector"]:
            sectors.append(SnapshotSector(task["sector"]))
        row = tasks_by_number.get(task["number"])
        sectors[-1].tasks.append(task | {"task_id": row.pk if row else None})
    return parts


def revision_as_it_stood(plan: Plan, number: int):
    """One revision (404 if none) with its list grouped for display and today's task rows by number."""
    revision = get_object_or_404(plan.revisions.select_related("created_by"), number=number)
    tasks_by_number = {task.number: task for task in Task.objects.filter(plan=plan).only("pk", "number")}
    return revision, snapshot_groups(revision.snapshot, tasks_by_number)
