"""The API root: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json.

Each app declares its router and prefix in its ``AppConfig`` (:mod:`grassroots.core.registry`);
they are mounted here. Every route needs a personal token (``Authorization: Bearer …``) or the
browser's session (:mod:`grassroots.accounts.auth`); errors share one shape (see
:mod:`grassroots.core.api`).
"""

from ninja import NinjaAPI

from grassroots.accounts.auth import AUTH
from grassroots.core.api import install_error_handlers
from grassroots.core.registry import mount_routers

api = NinjaAPI(title="Grassroots API", version="1", urls_namespace="api", auth=AUTH)
install_error_handlers(api)
mount_routers(api)
