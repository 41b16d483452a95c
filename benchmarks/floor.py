"""The import floor, run by ``benchmarks/run.py`` as a separate process right after the import.

    python benchmarks/floor.py --url sqlite:///var/bench/bench-district.sqlite3 \
        --before var/bench/before-import.json

What the import wrote — the rows of every table that are not in ``--before`` (the snapshot
:func:`snapshot` took after ``migrate``, before the import) — inserted again, raw, into the same
tables with the same indexes, constraints and triggers, in one transaction: SQLite
``executemany`` with the settings' pragmas, PostgreSQL ``COPY`` through psycopg. Only that
insert and its commit are timed: no parsing, validation, replay, closure computation or
``ANALYZE``. It never touches the benchmark's database: the rows go into a copy of it (SQLite:
the backup API into ``<file>-floor``; PostgreSQL: ``CREATE DATABASE <name>_floor TEMPLATE
<name>``), from which the import's rows were deleted first (not timed). The copy is removed.

Prints one JSON object: seconds, rows per table, ``member_events``, ``events_per_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

#: Tables a migration fills or the runtime writes, never the import.
IGNORED_PREFIXES = ("django_", "sqlite_", "auth_permission", "axes_")
#: Tables the triggers write (the data version's one row), not the import.
IGNORED_TABLES = ("core_dataversion",)
#: The pragmas of ``grassroots.settings`` for SQLite.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA cache_size=-65536",
    "PRAGMA temp_store=MEMORY",
)
EVENTS_TABLE = "members_memberevent"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


def _pg_tables(cursor) -> list[tuple[str, str | None]]:
    """(table, its primary key column when it is a single integer column)."""
    cursor.execute(
        """
        SELECT c.relname,
          (SELECT a.attname FROM pg_index i JOIN pg_attribute a
             ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
           WHERE i.indrelid = c.oid AND i.indisprimary AND i.indnatts = 1
             AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname
        """
    )
    return cursor.fetchall()


def _sqlite_tables(conn) -> list[tuple[str, str | None]]:
    found = []
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    for (name,) in names:
        keys = [
            (col, kind)
            for _cid, col, kind, _nn, _default, pk in conn.execute(f'PRAGMA table_info("{name}")')
            if pk
        ]
        single = keys[0][0] if len(keys) == 1 and "INT" in keys[0][1].upper() else None
        found.append((name, single))
    return found


def _counts(cursor, tables) -> dict:
    result = {}
    for name, pk in tables:
        if name.startswith(IGNORED_PREFIXES) or name in IGNORED_TABLES:
            continue
        if pk:
            cursor.execute(f'SELECT COUNT(*), MAX("{pk}") FROM "{name}"')  # noqa: S608
        else:
            cursor.execute(f'SELECT COUNT(*), NULL FROM "{name}"')  # noqa: S608
        count, top = cursor.fetchone()
        result[name] = {"pk": pk, "count": count, "max": top}
    return result


def snapshot(url: str) -> dict:
    """Rows and largest primary key of every table (taken before the import)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sqlite_path(url))
        try:
            return _counts(conn.cursor(), _sqlite_tables(conn))
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        return _counts(cursor, _pg_tables(cursor))


def written(before: dict, after: dict) -> dict[str, str]:
    """table → the condition selecting the rows the import wrote ("" for all of them)."""
    selected = {}
    for name, now in after.items():
        then = before.get(name, {"count": 0, "max": None})
        if now["count"] == then["count"] and now["max"] == then["max"]:
            continue
        if then["count"] == 0:
            selected[name] = ""
        elif now["pk"] and then["max"] is not None:
            selected[name] = f'WHERE "{now["pk"]}" > {int(then["max"])}'
        else:
            raise SystemExit(f"{name}: rows before the import and no integer key to tell them")
    return selected


