"""Party-development API: candidates of the user's scope with their steps, the step actions
(through ``admissions.services`` exactly as the pages), targets and the figures."""

import datetime as dt

from django.db import transaction
from ninja import Field, Query, Schema

from grassroots.admissions import figures, selectors, services
from grassroots.admissions.models import (
    AdmissionTarget,
    Candidate,
    CandidateStep,
    Source,
    Stage,
)
from grassroots.core.api import (
    READ_ERRORS,
    AsOfParams,
    ScopedRouter,
    Year,
    resolve_code,
    version_field,
)
from grassroots.core.errors import RuleError
from grassroots.members.models import Gender
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.places.selectors import place_visible_to

router = ScopedRouter(
    tags=["admissions"],
    visible_to=selectors.candidate_visible_to,
    what="quần chúng",
    personal_data="Quần chúng ưu tú",
)


class StepOut(Schema):
    stage: Stage
    date: dt.date
    sponsor_1: str | None = Field(description="mã đảng viên giới thiệu")
    sponsor_2: str | None
    youth_union_sponsor: bool
    eligible: int | None
    votes_for: int | None
    decision_number: str
    reason: str
    note: str
    recorded_at: dt.datetime
    recorded_by: str | None

    @staticmethod
    def resolve_sponsor_1(step: CandidateStep) -> str | None:
        return step.sponsor_1.code if step.sponsor_1 else None

    @staticmethod
    def resolve_sponsor_2(step: CandidateStep) -> str | None:
        return step.sponsor_2.code if step.sponsor_2 else None

    @staticmethod
    def resolve_recorded_by(step: CandidateStep) -> str | None:
        return step.recorded_by.username if step.recorded_by else None


class CandidateOut(Schema):
    code: str
    version: int = Field(description="phiên bản: gửi lại trong `version` khi ghi bước")
    full_name: str
    gender: Gender
    birth_date: dt.date
    ethnicity: str
    source: Source
    is_local: bool
    organization: str = Field(description="mã chi bộ")
    place: str = Field(description="mã nơi cư trú")
    stage: Stage = Field(description="bước hiện tại")
    member: str | None = Field(description="mã đảng viên sau lễ kết nạp")

    @staticmethod
    def resolve_organization(c: Candidate) -> str:
        return c.organization.code

    @staticmethod
    def resolve_place(c: Candidate) -> str:
        return c.place.code

    @staticmethod
    def resolve_member(c: Candidate) -> str | None:
        return c.member.code if c.member else None


class CandidateDetail(CandidateOut):
    education: str
    occupation: str
    hometown: str
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(c: Candidate) -> list:
        return selectors.candidate_steps(candidate=c)


class WarningOut(Schema):
    code: str
    message: str


class StepRecorded(Schema):
    candidate: CandidateDetail
    warnings: list[WarningOut]


class CandidateIn(Schema):
    code: str
    full_name: str
    gender: Gender
    birth_date: dt.date
    ethnicity: str = ""
    education: str = ""
    occupation: str = ""
    hometown: str = ""
    source: Source
    is_local: bool = True
    organization_code: str
    place_code: str
    identified_on: dt.date
    note: str = ""


class StepIn(Schema):
    """One step; only the fields of its stage are read."""

    stage: Stage | None = Field(None, description="bước ghi nhận (bắt buộc)")
    date: dt.date
    sponsor_1: str = Field("", description="sponsored: mã đảng viên")
    sponsor_2: str = ""
    youth_union_sponsor: bool = False
    eligible: int | None = Field(None, description="voted/confirmed: số đảng viên chính thức")
    votes_for: int | None = None
    decision_number: str = ""
    member_code: str = Field("", description="admitted: mã đảng viên (mặc định mã quần chúng)")
    confirmed: bool = Field(True, description="confirmed: false = không công nhận")
    reason: str = ""
    note: str = ""
    version: int | None = version_field()


class CandidateFilters(AsOfParams):
    search: str = ""
    stage: Stage | None = Field(None, description="bước tại ngày as_of")
    organization: str = Field("", description="mã tổ chức đảng: chi bộ và cấp dưới")


class TargetOut(Schema):
    organization: str
    version: int = Field(description="phiên bản: gửi lại trong `version` khi sửa")
    year_from: int
    year_to: int
    per_year: int | None
    total: int | None
    source: str
    note: str

    @staticmethod
    def resolve_organization(t: AdmissionTarget) -> str:
        return t.organization.code


class TargetIn(Schema):
    organization_code: str
    year_from: Year
    year_to: Year
    per_year: int | None = Field(None, ge=0, le=1_000_000)
    total: int | None = Field(None, ge=0, le=1_000_000)
    source: str = ""
    note: str = ""
    version: int | None = version_field()


class FunnelOut(Schema):
    organization: str
    as_of: dt.date
    stages: dict[str, int]


class YearOut(Schema):
    year: int
    admitted: int
    target: int | None
    attained: float | None
    met: bool | None
    groups: dict[str, int]


class TargetsReportOut(Schema):
    organization: str
    years: list[YearOut]


class OverdueOut(Schema):
    candidate: str
    stage: str
    since: dt.date
    due: dt.date
    next_step: str


def _organization(request, code: str):
    return resolve_code(organization_visible_to(request.auth), code, "tổ chức đảng")


def _candidate(request, code: str) -> Candidate:
    candidates = router.visible(request).select_related("organization", "place", "member")
    return router.get_object(request, code, queryset=candidates)


def _report_organization(request, code: str):
    found = _organization(request, code)
    if found is None:
        raise RuleError("Cần mã tổ chức đảng.", code="organization_required")
    return found


