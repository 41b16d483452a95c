"""Backup and restore of the whole database, every table as it is (docs/operations.md).

* **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``) copies the database in
  one step, a consistent snapshot taken while the server keeps running (in WAL mode readers and
  writers are not blocked); the backup is itself a SQLite file. Restoring copies it back the
  same way, into the configured database.
* **PostgreSQL**: ``pg_dump --format=custom`` (a consistent snapshot: one repeatable-read
  transaction) and ``pg_restore --clean --if-exists --single-transaction`` (all or nothing).

Everything is kept, because nothing is chosen: users with their roles and scopes, API tokens,
sessions, the audit log, every member event (corrections and cancellations with the events they
supersede), members without events, import jobs and their reports, ratings, candidates, the
login-attempt records, the background task queue, the migrations table and the data-version
triggers. The interchange export is not a backup (docs/operations.md says what it drops).

A restore refuses to overwrite a database holding data unless ``force`` is given, and clears
the figures cache afterwards (the cache is keyed by the data version, which the backup carries
back: a figure computed for the restored data stays right, but one computed for the data being
overwritten must not survive under a colliding token, and the cache is cheap to rebuild).

Nothing here imports a domain app: the tables are found by introspection.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3._functions import (  # type: ignore[import-untyped]
    register as register_functions,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

# The tables a freshly migrated database already fills (migrations, content types, permissions,
# the role groups of accounts' data migration, the data version): a database whose other tables
# are all empty holds no data, and a restore may replace it without ``force``.
SCAFFOLD = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "core_dataversion",
        "sqlite_sequence",
    }
)

# Where the PostgreSQL client programs are looked for, after ``PG_BIN_DIR`` and ``PATH``.
PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")

# libpq connection parameters Django's OPTIONS may carry (others are psycopg's own).
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "options",
    "service",
    "passfile",
    "target_session_attrs",
    "application_name",
)


class BackupError(Exception):
    """A backup or restore refused or failed, with a Vietnamese message; the database is as
    before (a restore runs in one transaction or one SQLite backup step)."""


@dataclass
class Restored:
    """What :func:`restore` did: the engine, and the migrations to run afterwards (the backup
    was taken by an older version: ``grassroots migrate``) or unknown to this version (the
    backup was taken by a newer one)."""

    vendor: str
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)


def backup(path: str | Path, *, using: str = "default", force: bool = False) -> str:
    """Write a backup of the database ``using`` to ``path`` (written under a temporary name,
    then renamed: a failed backup leaves no partial file under ``path``); an existing file is
    refused unless ``force``. Returns the vendor (``sqlite`` or ``postgresql``)."""
    connection = connections[using]
    target = Path(path)
    if target.is_dir():
        raise BackupError(
            f"{target} là một thư mục: hãy cho tên tệp sao lưu, ví dụ {target}/grassroots.backup."
        )
    if not target.parent.is_dir():
        raise BackupError(f"Không có thư mục {target.parent}.")
    if target.exists() and not force:
        raise BackupError(f"Tệp {target} đã có. Chọn tên khác, hoặc thêm --force để ghi đè.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            if _same_file(target, connection.settings_dict["NAME"]):
                raise BackupError("Không sao lưu đè lên chính tệp cơ sở dữ liệu.")
            _sqlite_backup(connection, partial)
        elif connection.vendor == "postgresql":
            pg_dump(connection.settings_dict, partial)
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return connection.vendor


def restore(path: str | Path, *, using: str = "default", force: bool = False) -> Restored:
    """Replace the database ``using`` with the backup at ``path``: refused when the backup is
    not of this database's kind, or when the database holds data and ``force`` is not given.
    Clears the cache afterwards."""
    connection = connections[using]
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"Không có tệp sao lưu {source}.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    kind = (
        "sqlite"
        if head.startswith(SQLITE_MAGIC)
        else "postgresql"
        if head.startswith(PGDUMP_MAGIC)
        else None
    )
    if kind is None:
        raise BackupError(
            f"{source} không phải là tệp sao lưu của Grassroots (tệp SQLite hoặc tệp pg_dump "
            "định dạng custom)."
        )
    if kind != connection.vendor:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{source} là bản sao lưu {names[kind]}, còn cơ sở dữ liệu đang dùng là "
            f"{names.get(connection.vendor, connection.vendor)}: bản sao lưu chỉ khôi phục vào "
            "cùng loại cơ sở dữ liệu."
        )
    if connection.in_atomic_block:
        raise BackupError("Không khôi phục bên trong một giao dịch đang mở.")
    holding = tables_with_data(using)
    if holding and not force:
        shown = ", ".join(holding[:5]) + (
            f" và {len(holding) - 5} bảng khác" if len(holding) > 5 else ""
        )
        raise BackupError(
            f"Cơ sở dữ liệu đang có dữ liệu (bảng {shown}). Khôi phục sẽ thay toàn bộ dữ liệu "
            "hiện có bằng bản sao lưu; hãy sao lưu dữ liệu hiện có trước, rồi chạy lại với "
            "--force nếu chắc chắn."
        )
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, source)
    else:
        connection.close()  # pg_restore drops the tables: hold no lock on them
        pg_restore(connection.settings_dict, source, clean=True)
    cache.clear()
    restored = Restored(vendor=connection.vendor)
    restored.pending_migrations, restored.unknown_migrations = _migration_state(connection)
    return restored


#: SQLite's own tables behind a full-text index (Wagtail's search): filled by ``migrate``.
FTS_SHADOWS = ("_fts_config", "_fts_data", "_fts_idx", "_fts_docsize")


def tables_with_data(using: str = "default") -> list[str]:
    """The tables of database ``using`` holding at least one row, those of a fresh ``migrate``
    (:data:`SCAFFOLD`) left out."""
    connection = connections[using]
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in SCAFFOLD or table.endswith(FTS_SHADOWS):
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 (a table name)
            if cursor.fetchone() is not None:
                found.append(table)
    return found


# --- SQLite ----------------------------------------------------------------------------------


def _same_file(target: Path, name: Any) -> bool:
    try:
        return target.exists() and Path(str(name)).exists() and target.samefile(str(name))
    except OSError:  # pragma: no cover - an unreadable path is not the database
        return False


def _sqlite_connection(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _busy(error: sqlite3.Error) -> BackupError:
    if "locked" in str(error) or "busy" in str(error):
        return BackupError(
            "Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi). Dừng máy chủ và tiến trình "
            "chạy nền (db_worker) rồi thử lại."
        )
    return BackupError(f"SQLite báo lỗi: {error}")


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the whole database into a new file ``target`` in one backup step (a consistent
    snapshot; in WAL mode the server's readers and writers go on meanwhile), then make the copy
    a self-contained file (rollback journal, not WAL) and check it."""
    source = _sqlite_connection(connection)
    copy = sqlite3.connect(target)
    # Indexes and constraints on expressions (a month of a date…) call Django's SQL functions:
    # the check below evaluates them.
    register_functions(copy)
    try:
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise _busy(error) from error
    finally:
        copy.close()
    if check != "ok":  # pragma: no cover - a copy SQLite itself just wrote
        raise BackupError(f"Bản sao lưu không toàn vẹn: {check}")


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Copy the backup over the configured database in one backup step (all or nothing)."""
    try:
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    except sqlite3.Error as error:  # pragma: no cover - checked readable above
        raise BackupError(f"Không mở được {source}: {error}") from error
    register_functions(backup_file)
    try:
        check = backup_file.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"Tệp sao lưu {source} bị hỏng: {check}")
        backup_file.backup(_sqlite_connection(connection), pages=-1)
    except sqlite3.DatabaseError as error:
        raise _busy(error) from error
    finally:
        backup_file.close()
    connection.close()  # the next query opens a connection on the restored database


# --- PostgreSQL ------------------------------------------------------------------------------


def find_program(name: str) -> str:
    """The path of the PostgreSQL client program ``name`` (``pg_dump``, ``pg_restore``): in the
    folder ``PG_BIN_DIR`` when that variable is set (and only there), else on ``PATH``, else in
    the usual installation folders (the newest version first)."""
    if folder := os.environ.get("PG_BIN_DIR"):
        candidates = [Path(folder) / name]
    else:
        on_path = shutil.which(name)
        candidates = [Path(on_path)] if on_path else []
        for pattern in PG_BIN_GLOBS:
            folders = sorted(Path("/").glob(pattern.lstrip("/")), key=_version_key, reverse=True)
            candidates += [f / name for f in folders]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    where = f"trong thư mục PG_BIN_DIR={folder}" if folder else "trên máy này"
    raise BackupError(
        f"Không tìm thấy chương trình {name} của PostgreSQL {where}. Cài công cụ khách của "
        "PostgreSQL cùng phiên bản với máy chủ (Debian/Ubuntu: apt-get install "
        "postgresql-client), hoặc đặt biến môi trường PG_BIN_DIR là thư mục chứa pg_dump và "
        "pg_restore."
    )


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", str(folder)))


def _libpq(settings_dict: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The connection string (password left out) and the environment for a client program."""
    from psycopg.conninfo import make_conninfo

    options = settings_dict.get("OPTIONS") or {}
    params = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        **{k: str(options[k]) for k in _LIBPQ_OPTIONS if options.get(k) is not None},
    }
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env


