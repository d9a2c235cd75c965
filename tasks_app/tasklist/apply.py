"""Write a task list to the database as a new revision of a plan.

All of it happens in one transaction with the plan row locked, so two imports
cannot interleave and a failure half way leaves the previous list untouched.
Only what the diff says changed is written; a task or measure that leaves the
list is archived with the revision that dropped it.
"""

from __future__ import annotations

import hashlib
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch

from tasks_app.models import Measure, MeasureUnit, Part, Phase, PhaseTarget, Plan, PlanRevision, Sector, Task, Unit
from tasks_app.services.metrics import target_metrics_refresh
from tasks_app.services.permissions import measure_permissions_sync
from tasks_app.tasklist.data import MeasureData, PhaseColumn, TaskData, TaskList
from tasks_app.tasklist.diff import REMOVED, UNCHANGED, TaskListDiff, compare
from tasks_app.tasklist.problems import Problem, TaskListError
from tasks_app.tasklist.rows import STAGE_WRITE, Progress
from tasks_app.unit_names import UnitDirectory

STALE_PREVIEW = "自预览以来，当前清单或单位目录已有变化，导入的结果将与预览不同：未写入任何内容，请重新上传并预览。"


def current_tasklist(plan: Plan) -> TaskList:
    """The plan's current list (archived tasks and measures left out), as data."""
    phases = list(plan.phases.order_by("ordinal"))
    measures = (
        Measure.objects.current()
        .order_by("position")
        .prefetch_related(
            Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("order")),
            "targets",
        )
    )
    tasks = (
        Task.objects.current()
        .filter(plan=plan)
        .select_related("sector__part")
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("number")
    )
    return TaskList(
        phases=[PhaseColumn(p.ordinal, p.header, p.name, p.start_date.year, p.end_date.year) for p in phases],
        tasks=[_task_data(task, phases) for task in tasks],
    )


def _task_data(task: Task, phases: list[Phase]) -> TaskData:
    measures = []
    for measure in task.measures.all():
        links = list(measure.unit_links.all())
        targets = {t.phase_id: t.text for t in measure.targets.all()}
        measures.append(
            MeasureData(
                position=measure.position,
                text=measure.text,
                lead=[link.unit.name for link in links if link.role == MeasureUnit.Role.LEAD],
                support=[link.unit.name for link in links if link.role == MeasureUnit.Role.SUPPORT],
                targets=[targets.get(phase.pk, "") for phase in phases],
                lead_text=measure.lead_units_text,
                support_text=measure.support_units_text,
            )
        )
    return TaskData(task.number, task.title, task.sector.part.heading, task.sector.heading, measures)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def apply_tasklist(
    *,
    plan: Plan,
    tasklist: TaskList,
    user=None,
    note: str = "",
    source_name: str = "",
    source_bytes: bytes | None = None,
    directory: UnitDirectory | None = None,
    expected_diff: dict | None = None,
    progress: Progress | None = None,
) -> tuple[PlanRevision | None, TaskListDiff]:
    """Apply ``tasklist`` as the plan's next revision.

    Returns (None, empty diff) when nothing would change: re-importing the same
    list is a no-op. Raises TaskListError, having written nothing, if a unit is
    unknown, or if ``expected_diff`` (the JSON of the diff a preview showed) is
    given and this is not what would be applied.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    diff = compare(current_tasklist(plan), tasklist)
    if expected_diff is not None and _as_stored(diff.to_json()) != _as_stored(expected_diff):
        raise TaskListError.single(STALE_PREVIEW, source_name or "任务清单")
    if diff.is_empty and plan.revisions.exists():
        return None, diff
    if progress is not None:
        progress(STAGE_WRITE, 0, 0)
    if directory is not None:
        directory.save_created()
    units = _units_by_name(tasklist, source_name)

    number = (plan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision.objects.create(
        plan=plan,
        number=number,
        created_by=user,
        note=note,
        source_name=source_name,
        source_sha256=sha256(source_bytes) if source_bytes is not None else "",
        diff=diff.to_json(),
        snapshot=tasklist.to_json(),
    )

    phases = _sync_phases(plan, tasklist.phases)
    sectors = _sync_sectors(plan, tasklist.tasks)
    _sync_tasks(plan, tasklist, diff, revision, sectors, phases, units)
    _drop_empty_groups(plan)
    if phases:
        plan.start_date = min(p.start_date for p in phases)
        plan.end_date = max(p.end_date for p in phases)
        plan.save(update_fields=["start_date", "end_date"])
    # Rights and quantitative targets follow the list, in the same transaction.
    measure_permissions_sync(plan=plan)
    target_metrics_refresh(plan=plan)
    if source_bytes is not None:
        # Last, so that a database failure above leaves no stored file behind.
        revision.source_file.save(f"{plan.code}-r{number}-{source_name or 'tasklist'}", ContentFile(source_bytes))
    return revision, diff


def _as_stored(data: dict) -> dict:
    """A diff as a JSON column gives it back (tuples become lists), for comparing."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def _units_by_name(tasklist: TaskList, source_name: str) -> dict[str, Unit]:
    names = tasklist.unit_names()
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
    missing = sorted(names - units.keys())
    if missing:
        raise TaskListError([Problem(f"单位目录中没有：{'、'.join(missing)}。", source_name or "任务清单")])
    return units


