"""Permission helpers for views: reading needs a login, writing the ``editor`` role; objects
outside the user's scope answer 404 (never 403, so nothing leaks about them)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from grassroots.core import roles


def role_required(role: str):
    """Login, then the role (or admin); 403 otherwise."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(role):
                raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


editor_required = role_required(roles.EDITOR)


def visible_or_404(queryset, **lookup):
    """``get_object_or_404`` over a queryset already restricted by ``*_visible_to(user)``."""
    return get_object_or_404(queryset, **lookup)
