"""Reads of cell life, scope-aware: meetings and fees the user may see, and the two removal
cases of the checks page (absent without reason, fee not paid, for 3 months in a year)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from grassroots import policy
from grassroots.cells.models import Attendance, FeePayment, FeeRemittance, Meeting, Presence
from grassroots.cells.services import month_end
from grassroots.core import scope
from grassroots.core.temporal import valid_on
from grassroots.members.models import Member, MembershipSpan
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids


def meeting_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Meetings whose cell was inside the user's scope on the meeting's day."""
    return Meeting.objects.visible_to(user, action, on).select_related("organization")


def fee_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Fee payments collected by a cell inside the user's scope in that month."""
    return FeePayment.objects.visible_to(user, action, on).select_related("member", "organization")


def remittance_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return FeeRemittance.objects.visible_to(user, action, on).select_related("organization")


def meeting_list(
    *,
    user,
    organization: Organization | None = None,
    year: int | None = None,
    kind: str = "",
) -> QuerySet:
    """Meetings the user may see, newest first; of ``organization``'s subtree on the meeting day
    when given."""
    qs = meeting_visible_to(user)
    if organization is not None:
        qs = qs.filter(
            Q(organization=organization)
            | Q(scope.in_subtree_at(organization.pk, "organization_id", "date"))
        )
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-date", "organization__code", "kind", "id")


def fee_list(
    *, user, organization: Organization | None = None, month: date | None = None
) -> QuerySet:
    qs = fee_visible_to(user)
    if organization is not None:
        qs = qs.filter(Q(scope.in_subtree_at(organization.pk, "organization_id", "month")))
    if month is not None:
        qs = qs.filter(month=month)
    return qs.order_by("-month", "organization__code", "member__name_key", "id")


# --- Removal cases (the checks page) -----------------------------------------------------------


@dataclass(frozen=True)
class MonthsCase:
    """A member and the months of the year (1–12) that make the case."""

    member: Member
    months: tuple[int, ...]

    def detail(self, year: int, what: str) -> str:
        listed = ", ".join(str(m) for m in self.months)
        return f"{what} {len(self.months)} tháng năm {year}: tháng {listed}"


def absent_months(*, user, day: date) -> list[MonthsCase]:
    """Members absent without reason from meetings in at least ``REMOVAL_ABSENT_MONTHS``
    different months of ``day``'s year (meetings dated 1 January..``day``, of a cell inside the
    user's scope that day; absences of a member exempted that day do not count)."""
    rows = (
        Attendance.objects.filter(
            presence=Presence.ABSENT,
            exempted=False,
            meeting__date__gte=date(day.year, 1, 1),
            meeting__date__lte=day,
            meeting__in=Meeting.objects.visible_to(user),
        )
        .values_list("member_id", "meeting__date")
        .order_by()
    )
    return _cases(rows, policy.get("REMOVAL_ABSENT_MONTHS"))


def unpaid_months(*, user, day: date) -> list[MonthsCase]:
    """Members who paid nothing for at least ``REMOVAL_UNPAID_MONTHS`` months of ``day``'s year:
    months that ended by ``day``, in which the member was a member (probationary or official,
    exempted or not) on the month's last day of a cell inside the user's scope that day **that
    recorded its collection for the month** (at least one payment row), and for which no payment
    above 0 đ is recorded. A cell that recorded nothing for a month has no data, not debtors."""
    found: list[tuple[int, date]] = []
    for number in range(1, 13):
        month = date(day.year, number, 1)
        last = month_end(month)
        if last > day:
            break
        spans = (
            MembershipSpan.objects.filter(valid_on(last))
            .visible_to(user, on=last)
            .values_list("member_id", "organization_id")
        )
        found.extend((member_id, month) for member_id in unpaid_in(month, spans))
    return _cases(found, policy.get("REMOVAL_UNPAID_MONTHS"))


