"""Cells API: the meetings of the user's scope with their attendance, recording a meeting (through
``cells.services`` exactly as the page does), the fees collected, a cell's monthly collection
and the attendance figures."""

from datetime import date

from django.utils import timezone
from ninja import Field, Query, Schema

from grassroots.cells import figures, selectors, services
from grassroots.cells.models import (
    BasisKind,
    Meeting,
    MeetingKind,
    Presence,
    ReviewStatus,
    ReviewSubject,
    StudyTarget,
)
from grassroots.core import scope
from grassroots.core.api import RowId, ScopedRouter, Year, resolve_code, version_field
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.permissions import visible_or_404
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions.models import Document

router = ScopedRouter(
    tags=["cells"],
    visible_to=selectors.meeting_visible_to,
    what="buổi sinh hoạt",
    personal_data="Điểm danh sinh hoạt chi bộ",
)


class AttendanceOut(Schema):
    member: str
    presence: Presence
    exempted: bool

    @staticmethod
    def resolve_member(row) -> str:
        return row.member.code


class MeetingOut(Schema):
    id: int
    organization: str
    date: date
    kind: MeetingKind
    theme: str
    documents: list[str] = Field(description="số, ký hiệu các văn bản quán triệt")
    note: str
    attendance: list[AttendanceOut]
    version: int

    @staticmethod
    def resolve_organization(meeting: Meeting) -> str:
        return meeting.organization.code

    @staticmethod
    def resolve_documents(meeting: Meeting) -> list[str]:
        return [d.number for d in meeting.documents.all()]

    @staticmethod
    def resolve_attendance(meeting: Meeting) -> list:
        return list(meeting.attendance.select_related("member").order_by("member__code"))


class MeetingFilters(Schema):
    organization: str | None = Field(None, description="mã tổ chức đảng: các buổi thuộc nó")
    year: Year | None = None
    kind: MeetingKind | None = None


class PresenceIn(Schema):
    member: str = Field(description="mã đảng viên")
    presence: Presence


class MeetingIn(Schema):
    organization: str
    date: date
    kind: MeetingKind = MeetingKind.REGULAR
    theme: str = ""
    documents: list[str] = Field(default_factory=list, description="số, ký hiệu văn bản")
    note: str = ""
    attendance: list[PresenceIn]
    version: int | None = version_field()


class FeeOut(Schema):
    member: str
    organization: str
    month: str = Field(description="YYYY-MM")
    due: int = Field(description="đồng")
    paid: int = Field(description="đồng")
    paid_on: date

    @staticmethod
    def resolve_member(p) -> str:
        return p.member.code

    @staticmethod
    def resolve_organization(p) -> str:
        return p.organization.code

    @staticmethod
    def resolve_month(p) -> str:
        return f"{p.month:%Y-%m}"


class PaymentIn(Schema):
    member: str
    paid: int = Field(ge=0, description="đồng, số nguyên")
    paid_on: date


class CollectionIn(Schema):
    organization: str
    month: str = Field(description="YYYY-MM")
    payments: list[PaymentIn]


class AttendanceRowOut(Schema):
    code: str
    name: str
    counts: dict[str, int]
    rate: float | None = Field(description="phần trăm có mặt / phải dự")


class AttendanceFiguresOut(Schema):
    organization: str
    year: int
    cells: list[AttendanceRowOut]
    members: list[AttendanceRowOut]


@router.list("/", response=MeetingOut)
def list_meetings(request, filters: Query[MeetingFilters]):
    """Meetings of the user's scope, newest first."""
    return selectors.meeting_list(
        user=request.auth,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        year=filters.year,
        kind=filters.kind or "",
    ).prefetch_related("documents")


@router.list("/fees", response=FeeOut)
def list_fees(request, organization: str | None = None, month: str = ""):
    """Party fees collected by the cells of the user's scope."""
    org = resolve_code(organization_visible_to(request.auth), organization, "tổ chức đảng")
    return selectors.fee_list(
        user=request.auth,
        organization=org,
        month=services.parse_month(month) if month else None,
    )


@router.read("/attendance", response=AttendanceFiguresOut)
def attendance_figures(request, organization: str, year: Year | None = None):
    """Attendance per cell and per member for a year; outside the scope: 404."""
    org = visible_or_404(organization_visible_to(request.auth), code=organization)
    year = year or timezone.localdate().year
    return {
        "organization": org.code,
        "year": year,
        "cells": figures.attendance_by_cell(organization=org, year=year),
        "members": figures.attendance_by_member(organization=org, year=year),
    }


