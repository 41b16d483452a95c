"""The subtree tallies under concurrent writers on PostgreSQL: members admitted into a commune
while, on another connection, the commune changes district committee again and again. Each side
reads what the other writes (the members read the closure, the re-parenting reads the members);
both read after their first write, which takes the data version's row lock until the commit,
so neither misses the other: afterwards the rows kept change by change equal a rebuild from
scratch."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from grassroots.members import tally
from grassroots.members.models import SubtreeTally
from grassroots.organizations.services import organization_reparent
from tests import factories

ROUNDS = 6


def _kept() -> dict:
    return {
        (row.organization_id, row.date): (row.official, row.probationary, row.admitted)
        for row in SubtreeTally.objects.all()
        if row.date == tally.TALLY_ANCHOR
        or (row.official, row.probationary, row.admitted) != (0, 0, 0)
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_members_admitted_while_their_commune_changes_committee():
    reg = factories.registry()
    other = factories.org(
        name="Đảng bộ huyện Mường Tè",
        kind="committee",
        place=reg.district,
        parent=reg.province_committee,
        valid_from=date(2013, 6, 1),
    )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def admit() -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(ROUNDS):
                factories.member(
                    full_name=f"Lò Văn Đồng {i}",
                    organization=reg.cell_b,
                    place=reg.village_b,
                    admitted=date(2016, 1, 1) + timedelta(days=30 * i),
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    def reparent() -> None:
        try:
            barrier.wait(timeout=30)
            for i in range(ROUNDS):
                organization_reparent(
                    acting_user=None,
                    organization=reg.commune_committee_b,
                    parent=other if i % 2 == 0 else reg.committee,
                    day=date(2015, 1, 1) + timedelta(days=60 * i),
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admit), threading.Thread(target=reparent)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    kept = _kept()
    assert sum(admitted for _o, _p, admitted in kept.values()) > 0
    tally.rebuild()
    assert _kept() == kept
