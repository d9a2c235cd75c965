"""/healthz for monitoring (database, broker, beat) and /healthz/web for the load balancer (database only)."""

from __future__ import annotations

import socket

import pytest
from django.test import Client

from notifications.schedule import beat_schedule_ensure
from taskboard.celery import app as celery_app
from tests.conftest import reset_broker_connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """The broker's address with nothing listening: a Redis that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    reset_broker_connections(celery_app)
    yield
    celery_app.conf.broker_url = previous
    reset_broker_connections(celery_app)


def test_a_web_server_stays_in_the_pool_while_the_broker_and_beat_are_down(client, broker_down):
    beat_schedule_ensure()  # the jobs exist, but beat never ran them

    system = client.get("/healthz")
    web = client.get("/healthz/web")

    assert system.status_code == 503
    assert system.json()["broker"].startswith("error") and system.json()["beat"].startswith("error: beat 尚未运行")
    assert web.status_code == 200
    assert web.json() == {"status": "ok", "database": "ok", "version": "0.1.0"}


def test_health_answers_plain_http_where_pages_are_sent_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True  # as with DJANGO_DEBUG=0
    client = Client()  # built after the setting: its middleware reads it

    assert client.get("/healthz/web").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    page = client.get("/accounts/login/")
    assert page.status_code == 301 and page["Location"].startswith("https://")
