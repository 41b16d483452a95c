"""The app registry: every app says what it brings in its ``AppConfig``; the platform reads it.

An app declares, as class attributes and small hooks of its :class:`ModuleConfig` subclass:

- ``url_prefix`` and :meth:`~ModuleConfig.urls` — its pages, mounted by ``grassroots/urls.py``;
- ``api_prefix`` and :meth:`~ModuleConfig.api_router` — its API router, mounted by
  ``grassroots/api.py`` under ``/api/v1/``;
- ``tracked`` — its tables feed figures and lists, so a change to them changes the data version
  (:mod:`grassroots.core.dataversion` installs triggers on them);
- ``audited`` — ``{model name: fields left out of the diff}``, registered with django-auditlog;
- ``menu`` — :class:`MenuEntry` items of the site's menu, each with the role that sees it;
- :meth:`~ModuleConfig.interchange` — its parts of the interchange format, in import order:
  each part a module with ``COLUMNS``, ``REQUIRED``, ``import_rows`` and ``export_tables`` that
  owns some optional files; the importer reads them, the exporter asks each for its rows;
- :meth:`~ModuleConfig.mounts` — third-party URL trees the app mounts at the site's root,
  outside its namespace (Wagtail's admin and page serving: their URL names are global), each a
  :class:`Mount` that says who may open it; the route sweep leaves them to their owner's access
  control, as it leaves Django's admin (``tests/sweep.py``, ``NOT_APPS``);
- ``sweep`` — a :class:`Sweep`: which routes are public, which models the sweep does not build,
  and :meth:`~ModuleConfig.sweep_objects`, the hook that builds one object per URL keyword
  argument (``code``, ``pk``…) for ``tests/test_scope_sweep.py``;
- :meth:`~ModuleConfig.holdings` — what the app keeps in an organisation on a day (members…),
  each :class:`Holding` with the way to move it: restructuring an organisation (dissolve,
  merge, split) asks every app through :func:`holdings` instead of importing the apps above it;
- :meth:`~ModuleConfig.checks` — what the app's rules only warn about, listed on the checks page
  (each an object with ``code``, ``title`` and ``rows`` of ``(member or organisation, detail)``);
- :meth:`~ModuleConfig.panels` — :class:`Panel` sections the app adds to another app's detail
  page (``"organization"``, ``"place"``, ``"member"``) or to the signed-in user's home page
  (``"home"``: what needs attention — overdue tasks, reports not sent), rendered by
  :func:`render_panels`: a lower app's page shows what a higher app knows of its object
  without importing it.

``core`` imports no domain app: it only walks ``django.apps.apps.get_app_configs()`` and keeps
the configs that are :class:`ModuleConfig`. Apps import their own modules inside the hooks, so
the registry never mounts anything by a dotted string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class MenuEntry:
    """One link of the site's menu: shown to users with ``role`` (every signed-in user when
    ``None``), sorted by ``order``. ``section`` marks the link of the app's own pages (it is the
    current link on every page of the app's namespace; another link of the app never is)."""

    label: str
    url_name: str
    role: str | None = None
    order: int = 50
    section: bool = True


@dataclass(frozen=True)
class Mount:
    """A third-party URL tree mounted at ``prefix`` (``"cms/"``) without the app's namespace.

    ``public``: anyone may open it (pages the third party serves to readers); otherwise the
    third party refuses anonymous users itself (its own login and permissions). ``why`` says,
    for the route sweep's reader, how the tree's access is controlled."""

    prefix: str
    urls: Any  # a list of URL patterns or a URLconf module
    public: bool
    why: str


@dataclass(frozen=True)
class SweepHome:
    """Where an app's sweep hook builds its objects: a cell, its village and the commune's
    committee above it; objects are dated ``day`` or later; ``editor`` is the editor whose
    scope holds the home today."""

    organization: Any
    place: Any
    committee: Any
    day: date
    editor: Any = None


@dataclass
class Write:
    """A valid write the sweep makes inside the writer's scope: ``data`` posted to the route
    (form fields to a page, a JSON body to the API), and the audit entries it must leave,
    ``{"app_label.model": count}`` — exactly one per changed row."""

    data: dict[str, Any]
    audit: dict[str, int]


