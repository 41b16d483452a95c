"""The SQLite side of the frozen submissions table (migration ``0002_frozen``).

The DELETE trigger calls ``reports_thawed()``, a function each SQLite connection gets from
:func:`register_function`; it is true only inside :func:`thawed`, which the ``flush`` command
(the whole database wiped, e.g. between browser tests) enters. Nothing else deletes a sent
report: the UPDATE trigger has no exception at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = {"thawed": False}


def _thawed() -> int:
    return 1 if _state["thawed"] else 0


def register_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: ``reports_thawed()`` on every SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("reports_thawed", 0, _thawed)


@contextmanager
def thawed() -> Iterator[None]:
    _state["thawed"] = True
    try:
        yield
    finally:
        _state["thawed"] = False
