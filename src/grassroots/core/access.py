"""Reads of personal data leave a trace: who read or exported which members, one entry per
request (with the count and the filter that chose them, never one per person), shown to
administrators on the accesses page (``accounts:accesses``).

The generic pages record it themselves (``ListPage``/``DetailPage`` with ``personal_data``), so
do the API routes of a ``ScopedRouter(personal_data=…)``, the drill-down's download
(``export_list(..., personal_data=…)``) and the interchange export (page and command). A
command run without ``--user`` is recorded under the operating-system user and host.

A response to a request that read personal data, and every download, is never stored by a
browser or a proxy: :class:`NoStoreMiddleware` marks it ``Cache-Control: no-store``.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.utils.cache import patch_cache_control

from grassroots.core.models import AccessLog

Action = AccessLog.Action

#: Query parameters that do not choose people (the page number, the output format).
_NOT_FILTERS = frozenset({"page", "format", "limit", "offset"})


def os_user() -> str:
    """``user@host`` of the operating system (a command run without ``--user``)."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in this environment
        name = "?"
    return f"{name}@{socket.gethostname()}"


def describe_filter(query: Mapping[str, Any] | QueryDict | None) -> str:
    """The filter of a request as ``name=value`` pairs, without paging and format."""
    if not query:
        return ""
    pairs: list[tuple[str, Any]]
    if isinstance(query, QueryDict):
        pairs = [(k, v) for k, values in query.lists() for v in values]
    else:
        pairs = [(str(k), v) for k, v in query.items()]
    return "&".join(f"{k}={v}" for k, v in pairs if k not in _NOT_FILTERS and v not in ("", None))[
        :2000
    ]


def _request_user(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record_access(
    request: HttpRequest | None,
    *,
    what: str,
    count: int,
    action: str = Action.VIEW,
    subject: object = "",
    filter: str | Mapping[str, Any] | None = None,
    user: Any = None,
) -> AccessLog:
    """One entry: ``user`` (else the request's; else the operating-system user) read ``count``
    people of ``what`` (``subject``: the member's or organisation's code) chosen by ``filter``
    (else the request's query string). Marks the request so its response is not cached."""
    if user is None and request is not None:
        user = _request_user(request)
    if filter is None and request is not None:
        filter = request.GET
    text = filter if isinstance(filter, str) else describe_filter(filter)
    if request is not None:
        request.personal_data = True  # type: ignore[attr-defined]
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user is not None else os_user(),
        action=action,
        what=what[:200],
        subject=str(subject)[:200],
        count=max(0, count),
        filter=text,
        path=request.get_full_path()[:500] if request is not None else "",
    )


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on a response that showed personal data (the request was
    recorded by :func:`record_access`) and on every download (an attachment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if getattr(request, "personal_data", False) or download:
            patch_cache_control(response, no_store=True)
        return response
