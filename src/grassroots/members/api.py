"""Members API: members of the user's scope on a date, their history, and the lifecycle actions
(which go through ``members.services`` exactly as the pages do)."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Schema
from pydantic import field_validator

from grassroots.core.api import AsOfParams, RowId, Rows, ScopedRouter, version_field
from grassroots.core.temporal import valid_on
from grassroots.members import services
from grassroots.members.models import (
    EventKind,
    Gender,
    LeftReason,
    Member,
    MemberEvent,
    MembershipSpan,
    Status,
)
from grassroots.members.selectors import member_list, member_party_age, member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.places.selectors import place_visible_to

router = ScopedRouter(
    tags=["members"], visible_to=member_visible_to, what="đảng viên", personal_data="Đảng viên"
)


# --- Output ----------------------------------------------------------------------------------


class MemberStateOut(Schema):
    """The member's state on ``as_of``, replayed from the events (a membership span)."""

    status: Status
    organization: str = Field(description="mã tổ chức đảng sinh hoạt")
    place: str = Field(description="mã địa bàn cư trú hoặc công tác")
    exempted: bool
    valid_from: dt.date = Field(description="trạng thái này có từ ngày")
    valid_to: dt.date | None

    @staticmethod
    def resolve_organization(span: MembershipSpan) -> str:
        return span.organization.code

    @staticmethod
    def resolve_place(span: MembershipSpan) -> str:
        return span.place.code


class MemberOut(Schema):
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    state: MemberStateOut | None = Field(
        description="trạng thái vào ngày as_of; null: không là đảng viên"
    )

    @staticmethod
    def resolve_state(member: Member) -> MembershipSpan | None:
        return member.span


class NextBadgeOut(Schema):
    years: int = Field(description="mốc huy hiệu Đảng (năm tuổi đảng)")
    date: dt.date = Field(description="ngày đủ tuổi đảng của mốc")


class ProfileChangeOut(Schema):
    date: dt.date = Field(description="ngày hiệu lực")
    field: str = Field(description="thông tin thay đổi (mã cột của Phiếu đảng viên)")
    value: str = Field(description="giá trị mới (mã với thông tin có danh mục)")
    recorded_at: dt.datetime


class ProcedureOut(Schema):
    id: int
    date: dt.date = Field(description="ngày trao huy hiệu, ngày phát thẻ")
    kind: str = Field(description="`badge` (Huy hiệu Đảng) hoặc `card` (thẻ đảng viên)")
    badge_years: int | None = Field(description="mốc huy hiệu (năm tuổi Đảng); null với thẻ")
    number: str = Field(description="số thẻ đảng viên hoặc số quyết định")
    recorded_at: dt.datetime


class ProcedureIn(Schema):
    date: dt.date
    kind: str = Field(description="`badge` hoặc `card`")
    badge_years: int | None = None
    number: str = Field("", max_length=40)
    note: str = ""


