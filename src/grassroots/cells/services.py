"""Writes of cell life: a meeting with its attendance (one screen), income bases, the monthly
collection of party fees, amounts sent upward; and the fee arithmetic of the policy.

Rules:
- a meeting belongs to a cell (kind ``cell`` or ``grassroots_cell`` on its day) inside the
  acting user's scope, is not in the future, and a cell holds one regular meeting a month;
- the attendance names exactly the cell's members on the meeting's day (probationary and
  official; exempted members are marked as such), each present, excused or absent;
- a fee is ``policy`` arithmetic on integers (:func:`fee_due`), for a month the member belonged
  to the collecting cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots import policy
from grassroots.cells.models import (
    Attendance,
    BasisKind,
    FeePayment,
    FeeRemittance,
    IncomeBasis,
    Meeting,
    MeetingKind,
    Presence,
)
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.members.models import Member, MembershipSpan
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.resolutions.models import Document

# --- Months ------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    """The last day of the month starting ``month``."""
    following = (
        date(month.year + 1, 1, 1)
        if month.month == 12
        else month.replace(month=month.month + 1, day=1)
    )
    return following - timedelta(days=1)


def parse_month(text: str) -> date:
    """``2023-05`` (or ``2023-05-01``) → 1 May 2023; RuleError otherwise."""
    raw = (text or "").strip()
    parts = raw.split("-")
    try:
        if len(parts) in (2, 3) and len(parts[0]) == 4:
            month = date(int(parts[0]), int(parts[1]), 1)
            if len(parts) == 2 or int(parts[2]) == 1:
                return month
    except ValueError:
        pass
    raise RuleError(f"Tháng “{raw}” không hợp lệ (dùng dạng YYYY-MM).", code="month")


# --- Fee arithmetic (integers only) ------------------------------------------------------------


def round_fee(numerator: int, denominator: int = 1) -> int:
    """``numerator / denominator`` đồng rounded to the nearest ``FEE_ROUNDING_UNIT``, an exact
    half up — integer arithmetic only (no float ever touches money)."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("a fee is not negative")
    unit = policy.get("FEE_ROUNDING_UNIT")
    step = denominator * unit
    return (2 * numerator + step) // (2 * step) * unit


