"""The flow of one report: fill in, save, submit, return with a comment, resubmit, accept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import InboxMessage
from tasks_app.models import Evidence, Report, ReportEvent, ReportState, TargetMetric, Unit
from tasks_app.services.reports import ReportConflict, ReportError, ReportInput, report_save, report_submit
from tests.conftest import open_month, open_month_result

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(report: Report, **fields) -> dict:
    data = {"progress_status": "on_track", "progress": "", "problems": "", "next_steps": "", "version": report.version}
    data.update(fields)
    return data


@pytest.fixture
def energy_task6(november):
    """市能源局's consolidated report on task 6 (储能): its 2030 target is 储能规模 300万千瓦."""
    return Report.objects.get(period=november, measure__task__number=6, unit__name="市能源局")


def test_a_reporter_saves_a_draft_then_submits(energy_reporter, energy_task6):
    client = login(energy_reporter)
    page = client.get(reverse("report-detail", args=[energy_task6.pk]))
    assert page.status_code == 200
    assert "推进状态" in page.content.decode() and "提交" in page.content.decode()

    response = client.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, progress="扎兰屯储能电站完成备案。", action="save"),
    )
    assert response.status_code == 302
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.DRAFT and energy_task6.version == 1

    response = client.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(
            energy_task6, progress="扎兰屯储能电站完成备案，阿荣旗项目开工。", next_steps="推进并网。", action="submit"
        ),
    )
    assert response.status_code == 302
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.SUBMITTED
    assert energy_task6.submitted_at is not None and energy_task6.first_submitted_at == energy_task6.submitted_at
    assert list(energy_task6.events.values_list("action", flat=True)) == ["save", "submit"]


def test_after_submission_the_report_is_read_only(energy_reporter, energy_task6):
    report_submit(report=energy_task6, user=energy_reporter, data=ReportInput("on_track", "已完成备案。"), version=0)
    client = login(energy_reporter)
    page = client.get(reverse("report-detail", args=[energy_task6.pk])).content.decode()
    assert 'id="report-form"' not in page and "已完成备案。" in page
    response = client.post(
        reverse("report-detail", args=[energy_task6.pk]), form(energy_task6, version=1, progress="改", action="save")
    )
    assert response.status_code == 403
    assert Report.objects.get(pk=energy_task6.pk).progress == "已完成备案。"


def test_the_office_returns_with_a_comment_and_the_unit_resubmits(energy_reporter, office, energy_task6):
    report_submit(report=energy_task6, user=energy_reporter, data=ReportInput("on_track", "已完成备案。"), version=0)
    office_client = login(office)
    assert "任务6" in office_client.get(reverse("review-queue")).content.decode()

    refused = office_client.post(
        reverse("report-review", args=[energy_task6.pk]), {"decision": "return", "comment": ""}
    )
    assert refused.status_code == 302
    assert Report.objects.get(pk=energy_task6.pk).state == ReportState.SUBMITTED  # a return needs a comment

    office_client.post(
        reverse("report-review", args=[energy_task6.pk]), {"decision": "return", "comment": "请补充阿荣旗项目进度。"}
    )
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.RETURNED
    message = InboxMessage.objects.get(recipient=energy_reporter)
    assert "被退回" in message.subject and "请补充阿荣旗项目进度。" in message.body
    assert message.url == reverse("report-detail", args=[energy_task6.pk])

    client = login(energy_reporter)
    page = client.get(reverse("report-detail", args=[energy_task6.pk])).content.decode()
    assert "请补充阿荣旗项目进度。" in page and 'id="report-form"' in page
    client.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, progress="已完成备案；阿荣旗项目完成土建30%。", action="submit"),
    )
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.SUBMITTED
    office_client.post(reverse("report-review", args=[energy_task6.pk]), {"decision": "accept"})
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.ACCEPTED
    assert [e.action for e in energy_task6.events.all()] == ["submit", "return", "submit", "accept"]
    assert InboxMessage.objects.filter(recipient=energy_reporter).count() == 2


