"""Places API: the places of the user's scope as they were on a date, and their versions."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from grassroots.core.api import READ_ERRORS, AsOfParams, Page, PageParams, paginate, resolve_code
from grassroots.core.permissions import visible_or_404
from grassroots.core.versioning import versions_listed
from grassroots.places.models import PlaceKind, PlaceVersion
from grassroots.places.selectors import place_versions_on, place_visible_to

router = Router(tags=["places"])


class PlaceVersionOut(Schema):
    name: str
    kind: PlaceKind
    parent: str | None = Field(None, description="mã địa bàn cha")
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent(version: PlaceVersion) -> str | None:
        return version.parent.code if version.parent_id else None


class PlaceOut(PlaceVersionOut):
    """A place as it was on ``as_of`` (its version valid that day)."""

    code: str

    @staticmethod
    def resolve_code(version: PlaceVersion) -> str:
        return version.place.code


class PlaceDetail(Schema):
    code: str
    as_of: dt.date
    version: PlaceVersionOut | None = Field(description="phiên bản có hiệu lực vào ngày as_of")
    versions: list[PlaceVersionOut]


class PlaceFilters(AsOfParams):
    search: str = Field("", description="tìm theo tên (không phân biệt dấu) hoặc mã")
    kind: PlaceKind | None = None
    parent: str = Field("", description="mã địa bàn cha: chỉ các địa bàn trực thuộc trực tiếp")


@router.get("/", response={200: Page[PlaceOut], **READ_ERRORS})
def list_places(request, filters: Query[PlaceFilters], page: Query[PageParams]):
    """Places valid on ``as_of`` in the user's scope, by name."""
    visible = place_visible_to(request.auth)
    parent = resolve_code(visible, filters.parent, "địa bàn") if filters.parent else None
    versions = versions_listed(
        versions=place_versions_on(day=filters.day),
        node="place",
        visible=visible,
        search=filters.search,
        kind=filters.kind or "",
        parent=parent,
    )
    count, items = paginate(versions, page)
    return {"count": count, "items": items}


@router.get("/{code}", response={200: PlaceDetail, **READ_ERRORS})
def get_place(request, code: str, params: Query[AsOfParams]):
    """One place: its version on ``as_of`` and every version."""
    place = visible_or_404(place_visible_to(request.auth), code=code)
    versions = list(place.versions.select_related("parent").order_by("valid_from"))
    return {
        "code": place.code,
        "as_of": params.day,
        "version": next((v for v in versions if v.is_valid_on(params.day)), None),
        "versions": versions,
    }
