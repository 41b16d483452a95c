"""What the organisations app contributes to the apps below it, through the app registry
(:mod:`grassroots.core.registry`), so that they never import it:
:class:`PlaceOrganizationsPanel`, the organisations attached to a place on a place's page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from grassroots.core.generic import as_of
from grassroots.core.registry import Panel
from grassroots.organizations.selectors import organizations_attached_on


class PlaceOrganizationsPanel(Panel):
    """A place's page: the party organisations attached to it on the page's date (those the user
    may see)."""

    def render(self, request: HttpRequest, obj) -> str:
        organizations = organizations_attached_on(user=request.user, place=obj, day=as_of(request))
        return render_to_string(
            "organizations/_place_organizations.html",
            {"organizations": organizations},
            request=request,
        )
