"""Circular pages: archive, compile on demand (with a progress bar), edit, preview, issue, correct,
download. Each view: access, act (a service), respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from notifications.circulars.content import circular_document
from notifications.circulars.files import CONTENT_TYPES, circular_file, formats_of
from notifications.circulars.forms import CompileForm, IssueForm, NarrativeForm, RulesForm
from notifications.circulars.models import Circular
from notifications.circulars.scope import Scope
from notifications.circulars.selectors import ArchiveFilters, access_as_office, access_circular, archive, drafts
from notifications.circulars.services import (
    circular_correct,
    circular_issue,
    circular_request_compile,
    circular_save_narrative,
    circular_schedule,
    circular_settings_for,
)
from tasks_app.access import is_reviewer, sees_everything
from tasks_app.models import Unit
from tasks_app.services.plans import default_plan


def circular_list(request):
    filters = ArchiveFilters.from_query(request.GET)
    context = {
        "circulars": archive(request.user, filters)[:200],
        "filters": filters,
        "drafts": drafts(request.user).select_related("plan"),
        "compile_form": CompileForm(initial={"year": request.GET.get("year") or None}),
        "units": Unit.objects.filter(named_in_circulars__isnull=False).distinct().order_by("sort_order", "name"),
        "years": sorted(set(archive(request.user, ArchiveFilters()).values_list("year", flat=True)), reverse=True),
        "can_compile": is_reviewer(request.user),
    }
    return render(request, "circulars/list.html", context)


@require_POST
def circular_create(request):
    if not is_reviewer(request.user):
        raise Http404("页面不存在")
    form = CompileForm(request.POST)
    plan = default_plan()
    if not form.is_valid() or plan is None:
        messages.error(request, "请选择要汇总的年份和期间。" if plan else "尚未导入任务清单。")
        return redirect("circular-list")
    kind, year, quarter = form.scope_args()
    try:
        scope = Scope(plan, kind, year, quarter)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("circular-list")
    circular, created = circular_schedule(scope=scope, user=request.user)
    if not created:
        messages.info(request, f"{scope.label}已有通报（{circular.number or '草稿'}），已为您打开。")
    return redirect("circular-detail", pk=circular.pk)


def circular_detail(request, pk: int):
    circular = access_circular(request.user, pk)
    if not circular.is_issued:
        return redirect("circular-edit", pk=circular.pk)
    context = {
        "circular": circular,
        "document": circular_document(circular, circular_settings_for(circular.plan)),
        "formats": _formats(request.user, circular),
        "corrections": circular.corrections.filter(status=Circular.Status.ISSUED),
        "can_correct": is_reviewer(request.user),
    }
    return render(request, "circulars/detail.html", context)


def circular_edit(request, pk: int):
    circular = access_as_office(request.user, pk)
    if circular.is_issued:
        return redirect("circular-detail", pk=circular.pk)
    form = NarrativeForm(request.POST or None, instance=circular)
    if request.method == "POST" and form.is_valid():
        try:
            circular_save_narrative(circular=circular, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "已保存。")
        return redirect("circular-edit", pk=circular.pk)
    ready = bool(circular.snapshot_at) and not circular.is_compiling
    context = {
        "circular": circular,
        "form": form,
        "issue_form": IssueForm(),
        "document": circular_document(circular, circular_settings_for(circular.plan)) if ready else None,
        "formats": _formats(request.user, circular) if ready else [],
        "rules": circular_settings_for(circular.plan),
    }
    return render(request, "circulars/edit.html", context)


@require_POST
def circular_compile_request(request, pk: int):
    circular = access_as_office(request.user, pk)
    try:
        circular_request_compile(circular=circular, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("circular-edit", pk=circular.pk)


def circular_status(request, pk: int):
    circular = access_as_office(request.user, pk)
    return JsonResponse(
        {
            "busy": circular.is_compiling,
            "state": circular.compile_state,
            "stage": circular.compile_stage,
            "percent": circular.compile_progress,
            "error": circular.compile_error,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_POST
def circular_issue_view(request, pk: int):
    circular = access_as_office(request.user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的成文日期。")
        return redirect("circular-edit", pk=circular.pk)
    try:
        issued = circular_issue(circular=circular, user=request.user, issued_on=form.cleaned_data["issued_on"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("circular-edit", pk=circular.pk)
    messages.success(request, f"已签发：{issued.number}，已通知各责任单位和市领导。")
    return redirect("circular-detail", pk=issued.pk)


@require_POST
def circular_correct_view(request, pk: int):
    circular = access_as_office(request.user, pk)
    try:
        draft = circular_correct(circular=circular, user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("circular-detail", pk=circular.pk)
    messages.info(request, f"已生成更正稿（第{draft.version}版）。签发后将以新文号印发，原通报保持不变。")
    return redirect("circular-edit", pk=draft.pk)


def circular_download(request, pk: int, fmt: str):
    circular = access_circular(request.user, pk)
    if fmt not in _formats(request.user, circular) or (not circular.is_issued and circular.is_compiling):
        raise Http404("没有该格式的文件")
    data = circular_file(circular, fmt)
    stem = f"{circular.number or '草稿'}{circular.title}" + ("" if fmt != "xlsx" else "考核评分表")
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{stem}.{fmt}")
    return response


def _formats(user, circular: Circular) -> list[str]:
    """The score sheet compares every unit: for the office and leaders only."""
    return [fmt for fmt in formats_of(circular) if fmt != "xlsx" or sees_everything(user)]


def circular_rules(request):
    """The office sets who is named (点名通报), the assessment weights and the document heading."""
    plan = default_plan()
    if not is_reviewer(request.user) or plan is None:
        raise Http404("页面不存在")
    form = RulesForm(request.POST or None, instance=circular_settings_for(plan))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "已保存。草稿重新汇总后按新规则点名、评分；已签发的通报不变。")
        return redirect("circular-rules")
    return render(request, "circulars/rules.html", {"form": form})
