"""Read-mostly admin: members' events and spans change only through the member services (which
replay the history and audit), so here they are shown, never edited."""

from django.contrib import admin

from grassroots.members.models import Member, MemberEvent, MembershipSpan


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MemberEventInline(ReadOnlyInline):
    model = MemberEvent
    fk_name = "member"
    fields = ("date", "kind", "organization", "place", "reason", "supersedes", "recorded_by")


class MembershipSpanInline(ReadOnlyInline):
    model = MembershipSpan
    fields = ("status", "organization", "place", "exempted", "valid_from", "valid_to")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("code", "full_name", "gender", "birth_date", "ethnicity", "is_sample")
    list_filter = ("gender", "is_sample")
    search_fields = ("code", "name_folded")
    ordering = ("name_key", "id")
    inlines = (MemberEventInline, MembershipSpanInline)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
