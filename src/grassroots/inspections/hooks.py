"""What the inspections app adds to the pages of the apps below it (through the app registry):
the discipline history on a member's page and on an organisation's page — level, date and
decision, which everyone in scope may see (never the case behind it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from grassroots.core.registry import Panel
from grassroots.inspections import selectors


class MemberDisciplinePanel(Panel):
    order = 70

    def render(self, request: HttpRequest, obj) -> str:
        decisions = selectors.member_discipline(user=request.user, member=obj)
        return render_to_string(
            "inspections/_discipline_panel.html", {"decisions": decisions}, request=request
        )


class OrganizationDisciplinePanel(Panel):
    order = 70

    def render(self, request: HttpRequest, obj) -> str:
        decisions = selectors.organization_discipline(user=request.user, organization=obj)
        return render_to_string(
            "inspections/_discipline_panel.html", {"decisions": decisions}, request=request
        )
