"""Reads of organisations: subtree and area at a date, and the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet, Subquery

from grassroots.core import scope
from grassroots.core.errors import NotFound
from grassroots.core.temporal import valid_on
from grassroots.core.trees import (
    latest_name,
    lineage,
    name_on,
    tree_levels,
    with_has_children,
)
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationLineage,
    OrganizationVersion,
)
from grassroots.places.models import Place, PlaceClosure
from grassroots.places.selectors import place_name_on, place_visible_to


def ever_in_subtree_ids(organization: Organization | int) -> QuerySet:
    """O and every organisation that was below O on some day (the closure, whatever the
    date)."""
    pk = organization if isinstance(organization, int) else organization.pk
    return OrganizationClosure.objects.filter(ancestor_id=pk).values_list(
        "descendant_id", flat=True
    )


def subtree_ids(*, organization: Organization | int, day: date) -> QuerySet:
    """Subtree(O, D): O and every organisation whose chain of parents on D reaches O — one
    indexed query on the closure table."""
    pk = organization if isinstance(organization, int) else organization.pk
    return OrganizationClosure.objects.filter(valid_on(day), ancestor_id=pk).values_list(
        "descendant_id", flat=True
    )


def area_place_ids(
    *, organization: Organization | int | None = None, day: date, place: int | None = None
) -> QuerySet:
    """Area(O, D): the place attached to O's version on D and every place inside it on D.
    Given that ``place`` (:func:`attached_place_id`) instead of O, the database sees which
    place it is when it plans the query — and so how large the area is: the country's is
    read by hashing, a commune's by index look-ups."""
    if place is None:
        if organization is None:
            raise TypeError("area_place_ids: an organisation or the place attached to it")
        return PlaceClosure.objects.filter(
            valid_on(day), ancestor_id__in=_attached(organization, day)
        ).values_list("descendant_id", flat=True)
    return PlaceClosure.objects.filter(valid_on(day), ancestor_id=place).values_list(
        "descendant_id", flat=True
    )


def _attached(organization: Organization | int, day: date) -> QuerySet:
    pk = organization if isinstance(organization, int) else organization.pk
    return OrganizationVersion.objects.filter(valid_on(day), organization_id=pk).values_list(
        "place_id", flat=True
    )


def attached_place_id(organization: Organization | int, day: date) -> int | None:
    """The place attached to the organisation's version valid on ``day`` (None: none then)."""
    return _attached(organization, day).first()


def scope_organization_ids(user, action: str = scope.VIEW) -> QuerySet | None:
    """Ids of the organisations the user may read (``action``), by the scope primitive
    (``core.scope``); None means everything (superuser without scope)."""
    if scope.sees_all(user):
        return None
    return Organization.objects.visible_to(user, action).values_list("pk", flat=True)


def scope_places(user) -> QuerySet:
    """Thin wrapper kept for callers: :func:`grassroots.places.selectors.place_visible_to`."""
    return place_visible_to(user)


def organization_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Organisations the user may read (or ``action="change"``): ``Organization.objects
    .visible_to`` (``core.scope``)."""
    return Organization.objects.visible_to(user, action, on)


def organization_versions_on(*, day: date) -> QuerySet:
    return OrganizationVersion.objects.valid_on(day).select_related(
        "organization", "place", "parent"
    )


# --- Pages: the tree, an organisation's history, what a restructure will do --------------------


def _with_has_children(versions: QuerySet, day: date) -> QuerySet:
    return with_has_children(versions, day, "organization_id")


def organization_tree_roots(*, user, day: date) -> QuerySet:
    """The top of the user's organisation tree on ``day``: the scope organisation, or the
    organisations without a parent for a user who sees everything."""
    versions = organization_versions_on(day=day)
    if scope.sees_all(user):
        versions = versions.filter(parent__isnull=True)
    else:
        versions = versions.filter(organization_id=user.scope_id)
    return _with_has_children(versions, day)


def organization_tree_children(*, parent_ids, day: date) -> QuerySet:
    """Versions on ``day`` of the organisations directly under ``parent_ids``. Callers pass
    visible parents only: whatever is under a visible organisation on a day is visible too."""
    return _with_has_children(
        organization_versions_on(day=day).filter(parent_id__in=parent_ids), day
    )


def organization_tree(*, user, day: date) -> list[OrganizationVersion]:
    """The top levels of the user's organisation tree on ``day`` (see ``tree_levels``)."""
    return tree_levels(
        list(organization_tree_roots(user=user, day=day)),
        lambda ids: organization_tree_children(parent_ids=ids, day=day),
        key="organization_id",
    )


def organization_name_on(field: str, day_field: str) -> Subquery:
    """Annotation: the name of the organisation in ``field`` on the date in ``day_field``."""
    return name_on(OrganizationVersion, "organization_id", field, day_field)


def organization_latest_name(field: str) -> Subquery:
    """Annotation: the latest name of the organisation in ``field`` of the outer row."""
    return latest_name(OrganizationVersion, "organization_id", field)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an organisation's timeline: a version that began, or a lineage change."""

    day: date
    version: OrganizationVersion | None = None
    lineage: OrganizationLineage | None = None
    incoming: bool = False


def organization_history(*, organization: Organization) -> list[HistoryEntry]:
    """The timeline of ``organization``, oldest first: its versions (with ``parent_name`` and
    ``place_name`` as they were when the version began) and the merges and splits it took part
    in (with ``other_code``/``other_name`` of the organisation on the other side)."""
    versions = (
        organization.versions.select_related("parent", "place")
        .annotate(
            parent_name=organization_name_on("parent_id", "valid_from"),
            place_name=place_name_on("place_id", "valid_from"),
        )
        .order_by("valid_from")
    )
    incoming, outgoing = lineage(organization, OrganizationVersion, "organization")
    entries = [HistoryEntry(day=v.valid_from, version=v) for v in versions]
    entries += [HistoryEntry(day=row.date, lineage=row, incoming=True) for row in incoming]
    entries += [HistoryEntry(day=row.date, lineage=row) for row in outgoing]
    # Lineage first on a day: "merged into X" reads before the version that begins with it.
    return sorted(entries, key=lambda e: (e.day, e.version is not None))


def organizations_attached_on(*, user, place: Place, day: date) -> QuerySet:
    """Versions on ``day`` of the visible organisations attached to ``place``."""
    return (
        organization_versions_on(day=day)
        .filter(place=place, organization__in=organization_visible_to(user))
        .order_by("name_folded", "name")
    )


def organization_by_code(
    code: Organization | str, *, user=None, on: date | None = None
) -> Organization:
    """The organisation with ``code`` (or the organisation given), among those the user may see
    — on ``on`` when given: a figure of O on D is the user's only while O is in their scope on D
    (``core.scope``); no user: the whole database, as on the command line. :class:`NotFound`
    when it is unknown or outside the scope — the two are worded the same."""
    code = getattr(code, "code", code)
    queryset = organization_visible_to(user, on=on)
    found = queryset.filter(code=code).first() if code else None
    if found is None:
        raise NotFound(f"Không tìm thấy tổ chức đảng có mã {code}.", code="unknown_organization")
    return found
