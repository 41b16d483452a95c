"""How the API knows who calls: a personal token or the browser's session.

The root API (``grassroots/api.py``) passes :data:`AUTH` to the ``NinjaAPI``; every router
inherits it. ``core`` knows nothing of tokens (it imports no domain app).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.templatetags.lockout import vn_duration

# last_used_at is a hint for revoking stale tokens; writing it on every request is not worth it.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class AccountLocked(Exception):
    """The token's user is locked out by failed logins (django-axes): the API answers 403 with
    :attr:`message` (``grassroots/api.py``)."""

    code = "account_locked"

    def __init__(self) -> None:
        cool_off = get_cool_off()
        wait = f" Thử lại sau {vn_duration(cool_off)}." if cool_off else ""
        self.message = (
            "Tài khoản đang bị tạm khóa vì nhập sai mật khẩu quá nhiều lần; mã truy cập API "
            f"cũng bị khóa.{wait}"
        )
        super().__init__(self.message)


def is_locked_out(user: User) -> bool:
    """Whether failed logins locked ``user`` out (from any address, within the cool-off): the
    lock django-axes puts on the login applies to the user's API tokens too."""
    limit = settings.AXES_FAILURE_LIMIT
    if not isinstance(limit, int):
        return False
    attempts = AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=limit
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    locked: bool = attempts.exists()
    return locked


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal token (see ``grassroots createtoken``);
    refused (:class:`AccountLocked`) while its user is locked out by failed logins."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key_hash = ApiToken.hash_key(token)
        found = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if found is None or not found.user.is_active:
            return None
        if is_locked_out(found.user):
            raise AccountLocked
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOKEN_TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class SessionAuth(NinjaSessionAuth):
    """The browser's Django session, CSRF-checked for unsafe methods. Only consulted when someone
    is logged in, so a request with neither session nor token answers 401, not a CSRF 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


#: Token first, then the session: the authentication of every API route.
AUTH = [TokenAuth(), SessionAuth()]


def docs_login_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The OpenAPI document and the docs page need a login (the session or a token): without
    one the document answers 401 (``{detail, code}``) and the docs page sends to the login."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user if request.user.is_authenticated else None
        header = request.headers.get("Authorization", "")
        if user is None and header[:7].lower() == "bearer ":
            try:
                user = TokenAuth().authenticate(request, header[7:].strip())
            except AccountLocked as exc:
                return JsonResponse({"detail": exc.message, "code": exc.code}, status=403)
        if user is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(
                {
                    "detail": "Chưa đăng nhập hoặc mã truy cập không hợp lệ.",
                    "code": "not_authenticated",
                },
                status=401,
            )
        return redirect_to_login(request.get_full_path())

    return wrapped
