from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from grassroots.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Grassroots", {"fields": ("full_name", "scope")}))
    list_display = ("username", "full_name", "is_active", "is_staff")
