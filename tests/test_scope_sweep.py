"""The scope sweep: every page route (from the URL resolver) and every API operation (from the
apps' ninja routers), filled with the objects the apps declare in the registry
(``AppConfig.sweep_objects``), requested by

- nobody: pages send to the login page, the API answers 401;
- a viewer of commune A: no write goes through (403 or 404, nothing written);
- an editor of commune B: 404 on what was never B's (paths, and objects chosen by query
  parameter answer as an unknown code does); every write refused (404, nothing written) on what
  was B's and moved to commune A;
- an editor of commune A: 200 on every read; each declared valid write leaves exactly one audit
  entry per changed row.

A route the sweep cannot fill fails it (``tests/sweep.py``); ``test_route_coverage.py`` checks
that every route and model is covered.
"""

import json
from collections import Counter
from urllib.parse import urlencode

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse

from grassroots.core import dataversion, registry
from grassroots.core.registry import Write
from tests import factories, sweep
from tests.factories import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield sweep.build_world(factories.user)


@pytest.fixture
def world(shared_world, db):
    """One world for the module; each test's writes are undone after it."""
    return shared_world


def _audit() -> Counter:
    return Counter(
        f"{app}.{model}"
        for app, model in LogEntry.objects.values_list(
            "content_type__app_label", "content_type__model"
        )
    )


class _Unchanged:
    """Asserts that the block wrote nothing: no audit entry, the same data version."""

    def __init__(self, what: str):
        self.what = what

    def __enter__(self):
        self.audit, self.token = _audit(), dataversion.token()

    def __exit__(self, *exc):
        if exc[0] is None:
            assert _audit() == self.audit, f"{self.what} left an audit entry"
            assert dataversion.token() == self.token, f"{self.what} changed the data"


def _write_data(world, home, route) -> tuple[dict, Write | None]:
    write = world.of(home, route).writes.get(route.key)
    if write is None:
        return {}, None
    return write.data, write


def _send(client, route, path, *, method, query=None, data=None):
    url = path + ("?" + urlencode(query) if query else "")
    if method == "GET":
        return client.get(url)
    if route.api:
        return client.generic(
            method, url, data=json.dumps(data or {}), content_type="application/json"
        )
    return client.post(url, data or {})


def _calls(world, home):
    """``(route, path, method, query)`` for every route: pages by GET and POST, API operations
    by their own method."""
    for route in sweep.all_routes():
        path, query = world.path(home, route), world.query(home, route)
        methods = (route.method,) if route.api else ("GET", "POST")
        for method in methods:
            yield route, path, method, query


def _config(route):
    return next(c for c in registry.modules() if c.label == route.app)


def _public(route) -> bool:
    return not route.api and route.key in _config(route).sweep.public


def _writes(route) -> bool:
    """An API operation other than GET, or a page its app declares a form (editors only)."""
    return route.writes or (not route.api and route.key in _config(route).sweep.forms)


def _refused_body(route, response) -> bool:
    """A write whose objects are named in the body (no path argument) may be refused as an
    invalid body — an unknown and an invisible code answer alike: 400 or 422 from the API, the
    form shown again with its message on a page — or as 404."""
    return response.status_code in ((400, 404, 422) if route.api else (200, 404))


def _method_refused(route, response) -> bool:
    """A page that does not take the method answers 405 before looking anything up (the same
    for every object, so it reveals and changes nothing)."""
    return not route.api and response.status_code == 405


def _fail(method, path, response) -> str:
    out = f"{method} {path} → {response.status_code}"
    if "json" in response.get("Content-Type", ""):
        out += f": {response.content[:200].decode(errors='replace')}"
    return out


def test_anonymous_is_sent_to_login(client, world):
    login = reverse(settings.LOGIN_URL)
    checked = 0
    for route, path, method, query in _calls(world, "a"):
        if _public(route):
            continue
        data, _ = _write_data(world, "a", route)
        with _Unchanged(f"anonymous {method} {path}"):
            response = _send(client, route, path, method=method, query=query, data=data)
        if route.api:
            assert response.status_code == 401, _fail(method, path, response)
        else:
            assert response.status_code == 302, _fail(method, path, response)
            assert response["Location"].startswith(login), _fail(method, path, response)
        checked += 1
    assert checked > 50


def test_viewer_writes_nothing(client, world):
    """A viewer of commune A, on commune A's objects: every form and API write is refused and
    changes nothing; a read page answers a POST as it answers a GET (or refuses it). A page
    refused to the viewer that its app does not declare a form fails here."""
    client.force_login(world.viewer_a)
    failures = []
    for route, path, method, query in _calls(world, "a"):
        config = _config(route)
        if route.key in config.sweep.public + config.sweep.reader_posts:
            continue
        data, _ = _write_data(world, "a", route)
        with _Unchanged(f"viewer {method} {path}"):
            response = _send(client, route, path, method=method, query=query, data=data)
        if _writes(route):
            ok = response.status_code in (403, 404)
        elif method == "GET" and sweep.route_role(route) and route.kwargs:
            ok = response.status_code == 404  # a confidential record: the viewer lacks the role
        elif method == "GET":
            ok = response.status_code == config.sweep.get_status.get(route.key, 200)
        else:
            read = _send(client, route, path, method="GET", query=query)
            ok = response.status_code in (403, 404, 405, read.status_code)
        if not ok:
            failures.append(_fail(method, path, response))
    assert not failures, "\n".join(failures)


def _unknown(world, home, query: dict) -> dict:
    codes = world.codes(home)
    return {k: "KHONG-CO-MA-NAY" if v in codes else v for k, v in query.items()}


