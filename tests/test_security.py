"""Security promises: deploy checks, headers, login throttling, sessions, health, uploaded files."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tasks_app.models import User

pytestmark = pytest.mark.django_db
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "duban.example.gov.cn",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        # Tests switch off Django's async-safety for Playwright; a deployment never does.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        cwd=os.path.dirname(os.path.dirname(__file__)),
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_server_without_a_secret_key_refuses_to_start():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_admin_lives_under_a_configurable_path():
    result = manage(
        "shell", "-c", "from django.urls import reverse; print(reverse('admin:index'))", DJANGO_ADMIN_URL="houtai-7f3a/"
    )
    assert result.stdout.strip().splitlines()[-1] == "/houtai-7f3a/"


def test_pages_carry_a_content_security_policy_without_inline_code(client, leader):
    client.force_login(leader)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def login(client: Client, username: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_that_user_from_that_address(energy_reporter, industry_reporter):
    client = Client()
    for _ in range(4):
        response = login(client, "zhang", "wrong-password", "10.0.0.5")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert login(client, "zhang", "wrong-password", "10.0.0.5").status_code == 429  # the fifth failure locks
    locked = login(client, "zhang", "Test@2026x", "10.0.0.5")  # then even the right password is refused
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode() and "联系系统管理员解除锁定" in locked.content.decode()
    assert login(Client(), "liu", "Test@2026x", "10.0.0.5").status_code == 302  # another user, same address
    assert login(Client(), "zhang", "Test@2026x", "10.0.0.9").status_code == 302  # same user, another address


def test_the_lock_lifts_after_the_cool_off_or_when_an_admin_unlocks(energy_reporter, admin_user):
    from axes.models import AccessAttempt

    for _ in range(5):
        login(Client(), "zhang", "wrong", "10.0.0.5")
    assert login(Client(), "zhang", "Test@2026x", "10.0.0.5").status_code == 429
    admin = Client()
    admin.force_login(admin_user)
    attempt = AccessAttempt.objects.get(username="zhang")
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert login(Client(), "zhang", "Test@2026x", "10.0.0.5").status_code == 302
    for _ in range(5):
        login(Client(), "zhang", "wrong", "10.0.0.6")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)):
        assert login(Client(), "zhang", "Test@2026x", "10.0.0.6").status_code == 302


def test_a_session_ends_after_a_working_day(energy_reporter):
    start = dt.datetime(2026, 11, 23, 1, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = Client()
        assert login(client, "zhang", "Test@2026x", "10.0.0.1").status_code == 302
        assert client.get("/my/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=8, minutes=1), tick=False):
        assert client.get("/my/").status_code == 302


def test_weak_passwords_are_refused(energy_reporter):
    client = Client()
    client.force_login(energy_reporter)
    response = client.post(
        reverse("password_change"),
        {"old_password": "Test@2026x", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=energy_reporter.pk).check_password("Test@2026x")


def test_health_reports_database_broker_and_beat(client, redis_url):
    from django_celery_beat.models import PeriodicTask

    from notifications.schedule import beat_schedule_ensure

    beat_schedule_ensure()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok" and body["broker"] == "ok" and body["beat"].startswith("error: beat 尚未运行")
    PeriodicTask.objects.filter(task="notifications.sweep_outbox").update(last_run_at=dt.datetime.now(dt.UTC))
    assert client.get("/healthz").json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "beat": "ok",
        "version": "0.1.0",
    }


def test_logs_are_one_json_object_per_line():
    from taskboard.logging import JsonFormatter

    record = logging.LogRecord("tasks_app", logging.WARNING, __file__, 1, "报告 %s 被退回", ("任务6",), None)
    record.report_id = 42
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "报告 任务6 被退回" and line["level"] == "WARNING" and line["report_id"] == 42


# --- Uploaded files ---------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def evidence(energy_reporter, november):
    from tasks_app.models import Evidence, Report
    from tasks_app.services.reports import ReportInput, report_save
    from tasks_app.uploads import check_upload

    report = Report.objects.get(period=november, measure__task__number=6, unit__name="市能源局")
    data = ReportInput(progress_status="on_track", progress="储能电站备案。")
    report_save(report=report, user=energy_reporter, data=data, version=0, uploads=[check_upload("备案.pdf", PDF)])
    return Evidence.objects.get(report=report)


def test_uploaded_files_are_served_only_through_permission_checked_views(evidence, energy_reporter, admin_user):
    from django.conf import settings
    from django.views.static import serve

    from tests.support.url_walk import url_patterns

    assert evidence.file.storage.exists(evidence.file.name)
    direct = settings.MEDIA_URL + evidence.file.name
    for user in (None, energy_reporter, admin_user):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert client.get(direct).status_code == 404, user
    assert not [p.route for p in url_patterns() if p.pattern.callback is serve]
    assert not [p.route for p in url_patterns() if p.route.startswith(settings.MEDIA_URL.strip("/"))]
    owner = Client()
    owner.force_login(energy_reporter)
    response = owner.get(reverse("evidence-download", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == PDF and response["Content-Disposition"].startswith("attachment")
    # Nor on a laptop: DJANGO_DEBUG=1 (make run) routes no media either.
    script = (
        "from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/media/evidence/x.pdf')\n    print('routed')\n"
        "except Resolver404:\n    print('not routed')"
    )
    assert manage("shell", "-c", script, DJANGO_DEBUG="1").stdout.strip().splitlines()[-1] == "not routed"


def test_an_evidence_file_gone_from_storage_is_a_404_not_a_500(evidence, energy_reporter):
    evidence.file.storage.delete(evidence.file.name)
    client = Client(raise_request_exception=False)
    client.force_login(energy_reporter)
    assert client.get(reverse("evidence-download", args=[evidence.pk])).status_code == 404


# --- Error pages --------------------------------------------------------------------------------


def test_a_refusal_says_why_in_chinese_and_a_404_tells_nothing(energy_reporter):
    from django.template import loader

    client = Client()
    client.force_login(energy_reporter)
    refused = client.get(reverse("review-queue"))
    assert refused.status_code == 403 and "仅督查室可以审核报告。" in refused.content.decode()
    for url in (reverse("report-detail", args=[999_999]), reverse("plan-detail", args=[999_999]), "/no-such-page/"):
        missing = client.get(url)
        page = missing.content.decode()
        assert missing.status_code == 404 and "页面不存在，或您无权查看" in page, url
        assert "Not Found" not in page and "matches the given query" not in page and "报告不存在" not in page
    # The 500 page is rendered with no context at all (the database may be what failed).
    assert "系统出错了" in loader.get_template("500.html").render()


def login_via(client: Client, username: str, password: str, *, peer: str, forwarded: str):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded
    )


def test_behind_nginx_the_lock_follows_the_clients_address_not_nginxs(energy_reporter, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]  # DJANGO_BEHIND_PROXY=1
    for _ in range(5):
        login_via(Client(), "zhang", "wrong", peer="127.0.0.1", forwarded="203.0.113.7")
    assert login_via(Client(), "zhang", "Test@2026x", peer="127.0.0.1", forwarded="203.0.113.7").status_code == 429
    # 张填报 at her own desk, through the same nginx, is not locked out by someone else's guesses.
    assert login_via(Client(), "zhang", "Test@2026x", peer="127.0.0.1", forwarded="198.51.100.20").status_code == 302


def test_without_a_proxy_a_made_up_header_does_not_escape_the_lock(energy_reporter, settings):
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["REMOTE_ADDR"]  # the default: DJANGO_BEHIND_PROXY unset
    for n in range(5):
        login_via(Client(), "zhang", "wrong", peer="10.0.0.5", forwarded=f"203.0.113.{n}")
    assert login_via(Client(), "zhang", "Test@2026x", peer="10.0.0.5", forwarded="198.51.100.20").status_code == 429
