"""Pieces every API router shares: the one error shape, pagination, ``as_of``,
the editor check and resolving codes inside the user's scope.

Every error answers ``{"detail": "<message>", "code": "<code>"}``: a refused rule is 400 with the
service's Vietnamese message and code, a missing login 401, a missing role 403, anything outside the
user's scope (or absent) 404, a malformed request 422 (with the field errors in ``errors``), and
anything that breaks 500 (``server_error``, the traceback in the server log).
"""

import inspect
import logging
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.signature.utils import get_typed_signature
from pydantic import field_validator

from grassroots.core.access import Action, record_access
from grassroots.core.audit import acting_as
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.locking import StaleError
from grassroots.core.temporal import MAX_YEAR, MIN_YEAR, parse_date

logger = logging.getLogger("django.request")

# --- The one error shape ---------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error: a message for people (Vietnamese) and a stable code for programs."""

    detail: str
    code: str


#: Responses every authenticated route may give besides its own, for the OpenAPI document: a
#: code given in a filter and unknown in the scope is 400 (``unknown_code``), as a refused rule.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 409: ErrorOut, **READ_ERRORS}

_HTTP_CODES = {
    400: ("Không đọc được nội dung yêu cầu (cần JSON hợp lệ).", "bad_request"),
    401: ("Chưa đăng nhập hoặc mã truy cập không hợp lệ.", "not_authenticated"),
    403: ("Bạn không có quyền thực hiện thao tác này.", "permission_denied"),
    404: ("Không tìm thấy.", "not_found"),
    405: ("Phương thức không được hỗ trợ cho địa chỉ này.", "method_not_allowed"),
    429: ("Quá nhiều yêu cầu, hãy thử lại sau.", "throttled"),
}