def unpaid_in(month: date, spans) -> set[int]:
    """Of ``spans`` (member, organisation) on the month's last day: the members whose
    organisation recorded a collection for ``month`` and who paid nothing for it."""
    recorded = set(
        FeePayment.objects.filter(month=month).values_list("organization_id", flat=True).distinct()
    )
    members = {member_id for member_id, organization_id in spans if organization_id in recorded}
    paid = set(
        FeePayment.objects.filter(month=month, paid__gt=0, member_id__in=members).values_list(
            "member_id", flat=True
        )
    )
    return members - paid


def _cases(rows, threshold: int) -> list[MonthsCase]:
    months: dict[int, set[int]] = defaultdict(set)
    for member_id, day in rows:
        months[member_id].add(day.month)
    over = {m: tuple(sorted(ms)) for m, ms in months.items() if len(ms) >= threshold}
    members = Member.objects.filter(pk__in=over).order_by("name_key", "id")
    return [MonthsCase(member, over[member.pk]) for member in members]


def cells_under(*, organization: Organization, day: date) -> QuerySet:
    """Ids of the cells in Subtree(O, day)."""
    return OrganizationVersion.objects.filter(
        valid_on(day),
        kind__in=CELL_KINDS,
        organization_id__in=subtree_ids(organization=organization, day=day),
    ).values_list("organization_id", flat=True)


# --- Study campaigns, reviews, income bases, remittances -----------------------------------------


def campaign_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Study campaigns run inside the user's scope, or above it (they cover it)."""
    from grassroots.cells.models import StudyCampaign

    return StudyCampaign.objects.visible_to(user, action, on).select_related(
        "organization", "document"
    )


def campaign_list(
    *, user, organization: Organization | None = None, year: int | None = None
) -> QuerySet:
    qs = campaign_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if year:
        qs = qs.filter(start__year__lte=year, end__year__gte=year)
    return qs.order_by("-start", "id")


def session_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    from grassroots.cells.models import StudySession

    return StudySession.objects.visible_to(user, action, on).select_related("organization")


def review_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Self-criticism reviews whose organisation was inside the scope on the review's day."""
    from grassroots.cells.models import SelfCriticism

    return SelfCriticism.objects.visible_to(user, action, on).select_related(
        "member", "organization"
    )


def review_list(
    *,
    user,
    organization: Organization | None = None,
    year: int | None = None,
    subject: str = "",
    status: str = "",
) -> QuerySet:
    qs = review_visible_to(user)
    if organization is not None:
        qs = qs.filter(Q(scope.in_subtree_at(organization.pk, "organization_id", "day")))
    if year:
        qs = qs.filter(year=year)
    if subject:
        qs = qs.filter(subject=subject)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "organization__code", "subject", "member__name_key", "id")


def basis_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Income bases of the members the user may read."""
    from grassroots.cells.models import IncomeBasis

    return IncomeBasis.objects.visible_to(user, action, on).select_related("member")


def basis_list(*, user, member: Member | None = None, kind: str = "") -> QuerySet:
    qs = basis_visible_to(user)
    if member is not None:
        qs = qs.filter(member=member)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("member__name_key", "member_id", "-valid_from")


def remittance_list(
    *, user, organization: Organization | None = None, year: int | None = None
) -> QuerySet:
    qs = remittance_visible_to(user)
    if organization is not None:
        qs = qs.filter(Q(scope.in_subtree_at(organization.pk, "organization_id", "sent_on")))
    if year:
        qs = qs.filter(month_from__year__lte=year, month_to__year__gte=year)
    return qs.order_by("-month_from", "organization__code", "id")


def rating_of(review) -> Any:
    """The quality rating of the review's year of its member or organisation (ratings app)."""
    from grassroots.ratings.models import PeriodKind, Rating, Subject

    found = Rating.objects.filter(period_kind=PeriodKind.YEAR, period_label=str(review.year))
    if review.member_id:
        return found.filter(subject=Subject.MEMBER, member_id=review.member_id).first()
    return found.filter(
        subject=Subject.ORGANIZATION, organization_id=review.organization_id
    ).first()
