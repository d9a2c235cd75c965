"""Filing pages: 我的任务, the report page (form, consolidation, history), evidence, review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tasks_app import access
from tasks_app.forms import ReportForm, ReviewForm
from tasks_app.lights import report_light
from tasks_app.models import PhaseTarget, Report, ReportState, TargetMetric
from tasks_app.report_selectors import (
    QueueFilters,
    default_page_for,
    my_tasks,
    queue_choices,
    review_queue,
    sibling_reports,
)
from tasks_app.services.reports import (
    ReportConflict,
    ReportError,
    evidence_remove,
    input_from,
    previous_report,
    report_approve,
    report_review,
    report_save,
    report_submit,
    reports_carry_over,
)
from tasks_app.uploads import UploadRejected, check_upload


def start(request):
    """After login: each role lands on its own page."""
    return redirect(default_page_for(request.user))


def my_tasks_page(request):
    tasks = my_tasks(request.user, timezone.localdate())
    return render(request, "tasks_app/my_tasks.html", {"tasks": tasks, "unit": request.user.unit})


@require_POST
def carry_over(request):
    """沿用上期: submit the checked reports with the same content as last time."""
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()]
    reports = [r for r in access.reports_for(request.user).filter(pk__in=ids) if access.can_edit(request.user, r)]
    try:
        done = reports_carry_over(reports=reports, user=request.user)
    except ReportError as exc:
        messages.error(request, str(exc))
        return redirect("my-tasks")
    skipped = len(ids) - len(done)
    text = f"已沿用上期内容提交 {len(done)} 项报告。"
    if skipped:
        text += f"{skipped} 项无上期内容或已不可修改，未提交。"
    messages.success(request, text)
    return redirect("my-tasks")


def _metrics(report: Report) -> list[TargetMetric]:
    return list(
        TargetMetric.objects.filter(measure_id=report.measure_id)
        .select_related("phase")
        .order_by("phase__ordinal", "pk")
    )


def _initial(report: Report) -> tuple[dict, Report | None]:
    """The form starts from the report itself, or, if nothing was typed yet, from last period's."""
    source = report
    carried = None
    if report.state == ReportState.REQUESTED and not report.progress:
        carried = previous_report(report)
        source = carried or report
    data = input_from(source)
    initial = {
        "progress_status": data.progress_status,
        "progress": data.progress,
        "problems": data.problems,
        "next_steps": data.next_steps,
        "version": report.version,
    }
    initial |= {f"figure_{metric_id}": value for metric_id, value in data.figures.items()}
    return initial, carried


def report_detail(request, pk: int):
    report = access.access_report(request.user, pk)
    editable = access.can_edit(request.user, report)
    metrics = _metrics(report)
    status = 200
    form = None
    conflict = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("该报告当前不能修改。")
        form = ReportForm(request.POST, request.FILES, report=report, metrics=metrics)
        outcome = _file(request, report, form)
        if outcome is None:
            return redirect("report-detail", pk=report.pk)
        status, conflict = outcome
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    # Read once for the page: the figures serve both the form and the list, and each phase target
    # names its phase (one query for all of them, not one per target).
    prefetch_related_objects(
        [report], "figures", Prefetch("measure__targets", queryset=PhaseTarget.objects.select_related("phase"))
    )
    carried = None
    if editable and form is None:
        initial, carried = _initial(report)
        form = ReportForm(initial=initial, report=report, metrics=metrics)
    context = {
        "report": report,
        "form": form,
        "editable": editable,
        "carried_from": carried,
        "conflict": conflict,
        "metrics": metrics,
        "figure_rows": _figure_rows(report, metrics),
        "evidence": list(report.evidence.all()),
        "siblings": sibling_reports(report, request.user),
        "events": list(report.events.select_related("actor")),
        "history": _history(report),
        "light": report_light(report, timezone.localdate()),
        "can_approve": access.can_approve(request.user, report),
        "can_review": access.can_review(request.user, report),
        "review_form": ReviewForm(),
    }
    return render(request, "tasks_app/report_detail.html", context, status=status)


