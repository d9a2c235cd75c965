from django.utils import timezone

from tasks_app.access import FILING_ROLES, is_reviewer, sees_everything
from tasks_app.services.calendar import calendar_warning


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    context = {
        "nav_can_file": bool(user.unit_id) and user.role in FILING_ROLES,
        "nav_can_review": is_reviewer(user),
        "nav_sees_everything": sees_everything(user),
        "nav_scorecard_unit": user.unit_id,
    }
    if is_reviewer(user):
        # The office and admins see the banner while next year's holidays are missing (lazy: one query).
        context["calendar_warning"] = lambda: calendar_warning(timezone.localdate())
    return context
