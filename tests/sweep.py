"""The route sweep's machinery: every page route from the URL resolver and every API operation
from the apps' ninja routers (both found through the app registry), filled with the objects the
apps' ``sweep_objects`` hooks build. Used by ``test_scope_sweep.py`` and ``test_route_coverage.py``.

Nothing here is a hand-kept list of routes: a route appears because it is mounted, and a route
whose keyword arguments no hook provides makes :func:`fill` fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.urls import URLPattern, URLResolver, get_resolver

from grassroots.core import registry
from grassroots.core.registry import SweepHome, SweepObjects
from tests import factories

API_ROOT = "/api/v1"
#: Root routes that belong to no app of the registry: Django's admin (its own staff login,
#: outside the scopes) and the favicon (a static file).
NOT_APPS = ("admin/", "favicon.ico")
#: The routes ninja adds for its own root and documentation (no data).
API_DOCS = ("", "openapi.json", "docs")
#: The home of the secret: what an editor of commune B must never see.
SECRET_NAMES = ("Lù Văn Ngà", "Lò Thị Ngà", "Chi bộ bản Nậm Ngà")
HOME_DAY = date(2020, 1, 2)
MOVED_DAY = date(2016, 1, 4)
MOVE_DAY = date(2024, 1, 1)


@dataclass(frozen=True)
class Route:
    """One page route (``key`` = its URL name) or one API operation (``key`` = ``"METHOD
    /path"`` relative to the app's router)."""

    app: str
    key: str
    template: str  # "/members/<str:code>/" or "/api/v1/members/{code}"
    kwargs: tuple[str, ...]
    api: bool
    method: str = "GET"  # API operations only

    @property
    def writes(self) -> bool:
        return self.api and self.method != "GET"

    def __str__(self) -> str:
        return f"{self.method if self.api else 'PAGE'} {self.template} ({self.app}:{self.key})"


def _app_by_namespace() -> dict[str, registry.ModuleConfig]:
    out = {}
    for config in registry.modules():
        module = config.urls()
        if module is not None:
            out[module.app_name] = config
    return out


def page_routes() -> list[Route]:
    """Every URL pattern of every app's ``urls`` (nested includes walked)."""
    apps_by_ns = _app_by_namespace()
    routes = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                kwargs = tuple(entry.pattern.converters) or tuple(entry.pattern.regex.groupindex)
                config = apps_by_ns[namespace]
                routes.append(
                    Route(
                        config.label,
                        f"{namespace}:{entry.name}",
                        "/" + prefix + str(entry.pattern),
                        kwargs,
                        api=False,
                    )
                )

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in apps_by_ns:
            walk(entry, str(entry.pattern), entry.namespace)
    return routes


def api_routes() -> list[Route]:
    """Every operation (method × path) of every app's API router."""
    routes = []
    for config, router in registry.routers():
        for path, view in router.path_operations.items():
            full = f"{API_ROOT}{config.api_prefix}{path}".replace("//", "/")
            kwargs = tuple(re.findall(r"{(\w+)}", path))
            for operation in view.operations:
                for method in operation.methods:
                    routes.append(
                        Route(config.label, f"{method} {path}", full, kwargs, True, method)
                    )
    return routes


def unclaimed_routes() -> list[str]:
    """Root URL patterns that no app of the registry claims (and that are not the admin, the
    favicon, the API root, or a third-party tree an app declares as a
    :class:`~grassroots.core.registry.Mount`), plus API URL patterns that are no router's
    operation."""
    claimed = set(_app_by_namespace())
    mounted = {m.prefix for m in registry.all_mounts()}
    api_paths = {r.template.removeprefix(API_ROOT + "/") for r in api_routes()}
    out = []
    for entry in get_resolver().url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            for sub in entry.url_patterns:
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(sub.pattern))
                if path not in api_paths and path not in API_DOCS:
                    out.append(f"{pattern}{sub.pattern}")
        elif (
            pattern in NOT_APPS
            or pattern in mounted
            and isinstance(entry, URLResolver)
            and not entry.namespace
        ):
            continue
        elif not (isinstance(entry, URLResolver) and entry.namespace in claimed):
            out.append(pattern)
    return out


def all_routes() -> list[Route]:
    return page_routes() + api_routes()


