"""Exactly once, against a real Celery worker on Redis: jobs run twice at once, the broker goes down."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from notifications.models import Delivery, DeliveryStatus, Endpoint, InboxMessage
from notifications.tasks import deliver, run_cadence, sweep_outbox
from tasks_app.models import Cadence, Period, Report, ReportState, Unit
from tasks_app.services.accounts import user_create
from tasks_app.services.reports import ReportInput, report_submit
from tests.conftest import open_month, reset_broker_connections

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_until(condition, timeout: float = 60.0, settle: float = 1.5) -> None:
    """Poll until ``condition()`` holds and stays true for ``settle`` seconds (work in flight ends)."""
    deadline = time.monotonic() + timeout
    held_since = None
    while time.monotonic() < deadline:
        if condition():
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= settle:
                return
        else:
            held_since = None
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture
def people(annex1_committed):
    units = {unit.name: unit for unit in Unit.objects.filter(name__in=("市能源局", "市自然资源局"))}
    return {
        "energy": user_create(username="zhang", role="reporter", unit=units["市能源局"], name="张填报", password="x"),
        "head": user_create(username="zhao", role="unit_head", unit=units["市能源局"], name="赵局长", password="x"),
        "resources": user_create(
            username="chen", role="reporter", unit=units["市自然资源局"], name="陈填报", password="x"
        ),
        "office": user_create(username="wang", role="office", name="王督查", password="x"),
    }


@pytest.fixture
def november_with_channels(annex1_committed, people, locmem_email, fake_robot):
    Cadence.objects.exclude(code="monthly").update(is_active=False)
    period = open_month(annex1_committed, 2026, 11)
    Endpoint.objects.create(kind="email", user=people["energy"], address="zhang@nengyuan.example.cn")
    Endpoint.objects.create(
        kind="wecom", unit=people["energy"].unit, address=fake_robot.answer("/energy", (200, {"errcode": 0}))
    )
    Endpoint.objects.create(
        kind="dingtalk", unit=people["resources"].unit, address=fake_robot.answer("/resources", (200, {"errcode": 0}))
    )
    return period


def no_pending() -> bool:
    return not Delivery.objects.filter(status=DeliveryStatus.PENDING).exists()


def test_the_daily_job_run_twice_at_once_sends_everything_once(
    celery_worker, people, november_with_channels, locmem_email, fake_robot
):
    run_cadence.delay("2026-11-20")
    run_cadence.delay("2026-11-20")
    wait_until(lambda: Delivery.objects.filter(key__startswith="remind").exists() and no_pending())

    assert InboxMessage.objects.filter(recipient=people["energy"], subject__startswith="提醒").count() == 1
    assert InboxMessage.objects.filter(recipient=people["resources"], subject__startswith="提醒").count() == 1
    assert [m.to for m in locmem_email] == [["zhang@nengyuan.example.cn"]]
    assert len(fake_robot.on("/energy")) == 1 and len(fake_robot.on("/resources")) == 1
    keys = list(Delivery.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys))


def test_every_job_twice_at_once_changes_nothing_the_second_time(
    celery_worker, people, november_with_channels, locmem_email, fake_robot
):
    for day in ("2026-11-26", "2026-11-30"):  # chase + collect, then 督办单
        run_cadence.delay(day)
        run_cadence.delay(day)
        wait_until(no_pending)
    counts = (Delivery.objects.count(), InboxMessage.objects.count(), len(locmem_email), len(fake_robot.received))
    pending = list(Delivery.objects.values_list("pk", flat=True))
    deliver.delay(pending)
    deliver.delay(pending)
    sweep_outbox.delay()
    run_cadence.delay("2026-11-30")
    wait_until(no_pending)
    assert (
        Delivery.objects.count(),
        InboxMessage.objects.count(),
        len(locmem_email),
        len(fake_robot.received),
    ) == counts
    from notifications.models import SupervisionNotice

    assert SupervisionNotice.objects.filter(unit__name="市能源局").count() == 1
    assert Period.objects.get(pk=november_with_channels.pk).collected_at is not None


def test_filing_works_while_redis_is_down_and_the_message_goes_out_after(
    celery_redis, people, november_with_channels, locmem_email, transactional_db
):
    from tests.support.tcp_proxy import TcpProxy

    proxy = TcpProxy("127.0.0.1", 6379).start()
    celery_redis.conf.broker_url = proxy.url + "/" + celery_redis.conf.broker_url.rsplit("/", 1)[1]
    reset_broker_connections(celery_redis)
    proxy.cut()  # Redis is unreachable from here on

    report = Report.objects.get(period=november_with_channels, measure__task__number=6, unit__name="市能源局")
    reporter, office = Client(), Client()
    reporter.force_login(people["energy"])
    office.force_login(people["office"])
    started = time.monotonic()
    response = reporter.post(
        f"/reports/{report.pk}/",
        {"progress_status": "on_track", "progress": "储能电站完成备案。", "version": 0, "action": "submit"},
    )
    assert response.status_code == 302
    response = office.post(f"/reports/{report.pk}/review/", {"decision": "return", "comment": "请补充项目进度。"})
    assert response.status_code == 302
    assert time.monotonic() - started < 10, "a request waited on the dead broker"
    assert Report.objects.get(pk=report.pk).state == ReportState.RETURNED
    email = Delivery.objects.get(channel="email")
    assert email.status == DeliveryStatus.PENDING and locmem_email == []
    assert InboxMessage.objects.filter(recipient=people["energy"], subject__contains="被退回").count() == 1

    proxy.restore()
    reset_broker_connections(celery_redis)
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_redis, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
        sweep_outbox.delay()
        sweep_outbox.delay()
        wait_until(no_pending)
    assert len(locmem_email) == 1 and "请补充项目进度。" in locmem_email[0].body
    proxy.cut()


def test_a_hung_redis_cannot_hang_a_request(celery_redis, people, november_with_channels, transactional_db):
    """A broker that accepts connections and never answers: the request still returns."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    celery_redis.conf.broker_url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
    reset_broker_connections(celery_redis)
    report = Report.objects.get(period=november_with_channels, measure__task__number=5, unit__name="市能源局")
    report_submit(report=report, user=people["energy"], data=ReportInput("on_track", "进展"), version=0)
    office = Client()
    office.force_login(people["office"])
    started = time.monotonic()
    response = office.post(f"/reports/{report.pk}/review/", {"decision": "accept"})
    elapsed = time.monotonic() - started
    silent.close()
    assert response.status_code == 302
    assert elapsed < 10, f"the request waited {elapsed:.1f}s on a hung broker"
    assert Delivery.objects.filter(channel="email", status=DeliveryStatus.PENDING).count() == 1


def test_two_workers_never_send_one_delivery_twice(celery_worker, people, november_with_channels, locmem_email):
    from notifications.delivery import Message, deliveries_create, recipients_rows
    from notifications.notify import with_channels
    from tasks_app.models import User

    users = with_channels(User.objects.filter(pk=people["energy"].pk))
    rows = []
    for n in range(30):
        rows += recipients_rows(key=f"load:{n}", message=Message(f"消息{n}"), users=users)
    ids = deliveries_create(rows)
    assert len(ids) == 30

    def hammer():
        for _ in range(3):
            deliver.delay(ids)

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sweep_outbox.delay()
    wait_until(no_pending)
    assert len(locmem_email) == 30
    assert sorted(m.subject for m in locmem_email) == sorted(f"【重点任务督查督办系统】消息{n}" for n in range(30))
    connection.close()
