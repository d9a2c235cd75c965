"""Plans: which one is current, and importing a task list file into one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction

from tasks_app.models import Plan, PlanRevision
from tasks_app.tasklist.apply import apply_tasklist, current_tasklist, sha256
from tasks_app.tasklist.data import TaskList
from tasks_app.tasklist.diff import TaskListDiff, compare
from tasks_app.tasklist.export import write_flat_csv, write_flat_xlsx
from tasks_app.tasklist.export_distributed import write_distributed_xlsx
from tasks_app.tasklist.problems import TaskListError
from tasks_app.tasklist.reader import ReadResult, read_tasklist
from tasks_app.tasklist.rows import STAGE_COMPARE, Progress
from tasks_app.unit_names import UnitDirectory

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# format → (label, file suffix, content type)
EXPORT_FORMATS = {
    "distributed": ("附件原表", ".xlsx", XLSX_TYPE),
    "flat": ("平铺模板", ".xlsx", XLSX_TYPE),
    "csv": ("平铺模板", ".csv", "text/csv; charset=utf-8"),
}


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
    while Plan.objects.filter(code=f"plan-{number}").exists():  # a plan may have been deleted
        number += 1
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
    """A dry run: what the file says, what it would change, and every problem found.

    ``plan`` is None for a plan that does not exist yet: the list is compared
    with an empty one, and the plan is only created when the import is applied.
    """

    plan: Plan | None
    read: ReadResult
    diff: TaskListDiff | None
    sha256: str

    @property
    def ok(self) -> bool:
        return self.read.ok

    @property
    def created_units(self) -> list[str]:
        return [unit.name for unit in self.read.directory.pending] if self.read.directory else []


def tasklist_preview(
    *,
    plan: Plan | None,
    file_name: str,
    data: bytes,
    create_units: bool = False,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read ``data`` and compare it with the plan's current list. Writes nothing."""
    result = read_tasklist(file_name, data, create_units=create_units, progress=progress)
    diff = None
    if result.ok:
        if progress is not None:
            progress(STAGE_COMPARE, 0, 0)
        current = current_tasklist(plan) if plan is not None else TaskList(phases=[], tasks=[])
        diff = compare(current, result.tasklist)
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
    expected_diff: dict | None = None,
    progress: Progress | None = None,
) -> tuple[PlanRevision | None, ImportPreview]:
    """Read and apply in one go. Raises TaskListError, having written nothing, on any error.

    ``expected_sha256`` and ``expected_diff`` guard a confirm step: the file applied
    must be the one previewed, and it must change exactly what the preview showed.
    """
    preview = tasklist_preview(plan=plan, file_name=file_name, data=data, create_units=create_units, progress=progress)
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
        expected_diff=expected_diff,
        progress=progress,
    )
    preview.diff = diff
    return revision, preview


def tasklist_export(
    *, plan: Plan, revision: PlanRevision | None = None, fmt: str, encoding: str = "utf-8-sig"
) -> tuple[str, str, bytes]:
    """The current list, or ``revision`` as it stood, as a file: (file name, content type, bytes).

    ``distributed`` is the annex table (print-ready XLSX), ``flat`` the template, ``csv`` the
    template as CSV (UTF-8 with BOM, or ``encoding``). Importing any of them back changes nothing.
    """
    label, suffix, content_type = EXPORT_FORMATS[fmt]
    tasklist = TaskList.from_json(revision.snapshot) if revision is not None else current_tasklist(plan)
    version = f"第{revision.number}版" if revision is not None else "当前"
    if fmt == "distributed":
        data = write_distributed_xlsx(tasklist, title=plan.name, directory=UnitDirectory.load())
    elif fmt == "flat":
        data = write_flat_xlsx(tasklist)
    else:
        data = write_flat_csv(tasklist, encoding=encoding)
    safe_name = re.sub(r'[\\/:*?"<>|]', "_", plan.name)
    return f"{safe_name}-{version}-{label}{suffix}", content_type, data
