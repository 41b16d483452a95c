"""Inspection API: cases (confidential: inspectors within scope, every read in the access log),
discipline decisions and appeals, programmes — through ``inspections.services`` exactly as the
pages. The figures are the registry's (``GET /api/v1/reports/inspection-cases``,
``/reports/discipline``)."""

from datetime import date

from ninja import Field, Query, Schema

from grassroots.core.api import RowId, ScopedRouter, resolve_code, version_field
from grassroots.inspections import selectors, services
from grassroots.inspections.models import (
    Conclusion,
    DecisionStatus,
    Kind,
    Level,
    Outcome,
    ProgrammeItem,
    ProgrammeKind,
    Step,
    Subject,
    ViolationKind,
)
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to

router = ScopedRouter(
    tags=["inspections"],
    visible_to=selectors.case_visible_to,
    what="cuộc kiểm tra",
    personal_data="Hồ sơ kiểm tra, giám sát và kỷ luật",
)


def _subject_code(obj) -> str:
    return obj.member.code if obj.member else obj.organization.code


class CaseOut(Schema):
    code: str
    kind: Kind
    subject: Subject
    subject_code: str
    organization: str = Field(description="mã tổ chức đảng (của đảng viên: nơi sinh hoạt)")
    topic: str
    deciding_body: str
    decision_number: str
    decided_on: date
    team: str
    planned_on: date | None
    notified_on: date | None
    verified_on: date | None
    reported_on: date | None
    concluded_on: date | None
    step: Step
    findings: str
    conclusion: str
    violation_kind: str
    version: int

    @staticmethod
    def resolve_subject_code(case) -> str:
        return _subject_code(case)

    @staticmethod
    def resolve_organization(case) -> str:
        return case.organization.code


class CaseFilters(Schema):
    kind: Kind | None = None
    year: int | None = Field(None, ge=1945, le=2200)
    organization: str | None = Field(None, description="mã tổ chức đảng: các cuộc thuộc nó")
    search: str = ""


class CaseIn(Schema):
    code: str
    kind: Kind
    subject: Subject
    subject_code: str = Field(description="mã đảng viên hoặc mã tổ chức đảng")
    topic: str
    deciding_body: str
    decision_number: str
    decided_on: date
    team: str = ""
    item_id: int | None = Field(None, description="nội dung của chương trình mà cuộc này thực hiện")


class StepIn(Schema):
    step: Step
    day: date
    findings: str = ""
    conclusion: Conclusion | None = None
    violation_kind: ViolationKind | None = None
    version: int | None = version_field()


class DecisionOut(Schema):
    code: str
    subject: Subject
    subject_code: str
    organization: str
    level: Level
    decided_on: date
    deciding_body: str
    decision_number: str
    status: DecisionStatus

    @staticmethod
    def resolve_subject_code(decision) -> str:
        return decision.subject_code

    @staticmethod
    def resolve_organization(decision) -> str:
        return decision.organization.code


class DecisionFilters(Schema):
    subject: Subject | None = None
    level: Level | None = None
    year: int | None = Field(None, ge=1945, le=2200)
    organization: str | None = None
    search: str = ""


class DecisionIn(Schema):
    code: str
    subject: Subject
    subject_code: str
    level: Level
    violation_kind: ViolationKind
    violation_date: date
    decided_on: date
    deciding_body: str
    decision_number: str
    votes_for: int = Field(ge=0, le=100_000)
    votes_total: int = Field(ge=1, le=100_000)
    case_code: str = ""
    note: str = ""


class AppealIn(Schema):
    lodged_on: date
    note: str = ""


class AppealDecisionIn(Schema):
    decided_on: date
    outcome: Outcome
    new_level: Level | None = None
    deciding_body: str = ""


class AppealOut(Schema):
    id: int
    decision: str
    lodged_on: date
    decided_on: date | None
    outcome: Outcome
    new_level: str

    @staticmethod
    def resolve_decision(appeal) -> str:
        return appeal.decision.code


class ProgrammeOut(Schema):
    id: int
    organization: str
    kind: ProgrammeKind
    year_from: int
    year_to: int
    title: str
    issued_by: str

    @staticmethod
    def resolve_organization(programme) -> str:
        return programme.organization.code


class ProgrammeIn(Schema):
    organization_code: str
    kind: ProgrammeKind
    year_from: int = Field(ge=1945, le=2200)
    year_to: int | None = Field(None, ge=1945, le=2200)
    title: str
    issued_by: str = ""


class ItemIn(Schema):
    kind: Kind
    subject: Subject
    subject_code: str
    topic: str
    period_start: date
    period_end: date


class ItemOut(Schema):
    id: int
    kind: Kind
    subject: Subject
    subject_code: str
    topic: str
    period_start: date
    period_end: date

    @staticmethod
    def resolve_subject_code(item) -> str:
        return item.member.code if item.member else item.subject_organization.code


def _subject(request, subject: str, code: str) -> dict:
    if subject == Subject.MEMBER:
        return {"member": resolve_code(member_visible_to(request.auth), code, "đảng viên")}
    return {
        "organization": resolve_code(organization_visible_to(request.auth), code, "tổ chức đảng")
    }


def _organization(request, code: str | None):
    return resolve_code(organization_visible_to(request.auth), code, "tổ chức đảng")


# --- Cases -------------------------------------------------------------------------------------


@router.list("/cases", response=CaseOut)
def list_cases(request, filters: Query[CaseFilters]):
    """Cases of the user's scope (inspectors and administrators only), newest first."""
    return selectors.case_list(
        user=request.auth,
        kind=filters.kind or "",
        year=filters.year,
        organization=_organization(request, filters.organization),
        search=filters.search,
    )


