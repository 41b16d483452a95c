"""Reads on a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``, optional).

Figures (:func:`grassroots.core.dataversion.cached`), reports, lists (:class:`core.generic.
ListPage`) and exports read inside :func:`reads`; everything else — every write, and every read
outside — goes to the primary. Inside :func:`reads` the router sends reads to the replica only
when both of these hold:

- **the replica is current**: its data-version token (``core_dataversion``, changed by a
  trigger in the transaction of every write to a tracked table) equals the primary's. A replica
  that has not yet replayed the last committed change has another token, and the reads go to
  the primary: no figure, list or export is ever older than the primary — the cache's
  guarantee (a value stored under a token was computed on data at that token) holds on the
  replica too;
- **the user is not pinned to the primary**: a browser that has just written (any request
  other than GET, HEAD, OPTIONS) carries the ``gr_primary`` cookie for
  ``REPLICA_PIN_SECONDS`` (5 s), and reads its own writes on the primary even where they touch
  tables the token does not track (users, settings).

A replica that does not answer sends the reads to the primary. Without ``DATABASE_REPLICA_URL``
nothing here does anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "gr_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_on_replica: ContextVar[bool] = ContextVar("grassroots_on_replica", default=False)
_pinned: ContextVar[bool] = ContextVar("grassroots_pinned_to_primary", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def is_current(primary_token: int | None = None) -> bool:
    """The replica has replayed the primary's last change of tracked data (and answers);
    ``primary_token``: the primary's token when the caller has just read it."""
    from grassroots.core.dataversion import token

    try:
        primary = token("default") if primary_token is None else primary_token
        return token(REPLICA) == primary
    except DatabaseError:
        connections[REPLICA].close()
        return False


def read_alias() -> str:
    """The database a hand-written read goes to (``connections[read_alias()]``): the replica
    inside :func:`reads` while it is used, else the primary — the router's rule for SQL that
    has no model."""
    return REPLICA if _on_replica.get() else "default"


@contextmanager
def reads(primary_token: int | None = None) -> Iterator[bool]:
    """Reads inside go to the replica when it is configured and current and the user is not
    pinned to the primary; yields whether they do."""
    if _on_replica.get():
        yield True
        return
    if not configured() or _pinned.get() or not is_current(primary_token):
        yield False
        return
    marker = _on_replica.set(True)
    try:
        yield True
    finally:
        _on_replica.reset(marker)


class ReplicaRouter:
    """Reads inside :func:`reads` on the replica; the rest on the primary; migrations on the
    primary only (the replica replays them)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLICA if _on_replica.get() else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two servers

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


class PrimaryPinMiddleware:
    """Pins a browser to the primary for ``REPLICA_PIN_SECONDS`` after a request that may
    write (read-your-writes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        marker = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(marker)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
