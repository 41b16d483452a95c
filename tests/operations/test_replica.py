"""Reads on a real PostgreSQL streaming replica (issue 18): ``make test`` starts one
(``scripts/replica.py``: ``pg_basebackup`` of the test server into a second cluster on another
port) and names it in ``TEST_REPLICA_URL``. The test database, created on the primary, reaches
the replica by streaming; the test points the ``replica`` alias at it and checks the router:
figures and lists read on the replica while it is current, on the primary while it lags (replay
paused) — so no figure is ever older than the data version it is cached under — and a browser
that has just written reads its own write on the primary."""

from __future__ import annotations

import os
import time
from datetime import date

import dj_database_url
import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import dataversion
from grassroots.core import figures as registry
from grassroots.core.replica import PIN_COOKIE, REPLICA
from grassroots.ratings.services import rating_record
from tests import factories

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REPLICA_URL = os.environ.get("TEST_REPLICA_URL", "")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Overriding setting DATABASES"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a streaming replica is PostgreSQL's",
    ),
]


@pytest.fixture
def replica(settings):
    if not REPLICA_URL:
        if CI:
            pytest.fail(
                "TEST_REPLICA_URL is not set: make test starts a replica (scripts/replica.py)"
            )
        pytest.skip("no replica: TEST_REPLICA_URL is not set (scripts/replica.py starts one)")
    url = dj_database_url.parse(REPLICA_URL)
    replica_settings = {
        **connection.settings_dict,
        **{key: url[key] for key in ("HOST", "PORT", "USER", "PASSWORD")},
        "CONN_MAX_AGE": 0,
    }
    # the replica alias as DATABASE_REPLICA_URL makes it, on the test database
    settings.DATABASES = {**settings.DATABASES, REPLICA: replica_settings}
    standby = load_backend(replica_settings["ENGINE"]).DatabaseWrapper(replica_settings, REPLICA)
    connections[REPLICA] = standby
    try:
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0], "TEST_REPLICA_URL names a primary, not a replica"
        yield standby
    finally:
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        standby.close()
        del connections[REPLICA]


def _caught_up(seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while dataversion.token(REPLICA) != dataversion.token("default"):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def _replay(standby, *, paused: bool) -> None:
    with standby.cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


def _figure_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "core_dataversion" not in q["sql"]]


def test_reads_on_the_replica_only_while_it_is_current(replica):
    reg = factories.registry()
    member = factories.member(
        full_name="Lò Văn Hải",
        code="DV-HAI",
        birth_date=date(1990, 5, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 3, 1),
    )
    editor = factories.user("bientap", roles=["editor"], scope=reg.committee)
    _caught_up()
    cache.clear()
    day = date(2024, 12, 31)

    # current: the figure is computed on the replica
    with CaptureQueriesContext(replica) as on_replica:
        first = registry.get("coverage").report(reg.committee, day=day)
    assert _figure_queries(on_replica), "the replica answered the figure"
    assert first["members"]["probationary"] + first["members"]["official"] == 1

    # lagging (replay paused): a change on the primary is in the next figure, read there
    _replay(replica, paused=True)
    factories.member(
        full_name="Lò Thị Mai",
        code="DV-MAI",
        birth_date=date(1995, 1, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2021, 3, 1),
    )
    with CaptureQueriesContext(replica) as on_replica:
        after = registry.get("coverage").report(reg.committee, day=day)
    assert _figure_queries(on_replica) == []  # only the tokens were compared there
    assert after["members"]["probationary"] + after["members"]["official"] == 2

    # a list page too: on the primary while the replica lags, on the replica once it is back
    from django.test import Client

    client = Client()
    client.force_login(editor)
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(reverse("members:list"))
    assert page.status_code == 200 and "Lò Thị Mai" in page.content.decode()
    assert _figure_queries(on_replica) == []
    _replay(replica, paused=False)
    _caught_up()
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(reverse("members:list"))
    assert "Lò Thị Mai" in page.content.decode() and _figure_queries(on_replica)

    # a browser that has just written is pinned to the primary
    rating_record(
        acting_user=editor, level="good", period_kind="year", period_label="2024", member=member
    )  # any write; the pin comes from the request below
    _caught_up()
    response = client.post(reverse("accounts:login"), {})  # a POST: pins whatever it answers
    assert PIN_COOKIE in response.cookies
    with CaptureQueriesContext(replica) as on_replica:
        page = client.get(reverse("members:list"))
    assert page.status_code == 200 and _figure_queries(on_replica) == []
