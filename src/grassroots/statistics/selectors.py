"""The record sets behind the statistics figures (DOMAIN.md, "Figures — exact definitions").

``figures.py`` counts these sets with aggregate SQL and lists them for the drill-down (each
figure's ``records``). Both start from the same querysets and conditions here, so a figure and
its list cannot drift apart. Admissions are counted once, in :mod:`grassroots.members.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from grassroots import policy
from grassroots.core.errors import NotFound
from grassroots.core.temporal import valid_on
from grassroots.members import profile
from grassroots.members.figures import in_subtree_on_event_date
from grassroots.members.models import (
    PLACE_TALLY_CAP,
    EventKind,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
    Status,
)
from grassroots.organizations.models import (
    CELL_KINDS,
    PLACE_COVERING_KINDS,
    Organization,
    OrganizationClosure,
    OrganizationLineage,
    OrganizationVersion,
)
from grassroots.organizations.selectors import area_place_ids, subtree_ids
from grassroots.places.models import PlaceKind, PlaceVersion

#: The place kinds whose coverage is reported, in report order (INTERCHANGE.md).
COVERAGE_PLACE_KINDS: tuple[str, ...] = tuple(
    kind.value
    for kind in (
        PlaceKind.VILLAGE,
        PlaceKind.RESIDENTIAL_GROUP,
        PlaceKind.SCHOOL,
        PlaceKind.HEALTH_STATION,
    )
)

#: Conditions on :func:`member_spans_on` rows, one per member figure.
STATUS_CONDITIONS: dict[str, Q] = {
    "official": Q(status=Status.OFFICIAL),
    "probationary": Q(status=Status.PROBATIONARY),
    "exempted": Q(exempted=True),
}

#: Conditions on :func:`area_place_versions_on` rows, one per place figure.
PLACE_CONDITIONS: dict[str, Q] = {
    "total": Q(),
    "without_cell": Q(has_cell=False),
    "without_members": Q(has_members=False),
    "below_three_official": Q(has_enough_official=False),
}


def member_spans_on(*, organization: Organization, day: date) -> QuerySet:
    """Membership spans valid on ``day`` whose organisation is in Subtree(O, day): one row per
    member (probationary or official) on that day."""
    return MembershipSpan.objects.filter(
        valid_on(day), organization_id__in=subtree_ids(organization=organization, day=day)
    )


def cell_versions_on(*, organization: Organization, day: date) -> QuerySet:
    """Versions valid on ``day`` of the organisations of kind cell/grassroots_cell in
    Subtree(O, day)."""
    return OrganizationVersion.objects.filter(
        valid_on(day),
        kind__in=CELL_KINDS,
        organization_id__in=subtree_ids(organization=organization, day=day),
    )


def area_place_versions_on(
    *,
    organization: Organization | None = None,
    day: date,
    with_counts: bool = False,
    place: int | None = None,
) -> QuerySet:
    """Versions valid on ``day`` of the places in Area(O, day) of the reported kinds, annotated
    with what the place figures test: ``has_cell`` (an organisation of kind cell,
    grassroots_cell or grassroots_committee valid on ``day`` is attached to it, wherever it sits
    in the tree), ``has_members`` (some member has that place on ``day``) and
    ``has_enough_official`` (at least ``CELL_MIN_OFFICIAL_MEMBERS`` — 3 — official members have
    that place on ``day``). Both read the place's tally (``members.PlaceTally``: one row, where
    the spans are hundreds). ``with_counts`` (the drill-down's table) adds
    ``official_members``, how many, counted from the spans. ``place`` (the place attached to O
    on D) stands for O: see :func:`~grassroots.organizations.selectors.area_place_ids`."""
    official = MembershipSpan.objects.filter(
        valid_on(day), place_id=OuterRef("place_id"), status=Status.OFFICIAL
    ).order_by()
    # The place's tally row valid on the day (a place's rows never overlap: one or none),
    # joined rather than probed place by place.
    tally = FilteredRelation(
        "place__member_tallies",
        condition=Q(place__member_tallies__valid_from__lte=day)
        & (
            Q(place__member_tallies__valid_to__isnull=True)
            | Q(place__member_tallies__valid_to__gt=day)
        ),
    )
    enough = policy.get("CELL_MIN_OFFICIAL_MEMBERS")
    if enough <= 0:
        has_enough: Exists | Case | Value = Value(True)
    elif enough <= PLACE_TALLY_CAP:
        has_enough = Case(When(tally__official__gte=enough, then=True), default=False)
    else:  # one span per member on a day (a member's spans never overlap): the n-th row
        has_enough = Exists(official[enough - 1 : enough])
    places: QuerySet = (
        PlaceVersion.objects.annotate(tally=tally)
        .filter(
            valid_on(day),
            kind__in=COVERAGE_PLACE_KINDS,
            place_id__in=area_place_ids(organization=organization, day=day, place=place),
        )
        .annotate(
            has_cell=Exists(
                OrganizationVersion.objects.filter(
                    valid_on(day), place_id=OuterRef("place_id"), kind__in=PLACE_COVERING_KINDS
                )
            ),
            # a place has a row only while it has members
            has_members=Case(When(tally__id__isnull=False, then=True), default=False),
            has_enough_official=has_enough,
        )
    )
    if with_counts:
        counted = (
            official.values("place_id").annotate(n=Count("member_id", distinct=True)).values("n")
        )
        places = places.annotate(official_members=Coalesce(Subquery(counted), Value(0)))
    return places


def member_in_subtree_on_event_date(organization: Organization, *, ending: bool) -> Exists:
    """True for an event whose member, on the event's date, was in Subtree(O, event date):
    after the event (the span valid that day) or, with ``ending``, just before it (the span
    ending that day). Spans of a member never overlap, so each is one span found through the
    member's index, then one lookup in the closure table — on both databases, whatever the
    size of the subtree."""
    if ending:
        on_date = Q(valid_to=OuterRef(OuterRef("date")))
    else:
        on_date = valid_on(OuterRef(OuterRef("date")))
    span_organization = MembershipSpan.objects.filter(
        on_date, member_id=OuterRef(OuterRef("member_id"))
    ).values("organization_id")[:1]
    return Exists(
        OrganizationClosure.objects.filter(
            valid_on(OuterRef("date")),
            ancestor_id=getattr(organization, "pk", organization),
            descendant_id=Subquery(span_organization),
        )
    )


# --- Movements over a period -------------------------------------------------------------------

#: Movement figures, in report order; ``left.<reason>`` follow, one per reason.
MOVEMENTS = ("admitted", "confirmed", "joined", "moved_in", "moved_out")


def movement_events_annotated(*, organization: Organization, start: date, end: date) -> QuerySet:
    """Effective events of the period, each annotated once with where its member stood:
    ``inside`` (the event's organisation is in Subtree(O, date)), ``after`` (the member is in the
    subtree after the event) and ``before`` (just before it)."""
    return period_events(start=start, end=end).annotate(
        inside=in_subtree_on_event_date(organization),
        after=member_in_subtree_on_event_date(organization, ending=False),
        before=member_in_subtree_on_event_date(organization, ending=True),
    )


def movement_conditions() -> dict[str, Q]:
    """One condition per movement figure on :func:`movement_events_annotated` rows (see
    ``figures.movements``)."""
    conditions = {
        "admitted": Q(inside=True, kind=EventKind.ADMITTED),
        "confirmed": Q(after=True, kind=EventKind.CONFIRMED),
        "joined": Q(
            inside=True, kind__in=(EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY)
        ),
        "moved_in": Q(after=True, before=False, kind=EventKind.MOVED),
        "moved_out": Q(before=True, after=False, kind=EventKind.MOVED),
    }
    for reason in LeftReason.values:
        conditions[f"left.{reason}"] = Q(before=True, kind=EventKind.LEFT, reason=reason)
    return conditions


def period_events(*, start: date, end: date) -> QuerySet:
    """Effective member events (not superseded, not cancellations) dated ``start``..``end``."""
    return MemberEvent.objects.filter(
        superseded_by__isnull=True, date__gte=start, date__lte=end
    ).exclude(kind=EventKind.CANCELLED)


def movement_events(*, organization: Organization, start: date, end: date, movement: str):
    """The events behind one movement figure; 404 for an unknown movement."""
    conditions = movement_conditions()
    if movement not in conditions:
        raise NotFound("Không có chỉ tiêu biến động này.", code="unknown_figure")
    events = movement_events_annotated(organization=organization, start=start, end=end)
    return events.filter(conditions[movement])


# --- Breakdowns of the members on a day --------------------------------------------------------

#: The bands of age and of party age (``members.profile``: the structure tallies use them).
AGE_BANDS = profile.AGE_BANDS
PARTY_AGE_BANDS = profile.PARTY_AGE_BANDS
#: Breakdowns by a member profile field: dimension → field.
PROFILE_BREAKDOWNS = {"gender": "gender", "ethnicity": "ethnicity", "education": "education"}


def _years_ago(day: date, years: int) -> date:
    return policy.add_months(day, -12 * years)


def age_band_conditions(day: date) -> dict[str, Q]:
    """Age in full years on ``day`` (from ``Member.birth_date``), per band, on span rows."""
    conditions = {}
    for key, _label, low, high in AGE_BANDS:
        q = Q()
        if low is not None:
            q &= Q(member__birth_date__lte=_years_ago(day, low))
        if high is not None:
            q &= Q(member__birth_date__gt=_years_ago(day, high))
        conditions[key] = q
    return conditions


def party_age_band_conditions(day: date) -> dict[str, Q]:
    """Party age in full calendar years on ``day``, per band, on :func:`member_spans_on` rows.
    As ``members.selectors.member_party_age`` counts it: n full years ⇔ the days served (the
    member's spans up to ``day``, gaps left out) reach the length of the n years before
    ``day`` ⇔ the span's ``served_since`` is on or before the day n years before ``day``."""

    def served_at_least(years: int) -> Q:
        return Q(served_since__lte=_years_ago(day, years))

    conditions = {}
    for key, _label, low, high in PARTY_AGE_BANDS:
        q = Q()
        if low is not None:
            q &= served_at_least(low)
        if high is not None:
            q &= ~served_at_least(high)
        conditions[key] = q
    return conditions


def members_of(spans: QuerySet) -> QuerySet:
    """The members of membership span rows, in Vietnamese name order."""
    return Member.objects.filter(pk__in=spans.values("member_id")).order_by("name_key", "id")


@dataclass(frozen=True)
class Ended:
    """An organisation that no longer exists on the day asked: its last day and its successors
    (the lineage out of it), so that the dashboard can say so instead of showing zeros."""

    last_day: date
    last_name: str
    successors: list[OrganizationLineage]


def ended_before(organization: Organization, day: date) -> Ended | None:
    """How ``organization`` ended, when its last version ended on or before ``day``; else None
    (it exists on ``day``, or has not begun yet)."""
    last = organization.versions.order_by("-valid_from").first()
    if last is None or last.valid_to is None or last.valid_to > day:
        return None
    successors = list(
        OrganizationLineage.objects.filter(from_organization=organization)
        .select_related("to_organization")
        .order_by("date", "to_organization__code")
    )
    return Ended(
        last_day=last.valid_to - timedelta(days=1), last_name=last.name, successors=successors
    )
