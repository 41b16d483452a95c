"""Editors rating one member for one period at the same moment (issue 17, fault 6): on
PostgreSQL the unique constraint answered 27 × 500 in 20 concurrent requests. Every request now
succeeds (a later one updates the rating the first wrote) and exactly one rating is stored.

SQLite serialises writing transactions (``BEGIN IMMEDIATE``; the in-memory test database cannot
even wait for one), so there the requests are let through one at a time: the test then checks
the same outcome without the race."""

import threading
import time
from contextlib import nullcontext

import pytest
from django.db import connection, transaction
from django.test import Client

from grassroots.accounts.services import api_token_create
from grassroots.ratings.models import Rating
from grassroots.ratings.services import rating_record

THREADS = 20


def _wait_until_another_transaction_waits_for_a_lock(seconds: float = 10) -> None:
    """PostgreSQL: returns once another session waits for a lock (B's insert meeting A's
    uncommitted row on the unique index), so A commits only then."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # read afresh in A's transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("B never waited for A's row")


def _gate():
    return threading.Lock() if connection.vendor == "sqlite" else nullcontext()


@pytest.mark.django_db(transaction=True)
def test_a_rating_inserted_while_another_is_uncommitted_updates_it(admin_user, quan):
    """The race made deterministic: B reads "no rating yet" while A's insert is uncommitted,
    then inserts and meets the unique constraint when A commits."""
    a_inserted, b_started = threading.Event(), threading.Event()
    results: dict[str, object] = {}
    gate = _gate()
    rate = {"period_kind": "year", "period_label": "2024", "member": quan}

    def first() -> None:
        try:
            with gate, transaction.atomic():
                results["a"] = rating_record(acting_user=admin_user, level="good", **rate)[0]
                a_inserted.set()
                if connection.vendor != "sqlite":
                    b_started.wait(5)
                    _wait_until_another_transaction_waits_for_a_lock()
        finally:
            a_inserted.set()
            connection.close()

    def second() -> None:
        try:
            a_inserted.wait(5)
            b_started.set()
            with gate:
                results["b"] = rating_record(acting_user=admin_user, level="excellent", **rate)[0]
        except Exception as exc:  # noqa: BLE001 - the old code's IntegrityError, reported below
            results["b"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert isinstance(results["b"], Rating), results["b"]
    (stored,) = Rating.objects.filter(member=quan, period_kind="year", period_label="2024")
    assert stored.pk == results["a"].pk == results["b"].pk
    assert stored.level == "excellent"  # the later request's level, as if in turn


@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_through_the_api_never_answer_500(admin_user, quan):
    _token, key = api_token_create(user=admin_user, name="concurrency")
    barrier = threading.Barrier(THREADS)
    gate = _gate()
    statuses: list[int] = []
    levels = ["good", "excellent", "completed", "not_completed"]

    def rate(n: int) -> None:
        try:
            client = Client()
            barrier.wait()
            with gate:
                response = client.post(
                    "/api/v1/ratings/",
                    {
                        "period": "year",
                        "period_label": "2024",
                        "subject": "member",
                        "code": quan.code,
                        "level": levels[n % len(levels)],
                    },
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {key}"},
                )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] * THREADS
    assert Rating.objects.filter(member=quan, period_kind="year", period_label="2024").count() == 1
