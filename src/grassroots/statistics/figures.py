"""One function per figure of DOMAIN.md ("Figures — exact definitions"), named after it.

Every figure is a few aggregate queries over the derived tables (membership spans, closure tables
with validity), whatever the size of the registry. Pages, the API and the ``report`` command all
call these functions; the record sets they count live in :mod:`grassroots.statistics.selectors`
(the drill-down lists the same sets).

``organization`` is an :class:`Organization` or its code. With a ``user``, an organisation
outside the user's scope raises :class:`django.http.Http404`; without one (the command line) the
whole database is visible.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from grassroots.core.prepared import Prepared, aggregating
from grassroots.members.models import LeftReason
from grassroots.organizations.models import Organization
from grassroots.statistics import selectors
from grassroots.statistics.selectors import resolve_organization


def _members_by_status(organization, day) -> QuerySet:
    return aggregating(
        selectors.member_spans_on(organization=organization, day=day),
        **{
            name: Count("member_id", distinct=True, filter=q)
            for name, q in selectors.STATUS_CONDITIONS.items()
        },
    )


def _cells(organization, day) -> QuerySet:
    return aggregating(
        selectors.cell_versions_on(organization=organization, day=day), cells=Count("pk")
    )


def _places_by_kind(organization, day) -> QuerySet:
    return (
        selectors.area_place_versions_on(organization=organization, day=day)
        .order_by()
        .values("kind")
        .annotate(
            **{
                name: Count("pk", filter=condition)
                for name, condition in selectors.PLACE_CONDITIONS.items()
            }
        )
    )


#: Building these querysets costs more than running them for a small subtree: they are
#: compiled once and run with each organisation and date (:mod:`grassroots.core.prepared`).
ON_DAY = {"organization": int, "day": date}
_MEMBERS_BY_STATUS = Prepared(_members_by_status, **ON_DAY)
_CELLS = Prepared(_cells, **ON_DAY)
_PLACES_BY_KIND = Prepared(_places_by_kind, **ON_DAY)
#: The three as one statement, for the coverage report.
_COVERAGE = Prepared(
    lambda organization, day: (
        _members_by_status(organization, day),
        _cells(organization, day),
        _places_by_kind(organization, day),
    ),
    **ON_DAY,
)


def members_by_status(*, organization: Organization, day: date) -> dict[str, int]:
    """``members.official``, ``members.probationary``: members with that status on D whose
    organisation on D is in Subtree(O, D). ``members.exempted``: members of either status in
    Subtree(O, D) who are exempted on D."""
    return _MEMBERS_BY_STATUS.one(organization=organization, day=day)


def cells(*, organization: Organization, day: date) -> int:
    """``cells``: organisations of kind ``cell`` or ``grassroots_cell`` valid on D in
    Subtree(O, D)."""
    return _CELLS.one(organization=organization, day=day)["cells"]


def places_by_kind(*, organization: Organization, day: date) -> dict[str, dict[str, int]]:
    """For each kind (village, residential group, school, health station):

    - ``total``: places of that kind valid on D in Area(O, D) — the place attached to O's
      version valid on D and every place whose chain of parents on D reaches it;
    - ``without_cell``: of those, places to which no organisation of kind ``cell``,
      ``grassroots_cell`` or ``grassroots_committee`` valid on D is attached (anywhere in the
      tree);
    - ``without_members``: places that no member (probationary or official) has as their place
      on D;
    - ``below_three_official``: places with fewer than 3 official members on D.
    """
    return _by_kind(_PLACES_BY_KIND.rows(organization=organization, day=day))


def _by_kind(rows: list[dict]) -> dict[str, dict[str, int]]:
    by_kind = {row["kind"]: row for row in rows if row["kind"] is not None}
    return {
        kind: {name: by_kind.get(kind, {}).get(name, 0) for name in selectors.PLACE_CONDITIONS}
        for kind in selectors.COVERAGE_PLACE_KINDS
    }


_ADMISSIONS_BY_YEAR = Prepared(
    lambda organization, start, end: (
        selectors.admitted_events(organization=organization, start=start, end=end)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
    ),
    organization=int,
    start=date,
    end=date,
)


def admissions_by_year(*, organization: Organization, start: date, end: date) -> dict[str, int]:
    """``admissions(O, D1, D2)`` per year: effective ``admitted`` events (not superseded by a
    correction or a cancellation) dated D1..D2 inclusive whose organisation is in
    Subtree(O, event date). Every year from D1's to D2's is present, zeros included."""
    rows = _ADMISSIONS_BY_YEAR.rows(organization=organization, start=start, end=end)
    counted = {int(row["year"]): row["n"] for row in rows}
    return {str(year): counted.get(year, 0) for year in range(start.year, end.year + 1)}


def members_by_profile(*, organization: Organization, day: date, dimension: str) -> dict[str, int]:
    """Members (probationary or official) on D in Subtree(O, D), counted by a profile field:
    ``gender``, ``ethnicity`` or ``education`` (blank: not recorded). Largest groups first."""
    field = f"member__{selectors.PROFILE_BREAKDOWNS[dimension]}"
    rows = (
        selectors.member_spans_on(organization=organization, day=day)
        .order_by()
        .values(field)
        .annotate(n=Count("member_id", distinct=True))
        .order_by("-n", field)
        .values_list(field, "n")
    )
    return dict(rows)


def members_by_age_band(*, organization: Organization, day: date) -> dict[str, int]:
    """Members on D in Subtree(O, D) by age in full years on D: under 30, 30–45, 46–60, over
    60."""
    conditions = selectors.age_band_conditions(day)
    return selectors.member_spans_on(organization=organization, day=day).aggregate(
        **{key: Count("member_id", distinct=True, filter=q) for key, q in conditions.items()}
    )


def members_by_party_age_band(*, organization: Organization, day: date) -> dict[str, int]:
    """Members on D in Subtree(O, D) by party age on D in full years (the time since admission
    minus gaps in membership): under 10, 10–19, 20–29, 30 and more."""
    conditions = selectors.party_age_band_conditions(day)
    return selectors.member_spans_on(organization=organization, day=day).aggregate(
        **{key: Count("member_id", distinct=True, filter=q) for key, q in conditions.items()}
    )


def movements(*, organization: Organization, start: date, end: date) -> dict:
    """Member movements over D1..D2 (inclusive), from effective events dated in the period,
    each judged against Subtree(O, event date):

    - ``admitted``: as :func:`admissions`; ``joined``: arrivals from outside the dataset into an
      organisation of the subtree;
    - ``confirmed``: confirmations of members whose organisation is in the subtree;
    - ``moved_in`` / ``moved_out``: internal moves from outside the subtree into it / out of it;
    - ``left``: departures from the subtree, by reason (transferred out, died, removed…).
    """
    conditions = selectors.movement_conditions()
    events = selectors.movement_events_annotated(organization=organization, start=start, end=end)
    counted = events.aggregate(
        **{name.replace(".", "__"): Count("pk", filter=q) for name, q in conditions.items()}
    )
    result = {name: counted[name] for name in selectors.MOVEMENTS}
    result["left"] = {reason: counted[f"left__{reason}"] for reason in LeftReason.values}
    return result


# --- The report objects (INTERCHANGE.md, "Figures on the command line") -----------------------


def coverage(*, organization: Organization | str, day: date, user=None) -> dict:
    """The coverage report of O on D: members by status, cells, places by kind."""
    org = resolve_organization(organization, user=user, on=day)
    rows = _COVERAGE.rows(organization=org, day=day)  # one statement
    return {
        "organization": org.code,
        "as_of": day.isoformat(),
        "members": {name: rows[0][name] for name in selectors.STATUS_CONDITIONS},
        "cells": rows[0]["cells"],
        "places": _by_kind(rows),
    }


def admissions(*, organization: Organization | str, start: date, end: date, user=None) -> dict:
    """The admissions report of O over D1..D2: the total and every year's count."""
    org = resolve_organization(organization, user=user, on=end)
    by_year = admissions_by_year(organization=org, start=start, end=end)
    return {
        "organization": org.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "admitted": sum(by_year.values()),
        "by_year": by_year,
    }
