"""How the API knows who calls: a personal token or the browser's session.

The root API (``grassroots/api.py``) passes :data:`AUTH` to the ``NinjaAPI``; every router
inherits it. ``core`` knows nothing of tokens (it imports no domain app).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from grassroots.accounts.models import ApiToken

# last_used_at is a hint for revoking stale tokens; writing it on every request is not worth it.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a personal token (see ``grassroots createtoken``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key_hash = ApiToken.hash_key(token)
        found = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
        if found is None or not found.user.is_active:
            return None
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