def _sync_phases(plan: Plan, columns: list[PhaseColumn]) -> list[Phase]:
    existing = {p.ordinal: p for p in plan.phases.all()}
    phases = []
    for column in columns:
        values = {
            "name": column.name,
            "header": column.header,
            "start_date": column.start_date,
            "end_date": column.end_date,
        }
        phase = existing.get(column.ordinal)
        if phase is None:
            phase = Phase.objects.create(plan=plan, ordinal=column.ordinal, **values)
        elif any(getattr(phase, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(phase, key, value)
            phase.save(update_fields=list(values))
        phases.append(phase)
    return phases


def _sync_sectors(plan: Plan, tasks: list[TaskData]) -> dict[tuple[str, str], Sector]:
    """Parts and sectors by heading, ordered as they first appear in the new list."""
    parts = {p.heading: p for p in plan.parts.all()}
    sectors = {(s.part.heading, s.heading): s for s in Sector.objects.filter(part__plan=plan).select_related("part")}
    part_order: list[str] = []
    sector_order: dict[str, list[str]] = {}
    for task in tasks:
        if task.part not in part_order:
            part_order.append(task.part)
        names = sector_order.setdefault(task.part, [])
        if task.sector not in names:
            names.append(task.sector)
    # Move existing rows out of the way first: ordinals are re-numbered below.
    for ordinal, heading in enumerate(part_order, start=1):
        part = parts.get(heading)
        if part is None:
            parts[heading] = Part.objects.create(plan=plan, ordinal=ordinal, heading=heading)
        elif part.ordinal != ordinal:
            part.ordinal = ordinal
            part.save(update_fields=["ordinal"])
        for sector_ordinal, sector_heading in enumerate(sector_order[heading], start=1):
            key = (heading, sector_heading)
            sector = sectors.get(key)
            if sector is None:
                sectors[key] = Sector.objects.create(
                    part=parts[heading], ordinal=sector_ordinal, heading=sector_heading
                )
            elif sector.ordinal != sector_ordinal:
                sector.ordinal = sector_ordinal
                sector.save(update_fields=["ordinal"])
    return sectors


def _sync_tasks(plan, tasklist, diff, revision, sectors, phases, units) -> None:
    tasks = {t.number: t for t in plan.tasks.all()}
    measures = {(m.task.number, m.position): m for m in Measure.objects.filter(task__plan=plan).select_related("task")}
    status = {t.number: t for t in diff.tasks}

    new_tasks = []
    for data in tasklist.tasks:
        sector = sectors[(data.part, data.sector)]
        task = tasks.get(data.number)
        if task is None:
            task = Task(plan=plan, number=data.number, title=data.title, sector=sector, introduced_in=revision)
            new_tasks.append(task)
            tasks[data.number] = task
        elif status[data.number].status != UNCHANGED or task.archived_in_id:
            task.title, task.sector, task.archived_in = data.title, sector, None
            task.save(update_fields=["title", "sector", "archived_in"])
    Task.objects.bulk_create(new_tasks)

    rewrite: list[tuple[Measure, MeasureData]] = []
    new_measures = []
    for data in tasklist.tasks:
        task = tasks[data.number]
        measure_status = {m.position: m.status for m in status[data.number].measures}
        for item in data.measures:
            code = Measure.code_for(data.number, item.position, len(data.measures))
            fields = {
                "text": item.text,
                "code": code,
                "lead_units_text": item.lead_text,
                "support_units_text": item.support_text,
                "archived_in": None,
            }
            measure = measures.get((data.number, item.position))
            if measure is None:
                measure = Measure(task=task, position=item.position, introduced_in=revision, **fields)
                new_measures.append(measure)
                rewrite.append((measure, item))
                continue
            changed = measure_status.get(item.position) not in (UNCHANGED, None) or measure.archived_in_id
            if changed or any(getattr(measure, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(measure, key, value)
                measure.save(update_fields=list(fields))
            if changed:
                rewrite.append((measure, item))
    Measure.objects.bulk_create(new_measures)
    _rewrite_units_and_targets(rewrite, phases, units)

    for task_diff in diff.tasks:
        if task_diff.status == REMOVED:
            Task.objects.filter(pk=tasks[task_diff.number].pk).update(archived_in=revision)
        for measure_diff in task_diff.measures:
            if measure_diff.status == REMOVED:
                key = (measure_diff.task_number, measure_diff.position)
                Measure.objects.filter(pk=measures[key].pk).update(archived_in=revision)


def _rewrite_units_and_targets(rewrite, phases, units) -> None:
    ids = [measure.pk for measure, _ in rewrite if measure.pk]
    MeasureUnit.objects.filter(measure_id__in=ids).delete()
    PhaseTarget.objects.filter(measure_id__in=ids).delete()
    links, targets = [], []
    for measure, item in rewrite:
        for role, names in ((MeasureUnit.Role.LEAD, item.lead), (MeasureUnit.Role.SUPPORT, item.support)):
            links += [
                MeasureUnit(measure=measure, unit=units[name], role=role, order=order)
                for order, name in enumerate(names, start=1)
            ]
        targets += [
            PhaseTarget(measure=measure, phase=phase, text=text)
            for phase, text in zip(phases, item.targets, strict=False)
            if text
        ]
    MeasureUnit.objects.bulk_create(links, batch_size=2000)
    PhaseTarget.objects.bulk_create(targets, batch_size=2000)


def _drop_empty_groups(plan: Plan) -> None:
    """Headings no task points to any more (current or archived) go; snapshots keep them."""
    Sector.objects.filter(part__plan=plan, tasks__isnull=True).delete()
    Part.objects.filter(plan=plan, sectors__isnull=True).delete()
