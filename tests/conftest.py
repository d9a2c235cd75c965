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

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
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
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{os.environ.get('TASKBOARD_TEST_REDIS_DB', '15')}"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require_service(os.path.exists(CHROMIUM) or bool(shutil.which("chromium")), f"Chromium（{CHROMIUM}）")
    return CHROMIUM


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never to data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
