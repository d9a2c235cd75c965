"""Nobody sees or touches another unit's work unless the plan makes them its lead.

The matrix: every role × every object type (measure list, report page, report
edit, approve, review, evidence download and delete, review queue). A forged id
is a 404, never another unit's data.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import get_perms

from tasks_app.access import access_report, measures_for, reports_for
from tasks_app.models import Evidence, Measure, MeasureGroupObjectPermission, Report, ReportState
from tasks_app.services.reports import ReportInput, report_save
from tasks_app.uploads import check_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(
    energy_reporter, energy_head, industry_reporter, resources_reporter, hailar_reporter, office, leader, admin_user
):
    return {
        "energy_reporter": energy_reporter,
        "energy_head": energy_head,
        "industry_reporter": industry_reporter,
        "resources_reporter": resources_reporter,
        "hailar_reporter": hailar_reporter,
        "office": office,
        "leader": leader,
        "admin": admin_user,
        "anonymous": None,
    }


@pytest.fixture
def task1(november, energy_reporter, resources_reporter):
    """Task 1 in November: 市能源局 leads and consolidates, 市自然资源局 supports; one with a PDF attached."""
    lead = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    support = Report.objects.get(period=november, measure__task__number=1, unit__name="市自然资源局")
    report_save(
        report=support,
        user=resources_reporter,
        data=ReportInput(progress_status="on_track", progress="完成矿区规划调研。"),
        version=0,
        uploads=[check_upload("调研报告.pdf", PDF)],
    )
    return {"lead": lead, "support": support, "evidence": Evidence.objects.get(report=support)}


def as_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# role → (lead report page, support report page, edit support, review queue)
VIEW_MATRIX = {
    "energy_reporter": (200, 200, 403, 403),  # lead unit: sees the supporting report, cannot edit it
    "energy_head": (200, 200, 403, 403),
    "resources_reporter": (404, 200, 302, 403),  # supporting unit: its own report only
    "industry_reporter": (404, 404, 404, 403),  # not on task 1 at all
    "hailar_reporter": (404, 404, 404, 403),
    "office": (200, 200, 403, 200),
    "leader": (200, 200, 403, 403),
    "admin": (200, 200, 403, 200),
    "anonymous": (302, 302, 302, 302),
}


@pytest.mark.parametrize("role", list(VIEW_MATRIX))
def test_who_may_see_and_edit_which_report(role, people, task1):
    lead_page, support_page, edit_support, queue = VIEW_MATRIX[role]
    client = as_client(people[role])
    assert client.get(reverse("report-detail", args=[task1["lead"].pk])).status_code == lead_page
    assert client.get(reverse("report-detail", args=[task1["support"].pk])).status_code == support_page
    edit = client.post(
        reverse("report-detail", args=[task1["support"].pk]),
        {"progress_status": "on_track", "progress": f"{role} 的修改", "version": 1, "action": "save"},
    )
    assert edit.status_code == edit_support
    changed = Report.objects.get(pk=task1["support"].pk).progress == f"{role} 的修改"
    assert changed == (role == "resources_reporter")
    if role == "anonymous":
        assert edit["Location"].startswith(reverse("login"))
    assert client.get(reverse("review-queue")).status_code == queue


# role → (download evidence, delete evidence)
EVIDENCE_MATRIX = {
    "energy_reporter": (200, 403),
    "resources_reporter": (200, 302),
    "industry_reporter": (404, 404),
    "hailar_reporter": (404, 404),
    "office": (200, 403),
    "leader": (200, 403),
    "admin": (200, 403),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("role", list(EVIDENCE_MATRIX))
def test_evidence_is_served_only_to_those_who_may_see_the_report(role, people, task1):
    download, delete = EVIDENCE_MATRIX[role]
    client = as_client(people[role])
    response = client.get(reverse("evidence-download", args=[task1["evidence"].pk]))
    assert response.status_code == download
    if download == 200:
        assert b"".join(response.streaming_content) == PDF
    assert client.post(reverse("evidence-delete", args=[task1["evidence"].pk])).status_code == delete
    assert Evidence.objects.filter(pk=task1["evidence"].pk).exists() == (role != "resources_reporter")


REVIEW_MATRIX = {
    "energy_reporter": 403,
    "resources_reporter": 403,
    "industry_reporter": 404,
    "leader": 403,
    "office": 302,
    "admin": 302,
    "anonymous": 302,
}


@pytest.mark.parametrize("role", list(REVIEW_MATRIX))
def test_only_the_office_reviews(role, people, task1):
    support = task1["support"]
    Report.objects.filter(pk=support.pk).update(state=ReportState.SUBMITTED)
    response = as_client(people[role]).post(reverse("report-review", args=[support.pk]), {"decision": "accept"})
    assert response.status_code == REVIEW_MATRIX[role]
    accepted = Report.objects.get(pk=support.pk).state == ReportState.ACCEPTED
    assert accepted == (role in ("office", "admin"))


@pytest.mark.parametrize("role", ["energy_reporter", "resources_reporter", "office", "leader", "industry_reporter"])
def test_only_the_unit_head_approves(role, people, task1):
    lead = task1["lead"]
    Report.objects.filter(pk=lead.pk).update(state=ReportState.PENDING_APPROVAL)
    response = as_client(people[role]).post(reverse("report-approve", args=[lead.pk]))
    assert response.status_code in (403, 404)
    assert Report.objects.get(pk=lead.pk).state == ReportState.PENDING_APPROVAL
    as_client(people["energy_head"]).post(reverse("report-approve", args=[lead.pk]))
    assert Report.objects.get(pk=lead.pk).state == ReportState.SUBMITTED


def test_a_forged_id_is_a_404_not_a_403(people, task1):
    client = as_client(people["industry_reporter"])
    for name in ("report-detail", "report-approve", "report-review"):
        assert client.post(reverse(name, args=[task1["lead"].pk])).status_code == 404
        assert client.post(reverse(name, args=[999_999])).status_code == 404


def test_unit_rights_come_from_guardian_object_permissions_only(people, task1):
    energy = people["energy_reporter"]
    task1_measure = task1["lead"].measure
    assert set(get_perms(energy, task1_measure)) == {"view_measure", "report_measure", "lead_measure"}
    assert set(get_perms(people["resources_reporter"], task1_measure)) == {"view_measure", "report_measure"}
    assert get_perms(people["industry_reporter"], task1_measure) == []
    # no model-level permission anywhere in the unit groups
    for user in (energy, people["resources_reporter"]):
        assert not user.groups.filter(permissions__isnull=False).exists()
        assert not user.has_perm("tasks_app.view_measure")
    led = measures_for(energy, "lead_measure")
    assert set(led.values_list("task__number", flat=True)) == {
        1,
        2,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        21,
        39,
    }  # 21-1 and 39 as co-lead


def test_a_division_gets_the_rights_of_the_collectives_it_belongs_to(people, task1):
    hailar = people["hailar_reporter"]
    numbers = set(measures_for(hailar).values_list("task__number", flat=True))
    assert {8, 46} <= numbers  # 8: supported by 各旗市区; 46: led by 各旗市区
    assert 46 in set(measures_for(hailar, "lead_measure").values_list("task__number", flat=True))


def test_a_revision_that_moves_the_lead_moves_the_rights(annex1, people, task1):
    from tasks_app.services.plans import tasklist_import
    from tests.support.files import annex1_rows, xlsx_bytes

    rows = annex1_rows()
    rows[1][5] = "市工信局"  # task 1: lead moves from 市能源局 to 市工信局
    revision, _ = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=xlsx_bytes(rows))
    assert revision is not None
    measure = Measure.objects.get(task__number=1)
    assert "lead_measure" in get_perms(people["industry_reporter"], measure)
    assert "lead_measure" not in get_perms(people["energy_reporter"], measure)
    assert measure.pk == task1["lead"].measure_id  # same measure: its reports stay attached
    assert reports_for(people["industry_reporter"]).filter(pk=task1["support"].pk).exists()


def test_permission_rows_are_per_unit_group_and_measure(annex1, people):
    rows = MeasureGroupObjectPermission.objects.filter(content_object__task__number=1)
    assert {row.group.unit.name for row in rows} >= {"市能源局", "市自然资源局", "新巴尔虎左旗"}


def test_the_admin_lists_only_what_the_user_may_see(people, task1):
    from django.contrib.auth.models import Permission

    energy = people["energy_reporter"]
    energy.is_staff = True
    energy.save(update_fields=["is_staff"])
    # a user-level grant to open the admin list; the rows are still cut by object permission
    energy.user_permissions.add(Permission.objects.get(codename="view_report"))
    page = as_client(energy).get(reverse("admin:tasks_app_report_changelist") + "?all=")
    assert page.status_code == 200
    shown = set(page.context["cl"].queryset.values_list("unit__name", flat=True))
    assert "市能源局" in shown and "市自然资源局" in shown  # its own, and the supporters of measures it leads
    assert Report.objects.filter(unit__name="市教育局").exists()
    assert "市教育局" not in shown  # on no measure 市能源局 leads
    assert page.context["cl"].queryset.count() == reports_for(energy).count()


def _pages_agree_with_reports_for(people, reports) -> None:
    for role, user in people.items():
        user = user or AnonymousUser()
        listed = set(reports_for(user).values_list("pk", flat=True))
        for report in reports:
            try:
                access_report(user, report.pk)
                opened = True
            except Http404:
                opened = False
            assert opened == (report.pk in listed), (role, report.measure.label, report.unit.name)


def test_the_report_page_opens_exactly_the_reports_the_lists_show(annex1, people, task1):
    """access_report checks one report in Python, reports_for is the rule as a query: they must agree,
    also after a revision has moved a lead and left the old lead unit its own report."""
    from tasks_app.services.plans import tasklist_import
    from tests.support.files import annex1_rows, xlsx_bytes

    reports = list(
        Report.objects.filter(period=task1["lead"].period, measure__task__number__in=[1, 4, 8, 15, 46]).select_related(
            "measure", "unit"
        )
    )
    assert len({r.unit_id for r in reports}) > 10
    _pages_agree_with_reports_for(people, reports)
    rows = annex1_rows()
    rows[1][5] = "市工信局"  # task 1: lead moves from 市能源局 to 市工信局
    tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=xlsx_bytes(rows))
    assert not reports_for(people["energy_reporter"]).filter(pk=task1["support"].pk).exists()
    _pages_agree_with_reports_for(people, reports)
