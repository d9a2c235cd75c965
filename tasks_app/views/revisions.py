"""A plan's revisions: the history, any revision as it stood with what it changed, and exports."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from tasks_app.models import Plan
from tasks_app.selectors import archived_tasks, revision_as_it_stood, revision_history
from tasks_app.services.plans import EXPORT_FORMATS, tasklist_export
from tasks_app.tasklist.diff import diff_for_display


def revision_list(request, pk: int):
    plan = get_object_or_404(Plan, pk=pk)
    revisions = revision_history(plan)
    rows = [(revision, diff_for_display(revision.diff)) for revision in revisions]
    context = {"plan": plan, "rows": rows, "archived": archived_tasks(plan)}
    return render(request, "tasks_app/revision_list.html", context)


def revision_detail(request, pk: int, number: int):
    plan = get_object_or_404(Plan, pk=pk)
    revision, parts = revision_as_it_stood(plan, number)
    phases = revision.snapshot.get("phases", [])
    context = {
        "plan": plan,
        "revision": revision,
        "parts": parts,
        "phases": phases,
        "diff": diff_for_display(revision.diff),
        "task_count": len(revision.snapshot.get("tasks", [])),
        "latest": plan.latest_revision,
    }
    return render(request, "tasks_app/revision_detail.html", context)


def _download(plan: Plan, revision_number: int | None, fmt: str) -> FileResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404("没有这种导出格式。")
    revision = None
    if revision_number is not None:
        revision = get_object_or_404(plan.revisions, number=revision_number)
    file_name, content_type, data = tasklist_export(plan=plan, revision=revision, fmt=fmt)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=file_name, content_type=content_type)


def plan_export(request, pk: int, fmt: str):
    return _download(get_object_or_404(Plan, pk=pk), None, fmt)


def revision_export(request, pk: int, number: int, fmt: str):
    return _download(get_object_or_404(Plan, pk=pk), number, fmt)


def revision_source(request, pk: int, number: int):
    """The file a revision was imported from, exactly as uploaded (staff only: it may hold drafts).

    Not ``staff_member_required``: that sends everyone else to the admin's login page, which would
    tell any visitor where the admin lives (``ADMIN_URL`` is meant to be unguessable)."""
    if not request.user.is_staff:
        raise PermissionDenied("只有管理员可以下载修订的来源文件。")
    plan = get_object_or_404(Plan, pk=pk)
    revision = get_object_or_404(plan.revisions, number=number)
    if not revision.source_file or not revision.source_file.storage.exists(revision.source_file.name):
        raise Http404("这一版的来源文件不在文件存储中。")
    return FileResponse(revision.source_file.open("rb"), as_attachment=True, filename=revision.source_name)
