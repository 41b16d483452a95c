"""Reads of places that matter: the tree and the subtree at a date, scope-aware."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from grassroots.core.temporal import valid_on
from grassroots.places.models import Place, PlaceClosure, PlaceVersion  # noqa: F401


def place_subtree_ids(*, place_ids, day: date) -> QuerySet:
    """Ids of the places that lie in any of ``place_ids`` (themselves included) on ``day``:
    one indexed query on the closure table."""
    return (
        PlaceClosure.objects.filter(valid_on(day), ancestor_id__in=place_ids)
        .values_list("descendant_id", flat=True)
        .distinct()
    )


def place_versions_on(*, day: date) -> QuerySet:
    return PlaceVersion.objects.valid_on(day).select_related("place", "parent")


def place_children_on(*, place: Place | None, day: date) -> QuerySet:
    qs = place_versions_on(day=day)
    return qs.filter(parent=place) if place else qs.filter(parent__isnull=True)


def place_visible_to(user) -> QuerySet:
    """The one scope method for places: the area (ever) of the user's scope organisation."""
    from grassroots.organizations.selectors import scope_places

    return scope_places(user)
