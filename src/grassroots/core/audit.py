"""Audit helpers: who is acting, for changes made outside a request (commands, tasks, tests).

Requests get their actor from auditlog's middleware. Commands and background tasks wrap their
work in :func:`acting_as` so every auditlog entry they cause names the user.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import set_actor


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Record ``user`` as the actor of every audited change inside the block."""
    if user is None:
        yield
        return
    with set_actor(user):
        yield
