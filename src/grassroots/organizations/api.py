"""Organisations API: the party organisations of the user's scope on a date, and their versions."""

import datetime as dt

from ninja import Field, Query, Router, Schema

from grassroots.core.api import READ_ERRORS, AsOfParams, Page, PageParams, paginate, resolve_code
from grassroots.core.permissions import visible_or_404
from grassroots.core.versioning import versions_listed
from grassroots.organizations.models import OrganizationKind, OrganizationVersion
from grassroots.organizations.selectors import organization_versions_on, organization_visible_to

router = Router(tags=["organizations"])


class OrganizationVersionOut(Schema):
    name: str
    kind: OrganizationKind
    parent: str | None = Field(None, description="mã tổ chức đảng cấp trên trực tiếp")
    place: str = Field(description="mã địa bàn gắn với tổ chức")
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent(version: OrganizationVersion) -> str | None:
        return version.parent.code if version.parent_id else None

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


@router.get("/", response={200: Page[OrganizationOut], **READ_ERRORS})
def list_organizations(request, filters: Query[OrganizationFilters], page: Query[PageParams]):
    """Organisations valid on ``as_of`` in the user's scope, by name."""
    visible = organization_visible_to(request.auth)
    parent = resolve_code(visible, filters.parent, "tổ chức đảng") if filters.parent else None
    versions = versions_listed(
        versions=organization_versions_on(day=filters.day),
        node="organization",
        visible=visible,
        search=filters.search,
        kind=filters.kind or "",
        parent=parent,
    )
    count, items = paginate(versions, page)
    return {"count": count, "items": items}


@router.get("/{code}", response={200: OrganizationDetail, **READ_ERRORS})
def get_organization(request, code: str, params: Query[AsOfParams]):
    """One organisation: its version on ``as_of`` (parent and place that day) and every version."""
    organization = visible_or_404(organization_visible_to(request.auth), code=code)
    versions = list(organization.versions.select_related("parent", "place").order_by("valid_from"))
    return {
        "code": organization.code,
        "as_of": params.day,
        "version": next((v for v in versions if v.is_valid_on(params.day)), None),
        "versions": versions,
    }
