"""The API root: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json.

Each app brings its own router (``<app>/api.py``); they are mounted here. Every route needs a
personal token (``Authorization: Bearer …``) or the browser's session; errors share one shape
(see :mod:`grassroots.core.api`).
"""

from ninja import NinjaAPI

from grassroots.core.api import AUTH, install_error_handlers

api = NinjaAPI(title="Grassroots API", version="1", urls_namespace="api", auth=AUTH)
install_error_handlers(api)


def _mount(prefix: str, name: str) -> None:
    """Mount ``<app>/api.py``'s router; an app without an api module has no routes (a broken
    one still fails loudly)."""
    from importlib import import_module

    try:
        module = import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return
    api.add_router(prefix, module.router)


_mount("/places", "grassroots.places.api")
_mount("/organizations", "grassroots.organizations.api")
_mount("/members", "grassroots.members.api")
_mount("/reports", "grassroots.statistics.api")
_mount("/admissions", "grassroots.admissions.api")
_mount("/ratings", "grassroots.ratings.api")