@dataclass
class SweepObjects:
    """What an app's sweep hook returns for one home.

    ``kwargs``: a value per URL keyword argument of the app's routes (``{"code": …, "pk": …}``);
    per route name a different value may be given in ``route_kwargs``.
    ``query``: per route name, the query parameters that choose an object (``?organization=…``).
    ``writes``: per route name, a :class:`Write` made by an editor inside the scope.
    """

    kwargs: dict[str, Any] = field(default_factory=dict)
    route_kwargs: dict[str, dict[str, Any]] = field(default_factory=dict)
    query: dict[str, dict[str, str]] = field(default_factory=dict)
    writes: dict[str, Write] = field(default_factory=dict)


@dataclass(frozen=True)
class Sweep:
    """The app's place in the route sweep, by URL name: routes anyone may open (``public``),
    pages that change data (``forms``: editors only; a viewer is refused even the form),
    routes a reader may post to without changing any data (``reader_posts``: the date picker,
    their own password), the answer a read gives inside the scope when it is not 200
    (``get_status``), models the sweep's world does not build (``unbuilt``: ``{model name:
    why}``) and the routes that need a role besides the scope (``roles``)."""

    public: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    reader_posts: tuple[str, ...] = ()
    get_status: dict[str, int] = field(default_factory=dict)
    unbuilt: dict[str, str] = field(default_factory=dict)
    #: Routes of confidential records (``core.scope``'s ``read_role``), ``{route key: role}``:
    #: the sweep reads and writes them as an editor of the home who also has the role, and
    #: checks that a user of the home without it gets 404 on every path naming such a record.
    roles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Holding:
    """One thing an app keeps in an organisation on a day (a member who belongs there…).

    ``code`` identifies it among the organisation's holdings (a split assigns holdings to the new
    organisations by code); ``label`` names it in a plan's steps ("đảng viên Tao Thị Bình"),
    after ``verb`` ("Chuyển sinh hoạt"); ``noun`` counts it in messages ("còn 3 đảng viên…");
    ``move(acting_user=, organization=, day=, note=)`` moves it to another organisation from
    ``day`` (the app's own service, with its scope checks and audit); ``item`` is the object
    itself, for callers that know the app."""

    code: str
    label: str
    noun: str
    move: Callable[..., object]
    verb: str = "Chuyển"
    item: Any = None


class Panel:
    """A part of another app's detail page, contributed by the app that knows it (the members
    of an organisation, the organisations of a place) and rendered server-side.

    ``properties`` gives ``<dt>…</dt><dd>…</dd>`` rows for the page's card of properties (shown
    while the object is valid on the page's date); ``render`` gives a section of the page. Both
    return safe HTML (``render_to_string``'s; a plain ``str`` is escaped) and apply the request
    user's scope, as any page does."""

    order: int = 50

    def properties(self, request: HttpRequest, obj: Any) -> str:
        return SafeString("")

    def render(self, request: HttpRequest, obj: Any) -> str:
        return SafeString("")


class ModuleConfig(AppConfig):
    """Base of every Grassroots app's ``AppConfig``; see the module docstring."""

    # Imported into every apps.py: Django must not take the base for the app's own config,
    # but must take each subclass (``default`` would otherwise be inherited).
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)

    url_prefix: str | None = None
    api_prefix: str | None = None
    tracked: bool = False
    audited: dict[str, tuple[str, ...]] = {}
    menu: tuple[MenuEntry, ...] = ()
    sweep: Sweep = Sweep()

    def urls(self) -> ModuleType | None:
        """The app's ``urls`` module (with ``app_name``), or ``None``."""
        return None

    def api_router(self) -> Any:
        """The app's django-ninja ``Router``, or ``None``."""
        return None

    def interchange(self) -> Sequence[ModuleType]:
        """The app's parts of the interchange format (each a module owning some optional
        files), in the order they are imported; none by default."""
        return ()

    def mounts(self) -> Sequence[Mount]:
        """Third-party URL trees the app mounts at the root (see :class:`Mount`); none by
        default. They are mounted after every app's own pages, so an app's route under the same
        prefix wins over a third party's catch-all."""
        return ()

    def sweep_objects(self, home: SweepHome) -> SweepObjects:
        """Build the objects the app's routes name, in ``home``; nothing by default."""
        return SweepObjects()

    def holdings(self, organization: Any, day: date, *, onwards: bool = False) -> list[Holding]:
        """What the app keeps in ``organization`` on ``day`` (``onwards``: on ``day`` or any
        later day), in the order a plan lists it; nothing by default."""
        return []

    def checks(self, *, user: Any, day: date) -> Sequence[Any]:
        """The app's warnings for the checks page, in ``user``'s scope on ``day``: objects
        with ``code``, ``title`` and ``rows`` (``[(member or organisation, detail text)]``);
        none by default."""
        return ()

    def panels(self, kind: str) -> Sequence[Panel]:
        """The app's panels on the detail page of ``kind`` (``"organization"``, ``"place"``,
        ``"member"``), or on the home page (``"home"``, rendered with the user as the object:
        keep those cheap, every sign-in lands there)."""
        return ()


