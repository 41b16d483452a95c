"""Several web nodes (issue 18): two servers, each its own process, on two ports, against one
PostgreSQL database and one Redis (``CACHE_URL``). A figure computed by one node is served
from the shared cache by the other; a change through one node is in the next figure the other
serves (the data version moves in the database, so no node can serve a stale figure).

The servers read the test database, so the test writes with committed transactions; it runs in
the PostgreSQL pass (the SQLite test database lives in the test process's memory)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
import redis
from django.db import connection

from grassroots.accounts.services import api_token_create
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="two server processes share the database: the PostgreSQL pass",
    ),
]


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        if CI:
            raise
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def _start(port: int, var: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CACHE_URL": REDIS_URL,
        "GRASSROOTS_VAR": str(var),  # one secret key for both nodes
        "CONN_MAX_AGE": "0",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [gunicorn, "grassroots.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(port: int, node: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if node.poll() is not None:
            raise AssertionError(node.stderr.read().decode()[-3000:] if node.stderr else "")
        try:  # any answer means it serves (the API's 401 without a token, say)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/reports/coverage", timeout=5)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the node on port {port} did not start")


def _call(port: int, key: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (a local test server)
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_two_nodes_share_one_cache_and_never_serve_a_stale_figure(shared_redis, tmp_path):
    reg = factories.registry()
    member = factories.member(
        full_name="Lò Văn Hải",
        code="DV-HAI",
        birth_date=date(1990, 5, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 3, 1),
    )
    admin = factories.user("quantri", roles=["admin"], is_superuser=True)
    _token, key = api_token_create(user=admin, name="nodes")
    ports = _free_port(), _free_port()
    nodes = [_start(port, tmp_path) for port in ports]
    try:
        for port, node in zip(ports, nodes, strict=True):
            _wait(port, node)
        a, b = ports
        figure = (
            "/api/v1/reports/ratings?organization=DB-112&subject=member&year_from=2024&year_to=2024"
        )

        status, first = _call(a, key, figure)
        assert status == 200 and first["trend"][0]["total"] == 0
        cached = set(shared_redis.keys())
        assert cached, "node A stored the figure in the shared cache"
        status, again = _call(b, key, figure)
        assert (status, again) == (200, first)
        assert set(shared_redis.keys()) == cached  # node B found it there: no new entry

        status, _rating = _call(
            b,
            key,
            "/api/v1/ratings/",
            {"period": "year", "period_label": "2024", "subject": "member",
             "code": member.code, "level": "good"},
        )  # fmt: skip
        assert status == 201
        status, after = _call(a, key, figure)
        assert status == 200 and after["trend"][0]["total"] == 1
        assert after["trend"][0]["good_or_better"] == 1
    finally:
        for node in nodes:
            node.terminate()
        for node in nodes:
            node.wait(timeout=30)
