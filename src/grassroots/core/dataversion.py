"""Figures that stay current and still come from a cache.

Every insert, update or delete of a table the figures read writes a new random ``token`` into
the single row of :class:`~grassroots.core.models.DataVersion`, through database triggers, in
the same transaction as the change: services, the bulk import (``COPY`` included), the closure
rebuilds and hand-written SQL alike. A cached result is stored under the token read before it
was computed, so the first read after a committed change misses the cache and computes afresh;
nothing is ever regenerated in batch. Tokens are random rather than counted so that a token
seen inside a transaction that was rolled back can never come back with other data.

The triggers are (re)installed after every ``migrate`` (SQLite drops a table's triggers when a
migration rebuilds the table), for every table of the apps that declare ``tracked = True`` in
the app registry (:func:`grassroots.core.registry.tracked_apps`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import connections

from grassroots.core import replica
from grassroots.core.registry import tracked_apps

TABLE = "core_dataversion"
FUNCTION = "core_data_version_changed"

T = TypeVar("T")
_MISSING = object()
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def tracked_tables() -> list[str]:
    """The database tables of the tracked apps (many-to-many tables included), but those of
    models marked ``untracked_derived = True``: rewritten only in the transactions that change
    tracked tables they derive from, so the token changes anyway (and their upserts need no
    trigger: SQLite would apply an upsert's conflict rule to the trigger's own insert)."""
    tables = set()
    for label in tracked_apps():
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if getattr(model, "untracked_derived", False):
                continue
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install_triggers(using: str = "default") -> None:
    """Create the triggers that change the token, for every tracked table (idempotent)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$ BEGIN "  # noqa: S608
                f"INSERT INTO {TABLE} (id, token) VALUES (1, (random() * 9e18)::bigint) "
                "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token; "
                "RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            for table in tracked_tables():
                # One firing per statement: a COPY of a million rows changes the token once.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER data_version AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION "
                    f"{FUNCTION}()"
                )
        elif connection.vendor == "sqlite":
            for table in tracked_tables():
                for operation in ("INSERT", "UPDATE", "DELETE"):
                    # SQLite has row triggers only; each is a one-row write to a cached page.
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS "  # noqa: S608 (names, no input)
                        f"{quote(f'data_version_{table}_{operation.lower()}')} "
                        f"AFTER {operation} ON {quote(table)} BEGIN "
                        f"INSERT OR REPLACE INTO {TABLE} (id, token) VALUES (1, random()); END"
                    )
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
            raise NotImplementedError(connection.vendor)


def token(using: str = "default") -> int:
    """The current data version (0 before the first change)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT token FROM core_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def cached(namespace: str, *parts: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``parts`` at the current data version, from the cache when
    it was computed before at this version. Within a process, concurrent callers of the same
    key wait for one computation instead of repeating it. ``parts`` must name everything the
    result depends on besides the data (organisation, date, user…)."""
    text = "\x1f".join(p.isoformat() if isinstance(p, date) else repr(p) for p in parts)
    version = token()
    key = f"{namespace}:{version}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"
    # The cache stores what ``compute`` returned for this key: a ``T``.
    value: T = cache.get(key, _MISSING)
    if value is not _MISSING:
        return value
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            with replica.reads(version):  # on the replica only while it is at this version
                value = compute()
            cache.set(key, value)
    with _locks_guard:
        _locks.pop(key, None)
    return value