SERVER_ERROR = (
    "Lỗi máy chủ: yêu cầu chưa được thực hiện. Hãy thử lại sau hoặc báo quản trị viên.",
    "server_error",
)


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Give every API error the shape ``{"detail", "code"}``."""

    @api.exception_handler(ValidationError)
    def rule_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # RuleError and any other Django ValidationError a service raises.
        return _error(
            api, request, 400, " ".join(exc.messages), getattr(exc, "code", None) or "invalid"
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, *_HTTP_CODES[404])

    @api.exception_handler(NotFound)
    def domain_not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
        return _error(api, request, 404, *_HTTP_CODES[404])

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return _error(api, request, 403, *_HTTP_CODES[403])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Raised by ninja itself: unreadable body (400), no login (401), CSRF (403), throttling.
        if exc.status_code == 403 and "CSRF" in str(exc):
            detail, code = "Thiếu hoặc sai mã chống giả mạo (CSRF).", "csrf_failed"
        else:
            detail, code = _HTTP_CODES.get(exc.status_code, (str(exc), "error"))
        return _error(api, request, exc.status_code, detail, code)

    @api.exception_handler(SchemaValidationError)
    def schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors)
        return _error(
            api,
            request,
            422,
            f"Dữ liệu gửi lên không hợp lệ: {fields}.",
            "invalid_request",
            errors=exc.errors,
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Anything else is a bug: the traceback goes to the server log (as Django logs a page's
        # 500), the client gets the one shape rather than an HTML page.
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        response = _error(api, request, 500, *SERVER_ERROR)
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response


# --- Lists, dates, roles, codes ----------------------------------------------------------------

T = TypeVar("T")
_M = TypeVar("_M", bound=Model)

MAX_LIMIT = 500
#: Beyond any list the registry holds, and far inside the databases' integers (an offset above
#: 2**63 was a 500: "datatype mismatch", "bigint out of range").
MAX_OFFSET = 1_000_000_000

#: A year in a query (figures over years): refused outside MIN_YEAR..MAX_YEAR (422).
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR, description=f"năm, {MIN_YEAR}–{MAX_YEAR}")]

#: A row id in a path (``/ratings/{rating_id}``): a positive 63-bit integer, so a bigger one is a
#: 422 rather than an overflow in the database driver.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="số mục tối đa của một trang")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="bỏ qua bao nhiêu mục đầu")


class Page(Schema, Generic[T]):
    count: int
    items: list[T]


def paginate(queryset: QuerySet[Any], page: PageParams) -> tuple[int, list[Any]]:
    """The total count and the requested slice of an ordered queryset."""
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


class AsOfParams(Schema):
    """``?as_of=YYYY-MM-DD``: the date the registry is read on; today (Asia/Ho_Chi_Minh) when
    absent."""

    as_of: date | None = Field(
        None,
        description=f"ngày xem dữ liệu, YYYY-MM-DD (năm {MIN_YEAR}–{MAX_YEAR}); mặc định hôm nay",
    )

    @field_validator("as_of", mode="before")
    @classmethod
    def _real_date(cls, value: object) -> date | None:
        # Only a real YYYY-MM-DD (or dd/mm/yyyy) in the sane years: pydantic alone reads ``0``
        # as 1970-01-01 and accepts 0001-01-01.
        if value is None or value == "":
            return None
        parsed = parse_date(value)
        if parsed is None:
            raise ValueError(f"ngày không hợp lệ (YYYY-MM-DD, năm {MIN_YEAR}–{MAX_YEAR})")
        return parsed

    @property
    def day(self) -> date:
        return self.as_of or timezone.localdate()


def created(body: Any) -> "Status[Any]":
    """A 201 response for an action that created something."""
    return Status(201, body)


def editor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Writes need the ``editor`` role (403 otherwise); the audit log names the API user, who
    may have come with a token rather than a session."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.auth.can_edit:
            raise PermissionDenied
        with acting_as(request.auth):
            return view(request, *args, **kwargs)

    return wrapped


def resolve_code(
    queryset: QuerySet[_M], code: str | None, what: str, *, required: bool = False
) -> _M | None:
    """The object with ``code`` among ``queryset`` (already restricted to the user's scope);
    None for a blank code (a bad request when ``required``). An unknown code or one outside the
    scope is a bad request, worded the same way so nothing leaks about objects the user may not
    see."""
    if not code:
        if required:
            raise RuleError(f"Cần nhập mã {what}.", code="code_required")
        return None
    found = queryset.filter(code=code).first()
    if found is None:
        raise RuleError(
            f"Không tìm thấy {what} mã {code} trong phạm vi dữ liệu của bạn.", code="unknown_code"
        )
    return found


def versioned_detail(obj: Any, day: date, related: tuple[str, ...] = ("parent",)) -> dict[str, Any]:
    """A versioned object (place, organisation) for a detail route: its code, the date asked,
    its version valid that day (or None) and every version, oldest first."""
    versions = list(obj.versions.select_related(*related).order_by("valid_from"))
    return {
        "code": obj.code,
        "as_of": day,
        "version": next((v for v in versions if v.is_valid_on(day)), None),
        "versions": versions,
    }


# --- Optimistic locking (core.locking) ----------------------------------------------------------


class StaleOut(ErrorOut):
    """409: the write was based on an older ``version`` than the current one; nothing changed."""

    version: str | None = Field(None, description="phiên bản hiện tại (gửi lại để ghi đè)")


def version_field() -> Any:
    """The ``version`` of a write's body: the version of the object read before the change
    (its ``version`` in a read); another one than the current → 409. Absent: no check."""
    return Field(
        None,
        description="phiên bản đối tượng khi đọc (trường `version`); đã có người sửa sau đó → 409",
    )


def stale_answer(exc: StaleError) -> dict[str, Any]:
    return {"detail": " ".join(exc.messages), "code": "stale", "version": exc.version}


# --- The generic scoped router ----------------------------------------------------------------

View = Callable[..., Any]


class Rows:
    """What a :meth:`ScopedRouter.list` function may return instead of a bare queryset: the
    rows, and ``then``, called on the page's items (e.g. to attach each member's state)."""

    def __init__(self, rows: QuerySet[Any], *, then: Callable[[list[Any]], list[Any]]):
        self.rows = rows
        self.then = then


class ScopedRouter(Router):
    """An app's API router whose routes start from the app's scope function
    (``visible_to(user)``, e.g. ``place_visible_to``): an app declares its schemas and calls its
    selectors and services; the router adds the rest.

    - :meth:`list`: the function returns the rows (an ordered queryset, or :class:`Rows`); the
      route takes ``?limit&offset`` and answers ``{"count", "items"}`` (:class:`Page`).
    - :meth:`read`: one object or anything read; :meth:`get_object` finds an object inside the
      scope (404 outside: the same answer as an unknown code).
    - :meth:`write`: the ``editor`` role (403), the audit log names the API user, a refused rule
      is 400 with the service's message and code; ``status=201`` for what creates something.
      A write based on a stale ``version`` (``core.locking``) is 409 ``{detail, code: "stale",
      version}`` with the current version.
    - :meth:`resolve`: a code given in a body or filter, inside the scope (400 otherwise).

    With ``personal_data`` (what the rows are: ``"Đảng viên"``), every list and read is
    recorded in the access log (:func:`grassroots.core.access.record_access`): one entry per
    request, with the count listed and the filter.

    Every error keeps the one shape ``{"detail", "code"}`` (:func:`install_error_handlers`)."""

    def __init__(
        self,
        *,
        visible_to: Callable[[Any], QuerySet[Any]],
        what: str,
        personal_data: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.visible_to = visible_to
        self.what = what
        self.personal_data = personal_data

    def record(self, request: HttpRequest, count: int, subject: object = "") -> None:
        """The access log entry of a read of people (nothing for other data)."""
        if self.personal_data:
            record_access(
                request, what=self.personal_data, count=count, subject=subject, action=Action.API
            )

    def visible(self, request: HttpRequest) -> QuerySet[Any]:
        return self.visible_to(request.auth)  # type: ignore[attr-defined]

    def get_object(
        self,
        request: HttpRequest,
        value: object,
        *,
        field: str = "code",
        queryset: QuerySet[Any] | None = None,
    ) -> Any:
        found = (queryset if queryset is not None else self.visible(request)).filter(
            **{field: value}
        )
        obj = found.first()
        if obj is None:
            raise NotFound(f"Không tìm thấy {self.what} mã {value}.")
        return obj

    def resolve(
        self,
        request: HttpRequest,
        code: str | None,
        *,
        queryset: QuerySet[Any] | None = None,
        what: str = "",
    ) -> Any:
        return resolve_code(
            queryset if queryset is not None else self.visible(request), code, what or self.what
        )

    def list(self, path: str, *, response: Any, **kwargs: Any) -> Callable[[View], View]:
        def decorator(func: View) -> View:
            signature = get_typed_signature(func)
            page_param = inspect.Parameter(
                "page", inspect.Parameter.KEYWORD_ONLY, annotation=Query[PageParams]
            )

            @wraps(func)
            def view(request: HttpRequest, *args: Any, page: PageParams, **params: Any) -> Any:
                found = func(request, *args, **params)
                listed = found if isinstance(found, Rows) else Rows(found, then=list)
                count, items = paginate(listed.rows, page)
                self.record(request, len(items))
                return {"count": count, "items": listed.then(items)}

            view.__signature__ = signature.replace(  # type: ignore[attr-defined]
                parameters=[*signature.parameters.values(), page_param]
            )
            self.get(path, response={200: Page[response], **READ_ERRORS}, **kwargs)(view)
            return func

        return decorator

    def read(self, path: str, *, response: Any, **kwargs: Any) -> Callable[[View], View]:
        def decorator(func: View) -> View:
            if not self.personal_data:
                return self.get(path, response={200: response, **READ_ERRORS}, **kwargs)(func)

            @wraps(func)
            def view(request: HttpRequest, *args: Any, **params: Any) -> Any:
                result = func(request, *args, **params)
                self.record(request, 1, params.get("code", ""))
                return result

            view.__signature__ = get_typed_signature(func)  # type: ignore[attr-defined]
            self.get(path, response={200: response, **READ_ERRORS}, **kwargs)(view)
            return func

        return decorator

    def write(
        self, path: str, *, response: Any, method: str = "POST", status: int = 200, **kwargs: Any
    ) -> Callable[[View], View]:
        def decorator(func: View) -> View:
            @wraps(func)
            def view(request: HttpRequest, *args: Any, **params: Any) -> Any:
                try:
                    result = func(request, *args, **params)
                except StaleError as exc:
                    return Status(409, stale_answer(exc))
                return created(result) if status == 201 else result

            responses = {status: response, **WRITE_ERRORS, 409: StaleOut}
            self.api_operation([method], path, response=responses, **kwargs)(editor_required(view))
            return func

        return decorator
