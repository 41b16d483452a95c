"""One paginator for every list page."""

from collections.abc import Hashable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from grassroots.core import dataversion

PER_PAGE = 50


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any] | Sequence[Any],
    per_page: int = PER_PAGE,
    *,
    cache_key: tuple[Hashable, ...] | None = None,
    objects: bool = True,
) -> Page[Any]:
    """The requested page (``?page=N``; out-of-range numbers give the last page).

    With ``cache_key`` (everything the list depends on besides the data: user, date,
    filters), the count and the page's primary keys are cached under the data version
    (:mod:`grassroots.core.dataversion`) and the page's objects are read by primary key: a
    large list costs its ``COUNT`` and its sort once per change of the data, not per request.
    The objects are then plain rows of the model (annotations are not kept); with
    ``objects=False`` the page holds the primary keys only (the caller reads them when it
    needs them, see ``core.generic.ListPage``)."""
    paginator = Paginator(queryset, per_page)
    if cache_key is None:
        return paginator.get_page(request.GET.get("page"))
    if not isinstance(queryset, QuerySet):
        raise TypeError("a cached page is read by primary key: it needs a queryset")
    paginator.count = dataversion.cached("list-count", *cache_key, compute=lambda: paginator.count)
    page = paginator.get_page(request.GET.get("page"))
    object_list = page.object_list
    assert isinstance(object_list, QuerySet)  # a slice of ``queryset``
    ids = dataversion.cached(
        "list-page",
        *cache_key,
        page.number,
        per_page,
        compute=lambda: list(object_list.values_list("pk", flat=True)),
    )
    if not objects:
        page.object_list = ids
        return page
    by_id = queryset.model._default_manager.in_bulk(ids)
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page
