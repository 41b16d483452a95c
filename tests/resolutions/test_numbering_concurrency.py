"""Concurrent numbering on PostgreSQL: two connections creating documents of the same sequence
at the same time never get the same number (the counter row is locked for the transaction; the
unique constraint is the database's guard behind it)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from grassroots.resolutions.models import Document
from tests import factories
from tests.resolutions.documents_world import make_document

PER_THREAD = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_connections_never_share_a_number():
    reg = factories.registry()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(kind_of_day: int) -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(PER_THREAD):
                make_document(reg.committee, "KH", issued_on=date(2021, 3, 1 + i + kind_of_day))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in (0, 10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    numbers = list(
        Document.objects.filter(organization=reg.committee).values_list("sequence", flat=True)
    )
    assert sorted(numbers) == list(range(1, 2 * PER_THREAD + 1))
