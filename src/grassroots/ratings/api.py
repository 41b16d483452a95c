"""Ratings API: the ratings of the user's scope (filtered), rating one member or organisation
(through ``ratings.services`` exactly as the pages do), and the figures."""

from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Schema

from grassroots.core.api import RowId, ScopedRouter, Year, resolve_code, version_field
from grassroots.core.errors import RuleError
from grassroots.core.permissions import visible_or_404
from grassroots.members.selectors import member_visible_to
from grassroots.organizations.selectors import organization_visible_to
from grassroots.ratings import figures, selectors, services
from grassroots.ratings.models import Level, PeriodKind, Rating, Subject

router = ScopedRouter(tags=["ratings"], visible_to=selectors.rating_visible_to, what="xếp loại")


class RatingOut(Schema):
    id: int
    period: PeriodKind = Field(alias="period_kind")
    period_label: str
    subject: Subject
    code: str = Field(description="mã đảng viên hoặc mã tổ chức đảng được xếp loại")
    organization: str = Field(description="mã tổ chức đảng (của đảng viên: chi bộ cuối kỳ)")
    level: Level
    score: Decimal | None
    note: str
    version: int = Field(
        description="phiên bản: gửi lại trong `version` khi xếp loại lại (0: chưa có)"
    )

    @staticmethod
    def resolve_code(rating: Rating) -> str:
        return rating.subject_code

    @staticmethod
    def resolve_organization(rating: Rating) -> str:
        return rating.organization.code


class RatingFilters(Schema):
    period: PeriodKind | None = Field(None, description="year, term hoặc quarter")
    period_label: str = Field("", description="2024, 2020-2025, 2024-Q1")
    subject: Subject | None = None
    level: str = Field("", description="một mức, hoặc good_or_better")
    organization: str | None = Field(None, description="mã tổ chức đảng: các xếp loại thuộc nó")
    search: str = ""


class RatingIn(Schema):
    period: PeriodKind
    period_label: str
    subject: Subject
    code: str
    level: Level | None = Field(None, description="để trống khi có điểm")
    score: Decimal | None = Field(None, ge=0, le=100)
    note: str = ""
    version: int | None = version_field()


class WarningOut(Schema):
    code: str
    message: str


class RatingRecorded(Schema):
    rating: RatingOut
    warnings: list[WarningOut] = Field(
        description="các quy định chỉ cảnh báo (tỷ lệ xuất sắc); xếp loại vẫn được lưu"
    )


class DistributionOut(Schema):
    period: str
    period_label: str
    counts: dict[str, int]
    total: int
    good_or_better: int
    share_good_or_better: float | None = Field(description="phần trăm, 0–100")
    eligible: int = Field(description="số tổ chức (hoặc đảng viên) phải xếp loại trong kỳ")
    coverage: float | None = Field(description="phần trăm đã xếp loại, 0–100")


class OrganizationTrendOut(Schema):
    code: str
    name: str
    years: list[DistributionOut]


class FiguresOut(Schema):
    organization: str
    subject: Subject
    year_from: int
    year_to: int
    trend: list[DistributionOut]
    share_change: float | None = Field(
        description=(
            "điểm phần trăm, năm cuối so với năm đầu; null khi một trong hai năm có độ phủ xếp "
            "loại dưới RATING_TREND_MIN_COVERAGE_PERCENT"
        )
    )
    by_organization: list[OrganizationTrendOut]


@router.list("/", response=RatingOut)
def list_ratings(request, filters: Query[RatingFilters]):
    """Ratings of the user's scope, newest period first."""
    return selectors.rating_list(
        user=request.auth,
        period_kind=filters.period or "",
        period_label=filters.period_label,
        subject=filters.subject or "",
        level=filters.level,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        search=filters.search,
    )


@router.read("/figures", response=FiguresOut)
def rating_figures(
    request,
    organization: str,
    year_from: Year | None = None,
    year_to: Year | None = None,
    subject: Subject = Subject.ORGANIZATION,
):
    """Distribution per level and share good-or-better per year (the trend), for the
    organisation and each organisation directly under it; outside the scope: 404."""
    org = visible_or_404(organization_visible_to(request.auth), code=organization)
    year_to = year_to or timezone.localdate().year - 1
    year_from = year_from or year_to - 4
    if not 0 <= year_to - year_from <= 20:
        raise RuleError("Khoảng năm không hợp lệ (tối đa 21 năm).", code="years")
    return figures.rating_report(
        organization=org, year_from=year_from, year_to=year_to, subject=subject
    )


@router.read("/{rating_id}", response=RatingOut)
def get_rating(request, rating_id: RowId):
    return router.get_object(request, rating_id, field="pk")


@router.write("/", response=RatingRecorded, status=201)
def record_rating(request, body: RatingIn):
    """Rate (or re-rate) one member or organisation for a period; a refused rating changes
    nothing and answers 400."""
    if body.subject == Subject.MEMBER:
        subject = {"member": resolve_code(member_visible_to(request.auth), body.code, "đảng viên")}
    else:
        subject = {
            "organization": resolve_code(
                organization_visible_to(request.auth), body.code, "tổ chức đảng"
            )
        }
    rating, warnings = services.rating_record(
        acting_user=request.auth,
        period_kind=body.period,
        period_label=body.period_label,
        level=body.level or "",
        score=body.score,
        note=body.note,
        based_on=body.version,
        **subject,
    )
    rating = selectors.rating_visible_to(request.auth).get(pk=rating.pk)
    return {"rating": rating, "warnings": warnings}
