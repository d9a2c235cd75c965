"""Backups come back whole: bin/backup and bin/restore (what ``make backup`` / ``make restore`` run), for real.

On PostgreSQL the scripts call pg_dump and pg_restore; on SQLite they use SQLite's backup API. A world with
filed, returned and accepted reports, evidence files, review events, history rows, deliveries, 督办单 and an
issued quarterly circular with its DOCX is backed up and restored into a fresh, empty database; every model's
rows — models added later included, the list is Django's — and every evidence file must come back identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import struct
import subprocess
import sys
import zlib
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.db import connection

from notifications.cadence_run import cadence_run
from notifications.circulars.files import circular_file_store
from notifications.circulars.models import CircularFile
from notifications.circulars.scope import Scope
from notifications.circulars.services import circular_compile, circular_issue, circular_schedule
from notifications.delivery import deliveries_send, pending_ids
from notifications.models import Circular, Delivery, Endpoint, InboxMessage, SupervisionNotice
from tasks_app.models import Evidence, Report, ReportEvent
from tasks_app.services.cadence import cadence_for
from tasks_app.services.periods import period_open
from tasks_app.services.reports import ReportInput, report_review, report_save, report_submit
from tasks_app.uploads import check_upload
from tests.support.autumn import file_autumn
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[1]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(text: str) -> bytes:
    """A real 2×2 PNG carrying ``text``: two reports' photos are different files."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xc8\x10\x2e" * 2 + b"\x00" + b"\xff\xff\xff" * 2)
    text_chunk = chunk(b"tEXt", b"Comment\x00" + text.encode())
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header), text_chunk, chunk(b"IDAT", pixels), chunk(b"IEND", b"")]
    )


# --- The two databases ----------------------------------------------------------------------------


def database_url(name: str | None = None) -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{name or s['NAME']}"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"


def pg_admin():
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


@pytest.fixture
def empty_database(tmp_path):
    """A database name (PostgreSQL) or file (SQLite) that does not exist yet; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield str(tmp_path / "restored.sqlite3")
        return
    # Derived from the test database, so parallel suites (each with its own) never share it.
    name = f"{connection.settings_dict['NAME']}_restore{os.environ.get('PYTEST_XDIST_WORKER', '')}"
    with pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield name
    with pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def raw_connection(name: str):
    """A plain driver connection: both sides are read the same way, whatever Django converts."""
    if connection.vendor == "sqlite":
        return closing(sqlite3.connect(name))
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None,
        dbname=name,
    )  # fmt: skip


def rows_by_table(name: str) -> dict[str, list[str]]:
    """Every row of every model's table (Django's own list, many-to-many tables too), in a stable order."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy}
    )
    with raw_connection(name) as conn:
        return {t: sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}


def table_names(name: str) -> list[str]:
    if connection.vendor == "sqlite":
        if not Path(name).exists():
            return []
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        with pg_admin() as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return []
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    with raw_connection(name) as conn:
        return [row[0] for row in conn.execute(query).fetchall()]


# --- The scripts ----------------------------------------------------------------------------------