def fee_due(*, kind: str, amount: int) -> int:
    """The monthly fee in đồng for a basis (Quy định 01-QĐ/TW, policy ``FEE_*``): 1% of the
    social-insurance salary, 0.5% of the pension, the flat student fee, or the fixed amount set
    by the committee — rounded by :func:`round_fee` (the fixed and student amounts as they
    are)."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RuleError("Số tiền phải là số nguyên đồng, không âm.", code="amount")
    if kind == BasisKind.SALARY:
        numerator, denominator = policy.get("FEE_RATE_SALARY")
        return round_fee(amount * numerator, denominator)
    if kind == BasisKind.PENSION:
        numerator, denominator = policy.get("FEE_RATE_PENSION")
        return round_fee(amount * numerator, denominator)
    if kind == BasisKind.STUDENT:
        return int(policy.get("FEE_STUDENT_MONTHLY"))
    if kind == BasisKind.FIXED:
        return amount
    raise RuleError(f"Căn cứ đóng đảng phí “{kind}” không hợp lệ.", code="basis_kind")


def basis_on(*, member: Member, day: date) -> IncomeBasis | None:
    """The member's income basis in force on ``day`` (the latest one starting on or before)."""
    return (
        IncomeBasis.objects.filter(member=member, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def due_for(*, member: Member, month: date) -> int:
    """The fee the member owes for ``month``: from the basis in force on its first day; 0 when
    no basis is recorded (the figures count such months as "basis missing", not as arrears)."""
    basis = basis_on(member=member, day=month_start(month))
    return 0 if basis is None else fee_due(kind=basis.kind, amount=int(basis.amount))


# --- Who belongs to a cell ---------------------------------------------------------------------


@dataclass(frozen=True)
class CellMember:
    member: Member
    exempted: bool


def cell_members_on(*, organization: Organization, day: date) -> list[CellMember]:
    """The cell's members on ``day`` (the members app's spans: probationary or official, with
    their exemption), in Vietnamese name order."""
    spans = (
        MembershipSpan.objects.filter(valid_on(day), organization=organization)
        .select_related("member")
        .order_by("member__name_key", "member_id")
    )
    return [CellMember(span.member, span.exempted) for span in spans]


def _check_cell(*, acting_user, organization: Organization, day: date) -> None:
    version = OrganizationVersion.objects.filter(valid_on(day), organization=organization).first()
    if version is None or version.kind not in CELL_KINDS:
        raise RuleError(
            f"{organization.code} không phải là chi bộ vào ngày {day:%d/%m/%Y}.", code="not_cell"
        )
    scope.require(acting_user, organization, scope.CHANGE)


# --- Meetings ----------------------------------------------------------------------------------


def meeting_record(
    *,
    acting_user,
    organization: Organization,
    day: date,
    kind: str,
    attendance: Mapping[int, str],
    theme: str = "",
    documents: Iterable[Document] = (),
    note: str = "",
    meeting: Meeting | None = None,
    based_on: str | int | None = None,
) -> Meeting:
    """Record a meeting (or correct ``meeting``) with the presence of each of the cell's
    members that day, ``attendance = {member_id: presence}``; all or nothing."""
    if kind not in MeetingKind.values:
        raise RuleError(f"Loại sinh hoạt “{kind}” không hợp lệ.", code="kind")
    if day > timezone.localdate():
        raise RuleError("Ngày sinh hoạt không được sau hôm nay.", code="future")
    _check_cell(acting_user=acting_user, organization=organization, day=day)
    members = cell_members_on(organization=organization, day=day)
    if not members:
        raise RuleError(
            f"Chi bộ {organization.code} không có đảng viên vào ngày {day:%d/%m/%Y}.",
            code="no_members",
        )
    expected = {m.member.pk for m in members}
    unknown = set(attendance) - expected
    if unknown:
        codes = ", ".join(
            sorted(Member.objects.filter(pk__in=unknown).values_list("code", flat=True))
        )
        raise RuleError(
            f"Không phải đảng viên của chi bộ vào ngày {day:%d/%m/%Y}: {codes or unknown}.",
            code="not_in_cell",
        )
    missing = [m.member for m in members if not attendance.get(m.member.pk)]
    if missing:
        names = ", ".join(m.full_name for m in missing[:5])
        raise RuleError(
            f"Chưa điểm danh {len(missing)} đảng viên: {names}.", code="attendance_missing"
        )
    bad = {p for p in attendance.values() if p not in Presence.values}
    if bad:
        raise RuleError(f"Tình hình dự không hợp lệ: {', '.join(sorted(bad))}.", code="presence")
    if kind == MeetingKind.REGULAR:
        same_month = Meeting.objects.filter(
            organization=organization,
            kind=MeetingKind.REGULAR,
            date__gte=month_start(day),
            date__lte=month_end(month_start(day)),
        )
        if meeting is not None:
            same_month = same_month.exclude(pk=meeting.pk)
        other = same_month.first()
        if other is not None:
            raise RuleError(
                f"Chi bộ đã có buổi sinh hoạt thường kỳ tháng {day:%m/%Y} "
                f"(ngày {other.date:%d/%m/%Y}).",
                code="regular_twice",
            )
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(organization=organization, recorded_by=acting_user)
        else:
            scope.require(acting_user, meeting.organization, scope.CHANGE)
            check_not_stale(meeting, based_on, what="buổi sinh hoạt")
            meeting.refresh_from_db()
        meeting.organization = organization
        meeting.date, meeting.kind = day, kind
        meeting.theme, meeting.note = theme.strip(), note.strip()
        try:
            with transaction.atomic():
                meeting.save()
        except IntegrityError:
            raise RuleError(
                f"Chi bộ đã có buổi {MeetingKind(kind).label.lower()} ngày {day:%d/%m/%Y}.",
                code="duplicate",
            ) from None
        meeting.documents.set(list(documents))
        exempted = {m.member.pk: m.exempted for m in members}
        existing = {a.member_id: a for a in meeting.attendance.all()}
        for member_id, row in existing.items():
            if member_id not in expected:
                row.delete()
        for member_id in expected:
            current = existing.get(member_id)
            presence = attendance[member_id]
            if current is None:
                Attendance.objects.create(
                    meeting=meeting,
                    member_id=member_id,
                    presence=presence,
                    exempted=exempted[member_id],
                )
            elif current.presence != presence or current.exempted != exempted[member_id]:
                current.presence, current.exempted = presence, exempted[member_id]
                current.save(update_fields=["presence", "exempted"])
        scope.require(acting_user, organization, scope.CHANGE)
    return meeting


def meeting_delete(*, acting_user, meeting: Meeting) -> None:
    scope.require(acting_user, meeting.organization, scope.CHANGE)
    with transaction.atomic():
        for row in meeting.attendance.all():
            row.delete()
        meeting.delete()


# --- Fees --------------------------------------------------------------------------------------


def income_basis_set(
    *, acting_user, member: Member, kind: str, amount: int, valid_from: date, note: str = ""
) -> IncomeBasis:
    """The member's basis from ``valid_from`` on (replacing one that starts the same day)."""
    fee_due(kind=kind, amount=amount)  # checks kind and amount
    scope.require(acting_user, member, scope.CHANGE)
    with transaction.atomic():
        basis = IncomeBasis.objects.filter(member=member, valid_from=valid_from).first()
        if basis is None:
            basis = IncomeBasis(member=member, valid_from=valid_from)
        elif (basis.kind, basis.amount, basis.note) == (kind, amount, note):
            return basis
        basis.kind, basis.amount, basis.note = kind, amount, note
        basis.save()
    return basis


@dataclass(frozen=True)
class Collected:
    member: Member
    paid: int
    paid_on: date
    note: str = ""
    #: The amount due as recorded elsewhere (an imported history); None: from the basis.
    due: int | None = None


def fee_collect(
    *, acting_user, organization: Organization, month: date, rows: Sequence[Collected]
) -> list[FeePayment]:
    """What the cell collected for ``month``: one payment per member (a second one for the same
    month replaces it). The member must belong to the cell on some day of the month; the due
    amount is computed from the member's basis. All or nothing."""
    month = month_start(month)
    last = month_end(month)
    # The collecting cell is a cell on the month's first day: the day its payments are read
    # under (scope, figures).
    _check_cell(acting_user=acting_user, organization=organization, day=month)
    belonging = set(
        MembershipSpan.objects.filter(organization=organization, valid_from__lte=last)
        .exclude(valid_to__lte=month)
        .values_list("member_id", flat=True)
    )
    written = []
    with transaction.atomic():
        for row in rows:
            if isinstance(row.paid, bool) or not isinstance(row.paid, int) or row.paid < 0:
                raise RuleError(
                    f"{row.member.full_name}: số tiền phải là số nguyên đồng, không âm.",
                    code="amount",
                )
            if row.member.pk not in belonging:
                raise RuleError(
                    f"{row.member.full_name} ({row.member.code}) không sinh hoạt tại chi bộ "
                    f"{organization.code} trong tháng {month:%m/%Y}.",
                    code="not_in_cell",
                )
            if row.paid_on < month:
                raise RuleError(
                    f"{row.member.full_name}: ngày đóng trước tháng {month:%m/%Y}.",
                    code="paid_before_month",
                )
            due = due_for(member=row.member, month=month) if row.due is None else row.due
            payment = FeePayment.objects.filter(member=row.member, month=month).first()
            if payment is None:
                payment = FeePayment.objects.create(
                    member=row.member,
                    organization=organization,
                    month=month,
                    due=due,
                    paid=row.paid,
                    paid_on=row.paid_on,
                    note=row.note,
                    recorded_by=acting_user,
                )
            elif (payment.organization_id, payment.due, payment.paid, payment.paid_on) != (
                organization.pk,
                due,
                row.paid,
                row.paid_on,
            ) or payment.note != row.note:
                scope.require(acting_user, payment.organization, scope.CHANGE)
                payment.organization, payment.due = organization, due
                payment.paid, payment.paid_on, payment.note = row.paid, row.paid_on, row.note
                payment.save()
            written.append(payment)
    return written


def fee_remit(
    *,
    acting_user,
    organization: Organization,
    month_from: date,
    month_to: date,
    amount: int,
    sent_on: date,
    note: str = "",
) -> FeeRemittance:
    """Record an amount of party fees the cell sent upward for ``month_from``..``month_to``."""
    month_from, month_to = month_start(month_from), month_start(month_to)
    if month_from > month_to:
        raise RuleError("Tháng bắt đầu phải trước tháng kết thúc.", code="period")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RuleError("Số tiền phải là số nguyên đồng, không âm.", code="amount")
    if sent_on < month_from:
        raise RuleError("Ngày nộp phải sau tháng bắt đầu.", code="sent_on")
    _check_cell(acting_user=acting_user, organization=organization, day=month_end(month_to))
    return FeeRemittance.objects.create(
        organization=organization,
        month_from=month_from,
        month_to=month_to,
        amount=amount,
        sent_on=sent_on,
        note=note,
    )