def _code(queryset, code: str, what: str):
    """The object with ``code`` inside ``queryset`` (400 when there is none)."""
    found = resolve_code(queryset, code, what)
    if found is None:
        raise RuleError(f"Thiếu mã {what}.", code="required")
    return found


def _documents(request, numbers: list[str]) -> list[Document]:
    visible = Document.objects.visible_to(request.auth)
    found = []
    for number in numbers:
        matches = list(visible.filter(number__iexact=number.strip())[:2])
        if len(matches) != 1:
            raise RuleError(f"Không tìm thấy văn bản số {number}.", code="document")
        found.append(matches[0])
    return found


@router.write("/", response=MeetingOut, status=201)
def record_meeting(request, body: MeetingIn):
    """Record a meeting (or correct the cell's meeting of that kind on that day) with every
    member's presence; a refused one changes nothing and answers 400."""
    cell = _code(organization_visible_to(request.auth), body.organization, "chi bộ")
    members = member_visible_to(request.auth)
    attendance: dict[int, str] = {}
    for row in body.attendance:
        member = _code(members, row.member, "đảng viên")
        attendance[member.pk] = row.presence
    existing = (
        selectors.meeting_visible_to(request.auth)
        .filter(organization=cell, date=body.date, kind=body.kind)
        .first()
    )
    meeting = services.meeting_record(
        acting_user=request.auth,
        organization=cell,
        day=body.date,
        kind=body.kind,
        attendance=attendance,
        theme=body.theme,
        documents=_documents(request, body.documents),
        note=body.note,
        meeting=existing,
        based_on=body.version,
    )
    return selectors.meeting_visible_to(request.auth).get(pk=meeting.pk)


class BasisIn(Schema):
    member: str
    kind: BasisKind
    amount: int = Field(0, ge=0, description="đồng: lương, lương hưu hoặc mức cố định")
    valid_from: date
    note: str = ""
    version: int | None = version_field()


class BasisOut(Schema):
    id: int
    member: str
    kind: BasisKind
    amount: int
    valid_from: date
    monthly_fee: int = Field(description="đảng phí hằng tháng theo căn cứ này, đồng")
    note: str
    version: int

    @staticmethod
    def resolve_member(b) -> str:
        return b.member.code

    @staticmethod
    def resolve_monthly_fee(b) -> int:
        return services.fee_due(kind=b.kind, amount=int(b.amount))


class RemittanceIn(Schema):
    organization: str
    month_from: str = Field(description="YYYY-MM")
    month_to: str = Field(description="YYYY-MM")
    amount: int = Field(ge=0, description="đồng")
    sent_on: date
    note: str = ""
    version: int | None = version_field()


class RemittanceOut(Schema):
    id: int
    organization: str
    month_from: date
    month_to: date
    amount: int
    sent_on: date
    note: str
    version: int

    @staticmethod
    def resolve_organization(r) -> str:
        return r.organization.code


@router.write("/bases", response=BasisOut, status=201)
def set_basis(request, body: BasisIn):
    """A member's income basis for the party fee from a date on."""
    member = _code(member_visible_to(request.auth), body.member, "đảng viên")
    return services.income_basis_set(
        acting_user=request.auth,
        member=member,
        kind=body.kind,
        amount=body.amount,
        valid_from=body.valid_from,
        note=body.note,
    )


@router.write("/remittances", response=RemittanceOut, status=201)
def remit(request, body: RemittanceIn):
    """An amount of party fees a cell sent upward for a period of months."""
    cell = _code(organization_visible_to(request.auth), body.organization, "chi bộ")
    return services.fee_remit(
        acting_user=request.auth,
        organization=cell,
        month_from=services.parse_month(body.month_from),
        month_to=services.parse_month(body.month_to),
        amount=body.amount,
        sent_on=body.sent_on,
        note=body.note,
    )


@router.write("/fees", response=list[FeeOut], status=201)
def collect_fees(request, body: CollectionIn):
    """A cell's collection for a month (all or nothing)."""
    cell = _code(organization_visible_to(request.auth), body.organization, "chi bộ")
    members = member_visible_to(request.auth)
    rows = [
        services.Collected(_code(members, p.member, "đảng viên"), p.paid, p.paid_on)
        for p in body.payments
    ]
    return services.fee_collect(
        acting_user=request.auth,
        organization=cell,
        month=services.parse_month(body.month),
        rows=rows,
    )


# --- Study campaigns ---------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    organization: str
    document: str
    title: str
    start: date
    end: date
    target: StudyTarget
    target_note: str
    plan_required: bool
    note: str
    version: int

    @staticmethod
    def resolve_organization(c) -> str:
        return c.organization.code

    @staticmethod
    def resolve_document(c) -> str:
        return c.document.number


