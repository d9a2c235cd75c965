"""我的任务 and the office queue cost the same number of queries whatever the number of measures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tasks_app.models import Report
from tasks_app.services.reports import ReportInput, evidence_add, report_save, report_submit
from tasks_app.uploads import check_upload
from tests.conftest import open_month

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_months(plan, months: int) -> None:
    for month in range(1, months + 1):
        open_month(plan, 2026, month)


# session; user; open reports; latest filed per measure; filed reports of the recent periods (the
# periods a subquery); the user's unit (page header); unread inbox
MY_TASKS_QUERIES = 7


def test_my_tasks_query_count_is_constant(annex1, energy_reporter, django_assert_num_queries):
    open_months(annex1, 1)
    client = login(energy_reporter)
    with django_assert_num_queries(MY_TASKS_QUERIES):
        small = client.get(reverse("my-tasks"))
    open_months(annex1, 6)  # six times as many open reports
    Report.objects.filter(unit__name="市能源局", period__start_date__lt=dt.date(2026, 4, 1)).update(state="accepted")
    with django_assert_num_queries(MY_TASKS_QUERIES):
        large = client.get(reverse("my-tasks"))
    assert large.content.decode().count('href="/reports/') > small.content.decode().count('href="/reports/')


# session; user; count; page of reports with period, measure, task, unit; periods; units;
# next year's calendar (the banner, asked from November on); unread inbox
QUEUE_QUERIES = 8


@time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_the_review_queue_query_count_is_constant(annex1, office, django_assert_num_queries):
    open_months(annex1, 1)
    Report.objects.update(state="submitted")
    client = login(office)
    with django_assert_num_queries(QUEUE_QUERIES):
        first = client.get(reverse("review-queue"))
    open_months(annex1, 6)
    Report.objects.update(state="submitted")
    with django_assert_num_queries(QUEUE_QUERIES):
        second = client.get(reverse("review-queue"))
    assert first.content.decode().count(">审核</a></td>") == second.content.decode().count(">审核</a></td>") == 50


# session; user; report (with period, plan, measure, task, unit, via); target metrics; figures; phase
# targets with their phases; evidence; the supporting units' reports; events; history; unread inbox;
# the user's unit (page header)
REPORT_PAGE_QUERIES = 12


def test_the_report_page_query_count_does_not_grow_with_its_lists(
    annex1, energy_reporter, resources_reporter, django_assert_num_queries
):
    """A lead unit's report: supporting reports, evidence, events, history and phase targets cost one query each."""
    november = open_month(annex1, 2026, 11)
    lead = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    lead = report_save(report=lead, user=energy_reporter, data=ReportInput(progress="初稿"), version=0)
    client = login(energy_reporter)
    # guardian reads the permission's content type once per process (cached after): not per page.
    client.get(reverse("report-detail", args=[lead.pk]))
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        before = client.get(reverse("report-detail", args=[lead.pk])).content.decode()

    support = Report.objects.get(period=november, measure=lead.measure, unit=resources_reporter.unit)
    report_submit(report=support, user=resources_reporter, data=ReportInput("on_track", "完成调研。"), version=0)
    for version, text in enumerate(["二稿", "三稿"], start=lead.version):
        lead = report_save(report=lead, user=energy_reporter, data=ReportInput(progress=text), version=version)
    for name, data in (("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b")):
        evidence_add(report=lead, user=energy_reporter, upload=check_upload(name, data))
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        after = client.get(reverse("report-detail", args=[lead.pk])).content.decode()
    assert after.count("<ins>") > before.count("<ins>") and "完成调研。" in after and "b.pdf" in after
    assert lead.measure.targets.count() >= 2