@router.list("/candidates", response=CandidateOut)
def list_candidates(request, filters: Query[CandidateFilters]):
    """Candidates of the scope (or an organisation's subtree), with their stage on ``as_of``."""
    return selectors.candidate_list(
        user=request.auth,
        day=filters.day,
        search=filters.search,
        stage=filters.stage or "",
        organization=_organization(request, filters.organization),
    ).select_related("place")


@router.read("/candidates/{code}", response=CandidateDetail)
def get_candidate(request, code: str):
    return _candidate(request, code)


@router.write("/candidates", response=CandidateDetail, status=201)
def create_candidate(request, body: CandidateIn):
    """Identify a source: the candidate and its first step."""
    data = body.model_dump(exclude={"organization_code", "place_code"})
    organization = _organization(request, body.organization_code)
    place = resolve_code(place_visible_to(request.auth), body.place_code, "địa bàn")
    if organization is None or place is None:
        raise RuleError("Cần mã chi bộ và mã nơi cư trú.", code="code_required")
    candidate = services.candidate_create(
        acting_user=request.auth, organization=organization, place=place, **data
    )
    return _candidate(request, candidate.code)


@router.write("/candidates/{code}/steps", response=StepRecorded, status=201)
def record_step(request, code: str, body: StepIn):
    """Record the candidate's next step (or drop it); refused steps change nothing (400)."""
    candidate = _candidate(request, code)  # outside the scope: 404 before anything else
    if body.stage is None:
        raise RuleError("Cần ghi bước (stage).", code="stage_required")
    common = {"acting_user": request.auth, "candidate": candidate, "day": body.date}
    members = member_visible_to(request.auth)
    with transaction.atomic():
        services.candidate_not_stale(candidate, body.version)
        if body.stage == Stage.SPONSORED:
            sponsor_1 = resolve_code(members, body.sponsor_1, "đảng viên")
            if sponsor_1 is None:
                raise RuleError("Cần mã đảng viên giới thiệu.", code="sponsor_required")
            result = services.candidate_sponsor(
                **common,
                sponsor_1=sponsor_1,
                sponsor_2=resolve_code(members, body.sponsor_2, "đảng viên"),
                youth_union_sponsor=body.youth_union_sponsor,
                note=body.note,
            )
        elif body.stage == Stage.VOTED:
            if body.eligible is None or body.votes_for is None:
                raise RuleError("Cần số đảng viên chính thức và số tán thành.", code="bad_count")
            result = services.candidate_vote(
                **common, eligible=body.eligible, votes_for=body.votes_for, note=body.note
            )
        elif body.stage == Stage.DECIDED:
            result = services.candidate_decide(
                **common, decision_number=body.decision_number, note=body.note
            )
        elif body.stage == Stage.ADMITTED:
            result = services.candidate_admit(
                **common, member_code=body.member_code, note=body.note
            )
        elif body.stage in (Stage.CONFIRMED, Stage.NOT_CONFIRMED):
            result = services.candidate_confirm(
                **common,
                confirmed=body.confirmed and body.stage == Stage.CONFIRMED,
                eligible=body.eligible,
                votes_for=body.votes_for,
                reason=body.reason,
                note=body.note,
            )
        elif body.stage == Stage.DROPPED:
            result = services.candidate_drop(**common, reason=body.reason, note=body.note)
        elif body.stage == Stage.IDENTIFIED:
            raise RuleError("Xác định nguồn là bước tạo hồ sơ.", code="out_of_order")
        else:
            result = services.STEP_SERVICES[body.stage](**common, note=body.note)
    warnings = result[1] if isinstance(result, tuple) else []
    return {"candidate": _candidate(request, code), "warnings": warnings}


@router.read("/targets", response=list[TargetOut])
def list_targets(request):
    return list(selectors.target_visible_to(request.auth).order_by("organization__code"))


@router.write("/targets", response=TargetOut, status=201)
def set_target(request, body: TargetIn):
    """Create or replace the target of an organisation for a period."""
    target = services.target_set(
        acting_user=request.auth,
        organization=_report_organization(request, body.organization_code),
        based_on=body.version,
        **body.model_dump(exclude={"organization_code", "version"}),
    )
    return target


@router.get("/figures/funnel", response={200: FunnelOut, **READ_ERRORS})
def funnel(request, organization: str, params: Query[AsOfParams]):
    """Candidates by stage on ``as_of`` in the organisation's subtree."""
    org = _report_organization(request, organization)
    return {
        "organization": org.code,
        "as_of": params.day,
        "stages": figures.funnel(organization=org, day=params.day),
    }


@router.get("/figures/targets", response={200: TargetsReportOut, **READ_ERRORS})
def targets_report(request, organization: str, year_from: Year, year_to: Year):
    """Admissions against the target per year, with the priority groups."""
    org = _report_organization(request, organization)
    if year_from > year_to or year_to - year_from > 100:
        raise RuleError("Khoảng năm không hợp lệ.", code="years_order")
    return {
        "organization": org.code,
        "years": figures.admissions_vs_target(
            organization=org, year_from=year_from, year_to=year_to
        ),
    }


@router.get("/figures/overdue", response={200: list[OverdueOut], **READ_ERRORS})
def overdue(request, organization: str, params: Query[AsOfParams]):
    """Candidates whose next step is past its deadline on ``as_of``."""
    org = _report_organization(request, organization)
    return [
        {
            "candidate": row.candidate.code,
            "stage": row.stage,
            "since": row.since,
            "due": row.due,
            "next_step": row.next_step,
        }
        for row in figures.overdue(organization=org, day=params.day)
    ]
