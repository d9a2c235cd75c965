"""Shared fixtures: the real 附件1, named people, and the services CI must have.

Outside CI a test that needs Redis or Chromium is skipped with the reason; in CI
(``CI=true``) a missing service fails the test instead, so nothing is silently
left untested there.
"""

from __future__ import annotations

import os
import shutil

import pytest

from taskboard.broker import redis_answers
from taskboard.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TEST_REDIS_DB = os.environ.get("TASKBOARD_TEST_REDIS_DB", "15")

# Work a test queues goes to the test Redis database, never to a developer's running system.
celery_app.conf.broker_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{TEST_REDIS_DB}"
CHROMIUM = "/usr/bin/chromium"


def require_service(available: bool, what: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI 环境必须提供 {what}，但它不可用。", pytrace=False)
    pytest.skip(f"{what} 不可用（本地运行时跳过；CI 中会判为失败）")


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_service(redis_answers(REDIS_HOST, REDIS_PORT), f"Redis（{REDIS_HOST}:{REDIS_PORT}）")
    # A separate Redis database per checkout lets two suites run side by side.
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{TEST_REDIS_DB}"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require_service(os.path.exists(CHROMIUM) or bool(shutil.which("chromium")), f"Chromium（{CHROMIUM}）")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # A deliberately slow password hash is the point in production and only slows tests down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_annex1() -> None:
    """Unit directory, 附件1 and the headline indicators, exactly as ``make run`` loads them."""
    # Imported here: models are only importable once pytest-django has set Django up.
    from tasks_app.models import Task
    from tasks_app.services.bootstrap import annex1_load

    if not Task.objects.exists():
        annex1_load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The real 附件1 is loaded once per test database; tests roll back around it."""
    with django_db_blocker.unblock():
        load_annex1()


@pytest.fixture
def annex1(db):
    """The plan of 附件1 as loaded from ``fixtures/annex1.xlsx``."""
    from tasks_app.services.plans import default_plan

    load_annex1()
    return default_plan()


@pytest.fixture
def annex1_committed(transactional_db):
    """附件1 for tests that commit (real workers, live servers): reloaded after each flush."""
    from tasks_app.services.plans import default_plan

    load_annex1()
    return default_plan()


# --- Named people -------------------------------------------------------------
# One person per role, from real units of 附件1: tests read like sentences.


def _person(username: str, role: str, unit_name: str | None, name: str):
    from tasks_app.models import Unit
    from tasks_app.services.accounts import user_create

    unit = Unit.objects.get(name=unit_name) if unit_name else None
    return user_create(username=username, role=role, unit=unit, name=name, password="Test@2026x")


@pytest.fixture
def energy_reporter(annex1):
    """张填报 of 市能源局: leads tasks 1, 2, 4-9 …"""
    return _person("zhang", "reporter", "市能源局", "张填报")


@pytest.fixture
def energy_head(annex1):
    return _person("zhao", "unit_head", "市能源局", "赵局长")


@pytest.fixture
def industry_reporter(annex1):
    """刘填报 of 市工信局: leads tasks 15-21 …, supports task 4 (led by 市能源局)."""
    return _person("liu", "reporter", "市工信局", "刘填报")


@pytest.fixture
def resources_reporter(annex1):
    """陈填报 of 市自然资源局: supports task 1 (led by 市能源局), leads task 3."""
    return _person("chen", "reporter", "市自然资源局", "陈填报")


@pytest.fixture
def hailar_reporter(annex1):
    """孙填报 of 海拉尔区: one of 各旗市区."""
    return _person("sun", "reporter", "海拉尔区", "孙填报")


@pytest.fixture
def office(annex1):
    return _person("wang", "office", None, "王督查")


@pytest.fixture
def leader(annex1):
    return _person("li", "leader", None, "李市长")


@pytest.fixture
def admin_user(annex1):
    from tasks_app.models import User

    user = _person("admin", "admin", None, "管理员")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


def open_month_result(plan, year: int, month: int):
    """Open the 月调度 period of that month (due on the 25th, or the working day before)."""
    import datetime as dt

    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    return period_open(cadence=cadence_for(plan, "monthly"), day=dt.date(year, month, 1))


def open_month(plan, year: int, month: int):
    return open_month_result(plan, year, month).period


@pytest.fixture
def november(annex1):
    """November 2026 (月调度) open for every measure of 附件1, due Wednesday 25 November."""
    return open_month(annex1, 2026, 11)


def client_for(client, user):
    client.force_login(user)
    return client


# --- Celery and the outside world ---------------------------------------------


@pytest.fixture
def locmem_email(settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def fake_robot():
    from tests.support.fake_robot import FakeRobot

    robot = FakeRobot().start()
    yield robot
    robot.stop()


def reset_broker_connections(app) -> None:
    """Forget pooled broker connections so the next publish uses the current ``broker_url``."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu keeps producer pools per connection globally; a worker's shutdown closes them


@pytest.fixture
def celery_redis(redis_url):
    """The project's Celery app pointed at the test Redis database, emptied before and after."""
    import redis

    from taskboard.celery import app

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    previous = (app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options)
    app.conf.broker_url = redis_url
    app.conf.task_always_eager = False
    app.conf.broker_transport_options = {"socket_timeout": 2, "socket_connect_timeout": 2, "visibility_timeout": 3600}
    reset_broker_connections(app)
    yield app
    app.conf.broker_url, app.conf.task_always_eager, app.conf.broker_transport_options = previous
    reset_broker_connections(app)
    client.flushdb()


@pytest.fixture
def celery_worker(celery_redis, transactional_db):
    """A real Celery worker (two threads) consuming from Redis, inside the test process."""
    from celery.contrib.testing.worker import start_worker

    with start_worker(
        celery_redis, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"
    ) as worker:
        yield worker
