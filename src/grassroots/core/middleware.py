"""Project-wide middleware: the Content-Security-Policy header, the refusal of control
characters in requests and the "as of" date."""

import json
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from grassroots.core.errors import NotFound
from grassroots.core.temporal import parse_date
from grassroots.core.text import has_control_characters

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


CONTROL_CHARACTERS_MESSAGE = (
    "Yêu cầu chứa ký tự điều khiển (như NUL) không được phép; hãy xóa chúng rồi gửi lại."
)


def _has_control(value: object) -> bool:
    """Whether a query value or a decoded JSON body holds a control character anywhere."""
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, dict):
        return any(_has_control(k) or _has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_control(v) for v in value)
    return False


class RefuseControlCharactersMiddleware:
    """Refuses a request whose query string or form/JSON body holds a control character (NUL,
    ESC…; tab and line breaks allowed): the API answers 422 ``{"detail", "code":
    "control_characters"}``, a page 400 with the Vietnamese message. Nothing of it reaches a
    query (PostgreSQL refuses NUL in text: it was a 500). Uploaded files are the importer's to
    clean (``core.text.strip_control_characters``)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if self._refused(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": CONTROL_CHARACTERS_MESSAGE, "code": "control_characters"},
                    status=422,
                )
            return HttpResponse(
                CONTROL_CHARACTERS_MESSAGE, status=400, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    @staticmethod
    def _refused(request: HttpRequest) -> bool:
        if has_control_characters(request.path) or _has_control(dict(request.GET.lists())):
            return True
        content_type = request.content_type or ""
        if content_type == "application/json":
            try:
                body = json.loads(request.body)
            except ValueError:
                return False  # unreadable JSON: the API's own 400
            return _has_control(body)
        if content_type == "application/x-www-form-urlencoded":
            return _has_control(dict(request.POST.lists()))
        return False


def today() -> date:
    """Today in the project's time zone (Asia/Ho_Chi_Minh), not the server's."""
    return timezone.localdate()


class AsOfMiddleware:
    """Sets ``request.as_of``: the date every page shows the registry as of.

    A ``?as_of=YYYY-MM-DD`` query parameter wins (drill-down links carry it), then the date chosen
    in the header (kept in the session), then today. A date outside the sane years
    (``core.temporal.MIN_YEAR``..``MAX_YEAR``) is ignored, and a bad one kept in the session is
    dropped, so it cannot break every page of the session.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = parse_date(request.GET.get("as_of"))
        if chosen is None and hasattr(request, "session"):
            stored = request.session.get(AS_OF_SESSION_KEY)
            chosen = parse_date(stored)
            if stored is not None and chosen is None:
                request.session.pop(AS_OF_SESSION_KEY, None)
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
