"""The public progress page: what the office marks public, and the admin's switch."""

from __future__ import annotations

from django.db import transaction

from tasks_app.access import can_edit_public_summary
from tasks_app.insights.public import public_cache_clear
from tasks_app.models import PublicPageSettings, Report, User

MAX_SUMMARY = 2000


class PublicSummaryError(Exception):
    """Not allowed or too long; nothing was written."""


@transaction.atomic
def report_public_summary_set(*, report: Report, user: User, text: str) -> Report:
    """Set the public summary of a filed consolidated report (empty: nothing of it is public).

    Leaves ``version`` alone: the unit's own editing of the report is not in conflict with it.
    The public page's cache is cleared once the change is committed.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not can_edit_public_summary(user, report):
        raise PublicSummaryError("只有督查室可以为已报送的牵头单位报告设置公开摘要。")
    text = text.strip()
    if len(text) > MAX_SUMMARY:
        raise PublicSummaryError(f"公开摘要不超过 {MAX_SUMMARY} 字。")
    report.public_summary = text
    report._change_reason = "设置公开摘要"
    report.save(update_fields=["public_summary"])
    transaction.on_commit(public_cache_clear)
    return report


@transaction.atomic
def public_page_settings_save(*, settings: PublicPageSettings) -> PublicPageSettings:
    """Save the switch (from the admin); the cached page goes at once."""
    settings.save()
    transaction.on_commit(public_cache_clear)
    return settings
