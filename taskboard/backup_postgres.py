"""PostgreSQL side of the backups: pg_dump and pg_restore (the client tools, custom format), and the
row counts read in the very snapshot pg_dump dumps."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from taskboard import backup


def conninfo(settings_dict: dict, dbname: str | None = None) -> dict:
    return {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": str(settings_dict.get("PORT") or 5432),
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": dbname or settings_dict["NAME"],
    }


def client_env(settings_dict: dict) -> dict:
    """The client tools read the connection from the environment: no password on a command line."""
    info = conninfo(settings_dict)
    env = dict(os.environ, PGHOST=info["host"], PGPORT=info["port"], PGUSER=info["user"], PGDATABASE=info["dbname"])
    if info["password"]:
        env["PGPASSWORD"] = info["password"]
    return env


def run(command: list[str], settings_dict: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=client_env(settings_dict), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise backup.BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端（postgresql-client）。") from exc
    if done.returncode != 0:
        raise backup.BackupError(f"{what}失败（{command[0]} 退出码 {done.returncode}）：{done.stderr.strip()[-800:]}")


def table_counts(conn: psycopg.Connection) -> dict[str, int]:
    names = [
        row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ]
    query = sql.SQL("SELECT count(*) FROM {}")
    return {name: conn.execute(query.format(sql.Identifier(name))).fetchone()[0] for name in names}


def dump(settings_dict: dict, target: Path, file_columns: list[tuple[str, str]]) -> backup.Snapshot:
    with psycopg.connect(**conninfo(settings_dict)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        # pg_dump joins this transaction's snapshot: the counts below describe exactly the dump.
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = table_counts(conn)
        migrations = {}
        if "django_migrations" in counts:
            for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY id"):
                migrations[app] = name
        referenced = []
        for table, column in file_columns:
            if table in counts:
                query = sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(
                    c=sql.Identifier(column), t=sql.Identifier(table)
                )
                referenced += [row[0] for row in conn.execute(query)]
        server = conn.execute("SHOW server_version").fetchone()[0]
        run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
            settings_dict,
            "数据库导出",
        )
        conn.rollback()
    return backup.Snapshot(counts, migrations, referenced, f"PostgreSQL {server}")


def existing_tables(settings_dict: dict) -> list[str]:
    """The tables of the target database, created empty if it does not exist yet."""
    try:
        with psycopg.connect(**conninfo(settings_dict)) as conn:
            return list(table_counts(conn))
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise backup.BackupError(f"无法连接数据库“{settings_dict['NAME']}”：{exc}") from exc
    with psycopg.connect(**conninfo(settings_dict, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings_dict["NAME"])))
    return []


def restore(settings_dict: dict, dump_file: Path, *, clear: bool) -> dict[str, int]:
    if clear:
        # --force: everything in the public schema goes, so nothing of the old system survives beside it.
        with psycopg.connect(**conninfo(settings_dict), autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    run(
        # One transaction: a restore that fails half-way leaves the database as empty as it was.
        # No owners or grants: the backup may come from a server whose roles this one does not have.
        ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
         f"--dbname={settings_dict['NAME']}", str(dump_file)],
        settings_dict,
        "数据库恢复",
    )  # fmt: skip
    with psycopg.connect(**conninfo(settings_dict)) as conn:
        return table_counts(conn)
