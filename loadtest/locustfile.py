"""Deadline day: each simulated reporter logs in, opens 我的任务, and files its open reports one by one,
each with a small PNG as evidence, the way a person does it in a browser.

Run by ``loadtest/run.py`` (``make loadtest``), which gives the accounts and the output file through
LOADTEST_ACCOUNTS and LOADTEST_OUTPUT. Every request is kept (name, milliseconds, error) for exact
percentiles, and every submit is kept (report, token, checksum, outcome) for the count check.

The client stands where a browser behind nginx would: each request carries the X-Forwarded-Proto
header nginx adds (deploy/nginx.conf), POSTs carry the Origin and Referer a browser sends, and the
session and CSRF cookies, Secure since DJANGO_DEBUG=0, are sent back over http://127.0.0.1 as
browsers do (they count loopback as a secure context), which Python's cookie jar alone would not.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
import zlib
from http.cookiejar import DefaultCookiePolicy, request_host
from pathlib import Path

from locust import FastHttpUser, events, task
from locust.exception import StopUser

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text(encoding="utf-8"))
OUTPUT = Path(os.environ["LOADTEST_OUTPUT"])
# Seconds a person spends choosing a report, filling it in, and before the next one (run.py sets them).
THINK = json.loads(os.environ["LOADTEST_THINK"])

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')
REPORT_LINK = re.compile(r'href="/reports/(\d+)/"')

_accounts = itertools.count()
SAMPLES: list[tuple[str, float, str | None]] = []
SUBMITS: list[dict] = []


@events.request.add_listener
def _keep_sample(name, response_time, exception, **_kwargs):
    SAMPLES.append((name, round(response_time, 3), None if exception is None else str(exception)[:200]))


@events.quitting.add_listener
def _write_output(**_kwargs):
    OUTPUT.write_text(json.dumps({"samples": SAMPLES, "submits": SUBMITS}, ensure_ascii=False), encoding="utf-8")


class LoopbackSecureCookies(DefaultCookiePolicy):
    """Secure cookies go back to 127.0.0.1 over plain HTTP, as in Chrome and Firefox."""

    def return_ok_secure(self, cookie, request) -> bool:
        return request_host(request) in {"127.0.0.1", "localhost"} or super().return_ok_secure(cookie, request)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def evidence_png(token: str, side: int = 64) -> bytes:
    """A real PNG (a photo-like 64×64 of noise, about 12 KB) whose text chunk carries the token,
    so every submitted file is different and can be found by its SHA-256 afterwards."""
    rng = random.Random(token)
    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)),
            _chunk(b"tEXt", b"Comment\x00" + token.encode()),
            _chunk(b"IDAT", zlib.compress(rows)),
            _chunk(b"IEND", b""),
        )
    )


def todo_report_ids(html: str) -> list[int]:
    """The reports under 待填报 on 我的任务 (the section ends with its 沿用上期 form)."""
    start = html.find("<h2>待填报")
    if start < 0:
        return []
    section = html[start : html.find("</form>", start)]
    return list(dict.fromkeys(int(pk) for pk in REPORT_LINK.findall(section)))


class Reporter(FastHttpUser):
    default_headers = {"X-Forwarded-Proto": "https"}

    def on_start(self) -> None:
        account = ACCOUNTS[next(_accounts) % len(ACCOUNTS)]
        self.client.cookiejar.set_policy(LoopbackSecureCookies())
        self.finished = False
        self.origin = self.host.replace("http://", "https://", 1)
        self.rng = random.Random(account["username"])
        page = self.client.get("/accounts/login/", name="登录页 GET /accounts/login/")
        token = CSRF_INPUT.search(page.text or "")
        form = {
            "username": account["username"],
            "password": account["password"],
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "next": "",
        }
        with self.client.post(
            "/accounts/login/",
            data=form,
            headers=self._browser_post("/accounts/login/"),
            allow_redirects=False,
            catch_response=True,
            name="登录 POST /accounts/login/",
        ) as response:
            if response.status_code == 302 and response.headers.get("location", "").endswith("/start/"):
                response.success()
            else:
                response.failure(f"登录失败：HTTP {response.status_code}")
                raise StopUser

    def wait_time(self) -> float:
        # A reporter whose reports are all filed stays logged in and idle (locust would otherwise
        # start a new user in its place, logging in again).
        return 3600 if self.finished else self.rng.uniform(*THINK["between"])

    def _browser_post(self, path: str) -> dict:
        return {"Origin": self.origin, "Referer": self.origin + path}

    def _think(self, step: str) -> None:
        time.sleep(self.rng.uniform(*THINK[step]))  # gevent-patched: only this user waits

    @task
    def file_one_report(self) -> None:
        page = self.client.get("/my/", name="我的任务 GET /my/")
        open_ids = todo_report_ids(page.text or "")
        if not open_ids:
            self.finished = True  # every report of the unit is filed: done for the day
            return
        report_id = open_ids[0]  # ordered by deadline, late first: a person works from the top
        self._think("pick")
        path = f"/reports/{report_id}/"
        page = self.client.get(path, name="报告页 GET /reports/[id]/")
        html = page.text or ""
        form_start = html.find('id="report-form"')
        csrf = CSRF_INPUT.search(html, form_start)
        version = VERSION_INPUT.search(html, form_start)
        if form_start < 0 or not csrf or not version:
            return  # the page request itself is already counted as failed if it was one
        self._think("fill")
        self._submit(report_id, path, csrf.group(1), version.group(1))
        self.client.get(path, name="提交后报告页 GET /reports/[id]/")

    def _submit(self, report_id: int, path: str, csrf: str, version: str) -> None:
        token = uuid.uuid4().hex
        png = evidence_png(token)
        record = {"report": report_id, "token": token, "sha256": hashlib.sha256(png).hexdigest(), "outcome": "sent"}
        SUBMITS.append(record)
        form = {
            "csrfmiddlewaretoken": csrf,
            "version": version,
            "progress_status": "on_track",
            "progress": f"本月按计划推进，已完成阶段性工作。（压测编号 {token}）",
            "problems": "项目用地手续仍在办理中。",
            "next_steps": "下月完成设备招标。",
            "action": "submit",
        }
        with self.client.post(
            path,
            data=form,
            files={"evidence": ("现场照片.png", png, "image/png")},
            headers=self._browser_post(path),
            allow_redirects=False,
            catch_response=True,
            name="提交报告 POST /reports/[id]/",
        ) as response:
            if response.status_code == 302 and response.headers.get("location") == path:
                response.success()
                record["outcome"] = "ok"
            else:
                response.failure(f"提交失败：HTTP {response.status_code}")
                record["outcome"] = f"http {response.status_code}"
