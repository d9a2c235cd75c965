"""The admin, as a group: every admin page that needs no object id, and every changelist.

Closed to anyone who is not staff (a redirect to a login page, never the page itself); a staff
member sees what their permissions allow; the superuser opens every list and form. The admin's
path is ``settings.ADMIN_URL``, so the pages are found by the URL namespace, not by the path.
The rest of the URLconf is in ``tests/test_url_matrix.py``.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.support.url_walk import ADMIN_NAMESPACE, url_patterns

pytestmark = pytest.mark.django_db

ADMIN = [p for p in url_patterns() if p.namespace == ADMIN_NAMESPACE]
# Pages without an object id (an app's index needs only the app's label).
PAGES = [reverse(p.name) for p in ADMIN if not p.parameters] + [
    reverse("admin:app_list", kwargs={"app_label": "tasks_app"})
]
CHANGELISTS = {p.name: reverse(p.name) for p in ADMIN if (p.name or "").endswith("_changelist")}
# Models the admin has no add form for: a revision comes only from an import, an import job
# from an upload, a delivery from a notice being sent, login records (axes) from logins.
NO_ADD_FORM = (
    "tasks_app_planrevision",
    "tasks_app_importjob",
    "notifications_delivery",
    "notifications_circular",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
)
# What the superuser gets on a page that is not a plain page for GET.
SUPERUSER_EXCEPTIONS = {
    reverse("admin:login"): 302,  # already logged in: to the admin index
    reverse("admin:logout"): 405,  # POST only
    reverse("admin:autocomplete"): 403,  # needs the field it completes
    reverse("admin:tasks_app_unit_process_import"): 405,  # the confirm step: POST only
    reverse("admin:tasks_app_planrevision_process_import"): 405,
    **{reverse(f"admin:{model}_add"): 403 for model in NO_ADD_FORM},
}


def as_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_admin_page_lives_under_admin_url():
    assert ADMIN and all(p.route.startswith(settings.ADMIN_URL) for p in ADMIN)
    assert len(CHANGELISTS) >= 30


@pytest.mark.parametrize("person", [None, "energy_reporter", "industry_reporter", "energy_head", "office", "leader"])
def test_the_admin_sends_anyone_not_staff_to_a_login_page(request, person):
    user = request.getfixturevalue(person) if person else None
    client = as_client(user)
    logins = (reverse("admin:login"), reverse("login"))
    for url in PAGES:
        response = client.get(url)
        if url == reverse("admin:login"):
            assert response.status_code == 200, url  # the form, saying this account may not enter
            continue
        assert response.status_code == 302, (url, response.status_code)
        location = response["Location"]
        if url == reverse("admin:logout") and location == reverse("admin:index"):
            continue  # logging out of a session the admin never had: to its index, which sends to the login
        assert location.startswith(logins), (url, location)


def test_the_superuser_opens_every_admin_list_and_form(admin_user):
    client = as_client(admin_user)
    wrong = []
    for url in PAGES:
        status = client.get(url).status_code
        if status != SUPERUSER_EXCEPTIONS.get(url, 200):
            wrong.append(f"{url}: 应为 {SUPERUSER_EXCEPTIONS.get(url, 200)}，实际 {status}")
    assert not wrong, "\n".join(wrong)


def test_a_staff_member_sees_what_their_permissions_allow(office):
    office.is_staff = True
    office.save(update_fields=["is_staff"])
    office.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_unit", "view_report"], content_type__app_label="tasks_app")
    )
    client = as_client(office)
    allowed = {"admin:tasks_app_unit_changelist", "admin:tasks_app_report_changelist"}
    for name, url in CHANGELISTS.items():
        assert client.get(url).status_code == (200 if name in allowed else 403), name
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:tasks_app_unit_export")).status_code == 200  # export needs "view"
    for name in ("tasks_app_unit_import", "tasks_app_unit_add", "tasks_app_planrevision_import"):
        assert client.get(reverse(f"admin:{name}")).status_code == 403, name  # import needs "add"
