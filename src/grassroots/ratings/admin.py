from django.contrib import admin

from grassroots.ratings.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-mostly: ratings are written through the pages, the API or an import."""

    list_display = ("period_kind", "period_label", "subject", "organization", "member", "level")
    list_filter = ("period_kind", "subject", "level")
    search_fields = ("period_label", "organization__code", "member__code", "member__full_name")
    raw_id_fields = ("member", "organization", "parent", "recorded_by")
    readonly_fields = ("recorded_at", "updated_at", "recorded_by")
