"""gunicorn on 127.0.0.1 with the production settings (DJANGO_DEBUG=0), started and stopped by the load test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
# What nginx in front adds to every request (deploy/nginx.conf): the client came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Gunicorn:
    database_url: str
    broker_url: str
    cache_url: str
    data_dir: Path
    workers: int
    threads: int
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
        env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="loadtest-" + os.urandom(24).hex(),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.database_url,
            CELERY_BROKER_URL=self.broker_url,
            DJANGO_CACHE_URL=self.cache_url,
            TASKBOARD_DATA_DIR=str(self.data_dir),
            DJANGO_LOG_LEVEL="WARNING",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(self.workers),
            GUNICORN_THREADS=str(self.threads),
            GUNICORN_ACCESS_LOG=str(self.data_dir / "gunicorn-access.log"),
            PYTHONPATH=str(ROOT),
        )
        return env

    def start(self, timeout: float = 60) -> Gunicorn:
        self.port = self.port or free_port()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "taskboard.wsgi"],
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops every worker
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.data_dir / "gunicorn.log"
                raise SystemExit(f"gunicorn 启动失败（退出码 {self.process.returncode}），见 {log}")
            try:
                # The login page: the whole stack (settings, URLs, templates, database session) answers.
                request = urllib.request.Request(f"{self.url}/accounts/login/", headers=PROXY_HEADERS)
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn 在 {timeout:.0f} 秒内没有应答")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            self.process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
