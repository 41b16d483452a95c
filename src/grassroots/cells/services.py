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
    ReviewStatus,
    ReviewSubject,
    SelfCriticism,
    StudyAttendance,
    StudyCampaign,
    StudyPlan,
    StudySession,
    StudyTarget,
)
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.members.models import Member, MembershipSpan
from grassroots.organizations.models import (
    CELL_KINDS,
    Organization,
    OrganizationClosure,
    OrganizationVersion,
)
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
    *,
    acting_user,
    member: Member,
    kind: str,
    amount: int,
    valid_from: date,
    note: str = "",
    basis: IncomeBasis | None = None,
    based_on: str | int | None = None,
) -> IncomeBasis:
    """The member's basis from ``valid_from`` on (replacing one that starts the same day); with
    ``basis``: correct that one (its member, kind, amount, day), refused when stale."""
    fee_due(kind=kind, amount=amount)  # checks kind and amount
    scope.require(acting_user, member, scope.CHANGE)
    if basis is not None:
        return _income_basis_update(
            acting_user=acting_user,
            basis=basis,
            member=member,
            kind=kind,
            amount=amount,
            valid_from=valid_from,
            note=note,
            based_on=based_on,
        )
    with transaction.atomic():
        basis = IncomeBasis.objects.filter(member=member, valid_from=valid_from).first()
        if basis is None:
            basis = IncomeBasis(member=member, valid_from=valid_from)
        elif (basis.kind, basis.amount, basis.note) == (kind, amount, note):
            return basis
        basis.kind, basis.amount, basis.note = kind, amount, note
        basis.save()
    return basis


def _income_basis_update(
    *, acting_user, basis, member, kind, amount, valid_from, note, based_on
) -> IncomeBasis:
    scope.require(acting_user, basis.member, scope.CHANGE)
    with transaction.atomic():
        check_not_stale(basis, based_on, what="căn cứ đóng đảng phí")
        other = (
            IncomeBasis.objects.filter(member=member, valid_from=valid_from)
            .exclude(pk=basis.pk)
            .first()
        )
        if other is not None:
            raise RuleError(
                f"{member.full_name} đã có căn cứ đóng đảng phí áp dụng từ ngày "
                f"{valid_from:%d/%m/%Y}.",
                code="basis_duplicate",
            )
        basis.member, basis.kind, basis.amount = member, kind, amount
        basis.valid_from, basis.note = valid_from, note
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
    remittance: FeeRemittance | None = None,
    based_on: str | int | None = None,
) -> FeeRemittance:
    """Record an amount of party fees the cell sent upward for ``month_from``..``month_to``;
    with ``remittance``: correct that one (refused when stale)."""
    month_from, month_to = month_start(month_from), month_start(month_to)
    if month_from > month_to:
        raise RuleError("Tháng bắt đầu phải trước tháng kết thúc.", code="period")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RuleError("Số tiền phải là số nguyên đồng, không âm.", code="amount")
    if sent_on < month_from:
        raise RuleError("Ngày nộp phải sau tháng bắt đầu.", code="sent_on")
    _check_cell(acting_user=acting_user, organization=organization, day=month_end(month_to))
    if remittance is None:
        return FeeRemittance.objects.create(
            organization=organization,
            month_from=month_from,
            month_to=month_to,
            amount=amount,
            sent_on=sent_on,
            note=note,
        )
    scope.require(acting_user, remittance.organization, scope.CHANGE)
    with transaction.atomic():
        check_not_stale(remittance, based_on, what="khoản nộp cấp trên")
        remittance.organization = organization
        remittance.month_from, remittance.month_to = month_from, month_to
        remittance.amount, remittance.sent_on, remittance.note = amount, sent_on, note
        remittance.save()
    return remittance


# --- Study campaigns ---------------------------------------------------------------------------


def members_under(*, organization: Organization | int, day: date):
    """Spans valid on ``day`` of the members (probationary or official) of Subtree(O, day)."""
    pk = organization if isinstance(organization, int) else organization.pk
    closure = OrganizationClosure.objects.filter(valid_on(day), ancestor_id=pk)
    return MembershipSpan.objects.filter(
        valid_on(day), organization_id__in=closure.values("descendant_id")
    )


def _in_subtree(ancestor: Organization, organization: Organization, day: date) -> bool:
    return OrganizationClosure.objects.filter(
        valid_on(day), ancestor=ancestor, descendant=organization
    ).exists()


