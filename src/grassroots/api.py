"""The API root: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json.

Each app brings its own router (``<app>/api.py``); they are mounted here.
"""

from ninja import NinjaAPI

api = NinjaAPI(title="Grassroots API", version="1", urls_namespace="api")


def _mount(prefix: str, module: str) -> None:
    from importlib import import_module

    try:
        router = import_module(module).router
    except (ImportError, AttributeError):
        return
    api.add_router(prefix, router)


_mount("/places", "grassroots.places.api")
_mount("/organizations", "grassroots.organizations.api")
_mount("/members", "grassroots.members.api")
_mount("/reports", "grassroots.statistics.api")
