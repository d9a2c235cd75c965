"""The issue's bar: a quarter of the cadence on the demo data drafts a circular that names exactly the
units that filed late or not at all; issuing it tells every unit."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Circular, Endpoint, InboxMessage
from tasks_app.models import Report, Unit, User
from tests.circulars.conftest import LATE, SILENT

pytestmark = pytest.mark.django_db


def test_a_quarter_drafts_a_circular_naming_exactly_the_late_and_the_silent_and_issuing_it_tells_them(
    third_quarter, client, fake_robot
):
    # One test: running the quarter day by day takes half a minute, and every step builds on the last.
    from notifications.circulars.services import circular_issue
    from notifications.delivery import deliveries_send, pending_ids

    draft, days = third_quarter
    drafted = [(d.today, d.circulars) for d in days if d.circulars]
    assert drafted == [(dt.date(2026, 10, 14), ["关于2026年第三季度重点任务推进情况的通报"])]
    assert draft.compile_state == "idle" and draft.snapshot_at is not None

    discipline = draft.snapshot["discipline"]
    named = {u["name"]: u["reasons"] for u in discipline["named"]}
    assert set(named) == {*LATE, *SILENT}
    silent_reports = Report.objects.filter(period__end_date__range=("2026-07-01", "2026-09-30"), unit__name="市科技局")
    assert named["市科技局"] == [f"未报送 {silent_reports.count()} 项"]
    august = Report.objects.filter(period__label__startswith="2026年8月", unit__name="市工信局")
    assert named["市工信局"] == [f"逾期报送 {august.count()} 项（最长逾期 3 个工作日）"]
    everyone_else = [u for u in discipline["units"] if u["name"] not in named]
    assert everyone_else and all(u["late"] == u["missing"] == 0 for u in everyone_else)

    # The numbers are the system's own: the quarter's 季通报 period judges the measures.
    assert draft.snapshot["state_period"]["label"] == "2026年第三季度 季通报"
    overall = draft.snapshot["overview"]["overall"]
    assert overall["total"] == 52 and overall["states"]["done"] == 1 and overall["states"]["behind"] == 1
    assert "储能项目用地预审未通过。" in str(draft.snapshot["sectors"])
    assert "已完成煤炭资源勘查年度任务。" in draft.highlights  # the highlights are quoted, ready to edit

    # Issued, it tells every unit and the leaders; the named units more strongly.
    industry, energy = Unit.objects.get(name="市工信局"), Unit.objects.get(name="市能源局")
    Endpoint.objects.create(kind="wecom", unit=industry, address=fake_robot.answer("/industry", (200, {"errcode": 0})))
    Endpoint.objects.create(kind="wecom", unit=energy, address=fake_robot.answer("/energy", (200, {"errcode": 0})))
    office = User.objects.get(username="duchashi")

    issued = circular_issue(circular=draft, user=office, issued_on=dt.date(2026, 10, 16))
    reloaded = Circular.objects.get(pk=issued.pk)
    deliveries_send(pending_ids())

    assert issued.number == "呼督通〔2026〕1号"
    assert {u.name for u in reloaded.named_units.all()} == {*LATE, *SILENT}
    for username in ("nengyuan", "gongxin", "hailaer", "lingdao", "duchashi"):
        assert InboxMessage.objects.filter(
            recipient__username=username, subject__startswith="【通报】呼督通〔2026〕1号"
        )
    assert InboxMessage.objects.filter(
        recipient__username="gongxin", subject__startswith="【点名通报】市工信局"
    ).exists()
    assert not InboxMessage.objects.filter(recipient__username="nengyuan", subject__startswith="【点名通报】").exists()
    assert len(fake_robot.on("/industry")) == 1 and "点名" in str(fake_robot.on("/industry")[0])
    assert fake_robot.on("/energy") == []  # a unit not named is not called out in its group chat

    client.force_login(User.objects.get(username="gongxin"))
    page = client.get(f"/circulars/{issued.pk}/").content.decode()
    assert "呼督通〔2026〕1号" in page and "市工信局（逾期报送" in page
