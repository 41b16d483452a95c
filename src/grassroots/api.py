"""The API root: django-ninja under /api/v1/, OpenAPI at /api/v1/openapi.json and
Swagger UI at /api/v1/docs (login needed; its assets served from this site, no CDN).

Each app declares its router and prefix in its ``AppConfig`` (:mod:`grassroots.core.registry`);
they are mounted here. Every route needs a personal token (``Authorization: Bearer …``) or the
browser's session (:mod:`grassroots.accounts.auth`); errors share one shape (see
:mod:`grassroots.core.api`).
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

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
    # Swagger UI's files come from this site ("ninja" is an installed app, so the page uses
    # its static copies; never a CDN, which the Content-Security-Policy blocks), and no
    # validator badge calls validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
mount_routers(api)


@api.exception_handler(AccountLocked)
def account_locked(request: HttpRequest, exc: AccountLocked) -> HttpResponse:
    """A token whose user is locked out by failed logins: 403, said in Vietnamese."""
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=403)
