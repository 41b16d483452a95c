from django.contrib import admin

from grassroots.inspections.models import Case, DisciplineDecision, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Read-mostly: programmes are written through the pages and the API."""

    list_display = ("title", "kind", "year_from", "year_to", "organization")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly (the site's administrators only): cases go through the services, which keep
    the order of the steps."""

    list_display = ("code", "kind", "subject", "organization", "decided_on", "concluded_on")
    list_filter = ("kind", "conclusion")
    search_fields = ("code", "topic", "decision_number")
    raw_id_fields = ("organization", "member", "item", "document")


@admin.register(DisciplineDecision)
class DisciplineDecisionAdmin(admin.ModelAdmin):
    """Read-mostly: a decision's effects on the registry are written by the services only."""

    list_display = ("code", "subject", "level", "organization", "member", "decided_on", "status")
    list_filter = ("subject", "level", "status")
    search_fields = ("code", "decision_number", "member__code")
    raw_id_fields = ("organization", "member", "case", "document", "left_event", "recorded_by")
    readonly_fields = ("left_event", "dissolved_on", "status", "recorded_at", "recorded_by")