def _file(request, report: Report, form: ReportForm):
    """Save or submit. Returns None on success, else (status, conflicting report or None)."""
    if not form.is_valid():
        return 400, None
    uploads = []
    for upload in form.cleaned_data.get("evidence") or []:
        try:
            uploads.append(check_upload(upload.name, upload.read()))
        except UploadRejected as exc:
            # The typed text stays in the form; nothing is saved until every file is acceptable.
            form.add_error("evidence", str(exc))
    if form.errors:
        return 400, None
    submit = request.POST.get("action") == "submit"
    service = report_submit if submit else report_save
    try:
        saved = service(
            report=report,
            user=request.user,
            data=form.to_input(),
            version=form.cleaned_data["version"],
            uploads=uploads,
        )
    except ReportConflict as exc:
        form.add_error(None, str(exc))
        return 409, exc.current
    except ReportError as exc:
        form.add_error(None, str(exc))
        form.add_service_errors(exc.field_errors)
        return 400, None
    if saved.state == ReportState.PENDING_APPROVAL:
        messages.success(request, "已提交，等待本单位负责人审核后报送。")
    elif submit:
        messages.success(request, "已提交督查室。提交后不可修改，如被退回可再修改。")
    else:
        messages.success(request, "草稿已保存。")
    return None


def _figure_rows(report: Report, metrics: list[TargetMetric]) -> list[tuple[TargetMetric, object]]:
    values = {f.metric_id: f.value for f in report.figures.all()}
    return [(metric, values.get(metric.pk)) for metric in metrics]


def _history(report: Report) -> list[dict]:
    """Each recorded version of the report with the fields it changed."""
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    changes = []
    previous = None
    for record in records:
        fields = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version", "updated_by", "submitted_at"])
            fields = [
                (Report._meta.get_field(change.field).verbose_name, change.old, change.new) for change in delta.changes
            ]
        changes.append({"record": record, "fields": fields})
        previous = record
    return list(reversed(changes))


@require_POST
def approve(request, pk: int):
    report = access.access_report(request.user, pk)
    try:
        report_approve(report=report, user=request.user)
    except ReportError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "已同意报送，报告已提交督查室。")
    return redirect("report-detail", pk=pk)


@require_POST
def review(request, pk: int):
    report = access.access_report(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    accept = request.POST.get("decision") == "accept"
    try:
        report_review(report=report, user=request.user, accept=accept, comment=form.cleaned_data.get("comment", ""))
    except ReportError as exc:
        if not access.is_reviewer(request.user):
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
        return redirect("report-detail", pk=pk)
    messages.success(request, "已审核通过。" if accept else "已退回，并通知了填报单位。")
    return redirect("review-queue")


def evidence_download(request, pk: int):
    evidence = access.access_evidence(request.user, pk)
    # A database restored without its media folder must not turn a download into a 500.
    if not evidence.file.storage.exists(evidence.file.name):
        raise Http404("该文件不在文件存储中，请联系系统管理员。")
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@require_POST
def evidence_delete(request, pk: int):
    evidence = access.access_evidence(request.user, pk)
    try:
        evidence_remove(evidence=evidence, user=request.user)
    except ReportError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, f"已删除“{evidence.original_name}”。")
    return redirect("report-detail", pk=evidence.report_id)


def review_queue_page(request):
    if not access.is_reviewer(request.user):
        raise PermissionDenied("仅督查室可以审核报告。")
    filters = QueueFilters(
        period=_int(request.GET.get("period")),
        unit=_int(request.GET.get("unit")),
        state=request.GET.get("state", ReportState.SUBMITTED),
    )
    if filters.state not in ReportState.values:
        filters.state = ""
    page = review_queue(filters, request.GET.get("page", 1))
    periods, units = queue_choices()
    context = {"page": page, "filters": filters, "periods": periods, "units": units, "states": ReportState.choices}
    return render(request, "tasks_app/review_queue.html", context)


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
