"""Audit helpers: who is acting, for changes made outside a request (commands, tasks, tests).

Requests get their actor from auditlog's middleware. Commands and background tasks wrap their
work in :func:`acting_as` so every auditlog entry they cause names the user.
"""

from contextlib import contextmanager

from auditlog.context import set_actor


@contextmanager
def acting_as(user):
    """Record ``user`` as the actor of every audited change inside the block."""
    if user is None:
        yield
        return
    with set_actor(user):
        yield