class MemberDetail(MemberOut):
    as_of: dt.date
    version: int = Field(description="phiên bản hồ sơ: gửi lại trong `version` khi sửa")
    ethnicity: str
    religion: str
    education: str
    occupation: str
    hometown: str
    national_id: str
    party_card_number: str
    admitted_on: dt.date | None = Field(description="ngày vào Đảng (Phiếu đảng viên)")
    confirmed_on: dt.date | None = Field(description="ngày chính thức (Phiếu đảng viên)")
    earlier_gaps: str = Field(
        description="gián đoạn sinh hoạt Đảng trước khi có lịch sử: "
        "YYYY-MM-DD/YYYY-MM-DD;… (mất đảng tịch/khôi phục)"
    )
    other_names: str
    residence: str
    occupation_group: str = Field(description="nhóm nghề nghiệp (mã, Biểu 2-BTCTW)")
    youth_union_date: dt.date | None
    general_education: str
    specialist_training: str
    degree: str
    academic_title: str
    political_theory: str
    state_management: str
    foreign_language: str
    it_skill: str
    file_number: str
    profile_changes: list[ProfileChangeOut] = Field(
        description="bổ sung hồ sơ theo ngày (Mẫu 3-HSĐV): từ ngày hiệu lực, thông tin có giá trị mới"
    )
    procedures: list[ProcedureOut] = Field(
        description="huy hiệu Đảng đã trao, thẻ đảng viên đã phát (Biểu 7-BTCTW)"
    )
    party_age_years: int = Field(
        description="tuổi đảng tròn năm vào ngày as_of: từ ngày vào Đảng, trừ thời gian gián đoạn"
    )
    next_badge: NextBadgeOut | None = Field(
        description="mốc huy hiệu Đảng tiếp theo; null: không còn mốc hoặc đã từ trần"
    )

    @staticmethod
    def resolve_profile_changes(member: Member) -> list:
        return list(member.profile_changes.order_by("date", "id"))

    @staticmethod
    def resolve_procedures(member: Member) -> list:
        return list(member.procedures.order_by("date", "id"))

    @staticmethod
    def resolve_party_age_years(member: Member) -> int:
        return member_party_age(member=member, day=member.as_of).years

    @staticmethod
    def resolve_next_badge(member: Member) -> dict | None:
        age = member_party_age(member=member, day=member.as_of)
        if age.next_badge_years is None or age.next_badge_on is None:
            return None
        return {"years": age.next_badge_years, "date": age.next_badge_on}

    @staticmethod
    def resolve_as_of(member: Member) -> dt.date:
        return member.as_of


class EventOut(Schema):
    id: int
    event: EventKind
    date: dt.date
    organization: str | None
    place: str | None
    reason: str
    note: str
    supersedes: int | None = Field(description="id của sự kiện được đính chính hoặc hủy")
    superseded_by: int | None = Field(description="id của sự kiện đính chính hoặc hủy sự kiện này")
    recorded_at: dt.datetime
    recorded_by: str | None = Field(description="tên đăng nhập của người ghi nhận")

    @staticmethod
    def resolve_event(event: MemberEvent) -> str:
        return event.kind

    @staticmethod
    def resolve_organization(event: MemberEvent) -> str | None:
        return event.organization.code if event.organization else None

    @staticmethod
    def resolve_place(event: MemberEvent) -> str | None:
        return event.place.code if event.place else None

    @staticmethod
    def resolve_supersedes(event: MemberEvent) -> int | None:
        return event.supersedes_id

    @staticmethod
    def resolve_superseded_by(event: MemberEvent) -> int | None:
        later = getattr(event, "superseded_by", None)  # reverse one-to-one: absent raises
        return later.pk if later else None

    @staticmethod
    def resolve_recorded_by(event: MemberEvent) -> str | None:
        return event.recorded_by.username if event.recorded_by else None


class WarningOut(Schema):
    code: str
    message: str


class EventRecorded(Schema):
    event: EventOut
    warnings: list[WarningOut] = Field(
        description="các quy định chỉ cảnh báo; sự kiện vẫn được lưu"
    )


class MemberCreated(Schema):
    member: MemberDetail
    event: EventOut | None
    warnings: list[WarningOut]


# --- Input -----------------------------------------------------------------------------------


class EventIn(Schema):
    """One lifecycle event, with the columns of the interchange format's member_events.csv."""

    event: EventKind
    date: dt.date
    organization_code: str = ""
    place_code: str = ""
    reason: LeftReason | None = Field(None, description="chỉ cho sự kiện left")
    note: str = ""

    @field_validator("event")
    @classmethod
    def not_cancelled(cls, kind: EventKind) -> EventKind:
        if kind == EventKind.CANCELLED:
            raise ValueError("dùng POST /members/{code}/events/{id}/cancel để hủy một sự kiện")
        return kind


