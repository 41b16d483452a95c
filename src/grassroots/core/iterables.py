"""Small helpers over iterables, shared by every app."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

#: Keys per ``IN (…)`` of one statement: well under SQLite's limit on query parameters.
QUERY_KEYS = 900


def chunks(items: Iterable[T], size: int = QUERY_KEYS) -> Iterator[list[T]]:
    """Lists of at most ``size`` items, in order, read lazily from ``items``."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
