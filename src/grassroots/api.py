"""The API root: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json (login needed).

Each app declares its router and prefix in its ``AppConfig`` (:mod:`grassroots.core.registry`);
they are mounted here. Every route needs a personal token (``Authorization: Bearer …``) or the
browser's session (:mod:`grassroots.accounts.auth`); errors share one shape (see
:mod:`grassroots.core.api`).
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from grassroots.accounts.auth import AUTH, AccountLocked, docs_login_required
from grassroots.core.api import install_error_handlers
from grassroots.core.registry import mount_routers

api = NinjaAPI(
    title="Grassroots API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    # The document and the docs page need a login too (the session or a token).
    docs_decorator=docs_login_required,
)
install_error_handlers(api)
mount_routers(api)


@api.exception_handler(AccountLocked)
def account_locked(request: HttpRequest, exc: AccountLocked) -> HttpResponse:
    """A token whose user is locked out by failed logins: 403, said in Vietnamese."""
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=403)
