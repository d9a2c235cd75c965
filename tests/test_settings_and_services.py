"""Settings choose real services when they answer and work without them when they don't."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from taskboard import broker


def test_an_explicit_broker_url_is_used_with_short_socket_timeouts(tmp_path):
    settings = broker.broker_settings({"CELERY_BROKER_URL": "redis://10.0.0.9:6379/1"}, tmp_path)
    assert settings["CELERY_BROKER_URL"] == "redis://10.0.0.9:6379/1"
    assert settings["CELERY_BROKER_TRANSPORT_OPTIONS"]["socket_connect_timeout"] <= 2


def test_without_redis_the_broker_is_a_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(broker, "LOCAL_REDIS", ("127.0.0.1", 1))  # nothing listens on port 1
    settings = broker.broker_settings({}, tmp_path)
    assert settings["CELERY_BROKER_URL"] == "filesystem://"
    options = settings["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert options["data_folder_in"] == options["data_folder_out"]
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        assert os.path.isabs(options[key]) and os.path.isdir(options[key])


def test_the_folder_broker_can_be_asked_for_explicitly(tmp_path):
    settings = broker.broker_settings({"CELERY_BROKER_URL": "filesystem://"}, tmp_path)
    assert settings["TASKBOARD_BROKER_KIND"] == "filesystem"
    assert settings["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"].startswith(str(tmp_path))


def test_a_local_redis_is_found_when_it_answers(redis_url, tmp_path):
    settings = broker.broker_settings({}, tmp_path)
    assert settings["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_asked_for():
    expected = os.environ.get("TASKBOARD_EXPECT_DB")
    if expected is None:
        pytest.skip("TASKBOARD_EXPECT_DB 未设置（make test 会设置）")
    assert connection.vendor == expected


def test_time_zone_and_language_are_chinese(settings):
    assert settings.TIME_ZONE == settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.USE_TZ is True
