"""Core pages: the home page and the header's "as of" selector."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from grassroots.core.middleware import AS_OF_SESSION_KEY
from grassroots.core.temporal import MAX_YEAR, MIN_YEAR, parse_date


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from grassroots.core.registry import render_panels

    context = {"now_local": timezone.localtime(), **render_panels("home", request, request.user)}
    return render(request, "core/home.html", context)


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def set_as_of(request: HttpRequest) -> HttpResponseRedirectBase:
    """Remember the chosen "as of" date in the session (or forget it: back to today). A date
    that is not one, or outside the sane years, is refused with a message and changes nothing."""
    raw = (request.POST.get("as_of") or "").strip()
    chosen = parse_date(raw)
    if request.POST.get("reset") or not raw:
        request.session.pop(AS_OF_SESSION_KEY, None)
    elif chosen is None:
        messages.error(
            request,
            f"Ngày xem không hợp lệ: “{raw}” (dạng dd/mm/yyyy, năm {MIN_YEAR}–{MAX_YEAR}).",
        )
    else:
        request.session[AS_OF_SESSION_KEY] = chosen.isoformat()
    # Drop an ``as_of`` query parameter from the return address: the session now decides.
    target = _safe_next(request)
    if "as_of=" in target:
        parts = urlsplit(target)
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "as_of"])
        target = urlunsplit(parts._replace(query=query))
    return redirect(target)


def favicon(request: HttpRequest) -> HttpResponseRedirectBase:
    return redirect(static("core/favicon.svg"), permanent=True)