def _text(value: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise RuleError(f"{what} dài quá {limit} ký tự.", code="too_long")
    return value


def study_campaign_save(
    *,
    acting_user,
    organization: Organization,
    document: Document,
    title: str,
    start: date,
    end: date,
    target: str = StudyTarget.ALL,
    target_note: str = "",
    plan_required: bool = False,
    note: str = "",
    campaign: StudyCampaign | None = None,
    based_on: str | int | None = None,
) -> StudyCampaign:
    """Create (or correct ``campaign``) a study campaign of ``document`` run by
    ``organization`` for its subtree from ``start`` to ``end``."""
    title = _text(title, 300, "Tên đợt học tập")
    if not title:
        raise RuleError("Nhập tên đợt học tập.", code="title")
    if start > end:
        raise RuleError("Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.", code="period")
    if not (start.year >= 1930 and end.year <= 2100):
        raise RuleError("Thời gian của đợt phải trong các năm 1930–2100.", code="period")
    if target not in StudyTarget.values:
        raise RuleError(f"Đối tượng “{target}” không hợp lệ.", code="target")
    if (
        OrganizationVersion.objects.filter(valid_on(start), organization=organization).first()
        is None
    ):
        raise RuleError(
            f"{organization.code} không tồn tại vào ngày {start:%d/%m/%Y}.", code="organization"
        )
    if (
        campaign is not None
        and campaign.pk is not None
        and (
            campaign.sessions.filter(date__lt=start).exists()
            or campaign.sessions.filter(date__gt=end).exists()
        )
    ):
        raise RuleError(
            "Đã có buổi học tập ngoài khoảng thời gian mới của đợt.", code="sessions_outside"
        )
    scope.require(acting_user, organization, scope.CHANGE)
    with transaction.atomic():
        if campaign is None:
            campaign = StudyCampaign(recorded_by=acting_user)
        else:
            scope.require(acting_user, campaign.organization, scope.CHANGE)
            check_not_stale(campaign, based_on, what="đợt học tập")
        campaign.organization, campaign.document, campaign.title = organization, document, title
        campaign.start, campaign.end = start, end
        campaign.target, campaign.target_note = target, _text(target_note, 300, "Đối tượng")
        campaign.plan_required, campaign.note = plan_required, (note or "").strip()
        campaign.save()
    return campaign


def study_targeted(*, campaign: StudyCampaign, organization: Organization | int, day: date):
    """Spans on ``day`` of the members the campaign targets inside Subtree(O, day) ∩
    Subtree(campaign's organisation, day): its target group, not exempted that day."""
    spans = members_under(organization=organization, day=day).filter(
        organization_id__in=OrganizationClosure.objects.filter(
            valid_on(day), ancestor_id=campaign.organization_id
        ).values("descendant_id"),
        exempted=False,
    )
    if campaign.target != StudyTarget.ALL:
        spans = spans.filter(status=campaign.target)
    return spans


def study_session_record(
    *,
    acting_user,
    campaign: StudyCampaign,
    organization: Organization,
    day: date,
    attended: Iterable[Member],
    note: str = "",
    session: StudySession | None = None,
    based_on: str | int | None = None,
) -> StudySession:
    """Record (or correct ``session``) the session of ``campaign`` held by ``organization`` on
    ``day`` with the members who attended: members of Subtree(organisation, day) then. The
    organisation is in the campaign's subtree that day, the day inside the campaign's period
    and not in the future."""
    if not campaign.start <= day <= campaign.end:
        raise RuleError(
            f"Ngày học tập phải trong thời gian của đợt ({campaign.start:%d/%m/%Y} – "
            f"{campaign.end:%d/%m/%Y}).",
            code="outside_period",
        )
    if day > timezone.localdate():
        raise RuleError("Ngày học tập không được sau hôm nay.", code="future")
    if not _in_subtree(campaign.organization, organization, day):
        raise RuleError(
            f"{organization.code} không thuộc {campaign.organization.code} vào ngày "
            f"{day:%d/%m/%Y}.",
            code="outside_campaign",
        )
    scope.require(acting_user, organization, scope.CHANGE, on=day)
    attended = list(attended)
    belonging = set(
        members_under(organization=organization, day=day).values_list("member_id", flat=True)
    )
    strangers = [m for m in attended if m.pk not in belonging]
    if strangers:
        codes = ", ".join(m.code for m in strangers[:5])
        raise RuleError(
            f"Không phải đảng viên của {organization.code} vào ngày {day:%d/%m/%Y}: {codes}.",
            code="not_in_organization",
        )
    with transaction.atomic():
        if session is None:
            session = StudySession(campaign=campaign)
        else:
            scope.require(acting_user, session.organization, scope.CHANGE)
            check_not_stale(session, based_on, what="buổi học tập")
        session.organization, session.date = organization, day
        session.note = _text(note, 300, "Ghi chú")
        try:
            with transaction.atomic():
                session.save()
        except IntegrityError:
            raise RuleError(
                f"{organization.code} đã có buổi học tập của đợt này ngày {day:%d/%m/%Y}.",
                code="duplicate",
            ) from None
        wanted = {m.pk for m in attended}
        for row in session.attendance.exclude(member_id__in=wanted):
            row.delete()
        have = set(session.attendance.values_list("member_id", flat=True))
        for pk in sorted(wanted - have):
            StudyAttendance.objects.create(session=session, member_id=pk)
    return session


def study_plan_record(
    *,
    acting_user,
    campaign: StudyCampaign,
    member: Member,
    submitted_on: date,
    content: str = "",
    based_on: str | int | None = None,
) -> StudyPlan:
    """Record (or correct) the member's individual plan of action for the campaign: the member
    belongs to the campaign's subtree on ``submitted_on``, a day of the period or after it, not
    in the future."""
    if submitted_on < campaign.start:
        raise RuleError(
            f"Ngày nộp kế hoạch phải từ ngày bắt đầu đợt ({campaign.start:%d/%m/%Y}).",
            code="before_campaign",
        )
    if submitted_on > timezone.localdate():
        raise RuleError("Ngày nộp không được sau hôm nay.", code="future")
    if (
        not members_under(organization=campaign.organization, day=submitted_on)
        .filter(member=member)
        .exists()
    ):
        raise RuleError(
            f"{member.full_name} ({member.code}) không sinh hoạt trong "
            f"{campaign.organization.code} vào ngày {submitted_on:%d/%m/%Y}.",
            code="outside_campaign",
        )
    scope.require(acting_user, member, scope.CHANGE)
    with transaction.atomic():
        plan = StudyPlan.objects.filter(campaign=campaign, member=member).first()
        check_not_stale(plan, based_on, what="kế hoạch làm theo")
        if plan is None:
            plan = StudyPlan(campaign=campaign, member=member)
        elif (plan.submitted_on, plan.content) == (submitted_on, content.strip()):
            return plan
        plan.submitted_on, plan.content = submitted_on, content.strip()
        plan.save()
    return plan


# --- Yearly self-criticism review --------------------------------------------------------------


def review_record(
    *,
    acting_user,
    year: int,
    status: str,
    member: Member | None = None,
    organization: Organization | None = None,
    reviewed_on: date | None = None,
    note: str = "",
    based_on: str | int | None = None,
) -> SelfCriticism:
    """Record (or correct) the self-criticism review of ``year`` of a member (``member``) or of
    an organisation (``organization``): done (with its day, inside the year, not in the future)
    or not done. A member's review belongs to the member's organisation on that day (not done:
    on the last day of the year, or today when the year is not over)."""
    if (member is None) == (organization is None):
        raise RuleError("Chọn một đảng viên hoặc một tổ chức đảng.", code="subject")
    if status not in ReviewStatus.values:
        raise RuleError(f"Tình trạng “{status}” không hợp lệ.", code="status")
    today = timezone.localdate()
    if not 1930 <= year <= today.year:
        raise RuleError(f"Năm {year} không hợp lệ.", code="year")
    if status == ReviewStatus.DONE:
        if reviewed_on is None:
            raise RuleError("Nhập ngày kiểm điểm.", code="reviewed_on")
        if reviewed_on.year not in (year, year + 1) or reviewed_on > today:
            raise RuleError(
                f"Ngày kiểm điểm phải trong năm {year} hoặc đầu năm {year + 1}, không sau hôm nay.",
                code="reviewed_on",
            )
        day = min(reviewed_on, date(year, 12, 31))
    else:
        reviewed_on = None
        day = min(date(year, 12, 31), today)
    if member is not None:
        span = MembershipSpan.objects.filter(valid_on(day), member=member).first()
        if span is None:
            raise RuleError(
                f"{member.full_name} ({member.code}) không là đảng viên vào ngày {day:%d/%m/%Y}.",
                code="not_member",
            )
        owner = span.organization
        found = SelfCriticism.objects.filter(subject=ReviewSubject.MEMBER, member=member, year=year)
        scope.require(acting_user, member, scope.CHANGE)
    else:
        assert organization is not None
        if not OrganizationVersion.objects.filter(
            valid_on(day), organization=organization
        ).exists():
            raise RuleError(
                f"{organization.code} không tồn tại vào ngày {day:%d/%m/%Y}.", code="organization"
            )
        owner = organization
        found = SelfCriticism.objects.filter(
            subject=ReviewSubject.ORGANIZATION, organization=organization, year=year
        )
        scope.require(acting_user, organization, scope.CHANGE)
    note = _text(note, 300, "Ghi chú")
    with transaction.atomic():
        review = found.first()
        check_not_stale(review, based_on, what="kết quả kiểm điểm")
        if review is None:
            review = SelfCriticism(
                subject=ReviewSubject.MEMBER if member else ReviewSubject.ORGANIZATION,
                member=member,
                year=year,
                recorded_by=acting_user,
            )
        elif (review.status, review.reviewed_on, review.note, review.organization_id) == (
            status,
            reviewed_on,
            note,
            owner.pk,
        ):
            return review
        review.organization, review.day = owner, day
        review.status, review.reviewed_on, review.note = status, reviewed_on, note
        review.save()
        scope.require(acting_user, review.organization, scope.CHANGE)
    return review
