"""Template context every page gets: the "as of" date, the user's scope and the menu."""

from typing import Any

from django.http import HttpRequest

from grassroots.core.registry import menu_for


def grassroots(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = getattr(user, "scope", None) if user and user.is_authenticated else None
    return {
        "as_of": getattr(request, "as_of", None),
        "as_of_is_today": getattr(request, "as_of_is_today", True),
        "user_scope": scope,
        # Built only when a template shows it (the menu of the app registry, per role).
        "menu": lambda: menu_for(request),
    }
