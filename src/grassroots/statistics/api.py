"""Reports API: every figure of the registry (:mod:`grassroots.core.figures`) at
``GET /reports/{figure}``, the same objects as ``grassroots report <figure> --json``
(INTERCHANGE.md), restricted to the user's scope (an organisation outside it answers 404).
``coverage`` and ``admissions`` keep their own routes, with their documented schemas."""

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from grassroots.core import figures as registry
from grassroots.core.api import READ_ERRORS
from grassroots.core.errors import NotFound
from grassroots.organizations.selectors import organization_by_code

router = Router(tags=["reports"])


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


def _report(request, name: str, raw) -> dict | Status:
    """The figure ``name`` for the query ``raw``: its object, or 422 and the Vietnamese message
    of a missing or malformed parameter. Unknown figure or organisation: NotFound (404)."""
    figure = registry.get(name)
    code = raw.get("organization") or ""
    try:
        values = figure.parse(raw)
        # a figure about a record (a resolution) names its organisation through it
        located = figure.organization(code, values)
    except registry.InvalidParameter as exc:
        if figure.organization_of is None or code:
            organization_by_code(code, user=request.auth)  # unknown or invisible: still 404
        return Status(422, {"detail": exc.message(), "code": "invalid_parameter"})
    if located is not None:
        try:
            organization = organization_by_code(
                getattr(located, "code", ""), user=request.auth, on=figure.scope_day(values)
            )
        except NotFound:  # the record's organisation is not named: it is the user's secret
            raise NotFound() from None
    else:
        organization = organization_by_code(code, user=request.auth, on=figure.scope_day(values))
    try:
        return figure.report(organization, **values)
    except registry.InvalidParameter as exc:  # parameters checked against the record itself
        return Status(422, {"detail": exc.message(), "code": "invalid_parameter"})


@router.get("/coverage", response={200: CoverageOut, **READ_ERRORS})
def coverage(request, params: Query[CoverageParams]):
    """Members by status, cells and places by kind of an organisation on a date."""
    return _report(request, "coverage", {**params.dict(), "as_of": params.as_of.isoformat()})


@router.get("/admissions", response={200: AdmissionsOut, **READ_ERRORS}, by_alias=True)
def admissions(request, params: Query[AdmissionsParams]):
    """Admissions of an organisation's subtree over a period, in total and per year."""
    raw = {
        "organization": params.organization,
        "from": params.start.isoformat(),
        "to": params.end.isoformat(),
    }
    return _report(request, "admissions", raw)


@router.get("/{figure}", response={200: dict[str, Any], **READ_ERRORS})
def report(request, figure: str, organization: str = ""):
    """Any figure of the registry by its name (see the definitions page): ``organization`` and
    the figure's parameters (``as_of``; ``from`` and ``to``; ``year_from`` and ``year_to``…)
    in the query string. An unknown figure or organisation answers 404, a missing or malformed
    parameter 422. A figure about a record names its organisation through it (``indicators``:
    ``resolution`` and ``through``, no ``organization`` needed)."""
    return _report(request, figure, request.GET)
