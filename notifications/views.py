"""Inbox, 督办单, period discipline and each person's channel settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notifications.forms import EndpointForm
from notifications.models import ChannelKind, Endpoint, InboxMessage, SupervisionNotice
from notifications.services import endpoint_add, endpoint_remove, inbox_mark_read
from tasks_app.access import sees_everything
from tasks_app.discipline import discipline_totals, period_discipline
from tasks_app.models import Period, Role


def inbox(request):
    messages_list = InboxMessage.objects.filter(recipient=request.user)[:200]
    return render(request, "notifications/inbox.html", {"messages_list": messages_list})


@require_POST
def inbox_read(request):
    inbox_mark_read(user=request.user)
    return redirect("inbox")


def _notices_for(user):
    if sees_everything(user):
        return SupervisionNotice.objects.all()
    return SupervisionNotice.objects.filter(unit_id=user.unit_id) if user.unit_id else SupervisionNotice.objects.none()


def notice_list(request):
    notices = _notices_for(request.user).select_related("period", "unit")[:300]
    return render(request, "notifications/notice_list.html", {"notices": notices})


def notice_detail(request, pk: int):
    notice = _notices_for(request.user).select_related("period", "unit").filter(pk=pk).first()
    if notice is None:
        raise Http404("督办单不存在或无权查看")
    reports = notice.reports.select_related("measure__task").order_by("measure__task__number", "measure__position")
    return render(request, "notifications/notice_detail.html", {"notice": notice, "reports": reports})


def period_discipline_page(request, pk: int):
    if not sees_everything(request.user):
        raise PermissionDenied("仅督查室和市领导可查看全部单位的报送情况。")
    period = get_object_or_404(Period, pk=pk)
    rows = period_discipline(period, timezone.localdate())
    context = {"period": period, "rows": rows, "totals": discipline_totals(rows)}
    return render(request, "notifications/period_discipline.html", context)


def channel_settings(request):
    """A user's own e-mail; a unit head's group-chat robots for the unit."""
    user = request.user
    can_manage_unit = bool(user.unit_id) and user.role == Role.UNIT_HEAD
    form = EndpointForm(request.POST or None, allow_robots=can_manage_unit)
    if request.method == "POST" and form.is_valid():
        endpoint_add(user=user, **form.cleaned_data)
        messages.success(request, "已添加通知渠道。")
        return redirect("channel-settings")
    context = {
        "form": form,
        "mine": Endpoint.objects.filter(user=user),
        "unit_robots": Endpoint.objects.filter(unit_id=user.unit_id) if user.unit_id else [],
        "can_manage_unit": can_manage_unit,
        "kinds": ChannelKind,
    }
    return render(request, "notifications/channel_settings.html", context)


@require_POST
def channel_remove(request, pk: int):
    # Only the channels this page shows (one's own, one's unit's robots) can be named: anyone
    # else's id is a 404, so a forged id never tells that a channel exists. Among those shown,
    # the service refuses a unit's robot to all but its head (403).
    user = request.user
    shown = Q(user=user)
    if user.unit_id:
        shown |= Q(unit_id=user.unit_id)
    endpoint = get_object_or_404(Endpoint.objects.filter(shown), pk=pk)
    endpoint_remove(user=user, endpoint=endpoint)
    messages.success(request, "已删除通知渠道。")
    return redirect("channel-settings")