def _run(program: str, args: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 (a found program, arguments from settings)
            [find_program(program), *args], env=env, capture_output=True, text=True, check=False
        )
    except OSError as error:  # pragma: no cover - found executable a moment ago
        raise BackupError(f"Không chạy được {program}: {error}") from error
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        detail = "\n".join(lines[-8:]) or f"mã thoát {result.returncode}"
        hint = (
            " (pg_dump phải cùng hoặc mới hơn phiên bản máy chủ PostgreSQL; đặt PG_BIN_DIR)"
            if "version mismatch" in result.stderr
            else ""
        )
        raise BackupError(f"{program} không {what} được{hint}:\n{detail}")


def pg_dump(settings_dict: dict[str, Any], target: Path) -> None:
    """``pg_dump --format=custom`` of the database of ``settings_dict`` into ``target``: schema,
    data, sequences, the extensions, functions and triggers, in one consistent snapshot."""
    conninfo, env = _libpq(settings_dict)
    _run(
        "pg_dump",
        ["--format=custom", "--no-password", f"--file={target}", f"--dbname={conninfo}"],
        env,
        "sao lưu",
    )


def pg_restore(settings_dict: dict[str, Any], source: Path, *, clean: bool) -> None:
    """``pg_restore`` of ``source`` into the database of ``settings_dict`` in one transaction
    (a failure changes nothing); ``clean`` drops the backup's objects first. Objects are owned
    by the user restoring (``--no-owner``), without the backup's grants (``--no-privileges``)."""
    conninfo, env = _libpq(settings_dict)
    args = ["--no-password", "--single-transaction", "--exit-on-error", "--no-owner"]
    args += ["--no-privileges", *(["--clean", "--if-exists"] if clean else [])]
    _run("pg_restore", [*args, f"--dbname={conninfo}", str(source)], env, "khôi phục")


# --- After a restore -------------------------------------------------------------------------


def _migration_state(connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """Migrations this code has that the restored database lacks, and the reverse."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    pending = [
        f"{migration.app_label}.{migration.name}"
        for migration, _backwards in executor.migration_plan(graph.leaf_nodes())
    ]
    # a squashed migration's replaced ones stay recorded as applied, and are known
    replaced = {
        key for squashed in executor.loader.replacements.values() for key in squashed.replaces
    }
    unknown = sorted(
        f"{app}.{name}"
        for app, name in executor.loader.applied_migrations
        if (app, name) not in graph.nodes and (app, name) not in replaced
    )
    return pending, unknown
