"""批量填报: every open report of the unit on one page, each prefilled, saved or submitted together."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render

from tasks_app.access import can_edit
from tasks_app.models import EDITABLE_STATES, ProgressStatus, Report
from tasks_app.services.reports import ReportInput, input_from, previous_report, reports_file_many

FIELDS = ("progress_status", "progress", "problems", "next_steps")


@dataclass
class BatchItem:
    report: Report
    data: ReportInput
    version: int
    carried: Report | None = None
    error: str = ""
    field_errors: dict | None = None


def _open_reports(user) -> list[Report]:
    if not user.unit_id:
        return []
    reports = Report.objects.filter(unit_id=user.unit_id, state__in=EDITABLE_STATES).select_related(
        "period", "measure__task"
    )
    return [
        r
        for r in reports.order_by("period__start_date", "measure__task__number", "measure__position")
        if can_edit(user, r)
    ]


def _prefilled(report: Report) -> BatchItem:
    carried = previous_report(report) if not report.progress and not report.progress_status else None
    source = carried or report
    return BatchItem(report, input_from(source), report.version, carried)


def batch_page(request):
    reports = _open_reports(request.user)
    if request.method == "POST":
        by_pk = {r.pk: r for r in reports}
        items = []
        for pk in request.POST.getlist("reports"):
            report = by_pk.get(int(pk)) if pk.isdigit() else None
            if report is None:
                continue  # no longer open, or not this unit's: never written
            data = ReportInput(**{name: request.POST.get(f"r{report.pk}-{name}", "") for name in FIELDS})
            version = int(request.POST.get(f"r{report.pk}-version") or -1)
            items.append((report, data, version))
        submit = request.POST.get("action") == "submit"
        outcome = reports_file_many(user=request.user, items=items, submit=submit)
        verb = "提交" if submit else "保存"
        if outcome.done:
            messages.success(request, f"已{verb} {len(outcome.done)} 份报告。")
        if not outcome.failed:
            return redirect("my-tasks" if submit else "batch")
        messages.error(request, f"{len(outcome.failed)} 份报告未能{verb}，请按提示修改；您填写的内容仍保留在下方。")
        done = {r.pk for r in outcome.done}
        batch = [
            BatchItem(
                report,
                data,
                version,
                error=str(outcome.failed[report.pk]),
                field_errors=outcome.failed[report.pk].field_errors,
            )
            for report, data, version in items
            if report.pk in outcome.failed
        ]
        batch += [_prefilled(r) for r in _open_reports(request.user) if r.pk not in done and r.pk not in outcome.failed]
        return render(request, "tasks_app/batch.html", {"items": batch, "statuses": ProgressStatus.choices}, status=400)
    return render(
        request, "tasks_app/batch.html", {"items": [_prefilled(r) for r in reports], "statuses": ProgressStatus.choices}
    )