def modules() -> list[ModuleConfig]:
    """The registered apps, in ``INSTALLED_APPS`` order."""
    return [c for c in apps.get_app_configs() if isinstance(c, ModuleConfig)]


def url_patterns() -> list[Any]:
    """A ``path(prefix, include(urls))`` per app that has pages."""
    out = []
    for config in modules():
        module = config.urls()
        if module is not None:
            if config.url_prefix is None:
                raise ValueError(f"{config.label}: urls() without url_prefix")
            out.append(path(config.url_prefix, include(module)))
    out.extend(path(m.prefix, include(m.urls)) for m in all_mounts())
    return out


def all_mounts() -> list[Mount]:
    """Every app's third-party mounts, in ``INSTALLED_APPS`` order."""
    return [mount for c in modules() for mount in c.mounts()]


def mount_routers(api: Any) -> None:
    """Add every app's router to the NinjaAPI ``api``."""
    for config in modules():
        router = config.api_router()
        if router is not None:
            if config.api_prefix is None:
                raise ValueError(f"{config.label}: api_router() without api_prefix")
            api.add_router(config.api_prefix, router)


def routers() -> Iterator[tuple[ModuleConfig, Any]]:
    """``(app, router)`` for every app with an API router."""
    for config in modules():
        router = config.api_router()
        if router is not None:
            yield config, router


def tracked_apps() -> tuple[str, ...]:
    """Labels of the apps whose tables the figures, lists and reports read."""
    return tuple(c.label for c in modules() if c.tracked)


def register_audited() -> None:
    """Register every declared model with django-auditlog (idempotent)."""
    from auditlog.registry import auditlog

    for config in modules():
        for name, exclude in config.audited.items():
            model = config.get_model(name)
            if not auditlog.contains(model):
                auditlog.register(model, exclude_fields=list(exclude))


def interchange_parts() -> list[ModuleType]:
    """Every app's interchange parts: the apps in ``INSTALLED_APPS`` order, each app's parts in
    the order it declares them (a part may refer to the rows of the parts before it)."""
    out = [part for config in modules() for part in config.interchange()]
    names = [name for part in out for name in part.COLUMNS]
    if len(names) != len(set(names)):
        raise ValueError(f"interchange: a file is declared by two parts ({sorted(names)})")
    return out


def holdings(organization: Any, day: date, *, onwards: bool = False) -> list[Holding]:
    """Every app's holdings in ``organization`` on ``day`` (see :meth:`ModuleConfig.holdings`),
    in ``INSTALLED_APPS`` order."""
    return [h for c in modules() for h in c.holdings(organization, day, onwards=onwards)]


def checks(*, user: Any, day: date) -> list[Any]:
    """Every app's warnings for the checks page (see :meth:`ModuleConfig.checks`), in
    ``INSTALLED_APPS`` order."""
    return [check for c in modules() for check in c.checks(user=user, day=day)]


def panels(kind: str) -> list[Panel]:
    """Every app's panels for the detail page of ``kind``, in panel order."""
    found = [panel for c in modules() for panel in c.panels(kind)]
    return sorted(found, key=lambda p: p.order)


def render_panels(kind: str, request: HttpRequest, obj: Any) -> dict[str, Any]:
    """The context a detail page of ``kind`` adds for its panels: ``panel_properties`` (rows of
    its card of properties) and ``panels`` (sections), both already rendered."""
    found = panels(kind)
    return {
        "panel_properties": format_html_join(
            "", "{}", ((p.properties(request, obj),) for p in found)
        ),
        "panels": [conditional_escape(p.render(request, obj)) for p in found],
    }


def menu_entries() -> list[MenuEntry]:
    """Every app's menu entries, in menu order."""
    entries = [entry for c in modules() for entry in c.menu]
    return sorted(entries, key=lambda e: e.order)


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu ``request.user`` sees: ``[{"label", "url", "current"}]``. An entry whose role
    the user lacks is left out (a viewer sees no link to a page that would refuse them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    return [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "current": entry.section and entry.url_name.split(":", 1)[0] == namespace,
        }
        for entry in menu_entries()
        if entry.role is None or user.has_role(entry.role)
    ]
