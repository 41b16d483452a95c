"""Organisations API: the party organisations of the user's scope on a date, and their versions."""

import datetime as dt

from ninja import Field, Query, Schema

from grassroots.core.api import AsOfParams, ScopedRouter, versioned_detail
from grassroots.core.versioning import versions_listed
from grassroots.organizations.models import OrganizationKind, OrganizationVersion
from grassroots.organizations.selectors import organization_versions_on, organization_visible_to

router = ScopedRouter(
    tags=["organizations"], visible_to=organization_visible_to, what="tổ chức đảng"
)


class OrganizationVersionOut(Schema):
    name: str
    kind: OrganizationKind
    parent: str | None = Field(None, description="mã tổ chức đảng cấp trên trực tiếp")
    place: str = Field(description="mã địa bàn gắn với tổ chức")
    unit_type: str = Field(
        description="loại hình đơn vị (tổ chức cơ sở đảng, Biểu 5-BTCTW; mã, rỗng: chưa ghi)"
    )
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent(version: OrganizationVersion) -> str | None:
        return version.parent.code if version.parent else None

    @staticmethod
    def resolve_place(version: OrganizationVersion) -> str:
        return version.place.code


class OrganizationOut(OrganizationVersionOut):
    """An organisation as it was on ``as_of`` (its version valid that day)."""

    code: str

    @staticmethod
    def resolve_code(version: OrganizationVersion) -> str:
        return version.organization.code


class OrganizationDetail(Schema):
    code: str
    as_of: dt.date
    version: OrganizationVersionOut | None = Field(
        description="phiên bản có hiệu lực vào ngày as_of"
    )
    versions: list[OrganizationVersionOut]


class OrganizationFilters(AsOfParams):
    search: str = Field("", description="tìm theo tên (không phân biệt dấu) hoặc mã")
    kind: OrganizationKind | None = None
    parent: str = Field("", description="mã tổ chức cấp trên: chỉ các tổ chức trực thuộc trực tiếp")


@router.list("/", response=OrganizationOut)
def list_organizations(request, filters: Query[OrganizationFilters]):
    """Organisations valid on ``as_of`` in the user's scope, by name."""
    return versions_listed(
        versions=organization_versions_on(day=filters.day),
        node="organization",
        visible=router.visible(request),
        search=filters.search,
        kind=filters.kind or "",
        parent=router.resolve(request, filters.parent),
    )


@router.read("/{code}", response=OrganizationDetail)
def get_organization(request, code: str, params: Query[AsOfParams]):
    """One organisation: its version on ``as_of`` (parent and place that day) and every version."""
    organization = router.get_object(request, code)
    return versioned_detail(organization, params.day, ("parent", "place"))
