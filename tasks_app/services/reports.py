"""The life of a report: fill in, save, submit, (unit head) approve, review, return, resubmit.

Every write locks the report row and checks the version the user started from:
a second person saving over the first gets ``ReportConflict`` and their text is
kept by the caller, never silently lost. Every change goes through ``save()``,
so django-simple-history records who changed what and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import inbox_send, unit_recipients
from tasks_app.access import can_approve, can_edit, can_review
from tasks_app.models import (
    Evidence,
    ProgressStatus,
    Report,
    ReportEvent,
    ReportFigure,
    ReportState,
    Role,
    TargetMetric,
    User,
)
from tasks_app.uploads import CheckedFile

TEXT_FIELDS = ("progress", "problems", "next_steps")
MAX_TEXT = 10_000


class ReportError(Exception):
    """The action is not allowed or the input is wrong; nothing was written."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field_errors = field_errors or {}


class ReportConflict(ReportError):
    """Someone saved the report after this user opened it."""

    def __init__(self, current: Report):
        who = current.updated_by.display_name if current.updated_by else "他人"
        when = timezone.localtime(current.updated_at).strftime("%m月%d日 %H:%M")
        super().__init__(f"保存失败：该报告已被{who}于{when}修改。您填写的内容仍保留在下方，请核对最新内容后再保存。")
        self.current = current


@dataclass
class ReportInput:
    """What the form sends: the report's fields and figures, as typed."""

    progress_status: str = ""
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    figures: dict[int, str] = field(default_factory=dict)  # metric id → typed value


def _clean(report: Report, data: ReportInput, *, for_submit: bool) -> dict[int, Decimal]:
    errors: dict[str, str] = {}
    if data.progress_status and data.progress_status not in ProgressStatus.values:
        errors["progress_status"] = (
            f"推进状态“{data.progress_status}”不在可选范围内（未启动、正常推进、滞后、已完成）。"
        )
    for name in TEXT_FIELDS:
        if len(getattr(data, name)) > MAX_TEXT:
            errors[name] = f"内容超过 {MAX_TEXT} 字，请精简。"
    if for_submit:
        if not data.progress_status:
            errors["progress_status"] = "提交前请选择推进状态。"
        if not data.progress.strip():
            errors["progress"] = "提交前请填写工作进展。"
        if data.progress_status == ProgressStatus.BEHIND and not data.problems.strip():
            errors["problems"] = "推进状态为“滞后”时，请写明存在问题。"
    metrics = {m.pk: m for m in TargetMetric.objects.filter(measure_id=report.measure_id)}
    figures: dict[int, Decimal] = {}
    for metric_id, text in data.figures.items():
        if metric_id not in metrics:
            errors[f"figure_{metric_id}"] = "该量化目标不属于本举措。"
            continue
        if not str(text).strip():
            continue
        try:
            figures[metric_id] = Decimal(str(text).strip())
        except InvalidOperation:
            errors[f"figure_{metric_id}"] = f"“{text}”不是数字。"
    if errors:
        raise ReportError("填报内容有误，请按提示修改。", errors)
    return figures


def _locked(report: Report, version: int) -> Report:
    current = Report.objects.select_for_update(of=("self",)).select_related("updated_by", "unit").get(pk=report.pk)
    if current.version != version:
        raise ReportConflict(current)
    return current


def _write(report: Report, user: User, data: ReportInput, figures: dict[int, Decimal]) -> None:
    report.progress_status = data.progress_status
    for name in TEXT_FIELDS:
        setattr(report, name, getattr(data, name))
    for metric_id, value in figures.items():
        ReportFigure.objects.update_or_create(report=report, metric_id=metric_id, defaults={"value": value})
    report.version += 1
    report.updated_by = user
    report._change_reason = "填报"


def _must_edit(user: User, report: Report) -> None:
    if not can_edit(user, report):
        raise ReportError(f"该报告当前为“{report.get_state_display()}”，您不能修改。")


@transaction.atomic
def report_save(
    *, report: Report, user: User, data: ReportInput, version: int, uploads: list[CheckedFile] = ()
) -> Report:
    """Save as a draft, with any new evidence files. Raises ReportConflict if the report
    changed since ``version``, ReportError if the input is wrong; then nothing is written."""
    report = _locked(report, version)
    _must_edit(user, report)
    figures = _clean(report, data, for_submit=False)
    _write(report, user, data, figures)
    if report.state == ReportState.REQUESTED:
        report.state = ReportState.DRAFT
    report.save()
    _attach(report, user, uploads)
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SAVE, actor=user)
    return report


@transaction.atomic
def report_submit(
    *, report: Report, user: User, data: ReportInput, version: int, uploads: list[CheckedFile] = ()
) -> Report:
    """Save and send: to the unit head first where the unit requires it, else to the office."""
    report = _locked(report, version)
    _must_edit(user, report)
    figures = _clean(report, data, for_submit=True)
    _write(report, user, data, figures)
    _attach(report, user, uploads)
    if report.unit.requires_head_approval and user.role != Role.UNIT_HEAD:
        report.state = ReportState.PENDING_APPROVAL
        report.save()
        ReportEvent.objects.create(report=report, action=ReportEvent.Action.SEND_FOR_APPROVAL, actor=user)
        heads = User.objects.filter(unit=report.unit, role=Role.UNIT_HEAD, is_active=True)
        _tell(heads, report, f"待审核：{report.measure.label}（{report.period.label}）", "填报员已提交，请审核后报送。")
        return report
    _mark_submitted(report, user)
    return report


