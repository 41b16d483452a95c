"""Reads of members that matter, scope-aware: lists on a date, party age, the checks page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from grassroots import policy
from grassroots.core import registry, scope
from grassroots.core.temporal import valid_on
from grassroots.core.text import fold
from grassroots.members import profile
from grassroots.members.models import (
    EventKind,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
    Status,
)
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids


def member_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Members the user may read (or ``action="change"``): ``Member.objects.visible_to``
    (``core.scope``) — those who were in the scope's subtree on some day while it was."""
    return Member.objects.visible_to(user, action, on)


def spans_on(*, user, day: date, organization: Organization | None = None) -> QuerySet:
    """Spans valid on ``day`` inside Subtree(organization, day) ∩ Subtree(the user's scope, day);
    nothing when the user has no scope and does not see everything."""
    qs = MembershipSpan.objects.filter(valid_on(day)).visible_to(user, on=day)
    if organization is not None and organization.pk != user.scope_id:
        qs = qs.filter(organization_id__in=subtree_ids(organization=organization, day=day))
    return qs


def member_list(
    *,
    user,
    day: date,
    search: str = "",
    status: str = "",
    organization=None,
    gender: str = "",
    ethnicity: str = "",
    place=None,
    exempted: bool | None = None,
) -> QuerySet:
    """Members on ``day`` in the user's scope (or ``organization``'s subtree), filtered, in
    Vietnamese name order. Each member carries ``span_*`` annotations of its span on ``day``."""
    spans = spans_on(user=user, day=day, organization=organization)
    if status in Status.values:
        spans = spans.filter(status=status)
    if exempted is not None:
        spans = spans.filter(exempted=exempted)
    if place is not None:
        spans = spans.filter(place=place)
    qs = Member.objects.filter(pk__in=spans.values("member_id"))
    if search:
        qs = qs.filter(Q(name_folded__contains=fold(search)) | Q(code__iexact=search.strip()))
    if gender:
        qs = qs.filter(gender=gender)
    if ethnicity == profile.OTHER_ETHNICITY:  # recorded, but not in the official list
        qs = qs.exclude(ethnicity__in=profile.ETHNICITY_CHOICES).exclude(ethnicity="")
    elif ethnicity:
        qs = qs.filter(ethnicity=ethnicity)
    return qs.order_by("name_key", "id")


def attach_spans(members, day: date) -> None:
    """Set ``member.span`` (the span on ``day``, with organisation and place) on each member in
    one query; used by lists to show status and cell without N+1 queries."""
    by_member = {
        s.member_id: s for s in MembershipSpan.objects.filter(valid_on(day), member__in=members)
    }
    org_names = _names_on(
        OrganizationVersion, "organization_id", {s.organization_id for s in by_member.values()}, day
    )
    from grassroots.places.models import PlaceVersion

    place_names = _names_on(PlaceVersion, "place_id", {s.place_id for s in by_member.values()}, day)
    for member in members:
        span = by_member.get(member.pk)
        member.span = span
        if span:
            span.organization_name = org_names.get(span.organization_id, "")
            span.place_name = place_names.get(span.place_id, "")


def _names_on(model, key: str, ids: set, day: date) -> dict:
    return dict(model.objects.filter(valid_on(day), **{f"{key}__in": ids}).values_list(key, "name"))


def members_in_organization_on(*, organization: Organization, day: date) -> list[Member]:
    ids = MembershipSpan.objects.filter(valid_on(day), organization=organization).values(
        "member_id"
    )
    return list(Member.objects.filter(pk__in=ids).order_by("name_key"))


@dataclass(frozen=True)
class PartyAge:
    days: int
    years: int
    months: int
    since: date | None
    next_badge_years: int | None
    next_badge_on: date | None


def member_died_on(*, member: Member) -> date | None:
    """The date of the member's death (an effective ``left`` event with reason ``died``), or
    None. Death is final: no event follows it (``members.replay``)."""
    return (
        member.events.filter(
            kind=EventKind.LEFT, reason=LeftReason.DIED, superseded_by__isnull=True
        )
        .values_list("date", flat=True)
        .first()
    )