def test_a_unit_that_requires_approval_sends_to_its_head_first(energy_reporter, energy_head, energy_task6):
    Unit.objects.filter(name="市能源局").update(requires_head_approval=True)
    energy_task6.refresh_from_db()
    login(energy_reporter).post(
        reverse("report-detail", args=[energy_task6.pk]), form(energy_task6, progress="已完成备案。", action="submit")
    )
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.PENDING_APPROVAL and energy_task6.submitted_at is None
    assert InboxMessage.objects.filter(recipient=energy_head, subject__startswith="待审核").exists()
    login(energy_head).post(reverse("report-approve", args=[energy_task6.pk]))
    energy_task6.refresh_from_db()
    assert energy_task6.state == ReportState.SUBMITTED and energy_task6.submitted_at is not None


def test_two_people_of_one_unit_editing_the_same_report(energy_reporter, energy_head, energy_task6):
    """The second save is refused with a clear message and their text stays on screen."""
    first, second = login(energy_reporter), login(energy_head)
    first.post(
        reverse("report-detail", args=[energy_task6.pk]), form(energy_task6, progress="张填报的文字", action="save")
    )
    response = second.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, version=0, progress="赵局长的文字", action="save"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存失败：该报告已被张填报于" in page
    assert "赵局长的文字" in page  # their text is kept in the form
    assert "张填报的文字" in page  # and the saved version is shown beside it
    assert Report.objects.get(pk=energy_task6.pk).progress == "张填报的文字"


def test_the_service_refuses_a_stale_version(energy_reporter, energy_task6):
    report_save(report=energy_task6, user=energy_reporter, data=ReportInput(progress="一"), version=0)
    with pytest.raises(ReportConflict):
        report_save(report=energy_task6, user=energy_reporter, data=ReportInput(progress="二"), version=0)


def test_a_status_not_in_the_list_is_refused_with_a_clear_message(energy_reporter, energy_task6):
    response = login(energy_reporter).post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, progress_status="超额完成", progress="文字", action="submit"),
    )
    assert response.status_code == 400
    assert "推进状态“超额完成”不在可选范围内（未启动、正常推进、滞后、已完成）。" in response.content.decode()
    assert Report.objects.get(pk=energy_task6.pk).state == ReportState.REQUESTED


def test_submitting_needs_a_status_and_progress(energy_reporter, energy_task6):
    with pytest.raises(ReportError) as caught:
        report_submit(report=energy_task6, user=energy_reporter, data=ReportInput(progress_status="behind"), version=0)
    assert caught.value.field_errors == {
        "progress": "提交前请填写工作进展。",
        "problems": "推进状态为“滞后”时，请写明存在问题。",
    }


def test_html_in_text_fields_is_shown_as_text(energy_reporter, energy_task6):
    report_save(
        report=energy_task6, user=energy_reporter, data=ReportInput(progress="<script>alert('x')</script>"), version=0
    )
    page = login(energy_reporter).get(reverse("report-detail", args=[energy_task6.pk])).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_a_post_without_csrf_token_is_refused(energy_reporter, energy_task6):
    client = Client(enforce_csrf_checks=True)
    client.force_login(energy_reporter)
    response = client.post(
        reverse("report-detail", args=[energy_task6.pk]), form(energy_task6, progress="x", action="save")
    )
    assert response.status_code == 403
    assert Report.objects.get(pk=energy_task6.pk).progress == ""


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_evidence_is_checked_by_content_not_by_name(energy_reporter, energy_task6):
    client = login(energy_reporter)
    url = reverse("report-detail", args=[energy_task6.pk])
    response = client.post(
        url, form(energy_task6, progress="带附件的进展", action="save", evidence=[upload("验收单.pdf", EXE)])
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件“验收单.pdf”的内容不是允许的类型" in page
    assert "带附件的进展" in page  # a failed upload does not lose the typed text
    assert Report.objects.get(pk=energy_task6.pk).progress == "" and not Evidence.objects.exists()

    response = client.post(
        url,
        form(
            energy_task6,
            progress="带附件的进展",
            action="save",
            evidence=[upload("现场.png", PNG), upload("备案.pdf", PDF)],
        ),
    )
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", "extension")) == [
        ("备案.pdf", "pdf"),
        ("现场.png", "png"),
    ]


def test_a_file_whose_name_lies_about_its_type_is_refused(energy_reporter, energy_task6):
    response = login(energy_reporter).post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, action="save", evidence=[upload("表格.xlsx", PDF)]),
    )
    assert "扩展名与内容不符" in response.content.decode()