def _mark_submitted(report: Report, user: User) -> None:
    now = timezone.now()
    report.state = ReportState.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.updated_by = user
    report.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMIT, actor=user)


@transaction.atomic
def report_approve(*, report: Report, user: User) -> Report:
    """The unit head lets a report go out to the office."""
    report = Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    if not can_approve(user, report):
        raise ReportError("只有本单位负责人可以审核待报送的报告。")
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.APPROVE, actor=user)
    report.version += 1
    _mark_submitted(report, user)
    return report


@transaction.atomic
def report_review(*, report: Report, user: User, accept: bool, comment: str = "") -> Report:
    """The office accepts a submitted report, or returns it with a comment; the unit is told."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "measure__task")
        .get(pk=report.pk)
    )
    if not can_review(user, report):
        raise ReportError(f"该报告当前为“{report.get_state_display()}”，不能审核。")
    comment = comment.strip()
    if not accept and not comment:
        raise ReportError("退回时请填写退回意见。", {"comment": "请填写退回意见，告诉单位需要修改什么。"})
    report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    report.reviewed_at = timezone.now()
    report.version += 1
    report.updated_by = user
    report._change_reason = "审核通过" if accept else "退回"
    report.save()
    action = ReportEvent.Action.ACCEPT if accept else ReportEvent.Action.RETURN
    event = ReportEvent.objects.create(report=report, action=action, actor=user, comment=comment)
    verdict = "已通过审核" if accept else "被退回，请修改后重新提交"
    body = f"退回意见：{comment}" if not accept else (comment or "")
    _tell(
        unit_recipients(report.unit),
        report,
        f"{report.measure.label}（{report.period.label}）{verdict}",
        body,
        key=f"report:{report.pk}:event:{event.pk}",
    )
    return report


def _tell(users, report: Report, subject: str, body: str, *, key: str | None = None) -> None:
    url = reverse("report-detail", args=[report.pk])
    inbox_send(users=users, subject=subject, body=body, url=url, key=key or f"report:{report.pk}:v{report.version}")


def _attach(report: Report, user: User, uploads: list[CheckedFile]) -> None:
    for upload in uploads:
        evidence_add(report=report, user=user, upload=upload)


@transaction.atomic
def evidence_add(*, report: Report, user: User, upload: CheckedFile) -> Evidence:
    _must_edit(user, report)
    evidence = Evidence(
        report=report,
        original_name=upload.name,
        extension=upload.extension,
        size=len(upload.data),
        sha256=upload.sha256,
        uploaded_by=user,
    )
    evidence.file.save(f"{upload.sha256}.{upload.extension}", ContentFile(upload.data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    _must_edit(user, evidence.report)
    evidence.file.delete(save=False)
    evidence.delete()


def previous_report(report: Report) -> Report | None:
    """The unit's last filed report on the same measure, to start this one from."""
    return (
        Report.objects.filter(
            measure_id=report.measure_id,
            unit_id=report.unit_id,
            period__start_date__lt=report.period.start_date,
            state__in=(ReportState.SUBMITTED, ReportState.ACCEPTED),
        )
        .order_by("-period__start_date")
        .first()
    )


def input_from(report: Report) -> ReportInput:
    return ReportInput(
        progress_status=report.progress_status,
        progress=report.progress,
        problems=report.problems,
        next_steps=report.next_steps,
        figures={f.metric_id: str(f.value) for f in report.figures.all()},
    )


@transaction.atomic
def reports_carry_over(*, reports: list[Report], user: User) -> list[Report]:
    """Submit each report with the same content as the unit's previous one: one click for an unchanged item.

    Reports without a previous filed report, or no longer editable, are left alone.
    """
    done = []
    for report in reports:
        earlier = previous_report(report)
        if earlier is None or not report.is_editable:
            continue
        data = input_from(earlier)
        metric_ids = set(TargetMetric.objects.filter(measure_id=report.measure_id).values_list("pk", flat=True))
        data.figures = {k: v for k, v in data.figures.items() if k in metric_ids}
        done.append(report_submit(report=report, user=user, data=data, version=report.version))
    return done


@dataclass
class BatchOutcome:
    done: list[Report] = field(default_factory=list)
    unchanged: list[Report] = field(default_factory=list)
    failed: dict[int, ReportError] = field(default_factory=dict)


def reports_file_many(*, user: User, items: list[tuple[Report, ReportInput, int]], submit: bool) -> BatchOutcome:
    """File many reports from one page. Each report stands alone: one that fails (a conflict,
    a missing field) does not hold back the others, and its typed text is returned to the page."""
    outcome = BatchOutcome()
    for report, data, version in items:
        if not submit and _same_content(report, data):
            outcome.unchanged.append(report)
            continue
        service = report_submit if submit else report_save
        try:
            outcome.done.append(service(report=report, user=user, data=data, version=version))
        except ReportError as exc:
            outcome.failed[report.pk] = exc
    return outcome


def _same_content(report: Report, data: ReportInput) -> bool:
    return (report.progress_status, report.progress, report.problems, report.next_steps) == (
        data.progress_status,
        data.progress,
        data.problems,
        data.next_steps,
    )
