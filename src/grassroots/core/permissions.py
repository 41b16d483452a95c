"""Permission helpers for views: reading needs a login, writing the ``editor`` role; objects
outside the user's scope answer 404 (never 403, so nothing leaks about them)."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from grassroots.core import roles

View = Callable[..., HttpResponseBase]
_M = TypeVar("_M", bound=Model)


def role_required(role: str) -> Callable[[View], View]:
    """Login, then the role (or admin); 403 otherwise."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            # login_required let only a signed-in user through.
            if not (request.user.is_authenticated and request.user.has_role(role)):
                raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = role_required(roles.EDITOR)


def visible_or_404(queryset: QuerySet[_M], **lookup: Any) -> _M:
    """``get_object_or_404`` over a queryset already restricted by ``*_visible_to(user)``."""
    return get_object_or_404(queryset, **lookup)