class CampaignIn(Schema):
    organization: str
    document: str = Field(description="số, ký hiệu văn bản, ví dụ 05-CT/TW")
    title: str
    start: date
    end: date
    target: StudyTarget = StudyTarget.ALL
    target_note: str = ""
    plan_required: bool = False
    note: str = ""
    version: int | None = version_field()


class SessionIn(Schema):
    organization: str = Field(description="mã tổ chức đảng tổ chức buổi học tập")
    date: date
    attended: list[str] = Field(description="mã các đảng viên đã dự")
    note: str = ""
    version: int | None = version_field()


class SessionOut(Schema):
    id: int
    organization: str
    date: date
    attended: list[str]
    note: str
    version: int

    @staticmethod
    def resolve_organization(s) -> str:
        return s.organization.code

    @staticmethod
    def resolve_attended(s) -> list[str]:
        return sorted(s.attendance.values_list("member__code", flat=True))


class PlanIn(Schema):
    member: str
    submitted_on: date
    content: str = ""
    version: int | None = version_field()


class PlanOut(Schema):
    member: str
    submitted_on: date
    content: str
    version: int

    @staticmethod
    def resolve_member(p) -> str:
        return p.member.code


class CampaignFilters(Schema):
    organization: str | None = Field(None, description="mã tổ chức đảng tổ chức đợt")
    year: Year | None = None


def _campaign(request, campaign_id: int, action: str = scope.VIEW):
    found = selectors.campaign_visible_to(request.auth, action).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(f"Không tìm thấy đợt học tập mã {campaign_id}.")
    return found


def _document(request, number: str) -> Document:
    found = _documents(request, [number])
    return found[0]


@router.list("/study", response=CampaignOut)
def list_campaigns(request, filters: Query[CampaignFilters]):
    """Study campaigns run inside the user's scope or above it."""
    return selectors.campaign_list(
        user=request.auth,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        year=filters.year,
    )