def test_outsider_reads_nothing_of_another_commune(client, world):
    """An editor of commune B, on what was always commune A's: 404 on every path naming it; an
    object chosen by query parameter answers as an unknown code does; no list shows it."""
    client.force_login(world.editor_b)
    failures = []
    for route, path, method, query in _calls(world, "a"):
        if method != "GET" or _public(route):
            continue
        response = _send(client, route, path, method=method, query=query)
        where = f"GET {path}?{urlencode(query)} → {response.status_code}"
        if route.kwargs:
            if response.status_code != 404:
                failures.append(where)
            continue
        if query:
            unknown = _send(client, route, path, method=method, query=_unknown(world, "a", query))
            if response.status_code != unknown.status_code:
                failures.append(f"{where}, an unknown code → {unknown.status_code}")
        if response.status_code == 200 and "zip" not in response.get("Content-Type", ""):
            body = response.content.decode()
            failures.extend(f"{where} shows {s}" for s in sweep.SECRET_NAMES if s in body)
    assert not failures, "\n".join(failures)


def test_outsider_changes_nothing_of_another_commune(client, world):
    """An editor of commune B, on what was always commune A's: every POST naming it in the path
    answers 404 (or 405 on a read page), every write naming it in the body is refused; nothing
    changes."""
    client.force_login(world.editor_b)
    failures = []
    for route, path, method, query in _calls(world, "a"):
        data, write = _write_data(world, "a", route)
        if method == "GET" or not (route.kwargs or write):
            continue
        with _Unchanged(f"outsider {method} {path}"):
            response = _send(client, route, path, method=method, query=query, data=data)
        if route.kwargs:
            ok = response.status_code == 404 or _method_refused(route, response)
        else:
            ok = _refused_body(route, response)
        if not ok:
            failures.append(_fail(method, path, response))
    assert not failures, "\n".join(failures)


def test_outsider_changes_nothing_that_moved_out_of_their_commune(client, world):
    """What was commune B's and belongs to commune A since 2024 is no longer B's to change: B's
    editor gets 404 on its forms and on every write naming it, and nothing changes (B may still
    read its history)."""
    from django.db import transaction

    client.force_login(world.editor_b)
    failures = []
    for route, path, method, query in _calls(world, "moved"):
        data, write = _write_data(world, "moved", route)
        # A form or write naming the moved object, in its path or in a declared body.
        if not _writes(route) or not (route.kwargs or write):
            continue
        with transaction.atomic():  # each attempt on the same world
            before, token = _audit(), dataversion.token()
            response = _send(client, route, path, method=method, query=query, data=data)
            changed = _audit() != before or dataversion.token() != token
            transaction.set_rollback(True)
        if route.kwargs:
            ok = response.status_code == 404 or _method_refused(route, response)
        else:
            ok = _refused_body(route, response)
        if not ok or changed:
            failures.append(_fail(method, path, response) + f", changed: {changed}")
    assert not failures, "\n".join(failures)


def test_inside_scope_every_read_answers(client, world):
    """An editor of commune A reads every route of A; a route of confidential records
    (``Sweep.roles``) as an editor of A with the role."""
    failures = []
    for route, path, method, query in _calls(world, "a"):
        if method != "GET":
            continue
        client.force_login(world.user_a(route))
        response = _send(client, route, path, method=method, query=query)
        expected = _config(route).sweep.get_status.get(route.key, 200)
        if response.status_code != expected:
            failures.append(f"GET {path}?{urlencode(query)} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_inside_scope_each_write_leaves_one_audit_entry_per_change(client, world):
    from django.db import transaction

    done = 0
    for route in sweep.all_routes():
        data, write = _write_data(world, "a", route)
        if write is None:
            continue
        client.force_login(world.user_a(route))
        path, query = world.path("a", route), world.query("a", route)
        method = route.method if route.api else "POST"
        where = f"{method} {path}"
        # Each write on the same world: rolled back afterwards.
        with transaction.atomic():
            before = _audit()
            response = _send(client, route, path, method=method, query=query, data=data)
            assert response.status_code in (200, 201, 302), (
                f"{where} → {response.status_code}: {response.content[:500]!r}"
            )
            if not route.api and response.status_code == 200:
                pytest.fail(f"{where} re-rendered the form: {response.content[:800]!r}")
            delta = _audit() - before
            assert dict(delta) == write.audit, f"{where}: audit entries {dict(delta)}"
            transaction.set_rollback(True)
        done += 1
    assert done >= 5


def test_without_the_role_a_confidential_record_answers_404(client, world):
    """An editor of commune A without the role a route needs (``Sweep.roles``: inspection
    cases need ``inspector``): 404 on every path naming such a record, by GET and by POST, and
    nothing changes — the answer an object outside the scope gives."""
    client.force_login(world.editor_a)
    failures, checked = [], 0
    for route, path, method, query in _calls(world, "a"):
        if not (sweep.route_role(route) and route.kwargs):
            continue
        data, _ = _write_data(world, "a", route)
        with _Unchanged(f"editor without the role {method} {path}"):
            response = _send(client, route, path, method=method, query=query, data=data)
        if response.status_code != 404 and not _method_refused(route, response):
            failures.append(_fail(method, path, response))
        checked += 1
    assert not failures, "\n".join(failures)
    assert checked == 0 or checked >= 2


def test_outsider_with_the_role_reads_nothing_of_another_commune(client, world):
    """An editor of commune B who has the role: still 404 on commune A's confidential records."""
    failures = []
    for route, path, method, query in _calls(world, "a"):
        role = sweep.route_role(route)
        if method != "GET" or not (role and route.kwargs):
            continue
        client.force_login(world.role_b[role])
        response = _send(client, route, path, method=method, query=query)
        if response.status_code != 404:
            failures.append(_fail(method, path, response))
    assert not failures, "\n".join(failures)
