"""Read-only admin for import jobs."""

from django.contrib import admin

from grassroots.interchange.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created by the upload page and ``grassroots import``."""

    list_display = ["created_at", "source_name", "status", "created_by"]
    list_filter = ["status"]
    search_fields = ["source_name"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
