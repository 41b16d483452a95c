"""The app registry: every app says what it brings in its ``AppConfig``; the platform reads it.

An app declares, as class attributes and small hooks of its :class:`ModuleConfig` subclass:

- ``url_prefix`` and :meth:`~ModuleConfig.urls` — its pages, mounted by ``grassroots/urls.py``;
- ``api_prefix`` and :meth:`~ModuleConfig.api_router` — its API router, mounted by
  ``grassroots/api.py`` under ``/api/v1/``;
- ``tracked`` — its tables feed figures and lists, so a change to them changes the data version
  (:mod:`grassroots.core.dataversion` installs triggers on them);
- ``audited`` — ``{model name: fields left out of the diff}``, registered with django-auditlog;
- ``menu`` — :class:`MenuEntry` items of the site's menu, each with the role that sees it;
- :meth:`~ModuleConfig.interchange` — its optional files of the interchange format (a module
  with ``COLUMNS``, ``REQUIRED``, ``import_rows`` and ``export_tables``), which the importer reads;
- ``sweep`` — a :class:`Sweep`: which routes are public, which models the sweep does not build,
  and :meth:`~ModuleConfig.sweep_objects`, the hook that builds one object per URL keyword
  argument (``code``, ``pk``…) for ``tests/test_scope_sweep.py``.

``core`` imports no domain app: it only walks ``django.apps.apps.get_app_configs()`` and keeps
the configs that are :class:`ModuleConfig`. Apps import their own modules inside the hooks, so
the registry never mounts anything by a dotted string.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Any

from django.apps import AppConfig, apps
from django.urls import include, path, reverse


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

    data: dict
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
    (``get_status``), and models the sweep's world does not build (``unbuilt``: ``{model name:
    why}``)."""

    public: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    reader_posts: tuple[str, ...] = ()
    get_status: dict[str, int] = field(default_factory=dict)
    unbuilt: dict[str, str] = field(default_factory=dict)


class ModuleConfig(AppConfig):
    """Base of every Grassroots app's ``AppConfig``; see the module docstring."""

    # Imported into every apps.py: Django must not take the base for the app's own config,
    # but must take each subclass (``default`` would otherwise be inherited).
    default = False

    def __init_subclass__(cls, **kwargs):
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

    def api_router(self):
        """The app's django-ninja ``Router``, or ``None``."""
        return None

    def interchange(self) -> ModuleType | None:
        """The app's optional files of the interchange format, or ``None``."""
        return None

    def sweep_objects(self, home: SweepHome) -> SweepObjects:
        """Build the objects the app's routes name, in ``home``; nothing by default."""
        return SweepObjects()


def modules() -> list[ModuleConfig]:
    """The registered apps, in ``INSTALLED_APPS`` order."""
    return [c for c in apps.get_app_configs() if isinstance(c, ModuleConfig)]


def url_patterns() -> list:
    """A ``path(prefix, include(urls))`` per app that has pages."""
    out = []
    for config in modules():
        module = config.urls()
        if module is not None:
            if config.url_prefix is None:
                raise ValueError(f"{config.label}: urls() without url_prefix")
            out.append(path(config.url_prefix, include(module)))
    return out


def mount_routers(api) -> None:
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
    """The apps' optional interchange files, in ``INSTALLED_APPS`` order."""
    return [part for c in modules() if (part := c.interchange()) is not None]


def menu_entries() -> list[MenuEntry]:
    """Every app's menu entries, in menu order."""
    entries = [entry for c in modules() for entry in c.menu]
    return sorted(entries, key=lambda e: e.order)


def menu_for(request) -> list[dict]:
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
