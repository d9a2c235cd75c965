"""Backups: the database and the uploaded files into one timestamped folder, and back into an empty system.

A backup folder (``taskboard-20261130-020000``) holds:

- ``database.dump``: PostgreSQL, ``pg_dump --format=custom``; or ``database.sqlite3``: the embedded SQLite
  database, copied with SQLite's online backup API (a file copy of a live WAL database can be torn);
- ``media/``: every uploaded file (evidence, task list sources, documents);
- ``manifest.json``: when, which database, its migrations, the rows of every table, the files;
- ``SHA256SUMS``: a checksum of every file above, in ``sha256sum -c`` format.

The row counts and the list of referenced files are read in the same snapshot that pg_dump dumps
(an exported snapshot), so a restore can check that it got exactly what was backed up. A folder is
written under a hidden name and renamed when complete: a folder named ``taskboard-…`` is whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.utils import timezone

from taskboard import backup_postgres as postgres

MANIFEST, SUMS, MEDIA = "manifest.json", "SHA256SUMS", "media"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FORMAT = 1


class BackupError(Exception):
    """Said to the operator as is (Chinese); nothing more was changed after it was raised."""


@dataclass
class Snapshot:
    """What the database held at the moment of the dump."""

    tables: dict[str, int]
    migrations: dict[str, str]
    referenced_files: list[str]
    server: str = ""


@dataclass
class RestoreResult:
    folder: Path
    tables: int
    rows: int
    files: int
    notes: list[str] = field(default_factory=list)


def database() -> tuple[str, dict]:
    settings_dict = connections["default"].settings_dict
    vendor = connections["default"].vendor
    if vendor not in DUMP:
        raise BackupError(f"不支持备份 {vendor} 数据库（支持 PostgreSQL 和 SQLite）。")
    return vendor, settings_dict


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField: the uploaded files the database refers to."""
    return [
        (model._meta.db_table, f.column)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


# --- Backup -----------------------------------------------------------------------------------


def backup_create(*, root: Path, now: dt.datetime | None = None) -> Path:
    """Write a complete backup folder under ``root`` and return it."""
    vendor, settings_dict = database()
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    final = Path(root) / f"taskboard-{stamp}"
    if final.exists():
        raise BackupError(f"备份目录“{final}”已存在，请稍后再试。")
    partial = Path(root) / f".taskboard-{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    connections.close_all()  # the dump reads through its own connection
    try:
        target = partial / DUMP[vendor]
        if vendor == "postgresql":
            snapshot = postgres.dump(settings_dict, target, file_columns())
        else:
            snapshot = sqlite_dump(Path(settings_dict["NAME"]), target)
        files = copy_tree(Path(settings.MEDIA_ROOT), partial / MEDIA)
        missing = sorted(name for name in set(snapshot.referenced_files) if name not in files)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime(now or timezone.now()).isoformat(timespec="seconds"),
            "taskboard_version": settings.TASKBOARD_VERSION,
            "database": {"vendor": vendor, "name": str(settings_dict["NAME"]), "server": snapshot.server},
            "migrations": snapshot.migrations,
            "tables": snapshot.tables,
            "files": {"count": len(files), "bytes": sum(size for size, _ in files.values())},
            "missing_files": missing,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        sums = {DUMP[vendor]: sha256_of(target), MANIFEST: sha256_of(partial / MANIFEST)}
        sums |= {f"{MEDIA}/{name}": digest for name, (_, digest) in files.items()}
        (partial / SUMS).write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def sqlite_dump(source: Path, target: Path) -> Snapshot:
    if not source.exists():
        raise BackupError(f"数据库文件“{source}”不存在。")
    # (sqlite3's "with" only commits: closing() closes, so no -wal/-shm file is left beside the copy.)
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # page by page, consistent even while the web and workers write
        copy.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        return sqlite_snapshot(copy)


def sqlite_snapshot(conn: sqlite3.Connection) -> Snapshot:
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    counts = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in sorted(tables)}
    migrations = {}
    if "django_migrations" in counts:
        for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY id"):
            migrations[app] = name
    referenced = [
        row[0]
        for table, column in file_columns()
        if table in counts
        for row in conn.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')
    ]
    return Snapshot(counts, migrations, referenced, f"SQLite {sqlite3.sqlite_version}")


