"""Congress resolutions API: the resolutions of the user's scope with their indicators, the
review through a year (the same object as ``grassroots report indicators --json`` and
``GET /api/v1/reports/indicators``), and recording a manual indicator's yearly value through
``resolutions.indicator_services`` exactly as the page does."""

from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from grassroots.core.api import ScopedRouter, Year, version_field
from grassroots.core.errors import NotFound
from grassroots.resolutions import indicator_services as services
from grassroots.resolutions.indicator_figures import INDICATORS
from grassroots.resolutions.indicator_models import Resolution
from grassroots.resolutions.indicator_selectors import resolution_visible_to
from grassroots.resolutions.models import Document

PREFIX = "/congress"


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    method: str
    target: Decimal
    source: str
    version: int


class ResolutionOut(Schema):
    code: str
    organization: str = Field(description="mã tổ chức đảng")
    title: str
    number: str
    adopted: Any = Field(None, description="ngày thông qua, YYYY-MM-DD")
    term_from: int
    term_to: int
    version: int

    @staticmethod
    def resolve_organization(resolution: Resolution) -> str:
        return resolution.organization.code


class ResolutionDetailOut(ResolutionOut):
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(resolution: Resolution) -> list:
        return list(resolution.indicators.order_by("position", "code"))


class ValueIn(Schema):
    value: str = Field(description="số thập phân, ví dụ 812.4")
    note: str = ""
    document: int | None = Field(None, description="mã số (id) của văn bản nguồn")
    version: int | None = version_field()


class ValueOut(Schema):
    resolution: str
    indicator: str
    year: int
    value: Decimal
    note: str
    document: int | None
    version: int


def add_routes(router: ScopedRouter) -> None:
    """Add the congress-resolution operations (under ``/congress``) to the app's router (the
    documents' operations share it); each finds its resolution in the user's scope itself."""

    @router.list(f"{PREFIX}/", response=ResolutionOut)
    def list_resolutions(request):
        """Congress resolutions of the user's scope, newest term first."""
        return resolution_visible_to(request.auth).order_by("-term_from", "code")

    @router.read(PREFIX + "/{code}", response=ResolutionDetailOut)
    def get_resolution(request, code: str):
        return router.get_object(request, code, queryset=resolution_visible_to(request.auth))

    @router.read(PREFIX + "/{code}/review", response=dict[str, Any])
    def review_resolution(request, code: str, through: Year):
        """The review through ``through`` (INTERCHANGE.md's object); a year outside the term: 400."""
        from grassroots.core.errors import RuleError
        from grassroots.core.figures import InvalidParameter

        resolution = router.get_object(request, code, queryset=resolution_visible_to(request.auth))
        try:
            return INDICATORS.report(resolution.organization, resolution=code, through=through)
        except InvalidParameter as exc:
            raise RuleError(exc.message(), code="invalid_parameter") from exc

    @router.write(
        PREFIX + "/{code}/indicators/{indicator}/values/{year}", response=ValueOut, method="PUT"
    )
    def put_value(request, code: str, indicator: str, year: Year, body: ValueIn):
        """Record or correct a manual indicator's value for a year; the same value twice changes
        nothing. A figure-sourced indicator or a year outside the term: 400."""
        resolution = router.get_object(request, code, queryset=resolution_visible_to(request.auth))
        found = resolution.indicators.filter(code=indicator).first()
        if found is None:
            raise NotFound(f"Không tìm thấy chỉ tiêu mã {indicator}.")
        document = None
        if body.document is not None:
            document = Document.objects.visible_to(request.auth).filter(pk=body.document).first()
            if document is None:
                raise NotFound("Không tìm thấy văn bản nguồn.")
        value, _ = services.value_set(
            acting_user=request.auth,
            indicator=found,
            year=year,
            value=body.value,
            note=body.note,
            document=document,
            based_on=body.version,
        )
        return {
            "resolution": resolution.code,
            "indicator": found.code,
            "year": value.year,
            "value": value.value,
            "note": value.note,
            "document": value.document_id,
            "version": value.version,
        }
