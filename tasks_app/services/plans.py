"""Plans: which one is current, and importing a task list file into one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from tasks_app.models import Plan, PlanRevision
from tasks_app.tasklist.apply import apply_tasklist, current_tasklist, sha256
from tasks_app.tasklist.diff import TaskListDiff, compare
from tasks_app.tasklist.problems import TaskListError
from tasks_app.tasklist.reader import ReadResult, read_tasklist


class NoPlanError(Exception):
    pass


def default_plan() -> Plan | None:
    return Plan.objects.filter(is_default=True).first() or Plan.objects.order_by("pk").first()


@transaction.atomic
def plan_get_or_create(*, name: str) -> Plan:
    """The plan called ``name``; a new one if there is none (the first plan becomes the default)."""
    plan = Plan.objects.filter(name=name).first()
    if plan is not None:
        return plan
    number = Plan.objects.count() + 1
    today = dt.date.today()
    return Plan.objects.create(
        code=f"plan-{number}",
        name=name,
        start_date=today,
        end_date=today,
        is_default=not Plan.objects.filter(is_default=True).exists(),
    )


def plan_for_import(name: str | None) -> Plan:
    if name:
        return plan_get_or_create(name=name)
    plan = default_plan()
    if plan is None:
        raise NoPlanError("系统中还没有任何方案：首次导入请用 --plan 指定方案名称。")
    return plan


@dataclass
class ImportPreview:
    """A dry run: what the file says, what it would change, and every problem found."""

    plan: Plan
    read: ReadResult
    diff: TaskListDiff | None
    sha256: str

    @property
    def ok(self) -> bool:
        return self.read.ok

    @property
    def created_units(self) -> list[str]:
        return [unit.name for unit in self.read.directory.pending] if self.read.directory else []


def tasklist_preview(*, plan: Plan, file_name: str, data: bytes, create_units: bool = False) -> ImportPreview:
    """Read ``data`` and compare it with the plan's current list. Writes nothing."""
    result = read_tasklist(file_name, data, create_units=create_units)
    diff = compare(current_tasklist(plan), result.tasklist) if result.ok else None
    return ImportPreview(plan=plan, read=result, diff=diff, sha256=sha256(data))


def tasklist_import(
    *,
    plan: Plan,
    file_name: str,
    data: bytes,
    user=None,
    note: str = "",
    create_units: bool = False,
    expected_sha256: str | None = None,
) -> tuple[PlanRevision | None, ImportPreview]:
    """Read and apply in one go. Raises TaskListError, having written nothing, on any error.

    ``expected_sha256`` guards a confirm step: the file applied must be the one previewed.
    """
    preview = tasklist_preview(plan=plan, file_name=file_name, data=data, create_units=create_units)
    if expected_sha256 and preview.sha256 != expected_sha256:
        raise TaskListError.single("确认导入的文件与预览时的文件不一致，请重新上传并预览。", file_name)
    preview.read.raise_for_errors()
    revision, diff = apply_tasklist(
        plan=plan,
        tasklist=preview.read.tasklist,
        user=user,
        note=note,
        source_name=file_name,
        source_bytes=data,
        directory=preview.read.directory,
    )
    preview.diff = diff
    return revision, preview