def member_party_age(*, member: Member, day: date) -> PartyAge:
    """Party age on ``day``: from the date of admission — the record's ``admitted_on`` for a
    member who arrived by transfer, else the first admission — minus the gaps in membership
    (both carried by the spans' ``served_since``), and the next party-badge milestone with the
    date it falls due (none after death)."""
    spans = list(member.spans.filter(valid_from__lte=day).order_by("valid_from"))
    if not spans:
        return PartyAge(0, 0, 0, None, None, None)
    # Shown from the admission on the record (earlier gaps shift ``served_since``, not it).
    admitted = member.admitted_on
    since = admitted if admitted and admitted < spans[0].valid_from else spans[0].served_since
    # The start shifted by the gaps: calendar years and months from it, up to the day or to the
    # day membership ended. An exact anniversary is a whole year.
    shifted = spans[-1].served_since
    last_end = spans[-1].valid_to
    until = min(day, last_end) if last_end and last_end <= day else day
    completed = max(0, policy.age_in_months(shifted, until))
    years, months = divmod(completed, 12)
    next_years = next((y for y in policy.get("BADGE_YEARS") if y > years), None)
    if member_died_on(member=member) is not None:
        next_years = None
    next_on = policy.add_months(shifted, 12 * next_years) if next_years else None
    return PartyAge(max(0, (until - shifted).days), years, months, since, next_years, next_on)


# --- The checks page (warnings that were saved) ----------------------------------------------


#: A row of a check: the member or the cell concerned, and the detail text.
CheckRow = tuple[Member | Organization, str]


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    rows: list[CheckRow]