@router.read("/study/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: RowId):
    return _campaign(request, campaign_id)


@router.write("/study", response=CampaignOut, status=201)
def create_campaign(request, body: CampaignIn):
    """A study campaign of a document run by an organisation for its subtree."""
    return services.study_campaign_save(acting_user=request.auth, **_campaign_fields(request, body))


def _campaign_fields(request, body: CampaignIn) -> dict:
    """The service's keywords from a campaign's body (create and correct alike)."""
    return {
        "organization": _code(organization_visible_to(request.auth), body.organization, "tổ chức"),
        "document": _document(request, body.document),
        "title": body.title,
        "start": body.start,
        "end": body.end,
        "target": body.target,
        "target_note": body.target_note,
        "plan_required": body.plan_required,
        "note": body.note,
    }


@router.write("/study/{campaign_id}", response=CampaignOut, method="PUT")
def update_campaign(request, campaign_id: RowId, body: CampaignIn):
    """Correct a campaign (``version``: the one read; a stale one is 409)."""
    campaign = _campaign(request, campaign_id, scope.CHANGE)
    if not organization_visible_to(request.auth, scope.CHANGE).filter(pk=campaign.organization_id):
        raise NotFound(f"Không tìm thấy đợt học tập mã {campaign_id}.")
    return services.study_campaign_save(
        acting_user=request.auth,
        **_campaign_fields(request, body),
        campaign=campaign,
        based_on=body.version,
    )


@router.write("/study/{campaign_id}/sessions", response=SessionOut, status=201)
def record_session(request, campaign_id: RowId, body: SessionIn):
    """Record (or correct: the same organisation and day) a session with who attended."""
    campaign = _campaign(request, campaign_id, scope.CHANGE)
    unit = _code(organization_visible_to(request.auth), body.organization, "tổ chức")
    members = member_visible_to(request.auth)
    attended = [_code(members, code, "đảng viên") for code in body.attended]
    existing = (
        selectors.session_visible_to(request.auth)
        .filter(campaign=campaign, organization=unit, date=body.date)
        .first()
    )
    return services.study_session_record(
        acting_user=request.auth,
        campaign=campaign,
        organization=unit,
        day=body.date,
        attended=attended,
        note=body.note,
        session=existing,
        based_on=body.version,
    )


@router.write("/study/{campaign_id}/plans", response=PlanOut, status=201)
def record_plan(request, campaign_id: RowId, body: PlanIn):
    """A member's individual plan of action (kế hoạch làm theo) for the campaign."""
    campaign = _campaign(request, campaign_id, scope.CHANGE)
    return services.study_plan_record(
        acting_user=request.auth,
        campaign=campaign,
        member=_code(member_visible_to(request.auth), body.member, "đảng viên"),
        submitted_on=body.submitted_on,
        content=body.content,
        based_on=body.version,
    )


# --- Yearly self-criticism review ----------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    subject: ReviewSubject
    year: int
    member: str | None
    organization: str
    status: ReviewStatus
    reviewed_on: date | None
    note: str
    rating: str | None = Field(description="mức xếp loại chất lượng năm đó, nếu có")
    version: int

    @staticmethod
    def resolve_member(r) -> str | None:
        return r.member.code if r.member_id else None

    @staticmethod
    def resolve_organization(r) -> str:
        return r.organization.code

    @staticmethod
    def resolve_rating(r) -> str | None:
        rating = selectors.rating_of(r)
        return rating.level if rating is not None else None


class ReviewIn(Schema):
    year: int = Field(ge=1930, le=2100)
    member: str | None = Field(None, description="mã đảng viên (hoặc organization)")
    organization: str | None = Field(None, description="mã tổ chức đảng được kiểm điểm")
    status: ReviewStatus
    reviewed_on: date | None = None
    note: str = ""
    version: int | None = version_field()


class ReviewFilters(Schema):
    organization: str | None = None
    year: Year | None = None
    subject: ReviewSubject | None = None
    status: ReviewStatus | None = None


@router.list("/reviews", response=ReviewOut)
def list_reviews(request, filters: Query[ReviewFilters]):
    """Self-criticism reviews of the user's scope."""
    return selectors.review_list(
        user=request.auth,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        year=filters.year,
        subject=filters.subject or "",
        status=filters.status or "",
    )


@router.write("/reviews", response=ReviewOut, status=201)
def record_review(request, body: ReviewIn):
    """Record (or correct) the review of a member or an organisation for a year."""
    member = resolve_code(member_visible_to(request.auth), body.member, "đảng viên")
    organization = resolve_code(organization_visible_to(request.auth), body.organization, "tổ chức")
    return services.review_record(
        acting_user=request.auth,
        year=body.year,
        status=body.status,
        member=member,
        organization=organization,
        reviewed_on=body.reviewed_on,
        note=body.note,
        based_on=body.version,
    )


# --- Income bases and remittances (lists, corrections) ------------------------------------------


@router.list("/bases", response=BasisOut)
def list_bases(request, member: str | None = None):
    """Income bases of the members of the user's scope."""
    return selectors.basis_list(
        user=request.auth, member=resolve_code(member_visible_to(request.auth), member, "đảng viên")
    )


@router.write("/bases/{basis_id}", response=BasisOut, method="PUT")
def update_basis(request, basis_id: RowId, body: BasisIn):
    """Correct an income basis (``version``: the one read; a stale one is 409)."""
    basis = selectors.basis_visible_to(request.auth, scope.CHANGE).filter(pk=basis_id).first()
    if basis is None:
        raise NotFound(f"Không tìm thấy căn cứ mã {basis_id}.")
    return services.income_basis_set(
        acting_user=request.auth,
        member=_code(member_visible_to(request.auth), body.member, "đảng viên"),
        kind=body.kind,
        amount=body.amount,
        valid_from=body.valid_from,
        note=body.note,
        basis=basis,
        based_on=body.version,
    )


@router.list("/remittances", response=RemittanceOut)
def list_remittances(request, organization: str | None = None, year: Year | None = None):
    """Amounts sent upward by the cells of the user's scope."""
    return selectors.remittance_list(
        user=request.auth,
        organization=resolve_code(organization_visible_to(request.auth), organization, "tổ chức"),
        year=year,
    )


@router.write("/remittances/{remittance_id}", response=RemittanceOut, method="PUT")
def update_remittance(request, remittance_id: RowId, body: RemittanceIn):
    """Correct an amount sent upward (``version``: the one read; a stale one is 409)."""
    remittance = (
        selectors.remittance_visible_to(request.auth, scope.CHANGE).filter(pk=remittance_id).first()
    )
    if remittance is None:
        raise NotFound(f"Không tìm thấy khoản nộp mã {remittance_id}.")
    return services.fee_remit(
        acting_user=request.auth,
        organization=_code(organization_visible_to(request.auth), body.organization, "chi bộ"),
        month_from=services.parse_month(body.month_from),
        month_to=services.parse_month(body.month_to),
        amount=body.amount,
        sent_on=body.sent_on,
        note=body.note,
        remittance=remittance,
        based_on=body.version,
    )


# Last: "/{meeting_id}" would otherwise catch "/bases", "/fees"… of the routes above.
@router.read("/{meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: RowId):
    return router.get_object(request, meeting_id, field="pk")
