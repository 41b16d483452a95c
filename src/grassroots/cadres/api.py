"""Cadres API: positions, appointments ("who held this post on D"), congresses and their results,
every cell's secretary, plans with their shares, rotations — through ``cadres.selectors`` and
``cadres.services`` exactly as the pages. The figures are the registry's
(``GET /api/v1/reports/cadres-committee``…)."""

from datetime import date

from ninja import Field, Query, Schema

from grassroots.cadres import selectors, services
from grassroots.cadres.models import (
    Appointment,
    Direction,
    EndReason,
    How,
    MoveKind,
    Plan,
    Rotation,
)
from grassroots.core import scope
from grassroots.core.api import AsOfParams, RowId, ScopedRouter, resolve_code
from grassroots.core.errors import RuleError
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions.models import Document

router = ScopedRouter(
    tags=["cadres"],
    visible_to=selectors.appointment_visible_to,
    what="bổ nhiệm",
    personal_data="Cán bộ",
)


class PositionOut(Schema):
    code: str
    name: str
    body: str
    committee: str


class AppointmentOut(Schema):
    id: int
    organization: str = Field(description="mã tổ chức")
    position: str = Field(description="mã chức danh")
    member: str | None = Field(description="mã đảng viên")
    person: str | None = Field(description="mã người ngoài Đảng")
    full_name: str
    how: How
    valid_from: date
    valid_to: date | None
    end_reason: str
    decision: str | None = Field(description="số quyết định")
    congress: int | None
    version: int

    @staticmethod
    def resolve_organization(a: Appointment) -> str:
        return a.organization.code

    @staticmethod
    def resolve_position(a: Appointment) -> str:
        return a.position.code

    @staticmethod
    def resolve_member(a: Appointment) -> str | None:
        return a.member.code if a.member else None

    @staticmethod
    def resolve_person(a: Appointment) -> str | None:
        return a.person.code if a.person else None

    @staticmethod
    def resolve_full_name(a: Appointment) -> str:
        return a.holder_name

    @staticmethod
    def resolve_decision(a: Appointment) -> str | None:
        return a.decision.number if a.decision else None

    @staticmethod
    def resolve_congress(a: Appointment) -> int | None:
        return a.congress_id


class AppointmentFilters(AsOfParams):
    organization: str | None = Field(None, description="mã tổ chức: nó và các tổ chức trực thuộc")
    position: str | None = Field(None, description="mã chức danh")
    member: str | None = Field(None, description="mã đảng viên: các chức danh người này đã giữ")
    history: bool = Field(False, description="cả những người đã thôi giữ chức")


def _document(request, number: str | None) -> Document | None:
    if not number:
        return None
    found = Document.objects.visible_to(request.auth).filter(number=number).first()
    if found is None:
        raise RuleError(f"Không tìm thấy văn bản số {number}.", code="unknown_code")
    return found


def _changeable_organization(request, code: str):
    return resolve_code(organization_visible_to(request.auth, scope.CHANGE), code, "tổ chức đảng")


def _member(request, code: str | None):
    return resolve_code(member_visible_to(request.auth), code, "đảng viên")


@router.list("/positions", response=PositionOut)
def list_positions(request):
    """The catalogue of positions."""
    return selectors.position_visible_to(request.auth).order_by("order", "code")


@router.list("/appointments", response=AppointmentOut)
def list_appointments(request, filters: Query[AppointmentFilters]):
    """Who held which post on ``as_of`` (``history``: every appointment); with ``member``, every
    post that member held."""
    member = _member(request, filters.member)
    if member is not None:
        return selectors.posts_of(user=request.auth, member=member)
    return selectors.appointment_list(
        user=request.auth,
        day=filters.day,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        position=resolve_code(
            selectors.position_visible_to(request.auth), filters.position, "chức danh"
        ),
        current=not filters.history,
    )


class AppointmentIn(Schema):
    organization_code: str
    position: str = Field(description="mã chức danh")
    member_code: str | None = None
    person_code: str | None = None
    how: How = How.APPOINTED
    valid_from: date
    valid_to: date | None = None
    decision: str | None = Field(None, description="số quyết định trong sổ văn bản")
    note: str = ""


@router.write("/appointments", response=AppointmentOut, status=201)
def create_appointment(request, body: AppointmentIn):
    return services.appointment_create(
        acting_user=request.auth,
        organization=_changeable_organization(request, body.organization_code),
        position=body.position,
        member=_member(request, body.member_code),
        person=resolve_code(
            selectors.person_visible_to(request.auth), body.person_code, "người ngoài Đảng"
        ),
        how=body.how,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        decision=_document(request, body.decision),
        note=body.note,
    )