def checks(*, user, day: date) -> list[Check]:
    """Everything the rules only warn about, in the user's scope, as of ``day``."""
    visible = member_visible_to(user)
    results = []

    admitted = MemberEvent.objects.filter(
        kind=EventKind.ADMITTED, superseded_by__isnull=True, date__lte=day, member__in=visible
    ).select_related("member")
    low, high = policy.get("ADMISSION_MIN_AGE_MONTHS"), policy.get("ADMISSION_MAX_AGE_MONTHS")
    rows: list[CheckRow] = []
    for event in admitted:
        months = policy.age_in_months(event.member.birth_date, event.date)
        if not low <= months <= high:
            rows.append(
                (event.member, f"kết nạp ngày {event.date:%d/%m/%Y} lúc {months // 12} tuổi")
            )
    results.append(Check("admission_age", "Tuổi khi kết nạp ngoài 18–60", rows))

    from grassroots.members.services import confirmation_window

    confirmed = MemberEvent.objects.filter(
        kind=EventKind.CONFIRMED, superseded_by__isnull=True, date__lte=day, member__in=visible
    ).select_related("member")
    last_admission: dict[int, list[date]] = {}
    for member_id, admitted_on in admitted.values_list("member_id", "date").order_by("date"):
        last_admission.setdefault(member_id, []).append(admitted_on)
    rows = []
    for event in confirmed:
        before = [d for d in last_admission.get(event.member_id, []) if d <= event.date]
        if not before:
            continue
        earliest, latest = confirmation_window(before[-1])
        if event.date < earliest:
            rows.append((event.member, f"công nhận sớm ngày {event.date:%d/%m/%Y}"))
        elif event.date > latest:
            rows.append((event.member, f"công nhận muộn ngày {event.date:%d/%m/%Y}"))
    results.append(Check("confirmation_timing", "Công nhận chính thức sai thời hạn", rows))

    spans = spans_on(user=user, day=day)
    rows = []
    for span in spans.filter(status=Status.PROBATIONARY).select_related("member"):
        admissions = [d for d in last_admission.get(span.member_id, []) if d <= day]
        if admissions and confirmation_window(admissions[-1])[1] < day:
            rows.append(
                (span.member, f"kết nạp ngày {admissions[-1]:%d/%m/%Y}, quá hạn xét chính thức")
            )
    results.append(Check("probation_overdue", "Quá hạn xét công nhận chính thức", rows))

    # An arrival with no date of admission on the record: the party age would count from the
    # arrival. (Members admitted in the registry have the date in their event.)
    arrived = MemberEvent.objects.filter(
        kind__in=(EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY),
        superseded_by__isnull=True,
        date__lte=day,
        member__in=visible.filter(admitted_on__isnull=True),
    ).exclude(member_id__in=admitted.values("member_id"))
    rows = []
    seen: set[int] = set()
    for event in arrived.select_related("member").order_by("member__name_key", "date"):
        if event.member_id not in seen:
            seen.add(event.member_id)
            rows.append(
                (
                    event.member,
                    f"chuyển đến ngày {event.date:%d/%m/%Y}, chưa ghi ngày vào Đảng: tuổi đảng "
                    "đang tính từ ngày chuyển đến",
                )
            )
    results.append(Check("admission_date_missing", "Chưa ghi ngày vào Đảng", rows))

    minimum = policy.get("CELL_MIN_OFFICIAL_MEMBERS")
    cells = OrganizationVersion.objects.filter(
        valid_on(day),
        kind__in=CELL_KINDS,
        organization__in=Organization.objects.visible_to(user, on=day),
    )
    official = dict(
        MembershipSpan.objects.filter(
            valid_on(day),
            status=Status.OFFICIAL,
            organization_id__in=cells.values("organization_id"),
        )
        .values("organization_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("organization_id", "n")
    )
    rows = []
    for version in cells.select_related("organization").order_by("name"):
        n = official.get(version.organization_id, 0)
        if n < minimum:
            rows.append((version.organization, f"{version.name}: {n} đảng viên chính thức"))
    results.append(Check("cell_below_minimum", f"Chi bộ dưới {minimum} đảng viên chính thức", rows))
    # The apps above add their own (meetings missed, fees unpaid…) through the app registry.
    results.extend(registry.checks(user=user, day=day))
    return results


# --- Member pages -----------------------------------------------------------------------------

#: Lifecycle kinds an editor may record, by the member's status on the day (None: not a member).
#: Exemption kinds are added according to the member's exemption.
_KINDS_BY_STATUS: dict[str | None, tuple[str, ...]] = {
    None: (EventKind.ADMITTED, EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY),
    Status.PROBATIONARY: (EventKind.CONFIRMED, EventKind.MOVED, EventKind.LEFT),
    Status.OFFICIAL: (EventKind.MOVED, EventKind.LEFT),
}


def member_span_on(*, member: Member, day: date, user=None) -> MembershipSpan | None:
    """The member's span on ``day`` (status, organisation, place, exempted), with the names of
    its organisation and place on that day; None when not a member on ``day`` — or, for
    ``user``, when the member was outside the user's scope that day."""
    attach_spans([member], day)
    span = member.span
    outside = (
        span is not None
        and user is not None
        and not MembershipSpan.objects.filter(pk=span.pk).visible_to(user, on=day).exists()
    )
    return None if outside else span


def member_event_kinds_on(*, span: MembershipSpan | None) -> list[str]:
    """The lifecycle events that fit a member whose span on the day is ``span``."""
    kinds: list[str] = list(_KINDS_BY_STATUS[span.status if span else None])
    if span is not None:
        kinds.insert(-1, EventKind.EXEMPTION_ENDED if span.exempted else EventKind.EXEMPTED)
    return kinds


def member_timeline(*, member: Member, user=None) -> list[MemberEvent]:
    """Every event of the member, superseded ones and cancellations included, in date order —
    for ``user``, only those dated while the member was inside the user's scope (records from
    the time outside are not the scope's). Each carries ``organization_name`` and
    ``place_name`` as they were on the event's date."""
    from grassroots.places.models import PlaceVersion

    events = list(
        member_events_visible_to(member=member, user=user)
        .select_related("recorded_by", "supersedes", "superseded_by")
        .order_by("date", "id")
    )
    org_versions = list(
        OrganizationVersion.objects.filter(
            organization_id__in={e.organization_id for e in events if e.organization_id}
        )
    )
    place_versions = list(
        PlaceVersion.objects.filter(place_id__in={e.place_id for e in events if e.place_id})
    )
    for event in events:
        event.organization_name = _name_on(org_versions, "organization_id", event)
        event.place_name = _name_on(place_versions, "place_id", event)
    return events


def member_events_visible_to(*, member: Member, user) -> QuerySet:
    """The member's events ``user`` may read (all of them for ``user`` None)."""
    return MemberEvent.objects.visible_to(user).filter(member=member)


def _name_on(versions: list, key: str, event: MemberEvent) -> str:
    """The name of the event's organisation or place on the event's date (the latest name when
    no version is valid then)."""
    target = getattr(event, key)
    if target is None:
        return ""
    mine = sorted((v for v in versions if getattr(v, key) == target), key=lambda v: v.valid_from)
    valid = [v for v in mine if v.is_valid_on(event.date)]
    chosen = valid[0] if valid else (mine[-1] if mine else None)
    return chosen.name if chosen else ""


def profile_value_on(field: str, day: Any, *, member: str = "member_id", base: str = "") -> Any:
    """An expression for the value of the dated record field ``field`` on ``day`` of the member
    in column ``member`` of the outer row: the last :class:`MemberProfileChange` of that field
    dated on or before ``day``, else the member's own field (``base``; by default
    ``member__<field>``, for rows that point at a member)."""
    from django.db.models import F, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from grassroots.members.models import MemberProfileChange

    latest = (
        MemberProfileChange.objects.filter(member_id=OuterRef(member), field=field, date__lte=day)
        .order_by("-date", "-id")
        .values("value")[:1]
    )
    return Coalesce(Subquery(latest), F(base or f"member__{field}"))
