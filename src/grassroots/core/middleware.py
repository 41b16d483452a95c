"""Project-wide middleware: the Content-Security-Policy header and the "as of" date."""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from grassroots.core.errors import NotFound
from grassroots.core.temporal import parse_date

AS_OF_SESSION_KEY = "as_of"

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class ContentSecurityPolicyMiddleware:
    """Adds the project's Content-Security-Policy to every response that lacks one."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's."""
    return timezone.localdate()


class AsOfMiddleware:
    """Sets ``request.as_of``: the date every page shows the registry as of.

    A ``?as_of=YYYY-MM-DD`` query parameter wins (drill-down links carry it), then the date chosen
    in the header (kept in the session), then today.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = parse_date(request.GET.get("as_of"))
        if chosen is None and hasattr(request, "session"):
            chosen = parse_date(request.session.get(AS_OF_SESSION_KEY))
        # Attributes of the project's own: django-stubs' HttpRequest does not declare them.
        day = chosen or today()
        request.as_of = day  # type: ignore[attr-defined]
        request.as_of_is_today = day == today()  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # A selector's or service's domain NotFound is a page's 404, like Http404.
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        return None