def floor_sqlite(url: str, before: dict) -> dict:
    source = sqlite_path(url)
    copy = Path(f"{source}-floor")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(copy, isolation_level=None)
    # Django's SQL functions, which some indexes and constraints call (as its connections do).
    from django.db.backends.sqlite3._functions import register

    register(dst)
    try:
        src.backup(dst)
        src.close()
        for pragma in SQLITE_PRAGMAS:
            dst.execute(pragma)
        tables = written(before, _counts(dst.cursor(), _sqlite_tables(dst)))
        rows: dict[str, list] = {}
        spent: dict[str, float] = {}
        columns: dict[str, list[str]] = {}
        for name, where in tables.items():
            columns[name] = [c[1] for c in dst.execute(f'PRAGMA table_info("{name}")')]
            rows[name] = dst.execute(f'SELECT * FROM "{name}" {where}').fetchall()  # noqa: S608
        # Empty the import's rows (not timed), then a fresh file: no free pages to reuse.
        dst.execute("PRAGMA foreign_keys=OFF")
        dst.execute("BEGIN IMMEDIATE")
        for name, where in tables.items():
            dst.execute(f'DELETE FROM "{name}" {where}')  # noqa: S608
        dst.execute("COMMIT")
        dst.execute("VACUUM")
        dst.execute("PRAGMA foreign_keys=ON")
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        started = time.perf_counter()
        dst.execute("BEGIN IMMEDIATE")
        for name in tables:
            marks = ", ".join("?" * len(columns[name]))
            names = ", ".join(f'"{c}"' for c in columns[name])
            t0 = time.perf_counter()
            dst.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', rows[name])  # noqa: S608
            spent[name] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        dst.execute("COMMIT")
        spent["COMMIT"] = round(time.perf_counter() - t0, 3)
        seconds = time.perf_counter() - started
        if dst.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise SystemExit("the floor's rows break a foreign key")
    finally:
        dst.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return {
        "seconds": seconds,
        "rows": {name: len(r) for name, r in rows.items()},
        "table_seconds": spent,
    }


def floor_postgres(url: str, before: dict) -> dict:
    import psycopg

    base, name = url.rsplit("/", 1)
    floor_name = f"{name}_floor"
    floor_url = f"{base}/{floor_name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{floor_name}" WITH (FORCE)')
        for attempt in range(10):  # an autovacuum worker may be in the source for a moment
            try:
                admin.execute(f'CREATE DATABASE "{floor_name}" TEMPLATE "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 9:
                    raise
                time.sleep(1)
    dump = Path(tempfile.mkdtemp(prefix="floor-"))
    rows: dict[str, int] = {}
    spent: dict[str, float] = {}
    try:
        with psycopg.connect(floor_url) as conn:
            with conn.cursor() as cursor:
                tables = written(before, _counts(cursor, _pg_tables(cursor)))
                for table, where in tables.items():
                    query = f'COPY (SELECT * FROM "{table}" {where}) TO STDOUT'  # noqa: S608
                    with open(dump / table, "wb") as out, cursor.copy(query) as copy:
                        for data in copy:
                            out.write(data)
                    rows[table] = 0
                empty = [t for t, where in tables.items() if not where]
                if empty:
                    cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in empty) + " CASCADE")
                for table, where in tables.items():
                    if where:
                        cursor.execute(f'DELETE FROM "{table}" {where}')  # noqa: S608
            conn.commit()
            conn.autocommit = True
            for table, where in tables.items():
                if where:  # the truncated ones have nothing to vacuum
                    conn.execute(f'VACUUM "{table}"')
            conn.execute("CHECKPOINT")
            conn.autocommit = False
            with conn.cursor() as cursor:
                started = time.perf_counter()
                for table in tables:
                    t0 = time.perf_counter()
                    with (
                        open(dump / table, "rb") as data,
                        cursor.copy(f'COPY "{table}" FROM STDIN') as copy,
                    ):
                        while block := data.read(1 << 20):
                            copy.write(block)
                    rows[table] = cursor.rowcount
                    spent[table] = round(time.perf_counter() - t0, 3)
                t0 = time.perf_counter()
                conn.commit()  # the deferred foreign keys are checked here
                spent["COMMIT"] = round(time.perf_counter() - t0, 3)
                seconds = time.perf_counter() - started
    finally:
        for file in dump.iterdir():
            file.unlink()
        dump.rmdir()
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{floor_name}" WITH (FORCE)')
    return {"seconds": seconds, "rows": rows, "table_seconds": spent}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Raw bulk insert of the import's rows.")
    parser.add_argument("--url", required=True, help="the benchmark's DATABASE_URL")
    parser.add_argument("--before", type=Path, required=True, help="snapshot before the import")
    args = parser.parse_args(argv)
    before = json.loads(args.before.read_text())
    if args.url.startswith("sqlite"):
        result = floor_sqlite(args.url, before)
    else:
        result = floor_postgres(args.url, before)
    events = result["rows"].get(EVENTS_TABLE, 0)
    result["member_events"] = events
    result["rows_total"] = sum(result["rows"].values())
    result["events_per_s"] = round(events / max(result["seconds"], 1e-6))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
