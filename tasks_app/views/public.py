"""公开进度 (no login, cached) and the office's page to mark what of a report is public."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from tasks_app import access
from tasks_app.insights.public import public_page_html
from tasks_app.models import PublicPageSettings
from tasks_app.services.plans import default_plan
from tasks_app.services.public_page import MAX_SUMMARY, PublicSummaryError, report_public_summary_set


@login_not_required
@require_GET
def public_progress(request):
    """Off (404) until the admin switches it on; then the cached page, the same for everyone."""
    page = PublicPageSettings.current()
    plan = default_plan() if page.enabled else None
    if plan is None:
        raise Http404("公开进度页未开放")
    response = HttpResponse(public_page_html(plan, page))
    patch_cache_control(response, public=True, max_age=60)
    return response


class PublicSummaryForm(forms.Form):
    public_summary = forms.CharField(
        label="公开进展摘要",
        required=False,
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="只写可以对外公开的进展；不要写存在问题、人名、内部文件。留空则该报告不公开任何内容。",
    )


def report_public_summary(request, pk: int):
    report = access.access_report(request.user, pk)
    if not access.can_edit_public_summary(request.user, report):
        raise PermissionDenied("只有督查室可以为已报送的牵头单位报告设置公开摘要。")
    form = PublicSummaryForm(request.POST or None, initial={"public_summary": report.public_summary})
    if request.method == "POST" and form.is_valid():
        try:
            report_public_summary_set(report=report, user=request.user, text=form.cleaned_data["public_summary"])
        except PublicSummaryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "公开摘要已保存，公开进度页随即更新。")
            return redirect("report-public-summary", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks_app/insights/public_summary.html", {"report": report, "form": form}, status=status)
