"""The data version: database triggers change it with every write to the tables the figures
read, in the same transaction; cached results are keyed by it."""

from datetime import date

import pytest
from django.db import connection, transaction

from grassroots.core import dataversion
from grassroots.members import services as member_services
from grassroots.places.models import PlaceVersion

pytestmark = pytest.mark.django_db


def _triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'data_version'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_of_the_registry_has_the_trigger():
    tables = dataversion.tracked_tables()
    assert {"members_membershipspan", "organizations_organizationclosure"} <= set(tables)
    assert {"places_placeversion", "admissions_candidate"} <= set(tables)
    assert set(tables) <= _triggered_tables()


def test_a_service_change_a_raw_update_and_a_delete_each_change_the_token(reg, admin_user):
    first = dataversion.token()
    member_services.member_enrol(
        acting_user=admin_user,
        code="DV-1",
        full_name="Lò Văn Ánh",
        gender="male",
        birth_date=date(1990, 1, 1),
        first_event={
            "kind": "admitted",
            "day": date(2014, 1, 10),
            "organization": reg.cell_a,
            "place": reg.village_a,
        },
    )
    second = dataversion.token()
    assert second != first
    with connection.cursor() as cursor:  # no model, no signal: the trigger still fires
        cursor.execute("UPDATE places_placeversion SET name = name")
    third = dataversion.token()
    assert third != second
    PlaceVersion.objects.filter(pk=-1).delete()  # deletes nothing: a statement still ran
    assert dataversion.token() not in {first, second}


def test_a_rolled_back_change_leaves_the_token_as_it_was(reg):
    before = dataversion.token()
    with pytest.raises(RuntimeError), transaction.atomic():
        PlaceVersion.objects.update(name="Đổi tên")
        assert dataversion.token() != before  # inside: the change is seen
        raise RuntimeError
    assert dataversion.token() == before


def test_cached_computes_once_per_data_version(reg):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert dataversion.cached("test", "x", date(2020, 1, 1), compute=compute) == 1
    assert dataversion.cached("test", "x", date(2020, 1, 1), compute=compute) == 1
    assert dataversion.cached("test", "y", date(2020, 1, 1), compute=compute) == 2  # other key
    PlaceVersion.objects.update(name="Đổi tên")
    assert dataversion.cached("test", "x", date(2020, 1, 1), compute=compute) == 3