class EndIn(Schema):
    day: date
    reason: EndReason
    decision: str | None = None
    version: int | None = None


@router.write("/appointments/{appointment_id}/end", response=AppointmentOut)
def end_appointment(request, appointment_id: RowId, body: EndIn):
    appointment = router.get_object(
        request,
        appointment_id,
        field="pk",
        queryset=selectors.appointment_visible_to(request.auth, scope.CHANGE),
    )
    return services.appointment_end(
        acting_user=request.auth,
        appointment=appointment,
        day=body.day,
        reason=body.reason,
        decision=_document(request, body.decision),
        based_on=body.version,
    )


class SecretaryOut(Schema):
    organization: str
    name: str
    secretary: str | None = Field(description="mã người giữ chức Bí thư ngày as_of")
    full_name: str | None
    since: date | None
    profile: dict | None


class OrganizationDay(AsOfParams):
    organization: str = Field(description="mã tổ chức đảng")


@router.read("/secretaries", response=list[SecretaryOut])
def cell_secretaries(request, params: Query[OrganizationDay]):
    """Every cell of the organisation's subtree on ``as_of`` with its secretary (null: none)."""
    organization = resolve_code(
        organization_visible_to(request.auth, scope.VIEW, params.day),
        params.organization,
        "tổ chức đảng",
        required=True,
    )
    assert organization is not None  # required=True
    rows = selectors.cell_secretaries_on(organization=organization, day=params.day)
    router.record(request, len(rows))
    out = []
    for row in rows:
        a = row.appointment
        profile = selectors.cadre_profile(a.holder, params.day) if a else None
        if profile:
            profile["birth_date"] = profile["birth_date"].isoformat()
        out.append(
            {
                "organization": row.version.organization.code,
                "name": row.version.name,
                "secretary": a.holder_code if a else None,
                "full_name": a.holder_name if a else None,
                "since": a.valid_from if a else None,
                "profile": profile,
            }
        )
    return out


class CongressOut(Schema):
    id: int
    organization: str
    number: int
    roman: str
    term_from: int
    term_to: int
    starts_on: date
    ends_on: date

    @staticmethod
    def resolve_organization(c) -> str:
        return c.organization.code


class CongressIn(Schema):
    organization_code: str
    number: int = Field(ge=1, le=100)
    term_from: int
    term_to: int
    starts_on: date
    ends_on: date
    note: str = ""


@router.list("/congresses", response=CongressOut)
def list_congresses(request):
    return selectors.congress_visible_to(request.auth).order_by("-starts_on", "id")


@router.write("/congresses", response=CongressOut, status=201)
def create_congress(request, body: CongressIn):
    data = body.dict()
    return services.congress_create(
        acting_user=request.auth,
        organization=_changeable_organization(request, data.pop("organization_code")),
        **data,
    )


class ResultIn(Schema):
    executive: list[str] = Field(description="mã đảng viên của Ban Chấp hành")
    standing: list[str] = []
    secretary: str | None = None
    deputies: list[str] = []
    inspection: list[str] = []
    inspection_chair: str | None = None
    decision: str | None = None


@router.write("/congresses/{congress_id}/result", response=list[AppointmentOut])
def record_result(request, congress_id: RowId, body: ResultIn):
    """The congress's result, recorded as appointments (the same result again: nothing)."""
    congress = router.get_object(
        request,
        congress_id,
        field="pk",
        queryset=selectors.congress_visible_to(request.auth, scope.CHANGE),
    )

    def members(codes: list[str]):
        return [_member(request, code) for code in codes]

    return services.congress_record_result(
        acting_user=request.auth,
        congress=congress,
        executive=members(body.executive),
        standing=members(body.standing),
        secretary=_member(request, body.secretary),
        deputies=members(body.deputies),
        inspection=members(body.inspection),
        inspection_chair=_member(request, body.inspection_chair),
        decision=_document(request, body.decision),
    )


class PlanOut(Schema):
    id: int
    organization: str
    term_from: int
    term_to: int
    term_starts_on: date
    approved_on: date

    @staticmethod
    def resolve_organization(p: Plan) -> str:
        return p.organization.code


