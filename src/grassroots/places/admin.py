"""Read-mostly admin for places: changes go through the pages (and their services), which close
and open versions and keep the closure table right; the admin only shows them."""

from django.contrib import admin

from grassroots.core.text import fold
from grassroots.places.models import Place, PlaceLineage, PlaceVersion
from grassroots.places.selectors import place_latest_name


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class PlaceVersionInline(ReadOnlyInline):
    model = PlaceVersion
    fk_name = "place"
    fields = ("valid_from", "valid_to", "name", "kind", "parent", "recorded_at", "recorded_by")
    ordering = ("valid_from",)


class LineageOutInline(ReadOnlyInline):
    model = PlaceLineage
    fk_name = "from_place"
    fields = ("date", "change", "to_place", "note")
    verbose_name_plural = "biến động: chuyển đi"


class LineageInInline(ReadOnlyInline):
    model = PlaceLineage
    fk_name = "to_place"
    fields = ("date", "change", "from_place", "note")
    verbose_name_plural = "biến động: nhận về"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows; names are searched without diacritics (the stored folded key)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "is_sample", "created_at")
    list_filter = ("is_sample",)
    search_fields = ("code", "versions__name_folded")
    inlines = (PlaceVersionInline, LineageInInline, LineageOutInline)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest_name=place_latest_name("pk"))

    @admin.display(description="tên", ordering="latest_name")
    def name(self, obj) -> str:
        return obj.latest_name


@admin.register(PlaceLineage)
class PlaceLineageAdmin(ReadOnlyAdmin):
    list_display = ("date", "change", "from_place", "to_place")
    list_filter = ("change",)
    date_hierarchy = "date"
    raw_id_fields = ("from_place", "to_place")
