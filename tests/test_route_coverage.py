"""Every route and every model is covered by the scope sweep (after NetBox's
``test_model_test_coverage.py``): a new route, API operation or model that the apps' registry
declarations do not cover fails here, before it can escape the sweep.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from grassroots.api import api
from grassroots.core import registry
from tests import factories, sweep
from tests.factories import rolled_back


def test_every_root_route_belongs_to_an_app_of_the_registry():
    """Pages are mounted only through the registry (or are the admin and the favicon); every API
    URL is an operation of an app's router (or ninja's own root and documentation)."""
    assert sweep.unclaimed_routes() == []


def test_the_sweep_finds_every_route():
    """Nothing hand-kept: the sweep's routes are the resolver's and the API schema's."""
    pages = {r.template for r in sweep.page_routes()}
    assert {"/members/<str:code>/", "/interchange/export/", "/statistics/records/"} <= pages
    schema = {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    assert {(r.method, r.template) for r in sweep.api_routes()} == schema


def test_a_route_the_sweep_cannot_fill_fails_it():
    route = sweep.Route("members", "members:new_thing", "/members/<slug:slug>/", ("slug",), False)
    with pytest.raises(sweep.Unfilled, match="slug"):
        sweep.fill(route, registry.SweepObjects(kwargs={"code": "M1"}))


def _declared_names(config) -> set[str]:
    s = config.sweep
    return {*s.public, *s.forms, *s.reader_posts, *s.get_status}


def test_every_declared_route_exists():
    """A sweep declaration naming a route that does not exist (renamed, removed) fails."""
    keys = {(r.app, r.key) for r in sweep.all_routes()}
    stale = [
        (c.label, name)
        for c in registry.modules()
        for name in _declared_names(c)
        if (c.label, name) not in keys
    ]
    assert stale == []
    for entry in registry.menu_entries():
        reverse(entry.url_name)


def test_every_audited_model_exists():
    for config in registry.modules():
        for name in config.audited:
            assert config.get_model(name) is not None


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield sweep.build_world(factories.user)


@pytest.fixture
def world(shared_world, db):
    """One world for the module; each test's writes are undone after it."""
    return shared_world


@pytest.mark.django_db
def test_every_route_is_filled_with_every_query_it_requires(world):
    """Every route's path arguments come from its app's sweep hook, for both homes; every
    required query parameter of an API operation too; and declared writes and queries name
    existing routes."""
    schema = api.get_openapi_schema()["paths"]
    problems = []
    keys = {(r.app, r.key) for r in sweep.all_routes()}
    for home in world.homes:
        for route in sweep.all_routes():
            try:
                world.path(home, route)
            except sweep.Unfilled as exc:
                problems.append(str(exc))
            if route.api:
                operation = schema[route.template][route.method.lower()]
                required = {
                    p["name"]
                    for p in operation.get("parameters", [])
                    if p["in"] == "query" and p.get("required")
                }
                missing = required - set(world.query(home, route))
                if missing:
                    problems.append(f"{route}: no sweep query value for {sorted(missing)}")
        for label, objects in world.objects[home].items():
            for name in [*objects.query, *objects.writes, *objects.route_kwargs]:
                if (label, name) not in keys:
                    problems.append(f"{label}: sweep names a route that does not exist: {name}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_api_write_has_a_valid_write_in_the_sweep(world):
    """Every API operation that writes is made once inside the scope (and its audit entries
    counted) and once by the editor of the commune the object moved out of."""
    missing = [
        str(route)
        for route in sweep.api_routes()
        if route.writes
        and any(route.key not in world.of(home, route).writes for home in world.homes)
    ]
    assert missing == []


@pytest.mark.django_db
def test_every_model_is_built_by_the_sweep(world):
    """Every model of every app of the registry has rows in the sweep's world, or its app says
    why not (and a model said to be unbuilt that the world builds is a stale declaration)."""
    problems = []
    for config in registry.modules():
        for model in config.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            name = model.__name__
            built = model._default_manager.exists()
            unbuilt = name in config.sweep.unbuilt
            if not built and not unbuilt:
                problems.append(f"{config.label}.{name}: no sweep object (add it to sweep_objects)")
            if built and unbuilt:
                problems.append(f"{config.label}.{name}: declared unbuilt, yet the sweep builds it")
    assert not problems, "\n".join(problems)
    declared = {(c.label, n) for c in registry.modules() for n in c.sweep.unbuilt}
    assert all(apps.get_model(label, name) for label, name in declared)
