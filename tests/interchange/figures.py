"""DOMAIN.md's figures by direct queries, to compare a database before and after a round trip
(counts only, so they compare across databases whose ids differ)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from grassroots.core.temporal import valid_on
from grassroots.members.models import EventKind, MemberEvent, MembershipSpan
from grassroots.organizations.models import (
    CELL_KINDS,
    PLACE_COVERING_KINDS,
    Organization,
    OrganizationClosure,
    OrganizationVersion,
)
from grassroots.organizations.selectors import area_place_ids, subtree_ids
from grassroots.places.models import PlaceVersion

PLACE_KINDS = ("village", "residential_group", "school", "health_station")


def coverage(code: str, day: date) -> dict:
    org = Organization.objects.get(code=code)
    subtree = list(subtree_ids(organization=org, day=day))
    spans = MembershipSpan.objects.filter(valid_on(day))
    in_subtree = spans.filter(organization_id__in=subtree)
    places = {}
    area = list(area_place_ids(organization=org, day=day))
    for kind in PLACE_KINDS:
        ids = set(
            PlaceVersion.objects.filter(valid_on(day), kind=kind, place_id__in=area).values_list(
                "place_id", flat=True
            )
        )
        covered = set(
            OrganizationVersion.objects.filter(
                valid_on(day), kind__in=PLACE_COVERING_KINDS, place_id__in=ids
            ).values_list("place_id", flat=True)
        )
        people = Counter(spans.filter(place_id__in=ids).values_list("place_id", flat=True))
        official = Counter(
            spans.filter(place_id__in=ids, status="official").values_list("place_id", flat=True)
        )
        places[kind] = {
            "total": len(ids),
            "without_cell": len(ids - covered),
            "without_members": len(ids - set(people)),
            "below_three_official": sum(1 for p in ids if official[p] < 3),
        }
    return {
        "members": {
            "official": in_subtree.filter(status="official").count(),
            "probationary": in_subtree.filter(status="probationary").count(),
            "exempted": in_subtree.filter(exempted=True).count(),
        },
        "cells": OrganizationVersion.objects.filter(
            valid_on(day), organization_id__in=subtree, kind__in=CELL_KINDS
        ).count(),
        "places": places,
    }


def admissions(code: str, start: date, end: date) -> dict:
    org = Organization.objects.get(code=code)
    by_year = dict.fromkeys(range(start.year, end.year + 1), 0)
    events = (
        MemberEvent.objects.filter(
            kind=EventKind.ADMITTED, date__range=(start, end), superseded_by__isnull=True
        )
        .exclude(organization=None)
        .values_list("date", "organization_id")
    )
    for day, organization_id in events:
        if OrganizationClosure.objects.filter(
            valid_on(day), ancestor=org, descendant_id=organization_id
        ).exists():
            by_year[day.year] += 1
    return {"admitted": sum(by_year.values()), "by_year": by_year}
