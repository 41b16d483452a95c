"""Reads of organisations: subtree and area at a date, and the user's scope."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from grassroots.core.temporal import valid_on
from grassroots.organizations.models import Organization, OrganizationClosure, OrganizationVersion
from grassroots.places.models import PlaceClosure


def subtree_ids(*, organization: Organization | int, day: date) -> QuerySet:
    """Subtree(O, D): O and every organisation whose chain of parents on D reaches O — one
    indexed query on the closure table."""
    pk = getattr(organization, "pk", organization)
    return OrganizationClosure.objects.filter(valid_on(day), ancestor_id=pk).values_list(
        "descendant_id", flat=True
    )


def area_place_ids(*, organization: Organization | int, day: date) -> QuerySet:
    """Area(O, D): the place attached to O's version on D and every place inside it on D."""
    pk = getattr(organization, "pk", organization)
    attached = OrganizationVersion.objects.filter(valid_on(day), organization_id=pk).values(
        "place_id"
    )
    return PlaceClosure.objects.filter(valid_on(day), ancestor_id__in=attached).values_list(
        "descendant_id", flat=True
    )


def scope_organization_ids(user) -> QuerySet | None:
    """Organisations ever inside the user's scope; None means everything (superuser, no scope)."""
    if user.is_superuser and user.scope_id is None:
        return None
    if user.scope_id is None:
        return Organization.objects.none().values_list("pk", flat=True)
    return OrganizationClosure.objects.filter(ancestor_id=user.scope_id).values_list(
        "descendant_id", flat=True
    )


def scope_places(user) -> QuerySet:
    """Places ever inside the area of the user's scope, plus places any organisation of the scope
    was ever attached to; every place when the user sees everything."""
    from django.db.models import Q

    from grassroots.places.models import Place

    orgs = scope_organization_ids(user)
    if orgs is None:
        return Place.objects.all()
    attached = OrganizationVersion.objects.filter(organization_id__in=orgs).values("place_id")
    scope_places = OrganizationVersion.objects.filter(organization_id=user.scope_id).values(
        "place_id"
    )
    inside = PlaceClosure.objects.filter(ancestor_id__in=scope_places).values("descendant_id")
    return Place.objects.filter(Q(pk__in=attached) | Q(pk__in=inside))


def organization_visible_to(user) -> QuerySet:
    """The one scope method for organisations: every list, detail, form and API call uses it."""
    ids = scope_organization_ids(user)
    qs = Organization.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def organization_versions_on(*, day: date) -> QuerySet:
    return OrganizationVersion.objects.valid_on(day).select_related(
        "organization", "place", "parent"
    )
