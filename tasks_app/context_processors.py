from tasks_app.access import FILING_ROLES, is_reviewer, sees_everything


def navigation(request):
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_can_file": bool(user.unit_id) and user.role in FILING_ROLES,
        "nav_can_review": is_reviewer(user),
        "nav_sees_everything": sees_everything(user),
        "nav_scorecard_unit": user.unit_id,
    }