def test_an_oversized_upload_is_refused(energy_reporter, energy_task6, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = login(energy_reporter).post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, action="save", evidence=[upload("大文件.pdf", PDF + b"0" * 2048)]),
    )
    assert response.status_code == 400
    assert "超过上限" in response.content.decode()
    assert not Evidence.objects.exists()


def test_figures_are_filed_for_the_quantitative_targets_of_the_measure(energy_reporter, energy_task6):
    metric = TargetMetric.objects.get(measure=energy_task6.measure, name="储能规模")
    assert (metric.target_value, metric.unit_of_measure, metric.phase.name) == (300, "万千瓦", "提升期")
    client = login(energy_reporter)
    page = client.get(reverse("report-detail", args=[energy_task6.pk])).content.decode()
    assert "储能规模（万千瓦）" in page
    client.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, progress="储能", action="save", **{f"figure_{metric.pk}": "45.5"}),
    )
    assert energy_task6.figures.get().value == 45.5
    response = client.post(
        reverse("report-detail", args=[energy_task6.pk]),
        form(energy_task6, version=1, progress="储能", action="save", **{f"figure_{metric.pk}": "四十"}),
    )
    assert "“四十”不是数字。" in response.content.decode()


def test_next_period_is_prefilled_from_the_previous_report(annex1, energy_reporter, energy_task6):
    report_submit(report=energy_task6, user=energy_reporter, data=ReportInput("on_track", "十一月的进展。"), version=0)
    december = open_month_result(annex1, 2026, 12)
    report = Report.objects.get(period=december.period, measure=energy_task6.measure, unit=energy_task6.unit)
    page = login(energy_reporter).get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "已按2026年11月 月调度报送的内容预填" in page
    assert "十一月的进展。" in page


def test_an_unchanged_item_takes_one_click(annex1, energy_reporter, november):
    task1 = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    task2 = Report.objects.get(period=november, measure__task__number=2, unit__name="市能源局")
    for report in (task1, task2):
        report_submit(
            report=report, user=energy_reporter, data=ReportInput("on_track", f"{report.measure.label}进展"), version=0
        )
    december = open_month(annex1, 2026, 12)
    new = {
        r.measure.task.number: r
        for r in Report.objects.filter(period=december, unit__name="市能源局", measure__task__number__in=[1, 2])
    }
    client = login(energy_reporter)
    page = client.get(reverse("my-tasks")).content.decode()
    assert f'name="report" value="{new[1].pk}"' in page
    response = client.post(reverse("carry-over"), {"report": [new[1].pk, new[2].pk]})
    assert response.status_code == 302
    for number, report in new.items():
        report.refresh_from_db()
        assert report.state == ReportState.SUBMITTED
        assert report.progress == f"任务{number}进展"


def test_the_lead_unit_sees_supporting_reports_beside_its_form(energy_reporter, resources_reporter, november):
    support = Report.objects.get(period=november, measure__task__number=1, unit__name="市自然资源局")
    report_submit(
        report=support, user=resources_reporter, data=ReportInput("on_track", "完成矿区规划调研。"), version=0
    )
    lead = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    page = login(energy_reporter).get(reverse("report-detail", args=[lead.pk])).content.decode()
    assert "责任单位本期报告" in page
    assert "完成矿区规划调研。" in page
    assert 'class="quote" data-unit="市自然资源局"' in page
    # the supporting unit does not see the lead's page, nor the other supporters'
    other = Report.objects.get(period=november, measure__task__number=1, unit__name="市林草局")
    assert login(resources_reporter).get(reverse("report-detail", args=[other.pk])).status_code == 404


def test_every_change_is_kept_and_shown(energy_reporter, office, energy_task6):
    report_save(report=energy_task6, user=energy_reporter, data=ReportInput(progress="初稿"), version=0)
    report_submit(report=energy_task6, user=energy_reporter, data=ReportInput("on_track", "定稿"), version=1)
    assert energy_task6.history.count() >= 3
    page = login(office).get(reverse("report-detail", args=[energy_task6.pk])).content.decode()
    assert "修改记录" in page and "<del>初稿</del>" in page and "<ins>定稿</ins>" in page
    assert ReportEvent.objects.filter(report=energy_task6).count() == 2


