"""Places API: the places of the user's scope as they were on a date, and their versions."""

import datetime as dt

from ninja import Field, Query, Schema

from grassroots.core.api import AsOfParams, ScopedRouter, versioned_detail
from grassroots.core.versioning import versions_listed
from grassroots.places.models import PlaceKind, PlaceVersion
from grassroots.places.selectors import place_versions_on, place_visible_to

router = ScopedRouter(tags=["places"], visible_to=place_visible_to, what="địa bàn")


class PlaceVersionOut(Schema):
    name: str
    kind: PlaceKind
    parent: str | None = Field(None, description="mã địa bàn cha")
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent(version: PlaceVersion) -> str | None:
        return version.parent.code if version.parent else None


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


@router.list("/", response=PlaceOut)
def list_places(request, filters: Query[PlaceFilters]):
    """Places valid on ``as_of`` in the user's scope, by name."""
    return versions_listed(
        versions=place_versions_on(day=filters.day),
        node="place",
        visible=router.visible(request),
        search=filters.search,
        kind=filters.kind or "",
        parent=router.resolve(request, filters.parent),
    )


@router.read("/{code}", response=PlaceDetail)
def get_place(request, code: str, params: Query[AsOfParams]):
    """One place: its version on ``as_of`` and every version."""
    return versioned_detail(router.get_object(request, code), params.day, ("parent",))
