"""Pick the Celery broker: the configured one, else a local Redis, else a folder.

A laptop running ``make run`` may have no Redis. Kombu's filesystem transport
needs no server, so the embedded setup still runs a real worker and beat; the
same code talks to Redis in production (``CELERY_BROKER_URL``).
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from pathlib import Path

LOCAL_REDIS = ("127.0.0.1", 6379)
# A hung Redis must not hang a web request: connection attempts give up quickly.
BROKER_SOCKET_TIMEOUT = 2.0


def redis_answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def filesystem_broker(data_dir: Path) -> dict:
    root = data_dir / "broker"
    folders = {name: root / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            # kombu reads and writes the same folder; all paths absolute (see stack notes).
            "data_folder_in": str(folders["queue"].resolve()),
            "data_folder_out": str(folders["queue"].resolve()),
            "processed_folder": str(folders["processed"].resolve()),
            "control_folder": str(folders["control"].resolve()),
            "store_processed": False,
        },
        "TASKBOARD_BROKER_KIND": "filesystem",
    }


def broker_settings(environ: Mapping[str, str], data_dir: Path) -> dict:
    url = environ.get("CELERY_BROKER_URL", "").strip()
    if url == "filesystem://":
        return filesystem_broker(data_dir)
    if not url and redis_answers(*LOCAL_REDIS):
        url = "redis://127.0.0.1:6379/0"
    if not url:
        return filesystem_broker(data_dir)
    return {
        "CELERY_BROKER_URL": url,
        "TASKBOARD_BROKER_KIND": url.split(":", 1)[0],
        "CELERY_BROKER_CONNECTION_TIMEOUT": BROKER_SOCKET_TIMEOUT,
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            "socket_timeout": BROKER_SOCKET_TIMEOUT,
            "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
            # Longer than any task runs; reminders are never scheduled as long ETAs. A task a dead
            # worker had taken comes back after this long (acks_late); fault drills shorten it.
            "visibility_timeout": int(environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        },
    }