def test_my_tasks_shows_what_is_due_and_what_is_late(energy_reporter, november):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)):
        page = login(energy_reporter).get(reverse("my-tasks")).content.decode()
    assert "我的任务" in page and "市能源局" in page
    assert "逾期" in page
    assert page.count('href="/reports/') >= 14


def test_my_tasks_rows_show_period_measure_role_state_deadline_and_light(energy_reporter, november):
    """Each of the three lists, cell by cell: the rows are built in Python, the template only prints them."""
    import time_machine

    reports = {
        r.measure.task.number: r
        for r in Report.objects.filter(
            period=november, unit__name="市能源局", measure__task__number__in=[1, 2, 6]
        ).select_related("measure__task")
    }
    report_submit(report=reports[1], user=energy_reporter, data=ReportInput("on_track", "完成调研。"), version=0)
    Unit.objects.filter(name="市能源局").update(requires_head_approval=True)
    reports[6].refresh_from_db()
    report_submit(report=reports[6], user=energy_reporter, data=ReportInput("on_track", "完成备案。"), version=0)
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)):
        page = re.sub(r">\s+<", "><", login(energy_reporter).get(reverse("my-tasks")).content.decode())

    month = november.label  # 2026年11月 月调度

    def link(number: int) -> str:
        return f'href="/reports/{reports[number].pk}/"'

    def title(number: int) -> str:
        return f"任务{number} {reports[number].measure.task.title}"

    assert (
        f'<tr class="is-late"><td class="check"></td><td>{month}</td><td><a {link(2)}>{title(2)}</a></td>'
        f'<td>牵头单位（汇总）</td><td>待填报</td><td>11月25日 <span class="late">逾期</span></td>'
        f'<td><span class="light light-red">红灯</span></td><td><a class="button" {link(2)}>填报</a></td></tr>'
    ) in page
    assert "<h2>待本单位负责人审核（1）</h2>" in page
    assert (
        f'<tr><td>{month}</td><td>{title(6)}</td><td>11月25日</td><td><a class="button" {link(6)}>查看</a></td></tr>'
    ) in page
    assert "<h2>最近一期已报送（1）</h2>" in page
    assert (
        f"<tr><td>{month}</td><td><a {link(1)}>{title(1)}</a></td><td>正常推进</td><td>已提交</td>"
        f'<td><span class="light light-green">绿灯</span></td></tr>'
    ) in page


def batch_form(reports, **overrides) -> dict:
    data = {"reports": [r.pk for r in reports]}
    for r in reports:
        data |= {
            f"r{r.pk}-version": r.version,
            f"r{r.pk}-progress_status": "on_track",
            f"r{r.pk}-progress": f"{r.measure.label}进展",
        }
        data |= {f"r{r.pk}-problems": "", f"r{r.pk}-next_steps": ""}
    data |= overrides
    return data


def test_a_unit_files_all_its_reports_from_one_page(energy_reporter, november):
    reports = list(Report.objects.filter(period=november, unit__name="市能源局").order_by("measure__task__number"))
    assert len(reports) >= 14
    client = login(energy_reporter)
    page = client.get(reverse("batch")).content.decode()
    assert page.count("<fieldset") == len(reports)
    response = client.post(reverse("batch"), batch_form(reports, action="submit"))
    assert response.status_code == 302
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("state", flat=True)) == {"submitted"}


def test_one_bad_report_on_the_batch_page_does_not_hold_back_the_others(energy_reporter, november):
    reports = list(Report.objects.filter(period=november, unit__name="市能源局").order_by("measure__task__number")[:3])
    bad = reports[1]
    data = batch_form(reports, action="submit", **{f"r{bad.pk}-progress": "", f"r{bad.pk}-problems": "我写的问题"})
    response = login(energy_reporter).post(reverse("batch"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "提交前请填写工作进展。" in page and "我写的问题" in page
    states = dict(Report.objects.filter(pk__in=[r.pk for r in reports]).values_list("pk", "state"))
    assert states == {reports[0].pk: "submitted", bad.pk: "requested", reports[2].pk: "submitted"}


def test_the_batch_page_never_writes_another_units_report(energy_reporter, industry_reporter, november):
    other = Report.objects.filter(period=november, unit__name="市工信局").first()
    login(energy_reporter).post(reverse("batch"), batch_form([other], action="submit"))
    other.refresh_from_db()
    assert other.state == "requested" and other.progress == ""