def copy_tree(source: Path, target: Path) -> dict[str, tuple[int, str]]:
    """Copy every file under ``source``; returns relative path → (size, sha256) of what was written."""
    copied: dict[str, tuple[int, str]] = {}
    target.mkdir(parents=True, exist_ok=True)
    if not source.exists():
        return copied
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        copied[name] = (destination.stat().st_size, sha256_of(destination))
    return copied


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Verify and restore ------------------------------------------------------------------------


def backup_verify(folder: Path) -> dict:
    """Check every checksum of the folder; returns its manifest or raises BackupError."""
    folder = Path(folder)
    if not (folder / SUMS).exists() or not (folder / MANIFEST).exists():
        raise BackupError(f"“{folder}”不是完整的备份目录（缺少 {SUMS} 或 {MANIFEST}）。")
    listed = {}
    for line in (folder / SUMS).read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    problems = [f"多出未登记的文件：{name}" for name in sorted(present - set(listed))]
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.exists():
            problems.append(f"缺少文件：{name}")
        elif sha256_of(path) != digest:
            problems.append(f"校验和不符：{name}")
    if problems:
        shown = "；".join(problems[:5]) + ("……" if len(problems) > 5 else "")
        raise BackupError(f"备份“{folder.name}”校验未通过，已停止恢复：{shown}")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持（本系统为 {FORMAT}）。")
    return manifest


def backup_restore(*, folder: Path, force: bool = False) -> RestoreResult:
    """Restore ``folder`` into the configured (empty) database and media folder.

    Refuses, changing nothing, when the checksums fail, the database kinds differ, or the database or
    the media folder already hold data (unless ``force``: then both are emptied first)."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    vendor, settings_dict = database()
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"备份来自 {manifest['database']['vendor']} 数据库，当前配置的是 {vendor} 数据库，不能直接恢复。"
        )
    media_root = Path(settings.MEDIA_ROOT)
    connections.close_all()
    occupied = []
    if vendor == "postgresql":
        tables = postgres.existing_tables(settings_dict)
    else:
        tables = sqlite_existing_tables(Path(settings_dict["NAME"]))
    if tables:
        occupied.append(f"数据库“{settings_dict['NAME']}”已有 {len(tables)} 张表")
    if media_root.exists() and any(media_root.iterdir()):
        occupied.append(f"上传文件目录“{media_root}”不是空的")
    if occupied and not force:
        raise BackupError(
            "，".join(occupied) + "。为免覆盖现有数据，恢复只写入空数据库和空目录；"
            "如确认要用备份覆盖（现有数据将被删除），请加 --force（make restore FORCE=1）。"
        )
    if vendor == "postgresql":
        restored = postgres.restore(settings_dict, folder / DUMP[vendor], clear=bool(tables))
    else:
        restored = sqlite_restore(folder / DUMP[vendor], Path(settings_dict["NAME"]))
    if force and media_root.exists():  # only once the database is back: a failed restore keeps the files
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    files = copy_tree(folder / MEDIA, media_root)
    result = RestoreResult(folder, len(restored), sum(restored.values()), len(files))
    wrong = [
        f"{table}（备份 {count} 行，恢复后 {restored.get(table)} 行）"
        for table, count in manifest["tables"].items()
        if restored.get(table) != count
    ]
    if wrong:
        raise BackupError("恢复后的行数与备份时不一致：" + "；".join(wrong[:5]))
    if manifest.get("missing_files"):
        result.notes.append(f"备份时已缺失 {len(manifest['missing_files'])} 个被引用的文件（见 manifest.json）。")
    return result


def sqlite_existing_tables(path: Path) -> list[str]:
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as conn:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        return [row[0] for row in conn.execute(query)]


def sqlite_restore(source: Path, target: Path) -> dict[str, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as copy, closing(sqlite3.connect(target)) as live:
        copy.backup(live)  # replaces every page of the target, WAL or not
        return sqlite_snapshot(live).tables


def describe(folder: Path) -> str:
    manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    rows = sum(manifest["tables"].values())
    size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
    return (
        f"{manifest['database']['vendor']} 数据库 {len(manifest['tables'])} 张表 {rows} 行，"
        f"上传文件 {manifest['files']['count']} 个；共 {size / 1024 / 1024:.1f} MB"
    )


def default_root() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")