def script(name: str, *args, database: str, media: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url(database),
        DJANGO_MEDIA_ROOT=str(media),
        TASKBOARD_DATA_DIR=str(tmp_path / "data"),
        CELERY_BROKER_URL="filesystem://",  # no broker is used; none needs to answer
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / name), *map(str, args)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def backup(settings, tmp_path) -> Path:
    done = script(
        "backup", "--dir", tmp_path / "backups", database=connection.settings_dict["NAME"],
        media=settings.MEDIA_ROOT, tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("taskboard-")
    return folder


# --- The world ------------------------------------------------------------------------------------


def issue_third_quarter(plan, office) -> Circular:
    """July to September and the quarter's 季通报 period, two reports filed, the circular compiled on
    15 October, issued on the 16th as 呼督通〔2026〕1号, its DOCX kept."""
    for month in (7, 8, 9):
        period_open(cadence=cadence_for(plan, "monthly"), day=dt.date(2026, month, 1))
    quarter = period_open(cadence=cadence_for(plan, "quarterly"), day=dt.date(2026, 7, 1)).period
    file_report(lead_report(quarter, "3"), status="done", progress="已完成煤炭资源勘查年度任务。")
    file_report(lead_report(quarter, "6"), status="behind", progress="储能电站备案。", problems="用地预审未通过。")
    circular, _ = circular_schedule(scope=Scope(plan, "quarterly", 2026, 3), enqueue=False)
    circular_compile(circular_id=circular.pk, today=dt.date(2026, 10, 15))
    issued = circular_issue(circular=Circular.objects.get(pk=circular.pk), user=office, issued_on=dt.date(2026, 10, 16))
    circular_file_store(issued, "docx")
    return issued


@pytest.fixture
def world(annex1_committed, energy_reporter, office, locmem_email):
    """An issued third-quarter circular and an autumn of reporting, then: evidence on a report of 市能源局,
    one report returned and one accepted by the office (events, inbox, e-mail), and the cadence of
    30 November (督办单, reminders)."""
    issue_third_quarter(annex1_committed, office)
    Endpoint.objects.create(kind="email", user=energy_reporter, address="zhang@nengyuan.example.cn")
    autumn = file_autumn(annex1_committed)
    report = lead_report(autumn.november, "2")
    files = [check_upload("现场照片.png", png("任务2现场")), check_upload("调度会纪要.pdf", PDF)]
    data = ReportInput("on_track", "十一月：储能电站主体完工。", "", "并网调试。")
    report = report_save(report=report, user=energy_reporter, data=data, version=report.version, uploads=files)
    report_submit(report=report, user=energy_reporter, data=data, version=report.version, uploads=[])
    photo = check_upload("复核照片.png", png("任务4现场"))
    other = lead_report(autumn.november, "4")
    report_save(report=other, user=energy_reporter, data=data, version=other.version, uploads=[photo])
    report_review(report=lead_report(autumn.november, "1"), user=office, accept=False, comment="请补充煤矿名单。")
    report_review(report=lead_report(autumn.november, "3"), user=office, accept=True)
    with time_machine.travel(dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)):
        cadence_run(today=dt.date(2026, 11, 30))
        deliveries_send(pending_ids())
    return autumn


def test_a_backup_restores_every_row_and_every_evidence_file_into_an_empty_database(
    world, settings, tmp_path, empty_database
):
    kept = (Report, Evidence, ReportEvent, Report.history.model, Delivery, InboxMessage, SupervisionNotice)
    for model in (*kept, Circular, CircularFile):
        assert model.objects.exists(), f"the world must hold {model.__name__} rows to prove they come back"
    folder = backup(settings, tmp_path)
    restored_media = tmp_path / "restored-media"

    done = script("restore", folder, database=empty_database, media=restored_media, tmp_path=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "行数与备份一致" in done.stdout
    source, restored = rows_by_table(connection.settings_dict["NAME"]), rows_by_table(empty_database)
    assert {t: len(rows) for t, rows in restored.items()} == {t: len(rows) for t, rows in source.items()}
    assert restored == source  # and the same rows, value for value
    evidence = list(Evidence.objects.all())
    assert len(evidence) == 3
    for item in evidence:
        data = (restored_media / item.file.name).read_bytes()
        assert data == (Path(settings.MEDIA_ROOT) / item.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == item.sha256


def test_a_restore_refuses_a_database_that_holds_data_and_changes_nothing(world, settings, tmp_path):
    folder = backup(settings, tmp_path)
    Report.objects.filter(period=world.november).update(progress="恢复前的新内容")
    before = rows_by_table(connection.settings_dict["NAME"])

    done = script(
        "restore", folder, database=connection.settings_dict["NAME"], media=settings.MEDIA_ROOT, tmp_path=tmp_path
    )

    assert done.returncode == 1
    assert "为免覆盖现有数据" in done.stderr and "--force" in done.stderr
    assert rows_by_table(connection.settings_dict["NAME"]) == before


def test_a_damaged_backup_is_refused_before_anything_is_written(world, settings, tmp_path, empty_database):
    folder = backup(settings, tmp_path)
    photo = next((folder / "media" / "evidence").rglob("*.png"))
    photo.write_bytes(photo.read_bytes()[:-1] + b"\x00")  # one byte of one photo
    restored_media = tmp_path / "restored-media"

    done = script("restore", folder, database=empty_database, media=restored_media, tmp_path=tmp_path)

    assert done.returncode == 1
    assert f"校验和不符：media/{photo.relative_to(folder / 'media').as_posix()}" in done.stderr
    assert table_names(empty_database) == []
    assert not restored_media.exists() or not any(restored_media.iterdir())