@router.read("/cases/{code}", response=CaseOut)
def get_case(request, code: str):
    return router.get_object(request, code)


@router.write("/cases", response=CaseOut, status=201)
def open_case(request, body: CaseIn):
    """Open a case by its decision; refused rules answer 400 and change nothing."""
    return services.case_open(
        acting_user=request.auth,
        code=body.code,
        kind=body.kind,
        subject=body.subject,
        topic=body.topic,
        deciding_body=body.deciding_body,
        decision_number=body.decision_number,
        decided_on=body.decided_on,
        team=body.team,
        item=router.get_object(
            request,
            body.item_id,
            field="pk",
            queryset=ProgrammeItem.objects.visible_to(request.auth),
        )
        if body.item_id
        else None,
        **_subject(request, body.subject, body.subject_code),
    )


@router.write("/cases/{code}/steps", response=CaseOut)
def record_case_step(request, code: str, body: StepIn):
    """Record a step (a step cannot precede the one before it)."""
    case = router.get_object(
        request, code, queryset=selectors.case_visible_to(request.auth, "change")
    )
    return services.case_step(
        acting_user=request.auth,
        case=case,
        step=body.step,
        day=body.day,
        findings=body.findings,
        conclusion=body.conclusion or "",
        violation_kind=body.violation_kind or "",
        based_on=body.version,
    )


# --- Discipline --------------------------------------------------------------------------------


@router.list("/decisions", response=DecisionOut)
def list_decisions(request, filters: Query[DecisionFilters]):
    """Discipline decisions of the user's scope: level, date, decision."""
    return selectors.decision_list(
        user=request.auth,
        subject=filters.subject or "",
        level=filters.level or "",
        year=filters.year,
        organization=_organization(request, filters.organization),
        search=filters.search,
    )


@router.read("/decisions/{code}", response=DecisionOut)
def get_decision(request, code: str):
    return router.get_object(request, code, queryset=selectors.decision_visible_to(request.auth))


@router.write("/decisions", response=DecisionOut, status=201)
def decide(request, body: DecisionIn):
    """A discipline decision; its effects on the registry (expulsion, dissolution) are recorded
    in the same transaction. Refused (400, nothing changed): the vote, the limitation period,
    a level the subject cannot receive."""
    case = None
    if body.case_code:
        case = resolve_code(
            selectors.case_visible_to(request.auth), body.case_code, "cuộc kiểm tra"
        )
    return services.discipline_decide(
        acting_user=request.auth,
        code=body.code,
        subject=body.subject,
        level=body.level,
        violation_kind=body.violation_kind,
        violation_date=body.violation_date,
        decided_on=body.decided_on,
        deciding_body=body.deciding_body,
        decision_number=body.decision_number,
        votes_for=body.votes_for,
        votes_total=body.votes_total,
        case=case,
        note=body.note,
        **_subject(request, body.subject, body.subject_code),
    )


@router.write("/decisions/{code}/appeals", response=AppealOut, status=201)
def lodge_appeal(request, code: str, body: AppealIn):
    """An appeal against the decision (one pending at a time)."""
    decision = router.get_object(
        request, code, queryset=selectors.decision_visible_to(request.auth)
    )
    return services.appeal_lodge(
        acting_user=request.auth, decision=decision, lodged_on=body.lodged_on, note=body.note
    )


@router.write("/appeals/{appeal_id}/decide", response=AppealOut)
def decide_appeal(request, appeal_id: RowId, body: AppealDecisionIn):
    """Decide an appeal: upheld, changed (the new level's effects replace the old ones) or
    cancelled (the decision's effects on the registry are withdrawn)."""
    appeal = router.get_object(
        request, appeal_id, field="pk", queryset=selectors.appeal_visible_to(request.auth)
    )
    return services.appeal_decide(
        acting_user=request.auth,
        appeal=appeal,
        decided_on=body.decided_on,
        outcome=body.outcome,
        new_level=body.new_level or "",
        deciding_body=body.deciding_body,
    )


# --- Programmes --------------------------------------------------------------------------------


@router.list("/programmes", response=ProgrammeOut)
def list_programmes(request):
    return selectors.programme_visible_to(request.auth).order_by("-year_from", "kind", "pk")


@router.read("/programmes/{programme_id}", response=list[ItemOut])
def programme_items(request, programme_id: RowId):
    """The programme's planned inspections and supervisions."""
    programme = router.get_object(
        request, programme_id, field="pk", queryset=selectors.programme_visible_to(request.auth)
    )
    return list(selectors.programme_items(programme=programme))


@router.write("/programmes", response=ProgrammeOut, status=201)
def create_programme(request, body: ProgrammeIn):
    return services.programme_create(
        acting_user=request.auth,
        organization=_organization(request, body.organization_code),
        kind=body.kind,
        year_from=body.year_from,
        year_to=body.year_to,
        title=body.title,
        issued_by=body.issued_by,
    )


@router.write("/programmes/{programme_id}/items", response=ItemOut, status=201)
def add_item(request, programme_id: RowId, body: ItemIn):
    programme = router.get_object(
        request,
        programme_id,
        field="pk",
        queryset=selectors.programme_visible_to(request.auth, "change"),
    )
    return services.programme_item_add(
        acting_user=request.auth,
        programme=programme,
        kind=body.kind,
        subject=body.subject,
        topic=body.topic,
        period_start=body.period_start,
        period_end=body.period_end,
        **_subject(request, body.subject, body.subject_code),
    )
