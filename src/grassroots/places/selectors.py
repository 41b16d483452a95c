"""Reads of places that matter: the tree and the subtree at a date, scope-aware."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from grassroots.core import scope
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


def place_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Places the user may read (or ``action="change"``): ``Place.objects.visible_to``
    (``core.scope``): the area of the scope organisation and the places its organisations
    are attached to, for the days they were."""
    return Place.objects.visible_to(user, action, on)


# --- Pages: the tree, loaded top-down, and a place's history ----------------------------------

#: How many nodes a tree page renders at once; deeper levels are loaded on demand (htmx).
TREE_EAGER_NODES = 200


def tree_levels(roots: list, children_of: Callable[[list[int]], QuerySet], key: str) -> list:
    """Load the top of a tree for a page: ``roots`` and then, level by level, their children
    while the page stays under :data:`TREE_EAGER_NODES` nodes.

    ``roots`` and the rows of ``children_of(parent ids)`` are versions annotated with
    ``has_children``; ``key`` names the node id on a version (``place_id``). Each version gets
    ``children``, the versions loaded below it: empty when they are left for the page to load
    on demand (it offers that when ``has_children``)."""
    for version in roots:
        version.children = []
    total, level = len(roots), roots
    while level:
        parents = [v for v in level if v.has_children]
        if not parents:
            break
        room = TREE_EAGER_NODES - total
        children = list(children_of([getattr(v, key) for v in parents])[: room + 1])
        if len(children) > room:
            break
        by_parent = defaultdict(list)
        for child in children:
            child.children = []
            by_parent[child.parent_id].append(child)
        for version in parents:
            version.children = by_parent[getattr(version, key)]
        total, level = total + len(children), children
    return roots


def _with_has_children(versions: QuerySet, day: date) -> QuerySet:
    below = PlaceVersion.objects.filter(valid_on(day), parent_id=OuterRef("place_id"))
    return versions.annotate(has_children=Exists(below)).order_by("name_folded", "name")


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
    """Annotation: the name of the place in ``field`` on the date in ``day_field`` (both names
    of the outer row), e.g. a version's parent when the version began."""
    names = PlaceVersion.objects.filter(valid_on(OuterRef(day_field)), place_id=OuterRef(field))
    return Subquery(names.values("name")[:1])


def place_latest_name(field: str) -> Subquery:
    """Annotation: the latest name of the place in ``field`` of the outer row."""
    names = PlaceVersion.objects.filter(place_id=OuterRef(field)).order_by("-valid_from")
    return Subquery(names.values("name")[:1])


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
    incoming = place.lineage_in.exclude(from_place=place).annotate(
        other_code=F("from_place__code"), other_name=place_latest_name("from_place_id")
    )
    outgoing = place.lineage_out.exclude(to_place=place).annotate(
        other_code=F("to_place__code"), other_name=place_latest_name("to_place_id")
    )
    return incoming, outgoing
