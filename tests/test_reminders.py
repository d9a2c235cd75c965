"""A month of the cadence, day by day: remind, chase, 督办单, collect — each exactly once, on working days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from notifications.cadence_run import cadence_run
from notifications.delivery import deliveries_send, pending_ids
from notifications.models import Delivery, Endpoint, InboxMessage, SupervisionNotice
from tasks_app.models import Cadence, Period, Report, ReportState
from tasks_app.services.reports import ReportInput, report_submit

pytestmark = pytest.mark.django_db
D = dt.date


def run_day(day: dt.date):
    with time_machine.travel(dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC)):
        result = cadence_run(today=day)
        deliveries_send(pending_ids())
    return result


@pytest.fixture
def month(annex1, energy_reporter, energy_head, resources_reporter, office, admin_user, locmem_email, fake_robot):
    """Only 月调度 runs; 市能源局 has e-mail and a WeCom robot, 市自然资源局 a robot that no longer exists."""
    Cadence.objects.exclude(code="monthly").update(is_active=False)
    Endpoint.objects.create(kind="email", user=energy_reporter, address="zhang@nengyuan.example.cn")
    Endpoint.objects.create(
        kind="wecom", unit=energy_reporter.unit, address=fake_robot.answer("/wecom/energy", (200, {"errcode": 0}))
    )
    gone = fake_robot.answer("/wecom/resources", (200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    Endpoint.objects.create(kind="wecom", unit=resources_reporter.unit, address=gone)
    return {"email": locmem_email, "robot": fake_robot}


def inbox(user, startswith: str):
    return InboxMessage.objects.filter(recipient=user, subject__startswith=startswith)


def test_the_month_runs_itself(month, energy_reporter, energy_head, office, resources_reporter, admin_user):
    assert run_day(D(2026, 11, 1)).opened == ["2026年11月 月调度"]
    november = Period.objects.get(label="2026年11月 月调度")
    assert november.due_date == D(2026, 11, 25)
    task1 = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)):  # filed on time, whatever today is
        report_submit(report=task1, user=energy_reporter, data=ReportInput("on_track", "完成矿区规划。"), version=0)

    for day in range(2, 20):
        run_day(D(2026, 11, day))
    assert not Delivery.objects.exclude(key__startswith="calendar-warning").exists()  # nothing before T-3
    # 2027's holidays are not entered yet: the admin and the office are told once, not every day.
    assert inbox(admin_user, "节假日安排待录入").count() == 1
    assert inbox(office, "节假日安排待录入").count() == 1

    # T-3 working days: Friday 20 November
    run_day(D(2026, 11, 20))
    [remind] = inbox(energy_reporter, "提醒")
    assert remind.subject.startswith("提醒：2026年11月 月调度有") and "11月25日截止" in remind.subject
    assert "任务1 " not in remind.body and "任务2 加大煤矿智能化建设力度。" in remind.body
    assert [m.to for m in month["email"]] == [["zhang@nengyuan.example.cn"]]
    assert len(month["robot"].on("/wecom/energy")) == 1
    assert month["robot"].on("/wecom/energy")[0]["msgtype"] == "markdown"
    assert not inbox(energy_head, "提醒").exists()  # the head is not bothered before the deadline

    # The robot that no longer exists is switched off and the admins are told, once.
    gone = Endpoint.objects.get(address__endswith="/wecom/resources")
    assert not gone.enabled and "93000" in gone.disabled_reason
    assert inbox(admin_user, "通知渠道已停用").count() == 1

    # Running the same day again, or the quiet days after, sends nothing.
    before = Delivery.objects.count()
    for day in (20, 21, 22, 23, 24):
        run_day(D(2026, 11, day))
    assert Delivery.objects.count() == before and len(month["email"]) == 1

    run_day(D(2026, 11, 25))  # T: the due day
    assert inbox(energy_reporter, "今日截止").count() == 1

    run_day(D(2026, 11, 26))  # T+1: chase, and the period is collected
    assert inbox(energy_reporter, "催办").count() == 1
    assert inbox(energy_head, "催办").count() == 1
    november.refresh_from_db()
    assert november.collected_at is not None
    assert (
        Report.objects.filter(period=november, overdue_since=D(2026, 11, 26)).count()
        == Report.objects.filter(period=november, first_submitted_at__isnull=True).count()
    )
    assert not Report.objects.get(pk=task1.pk).overdue_since
    summary = InboxMessage.objects.get(recipient=office, subject__startswith="2026年11月 月调度报送情况")
    assert "按时 1" in summary.subject
    assert inbox(energy_reporter, "任务1：2026年11月 月调度有").exists()  # lead unit: supporters missing

    for day in (27, 28, 29):  # Friday T+2, then the weekend
        run_day(D(2026, 11, day))
    assert not SupervisionNotice.objects.exists()

    run_day(D(2026, 11, 30))  # Monday, T+3 working days: 督办单
    notice = SupervisionNotice.objects.get(period=november, unit__name="市能源局")
    assert notice.number.startswith("督办〔2026〕") and notice.deadline == D(2026, 12, 2)
    assert task1 not in notice.reports.all() and notice.reports.count() >= 13
    assert inbox(energy_head, "督办单督办〔2026〕").count() == 1
    assert inbox(office, "督办单：2026年11月 月调度").count() == 1
    numbers = sorted(SupervisionNotice.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))

    of_november = Delivery.objects.filter(key__contains=f":p{november.pk}:")
    total = of_november.count()
    run_day(D(2026, 11, 30))
    run_day(D(2026, 12, 1))
    assert of_november.count() == total
    assert SupervisionNotice.objects.filter(period=november).count() == len(numbers)


def test_a_filed_report_is_not_chased(month, energy_reporter):
    run_day(D(2026, 11, 1))
    november = Period.objects.get(label="2026年11月 月调度")
    for report in Report.objects.filter(period=november, unit__name="市能源局"):
        report_submit(
            report=report, user=energy_reporter, data=ReportInput("on_track", "按计划推进。"), version=report.version
        )
    run_day(D(2026, 11, 20))
    run_day(D(2026, 11, 26))
    assert not InboxMessage.objects.filter(recipient=energy_reporter).exclude(subject__contains="未报送").exists()


def test_a_transient_failure_is_retried_with_backoff(month, energy_reporter, fake_robot):
    Endpoint.objects.filter(kind="wecom", unit=energy_reporter.unit).update(
        address=fake_robot.answer("/wecom/flaky", (502, {}), (200, {"errcode": 0}))
    )
    run_day(D(2026, 11, 1))
    run_day(D(2026, 11, 20))
    delivery = Delivery.objects.get(channel="wecom", endpoint__unit=energy_reporter.unit)
    assert delivery.status == "pending" and delivery.attempts == 1 and "502" in delivery.last_error
    assert delivery.next_attempt_at is not None
    with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
        deliveries_send(pending_ids())
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert [a.ok for a in delivery.attempt_log.all()] == [False, True]
    assert len(fake_robot.on("/wecom/flaky")) == 2


def test_the_command_rehearses_a_day(month, capsys):
    from django.core.management import call_command

    call_command("run_cadence", "--today", "2026-11-20")
    out = capsys.readouterr().out
    assert "2026-11-20（周五）" in out and "开启周期：2026年11月 月调度" in out and "提醒/催办：1 个梯次" in out
    call_command("run_cadence", "--today", "2026-11-20")
    assert "站内消息：新增 0 条；邮件与群机器人：成功 0" in capsys.readouterr().out


def test_a_notice_has_a_printable_page_for_its_unit_and_the_office(
    month, client, energy_reporter, industry_reporter, office
):
    run_day(D(2026, 11, 1))
    run_day(D(2026, 11, 30))
    notice = SupervisionNotice.objects.get(unit__name="市能源局")
    client.force_login(energy_reporter)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "督 办 单" in page and notice.number in page and "请于<strong>2026年12月2日</strong>前报送" in page
    client.force_login(industry_reporter)
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    client.force_login(office)
    assert notice.number in client.get("/notices/").content.decode()


def test_the_office_sees_who_filed_on_time_late_or_not_at_all(month, client, energy_reporter, office):
    run_day(D(2026, 11, 1))
    november = Period.objects.get(label="2026年11月 月调度")
    reports = list(Report.objects.filter(period=november, unit__name="市能源局").order_by("pk"))
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)):
        report_submit(report=reports[0], user=energy_reporter, data=ReportInput("on_track", "按时。"), version=0)
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)):
        report_submit(report=reports[1], user=energy_reporter, data=ReportInput("on_track", "晚了两天。"), version=0)
    run_day(D(2026, 11, 30))
    client.force_login(office)
    page = client.get(f"/periods/{november.pk}/discipline/").content.decode()
    assert "2026年11月 月调度报送情况" in page
    row = page[page.index("<td>市能源局</td>") :].split("</tr>")[0]
    assert "<td>1</td><td>1</td>" in row  # one on time, one late
    assert "<td>2</td>" in row  # late by 2 working days (26, 27 Nov)
    client.force_login(energy_reporter)
    assert client.get(f"/periods/{november.pk}/discipline/").status_code == 403


def test_units_and_people_choose_their_channels(client, energy_reporter, energy_head):
    client.force_login(energy_reporter)
    client.post("/settings/channels/", {"kind": "email", "address": "zhang@nengyuan.example.cn"})
    assert Endpoint.objects.filter(user=energy_reporter, kind="email").exists()
    refused = client.post("/settings/channels/", {"kind": "wecom", "address": "https://qyapi.weixin.qq.com/x"})
    assert refused.status_code == 200 and not Endpoint.objects.filter(kind="wecom").exists()
    client.force_login(energy_head)
    client.post(
        "/settings/channels/", {"kind": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"}
    )
    assert Endpoint.objects.get(kind="wecom").unit == energy_head.unit
    bad = client.post("/settings/channels/", {"kind": "dingtalk", "address": "http://plain.example"})
    assert "应以 https:// 开头" in bad.content.decode()


def test_someone_elses_channel_is_a_404_and_stays(client, energy_reporter, energy_head, industry_reporter, office):
    robot = Endpoint.objects.create(kind="wecom", unit=energy_head.unit, address="https://qyapi.weixin.qq.com/x")
    email = Endpoint.objects.create(kind="email", user=energy_reporter, address="zhang@nengyuan.example.cn")
    for outsider in (industry_reporter, office):
        client.force_login(outsider)
        for endpoint in (robot, email):
            assert client.post(f"/settings/channels/{endpoint.pk}/remove/").status_code == 404
    client.force_login(energy_reporter)  # sees the unit's robot on the page, may not remove it
    assert client.post(f"/settings/channels/{robot.pk}/remove/").status_code == 403
    assert Endpoint.objects.filter(pk__in=[robot.pk, email.pk]).count() == 2
    assert client.post(f"/settings/channels/{email.pk}/remove/").status_code == 302
    client.force_login(energy_head)
    assert client.post(f"/settings/channels/{robot.pk}/remove/").status_code == 302
    assert not Endpoint.objects.filter(pk__in=[robot.pk, email.pk]).exists()


def test_dingtalk_signs_its_webhook():
    from notifications.channels.robots import DingTalkRobotChannel

    url = DingTalkRobotChannel.signed(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC123", now_ms=1700000000000
    )
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign=")
    assert DingTalkRobotChannel.signed("https://x/robot", "", now_ms=1) == "https://x/robot"


def test_returning_a_report_notifies_by_email_too(annex1, november, energy_reporter, office, locmem_email):
    from django.test import Client

    Endpoint.objects.create(kind="email", user=energy_reporter, address="zhang@nengyuan.example.cn")
    report = Report.objects.get(period=november, measure__task__number=6, unit__name="市能源局")
    report_submit(report=report, user=energy_reporter, data=ReportInput("on_track", "进展"), version=0)
    client = Client()
    client.force_login(office)
    client.post(f"/reports/{report.pk}/review/", {"decision": "return", "comment": "请补充数据"})
    assert Report.objects.get(pk=report.pk).state == ReportState.RETURNED
    deliveries_send(pending_ids())
    assert len(locmem_email) == 1 and "被退回" in locmem_email[0].subject and "请补充数据" in locmem_email[0].body


def test_a_revision_mid_period_archives_a_task_and_its_reminders_stop(month, annex1, energy_reporter, client):
    from tasks_app.services.plans import tasklist_import
    from tests.support.files import annex1_rows, xlsx_bytes

    run_day(D(2026, 11, 1))
    november = Period.objects.get(label="2026年11月 月调度")
    task2 = Report.objects.get(period=november, measure__task__number=2, unit__name="市能源局")
    rows = [row for row in annex1_rows() if row[0] != 2]  # the revision drops task 2
    tasklist_import(plan=annex1, file_name="第二稿.xlsx", data=xlsx_bytes(rows))
    run_day(D(2026, 11, 20))
    remind = InboxMessage.objects.get(recipient=energy_reporter, subject__startswith="提醒")
    assert "任务1 " in remind.body and "任务2 " not in remind.body
    client.force_login(energy_reporter)
    assert f'href="/reports/{task2.pk}/"' not in client.get("/my/").content.decode()
    assert client.get(f"/reports/{task2.pk}/").status_code == 200  # still readable
    run_day(D(2026, 11, 26))
    assert Report.objects.get(pk=task2.pk).overdue_since is None


def test_a_task_added_mid_period_is_asked_for_from_the_next_period(month, annex1):
    from tasks_app.services.plans import tasklist_import
    from tests.support.files import annex1_rows, xlsx_bytes

    run_day(D(2026, 11, 1))
    rows = annex1_rows()
    rows.append([49, *rows[-1][1:3], "新增的第49项任务。", "新增举措。", "市能源局", "", "", ""])
    tasklist_import(plan=annex1, file_name="第二稿.xlsx", data=xlsx_bytes(rows))
    run_day(D(2026, 11, 2))
    assert not Report.objects.filter(measure__task__number=49, period__label="2026年11月 月调度").exists()
    run_day(D(2026, 11, 29))  # December opens three days ahead
    assert Report.objects.filter(measure__task__number=49, period__label="2026年12月 月调度").count() == 1