class MemberIn(Schema):
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    ethnicity: str = ""
    religion: str = ""
    education: str = ""
    occupation: str = ""
    hometown: str = ""
    national_id: str = ""
    party_card_number: str = ""
    admitted_on: dt.date | None = Field(None, description="ngày vào Đảng (Phiếu đảng viên)")
    confirmed_on: dt.date | None = Field(None, description="ngày chính thức")
    earlier_gaps: str = Field(
        "", description="gián đoạn trước khi có lịch sử: YYYY-MM-DD/YYYY-MM-DD;…"
    )
    first_event: EventIn | None = Field(
        None,
        description="sự kiện đầu tiên (kết nạp hoặc chuyển đến), ghi cùng lúc; người dùng có "
        "phạm vi chỉ thấy đảng viên đã có sự kiện trong phạm vi của mình",
    )


class MemberProfileIn(Schema):
    """The profile fields to change; those left out keep their value."""

    full_name: str | None = None
    gender: Gender | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    religion: str | None = None
    education: str | None = None
    occupation: str | None = None
    hometown: str | None = None
    national_id: str | None = None
    party_card_number: str | None = None
    admitted_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    earlier_gaps: str | None = None
    version: int | None = version_field()


class CorrectionIn(Schema):
    """What changes in the corrected event; anything left out keeps the old value."""

    date: dt.date | None = None
    organization_code: str = ""
    place_code: str = ""
    reason: LeftReason | None = None
    note: str = ""


class CancelIn(Schema):
    note: str = ""


class MemberFilters(AsOfParams):
    search: str = Field("", description="tìm theo tên (không phân biệt dấu) hoặc mã")
    status: Status | None = None
    organization: str = Field("", description="mã tổ chức đảng: đảng viên của tổ chức và cấp dưới")


# --- Helpers ---------------------------------------------------------------------------------


def _attach_state(members: list[Member], day: dt.date) -> list[Member]:
    """Set ``member.span`` (the span on ``day`` with organisation and place) in one query."""
    spans = MembershipSpan.objects.filter(valid_on(day), member__in=members).select_related(
        "organization", "place"
    )
    by_member = {span.member_id: span for span in spans}
    for member in members:
        member.span = by_member.get(member.pk)
    return members


def _detail(member: Member, day: dt.date) -> Member:
    member.as_of = day
    return _attach_state([member], day)[0]


def _events(member: Member):
    return member.events.select_related(
        "organization", "place", "recorded_by", "superseded_by"
    ).order_by("date", "id")


def _visible_member(request, code: str) -> Member:
    return router.get_object(request, code)


def _organization(request, code: str):
    visible = organization_visible_to(request.auth)
    return router.resolve(request, code, queryset=visible, what="tổ chức đảng")


def _place(request, code: str):
    return router.resolve(request, code, queryset=place_visible_to(request.auth), what="địa bàn")


def _event_arguments(request, body: EventIn) -> dict:
    """``member_record_event`` arguments from ``body``, codes resolved inside the scope."""
    return {
        "kind": body.event,
        "day": body.date,
        "organization": _organization(request, body.organization_code),
        "place": _place(request, body.place_code),
        "reason": body.reason or "",
        "note": body.note,
    }


def _record(request, member: Member, body: EventIn):
    """Record ``body`` for ``member``."""
    return services.member_record_event(
        acting_user=request.auth, member=member, **_event_arguments(request, body)
    )


def _recorded(event: MemberEvent, warnings) -> dict:
    return {"event": _events(event.member).get(pk=event.pk), "warnings": warnings}


# --- Reads -----------------------------------------------------------------------------------


@router.list("/", response=MemberOut)
def list_members(request, filters: Query[MemberFilters]):
    """Members on ``as_of`` in the user's scope (or an organisation's subtree), by name."""
    members = member_list(
        user=request.auth,
        day=filters.day,
        search=filters.search,
        status=filters.status or "",
        organization=_organization(request, filters.organization),
    )
    return Rows(members, then=lambda items: _attach_state(items, filters.day))