class PlanEntryOut(Schema):
    id: int
    position: str
    member: str
    full_name: str
    added_on: date
    removed_on: date | None
    removal_reason: str

    @staticmethod
    def resolve_position(e) -> str:
        return e.position.code

    @staticmethod
    def resolve_member(e) -> str:
        return e.member.code

    @staticmethod
    def resolve_full_name(e) -> str:
        return e.member.full_name


class PlanDetailOut(Schema):
    id: int
    organization: str
    term_from: int
    term_to: int
    term_starts_on: date
    approved_on: date
    as_of: date
    entries: list[PlanEntryOut]
    shares: dict


@router.list("/plans", response=PlanOut)
def list_plans(request):
    return selectors.plan_visible_to(request.auth).order_by("-term_from", "id")


@router.read("/plans/{plan_id}", response=PlanDetailOut)
def plan_detail(request, plan_id: RowId, params: Query[AsOfParams]):
    """The plan on ``as_of``: its entries and its shares of women, young and ethnic-minority
    cadres against the policy targets."""
    plan = router.get_object(
        request, plan_id, field="pk", queryset=selectors.plan_visible_to(request.auth)
    )
    day = params.day
    return {
        **{f: getattr(plan, f) for f in ("id", "term_from", "term_to", "term_starts_on")},
        "approved_on": plan.approved_on,
        "organization": plan.organization.code,
        "as_of": day,
        "entries": list(selectors.plan_entries_on(plan, day)),
        "shares": selectors.plan_shares(plan, day),
    }


class PlanEntryIn(Schema):
    position: str
    member_code: str
    day: date


@router.write("/plans/{plan_id}/entries", response=PlanEntryOut, status=201)
def add_plan_entry(request, plan_id: RowId, body: PlanEntryIn):
    """Plan a member for a position, under every rule of 377-QĐ/TW (a refusal names the rule)."""
    plan = router.get_object(
        request, plan_id, field="pk", queryset=selectors.plan_visible_to(request.auth, scope.CHANGE)
    )
    member = _member(request, body.member_code)
    return services.plan_entry_add(
        acting_user=request.auth, plan=plan, position=body.position, member=member, day=body.day
    )


class RotationOut(Schema):
    id: int
    member: str
    full_name: str
    kind: MoveKind
    direction: Direction
    from_organization: str
    from_post: str
    to_organization: str
    to_post: str
    starts_on: date
    planned_end: date | None
    actual_end: date | None

    @staticmethod
    def resolve_member(r: Rotation) -> str:
        return r.member.code

    @staticmethod
    def resolve_full_name(r: Rotation) -> str:
        return r.member.full_name

    @staticmethod
    def resolve_from_organization(r: Rotation) -> str:
        return r.from_organization.code

    @staticmethod
    def resolve_to_organization(r: Rotation) -> str:
        return r.to_organization.code


class RotationFilters(AsOfParams):
    due: bool = Field(False, description="chỉ những người đến hạn trở về (tính từ as_of)")


@router.list("/rotations", response=RotationOut)
def list_rotations(request, filters: Query[RotationFilters]):
    return selectors.rotation_list(user=request.auth, due_on=filters.day if filters.due else None)


class RotationIn(Schema):
    member_code: str
    kind: MoveKind
    direction: Direction
    from_organization_code: str
    to_organization_code: str
    from_post: str = ""
    to_post: str = ""
    starts_on: date
    planned_end: date | None = None
    decision: str | None = None
    note: str = ""


@router.write("/rotations", response=RotationOut, status=201)
def create_rotation(request, body: RotationIn):
    visible = organization_visible_to(request.auth, scope.CHANGE)
    from_org = resolve_code(
        organization_visible_to(request.auth),
        body.from_organization_code,
        "tổ chức đi",
        required=True,
    )
    to_org = resolve_code(
        organization_visible_to(request.auth),
        body.to_organization_code,
        "tổ chức đến",
        required=True,
    )
    assert from_org is not None and to_org is not None  # required=True
    if not visible.filter(pk__in=[from_org.pk, to_org.pk]).exists():
        raise RuleError(
            "Cần ít nhất một trong hai tổ chức (đi hoặc đến) thuộc phạm vi của bạn.",
            code="unknown_code",
        )
    return services.rotation_create(
        acting_user=request.auth,
        member=_member(request, body.member_code),
        kind=body.kind,
        direction=body.direction,
        from_organization=from_org,
        to_organization=to_org,
        from_post=body.from_post,
        to_post=body.to_post,
        starts_on=body.starts_on,
        planned_end=body.planned_end,
        decision=_document(request, body.decision),
        note=body.note,
    )
