"""What the members app contributes to the apps below it, through the app registry
(:mod:`grassroots.core.registry`), so that they never import it:

- :func:`holdings` — the members of an organisation on a day, each with the way to move them
  (restructuring an organisation moves its members with :func:`member_move`);
- :class:`OrganizationMembersPanel` — the members and their counts on an organisation's page.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.http import HttpRequest
from django.template.loader import render_to_string

from grassroots.core.access import record_access
from grassroots.core.generic import as_of
from grassroots.core.pagination import paginate
from grassroots.core.registry import Holding, Panel
from grassroots.members.models import Member, MembershipSpan, Status
from grassroots.members.selectors import attach_spans, member_list, members_in_organization_on
from grassroots.members.services import member_move


def holdings(organization, day: date, *, onwards: bool = False) -> list[Holding]:
    """The members who belong to ``organization`` on ``day`` (``onwards``: on ``day`` or later),
    in Vietnamese name order."""
    if onwards:
        ids = MembershipSpan.objects.filter(organization=organization).overlapping(day, None)
        members = list(
            Member.objects.filter(pk__in=ids.values("member_id")).order_by("name_key", "id")
        )
    else:
        members = members_in_organization_on(organization=organization, day=day)
    return [
        Holding(
            code=member.code,
            label=f"đảng viên {member}",
            noun="đảng viên",
            verb="Chuyển sinh hoạt",
            move=partial(member_move, member=member),
            item=member,
        )
        for member in members
    ]


class OrganizationMembersPanel(Panel):
    """An organisation's page: its official and probationary members on the page's date (in its
    card of properties) and the paginated list of its members, cells below it included."""

    def properties(self, request: HttpRequest, obj) -> str:
        day = as_of(request)
        counts = {
            status: member_list(user=request.user, day=day, organization=obj, status=status).count()
            for status in (Status.OFFICIAL, Status.PROBATIONARY)
        }
        context = {
            "official": counts[Status.OFFICIAL],
            "probationary": counts[Status.PROBATIONARY],
        }
        return render_to_string("members/_organization_counts.html", context, request=request)

    def render(self, request: HttpRequest, obj) -> str:
        day = as_of(request)
        page_obj = paginate(request, member_list(user=request.user, day=day, organization=obj))
        page_obj.object_list = list(page_obj.object_list)
        attach_spans(page_obj.object_list, day)
        record_access(
            request,
            what="Đảng viên của tổ chức đảng",
            count=len(page_obj.object_list),
            subject=obj.code,
        )
        return render_to_string(
            "members/_organization_members.html", {"page_obj": page_obj}, request=request
        )
