"""Reads of places that matter: the tree and the subtree at a date, scope-aware."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet, Subquery

from grassroots.core import scope
from grassroots.core.temporal import valid_on
from grassroots.core.trees import (
    latest_name,
    lineage,
    name_on,
    tree_levels,
    with_has_children,
)
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


def place_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Places the user may read (or ``action="change"``): ``Place.objects.visible_to``
    (``core.scope``): the area of the scope organisation and the places its organisations
    are attached to, for the days they were."""
    return Place.objects.visible_to(user, action, on)


# --- Pages: the tree, loaded top-down, and a place's history ----------------------------------


def _with_has_children(versions: QuerySet, day: date) -> QuerySet:
    return with_has_children(versions, day, "place_id")


def place_tree_roots(*, user, day: date) -> QuerySet:
    """The top of the user's place tree on ``day``: the area of the scope organisation, or the
    places without a parent for a user who sees everything."""
    versions = place_versions_on(day=day)
    if scope.sees_all(user):
        versions = versions.filter(parent__isnull=True)
    else:
        # the places of the scope on ``day`` that do not lie in another of them
        inside = place_visible_to(user, on=day)
        versions = versions.filter(place__in=inside).exclude(parent__in=inside)
    return _with_has_children(versions, day)


def place_tree_children(*, user, parent_ids, day: date) -> QuerySet:
    """Versions on ``day`` of the visible places directly inside ``parent_ids``."""
    versions = place_versions_on(day=day).filter(
        parent_id__in=parent_ids, place__in=place_visible_to(user)
    )
    return _with_has_children(versions, day)


def place_tree(*, user, day: date) -> list[PlaceVersion]:
    """The top levels of the user's place tree on ``day`` (see :func:`tree_levels`)."""
    return tree_levels(
        list(place_tree_roots(user=user, day=day)),
        lambda ids: place_tree_children(user=user, parent_ids=ids, day=day),
        key="place_id",
    )


def place_name_on(field: str, day_field: str) -> Subquery:
    """Annotation: the name of the place in ``field`` on the date in ``day_field``."""
    return name_on(PlaceVersion, "place_id", field, day_field)


def place_latest_name(field: str) -> Subquery:
    """Annotation: the latest name of the place in ``field`` of the outer row."""
    return latest_name(PlaceVersion, "place_id", field)


def place_history(*, place: Place) -> QuerySet:
    """Every version of ``place``, oldest first, each with ``parent_name`` (the parent's name
    when the version began)."""
    return (
        place.versions.select_related("parent")
        .annotate(parent_name=place_name_on("parent_id", "valid_from"))
        .order_by("valid_from")
    )


def place_lineage(*, place: Place) -> tuple[QuerySet, QuerySet]:
    """Where ``place``'s territory came from and went to: ``(incoming, outgoing)`` lineage rows,
    each with ``other_code`` and ``other_name`` (the other place's latest name)."""
    return lineage(place, PlaceVersion, "place")
