"""Bounded-memory helpers of the bulk import: a staging store and a capped problem list.

The staging store is a private SQLite file in a temporary folder (standard library ``sqlite3``,
not the project's database connection): the import copies the rows of ``members.csv`` and
``member_events.csv`` into it as they are read, and SQLite sorts them by member (an external
merge sort on disk), so a package of millions of members is validated one member at a time
whatever the order of its files. What the validation decides to write (new members, events,
spans) is staged there too and read back, in batches, by the write transaction. Whatever the
target database (SQLite or PostgreSQL), the import process keeps only code → id maps of the
registry and the state of one chunk of members in memory.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path

from grassroots.interchange.report import Problem

#: Problems (errors, and separately warnings) a report lists; the others are only counted.
PROBLEM_LIMIT = 1000

_KEY = itemgetter(0, 1, 2)


class Problems:
    """The first :data:`PROBLEM_LIMIT` problems in (file order, line, order found) and how many
    there were. Memory stays bounded however many rows are wrong."""

    def __init__(self, file_order, limit: int = PROBLEM_LIMIT):
        self.limit = limit
        self.total = 0
        self._order = file_order
        self._items: list[tuple] = []

    def add(self, problem: Problem) -> None:
        self.total += 1
        self._items.append((self._order(problem.file), problem.line, self.total, problem))
        if len(self._items) >= 4 * self.limit:
            self._trim()

    def _trim(self) -> None:
        self._items.sort(key=_KEY)
        del self._items[self.limit :]

    def __bool__(self) -> bool:
        return self.total > 0

    def listed(self, what: str) -> list[Problem]:
        """The problems kept, sorted, and a last line saying how many were left out."""
        self._trim()
        problems = [item[3] for item in self._items]
        if self.total > len(problems):
            problems.append(
                Problem(
                    "(gói dữ liệu)",
                    0,
                    "-",
                    f"chỉ liệt kê {_number(len(problems))} {what} đầu tiên (theo tệp và dòng) "
                    f"trong tổng số {_number(self.total)} {what}; "
                    f"còn {_number(self.total - len(problems))} {what} khác không được liệt kê.",
                )
            )
        return problems


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Staging:
    """A throw-away SQLite database in a temporary folder (removed by :meth:`close`)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="grassroots-import-")
        self.db = sqlite3.connect(Path(self.folder) / "staging.sqlite3", isolation_level=None)
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "locking_mode = EXCLUSIVE",
            "temp_store = FILE",
            "cache_size = -32768",  # 32 MiB of pages (also the sorter's memory)
        ):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("BEGIN")

    def create(self, table: str, columns: Iterable[str], extra: str = "") -> None:
        self.db.execute(f"CREATE TABLE {table} ({', '.join(columns)}){extra}")

    def insert(self, table: str, width: int, rows: Iterable[tuple]) -> None:
        marks = ", ".join("?" * width)
        self.db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608

    def query(self, sql: str, params: tuple = (), size: int = 5000) -> Iterator[tuple]:
        cursor = self.db.execute(sql, params)
        try:
            while rows := cursor.fetchmany(size):
                yield from rows
        finally:
            cursor.close()

    def close(self) -> None:
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
