"""Reports API: the same figure objects as ``grassroots report … --json`` (INTERCHANGE.md),
restricted to the user's scope (an organisation outside it answers 404)."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from grassroots.core.api import AUTH, READ_ERRORS
from grassroots.statistics import figures

router = Router(tags=["reports"], auth=AUTH)


class MemberCounts(Schema):
    official: int
    probationary: int
    exempted: int


class PlaceCounts(Schema):
    total: int
    without_cell: int
    without_members: int
    below_three_official: int


class PlacesByKind(Schema):
    village: PlaceCounts
    residential_group: PlaceCounts
    school: PlaceCounts
    health_station: PlaceCounts


class CoverageOut(Schema):
    organization: str = Field(description="mã tổ chức đảng")
    as_of: dt.date
    members: MemberCounts
    cells: int
    places: PlacesByKind


class AdmissionsOut(Schema):
    organization: str = Field(description="mã tổ chức đảng")
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    admitted: int
    by_year: dict[str, int] = Field(description="mọi năm trong kỳ, kể cả năm bằng 0")


class CoverageParams(Schema):
    organization: str = Field(description="mã tổ chức đảng, ví dụ DB-112")
    as_of: dt.date = Field(description="ngày, YYYY-MM-DD")


class AdmissionsParams(Schema):
    organization: str = Field(description="mã tổ chức đảng, ví dụ DB-112")
    start: dt.date = Field(alias="from", description="từ ngày (kể cả), YYYY-MM-DD")
    end: dt.date = Field(alias="to", description="đến ngày (kể cả), YYYY-MM-DD")


@router.get("/coverage", response={200: CoverageOut, **READ_ERRORS})
def coverage(request, params: Query[CoverageParams]):
    """Members by status, cells and places by kind of an organisation on a date."""
    return figures.coverage(organization=params.organization, day=params.as_of, user=request.auth)


@router.get("/admissions", response={200: AdmissionsOut, **READ_ERRORS}, by_alias=True)
def admissions(request, params: Query[AdmissionsParams]):
    """Admissions of an organisation's subtree over a period, in total and per year."""
    if params.start > params.end:
        raise HttpError(422, "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.")
    return figures.admissions(
        organization=params.organization, start=params.start, end=params.end, user=request.auth
    )
