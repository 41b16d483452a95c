"""What the reports app adds to other pages: on the home page of a unit that has not sent its
forms for the last period, a reminder with the deadline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from grassroots.core import scope
from grassroots.core.registry import Panel


class ReminderPanel(Panel):
    order = 10

    def render(self, request: HttpRequest, obj: Any) -> str:
        from grassroots.reports.calendar import reminders

        user = request.user
        organization = getattr(user, "scope", None)
        if organization is None or not scope.allowed(user, organization, scope.CHANGE):
            return SafeString("")
        found = reminders(organization)
        if not found:
            return SafeString("")
        return render_to_string(
            "reports/_reminders.html",
            {"reminders": found, "organization": organization},
            request=request,
        )
