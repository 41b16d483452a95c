from django.contrib import admin

from grassroots.admissions.models import AdmissionTarget, Candidate, CandidateStep


class CandidateStepInline(admin.TabularInline):
    model = CandidateStep
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in CandidateStep._meta.fields]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("code", "full_name", "organization", "stage", "source")
    list_filter = ("stage", "source", "is_sample")
    search_fields = ("code", "full_name")
    readonly_fields = ("stage", "member", "name_folded", "name_key")
    inlines = [CandidateStepInline]


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(admin.ModelAdmin):
    list_display = ("organization", "year_from", "year_to", "per_year", "total", "source")
