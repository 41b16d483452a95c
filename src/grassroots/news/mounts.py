"""Wagtail's URL trees, as the news module mounts them (``apps.py``, ``mounts``): its admin at
/cms/ and its page serving at /tin-tuc/. Built once, at import.

The admin's pages carry inline scripts and styles (its date pickers, its rich-text editor), so
its responses get their own Content-Security-Policy allowing them; every other page keeps the
project's strict one (``core.middleware``). The public pages are Wagtail's serving view alone."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

ADMIN_CONTENT_SECURITY_POLICY = (
    settings.CONTENT_SECURITY_POLICY.replace(
        "script-src 'self'", "script-src 'self' 'unsafe-inline'"
    )
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("img-src 'self' data:", "img-src 'self' data: blob:")
)


def admin_policy(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = ADMIN_CONTENT_SECURITY_POLICY
        return response

    return wrapped


ADMIN_URLS = decorate_urlpatterns(list(wagtailadmin_urls.urlpatterns), admin_policy)
#: Only the serving view: Wagtail's front-end login and page passwords (for private pages, which
#: the news site does not have) would be a second login form beside the project's.
PAGE_URLS = [p for p in wagtail_urls.urlpatterns if getattr(p, "name", "") == "wagtail_serve"]
