"""Read-mostly admin for organisations: changes go through the pages (and their services), which
close and open versions and keep the closure table right; the admin only shows them."""

from django.contrib import admin

from grassroots.organizations.models import Organization, OrganizationLineage, OrganizationVersion
from grassroots.organizations.selectors import organization_latest_name
from grassroots.places.admin import ReadOnlyAdmin, ReadOnlyInline


class OrganizationVersionInline(ReadOnlyInline):
    model = OrganizationVersion
    fk_name = "organization"
    fields = (
        "valid_from",
        "valid_to",
        "name",
        "kind",
        "parent",
        "place",
        "recorded_at",
        "recorded_by",
    )
    ordering = ("valid_from",)


class LineageOutInline(ReadOnlyInline):
    model = OrganizationLineage
    fk_name = "from_organization"
    fields = ("date", "change", "to_organization", "note", "recorded_by")
    verbose_name_plural = "biến động: chuyển đi"


class LineageInInline(ReadOnlyInline):
    model = OrganizationLineage
    fk_name = "to_organization"
    fields = ("date", "change", "from_organization", "note", "recorded_by")
    verbose_name_plural = "biến động: nhận về"


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_sample", "created_at")
    list_filter = ("is_sample",)
    search_fields = ("code", "versions__name_folded")
    inlines = (OrganizationVersionInline, LineageInInline, LineageOutInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_name=organization_latest_name("pk"))

    @admin.display(description="tên", ordering="latest_name")
    def name(self, obj) -> str:
        return obj.latest_name


@admin.register(OrganizationLineage)
class OrganizationLineageAdmin(ReadOnlyAdmin):
    list_display = ("date", "change", "from_organization", "to_organization")
    list_filter = ("change",)
    date_hierarchy = "date"
    raw_id_fields = ("from_organization", "to_organization")