def route_role(route: Route) -> str | None:
    """The role ``route`` needs besides the scope (its app's ``Sweep.roles``), if any."""
    config = next(c for c in registry.modules() if c.label == route.app)
    return config.sweep.roles.get(route.key)


class Unfilled(AssertionError):
    """A route the sweep cannot fill: its app's sweep hook provides no value for a kwarg."""


def fill(route: Route, objects: SweepObjects) -> str:
    """The route's path with the objects' values; :class:`Unfilled` when one is missing."""
    values = {**objects.kwargs, **objects.route_kwargs.get(route.key, {})}
    missing = [name for name in route.kwargs if name not in values]
    if missing:
        raise Unfilled(f"{route}: no sweep object for {missing} (declare it in sweep_objects)")
    out = route.template
    for name in route.kwargs:
        if route.api:
            out = out.replace("{" + name + "}", str(values[name]))
        else:
            out = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), out, count=1)
    return out


@dataclass
class World:
    """The sweep's world: commune A's home (never commune B's), a home that was commune B's and
    moved to commune A, and the users who look at them."""

    reg: object
    viewer_a: object
    editor_a: object
    editor_b: object
    homes: dict[str, SweepHome]
    objects: dict[str, dict[str, SweepObjects]] = field(default_factory=dict)
    #: Per role that a route needs (``Sweep.roles``): an editor of commune A with that role,
    #: and one of commune B.
    role_a: dict[str, object] = field(default_factory=dict)
    role_b: dict[str, object] = field(default_factory=dict)

    def user_a(self, route: Route) -> object:
        """Who reads and writes ``route`` inside commune A: the editor, or the editor with the
        role the route needs."""
        role = route_role(route)
        return self.role_a[role] if role else self.editor_a

    def of(self, home: str, route: Route) -> SweepObjects:
        return self.objects[home][route.app]

    def path(self, home: str, route: Route) -> str:
        return fill(route, self.of(home, route))

    def query(self, home: str, route: Route) -> dict[str, str]:
        return dict(self.of(home, route).query.get(route.key, {}))

    def codes(self, home: str) -> set[str]:
        """Every code an object of the home is chosen by (to be swapped for an unknown one)."""
        h = self.homes[home]
        out = {h.organization.code, h.place.code, h.committee.code}
        for objects in self.objects[home].values():
            out.update(str(v) for k, v in objects.kwargs.items() if k == "code")
        return out


def build_world(make_user) -> World:
    """Build both homes through the apps' hooks, then move the second one from B to A."""
    from grassroots.organizations.services import organization_reparent
    from grassroots.places.services import place_reparent

    reg = factories.registry()
    editor_a = make_user("bientap-a", roles=["editor"], scope=reg.commune_committee_a)
    viewer_a = make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a)
    editor_b = make_user("bientap-b", roles=["editor"], scope=reg.commune_committee_b)
    since = date(2013, 6, 1)
    village_m = factories.place(
        name="Bản Phiêng Chá", kind="village", parent=reg.commune_b, code="VM", valid_from=since
    )
    cell_m = factories.org(
        name="Chi bộ bản Phiêng Chá",
        kind="cell",
        place=village_m,
        parent=reg.commune_committee_b,
        code="CB-VM",
        valid_from=since,
    )
    homes = {
        "a": SweepHome(reg.cell_a, reg.village_a, reg.commune_committee_a, HOME_DAY, editor_a),
        # The moved home's "committee" is the moved cell itself: its targets move with it.
        "moved": SweepHome(cell_m, village_m, cell_m, MOVED_DAY, editor_a),
    }
    world = World(reg, viewer_a, editor_a, editor_b, homes)
    for role in sorted({r for c in registry.modules() for r in c.sweep.roles.values()}):
        world.role_a[role] = make_user(
            f"{role}-a", roles=["editor", role], scope=reg.commune_committee_a
        )
        world.role_b[role] = make_user(
            f"{role}-b", roles=["editor", role], scope=reg.commune_committee_b
        )
    for name, home in homes.items():
        world.objects[name] = {c.label: c.sweep_objects(home) for c in registry.modules()}
    place_reparent(acting_user=None, place=village_m, parent=reg.commune_a, day=MOVE_DAY)
    organization_reparent(
        acting_user=None, organization=cell_m, parent=reg.commune_committee_a, day=MOVE_DAY
    )
    return world