@router.read("/{code}", response=MemberDetail)
def get_member(request, code: str, params: Query[AsOfParams]):
    """A member's profile and state on ``as_of``."""
    member = _detail(_visible_member(request, code), params.day)
    spans = MembershipSpan.objects.visible_to(request.auth, on=params.day)
    if member.span is not None and not spans.filter(pk=member.span.pk).exists():
        member.span = None  # on that day the member was outside the user's scope
    return member


@router.write("/{code}", response=MemberDetail, method="PATCH")
def update_member(request, code: str, body: MemberProfileIn):
    """Change profile fields. With ``version`` (from a read), a change based on a profile
    another user changed since is refused: 409 ``stale``, nothing changed."""
    fields = {
        name: value
        for name, value in body.model_dump(exclude={"version"}).items()
        if value is not None
    }
    member = services.member_update(
        acting_user=request.auth,
        member=_visible_member(request, code),
        based_on=body.version,
        **fields,
    )
    return _detail(member, timezone.localdate())


@router.read("/{code}/events", response=list[EventOut])
def list_member_events(request, code: str):
    """Every event of the member, superseded and cancelled ones included, by date."""
    return list(_events(_visible_member(request, code)).visible_to(request.auth))


# --- Lifecycle actions (editor role) -----------------------------------------------------------


@router.write("/", response=MemberCreated, status=201)
def create_member(request, body: MemberIn):
    """Create a member's profile, with its first event when given (all or nothing)."""
    profile = body.model_dump(exclude={"first_event"})
    first = body.first_event
    member, event, warnings = services.member_enrol(
        acting_user=request.auth,
        first_event=_event_arguments(request, first) if first is not None else None,
        **profile,
    )
    day = event.date if event else timezone.localdate()
    return {
        "member": _detail(member, day),
        "event": _events(member).get(pk=event.pk) if event else None,
        "warnings": warnings,
    }


@router.write("/{code}/events", response=EventRecorded, status=201)
def record_member_event(request, code: str, body: EventIn):
    """Record a lifecycle event (admitted, confirmed, moved, left…); refused events change
    nothing and answer 400."""
    event, warnings = _record(request, _visible_member(request, code), body)
    return _recorded(event, warnings)


@router.write("/{code}/events/{event_id}/correct", response=EventRecorded, status=201)
def correct_member_event(request, code: str, event_id: RowId, body: CorrectionIn):
    """Correct an event: a new event of the same kind supersedes it; both stay."""
    old = router.get_object(
        request, event_id, field="pk", queryset=_visible_member(request, code).events.all()
    )
    event, warnings = services.member_event_correct(
        acting_user=request.auth,
        event=old,
        day=body.date,
        organization=_organization(request, body.organization_code),
        place=_place(request, body.place_code),
        reason=body.reason,
        note=body.note,
    )
    return _recorded(event, warnings)


@router.write("/{code}/events/{event_id}/cancel", response=EventRecorded, status=201)
def cancel_member_event(request, code: str, event_id: RowId, body: CancelIn | None = None):
    """Withdraw an event recorded by mistake: a ``cancelled`` event supersedes it."""
    old = router.get_object(
        request, event_id, field="pk", queryset=_visible_member(request, code).events.all()
    )
    note = body.note if body else ""
    event = services.member_event_cancel(acting_user=request.auth, event=old, note=note)
    return _recorded(event, [])


@router.write("/{code}/procedures", response=ProcedureOut, status=201)
def record_member_procedure(request, code: str, body: ProcedureIn):
    """Record a party badge awarded (``badge`` with ``badge_years``) or a party card issued
    (``card``) for Biểu 7-BTCTW; a refused one changes nothing and answers 400."""
    return services.member_procedure_record(
        acting_user=request.auth,
        member=_visible_member(request, code),
        day=body.date,
        kind=body.kind,
        badge_years=body.badge_years,
        number=body.number,
        note=body.note,
    )
