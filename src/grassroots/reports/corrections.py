"""The records entered after a report was sent that touch its organisation and dates: why a
recomputed figure differs from the one sent ("So sánh với hiện tại").

- member events recorded after the sending, dated up to the report's day, of members who were
  in the organisation's subtree on the event's date (or naming an organisation of it then);
- dated changes of the member record (Mẫu 3-HSĐV) recorded after the sending, dated up to the
  report's day, of members who were ever in the subtree;
- party badges and cards (Biểu 7-BTCTW) recorded after the sending, dated up to the report's
  day, of members who were ever in the subtree;
- organisation versions recorded after the sending, starting up to the report's day, of the
  organisations that were ever in the subtree (a reorganisation moves members in or out).
"""

from __future__ import annotations

from typing import Any

from grassroots.core import scope
from grassroots.members.models import Member, MemberEvent, MemberProcedure, MemberProfileChange
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.reports.models import Submission


def _who(user: Any) -> str:
    return user.display_name if user is not None else ""


def corrections(submission: Submission, *, user: Any = None) -> list[dict[str, Any]]:
    """Each record as ``{"kind", "date", "recorded_at", "recorded_by", …}``, by
    ``recorded_at``; ``user`` given: only the records that user may read."""
    root = submission.organization_id
    after = submission.submitted_at
    events = (
        MemberEvent.objects.visible_to(user)
        .filter(MemberEvent.objects.all().scope_rule(root, None))
        .filter(recorded_at__gt=after, date__lte=submission.report_day)
        .select_related("member", "organization", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    found: list[dict[str, Any]] = [
        {
            "kind": "member_event",
            "member_id": event.member.code,
            "member_name": event.member.full_name,
            "event": event.kind,
            "event_label": event.get_kind_display(),
            "organization": event.organization.code if event.organization else "",
            "date": event.date.isoformat(),
            "recorded_at": event.recorded_at.isoformat(),
            "recorded_by": _who(event.recorded_by),
            "pk": event.pk,
        }
        for event in events
    ]
    versions = (
        OrganizationVersion.objects.filter(
            organization__in=scope.subtree_ever(root),
            recorded_at__gt=after,
            valid_from__lte=submission.report_day,
        )
        .filter(organization__in=Organization.objects.visible_to(user))
        .select_related("organization", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    found += [
        {
            "kind": "organization_version",
            "organization": version.organization.code,
            "name": version.name,
            "date": version.valid_from.isoformat(),
            "recorded_at": version.recorded_at.isoformat(),
            "recorded_by": _who(version.recorded_by),
            "pk": version.pk,
        }
        for version in versions
    ]
    changes = (
        MemberProfileChange.objects.visible_to(user)
        .filter(
            member__in=Member.objects.filter(Member.objects.all().scope_rule(root, None)),
            recorded_at__gt=after,
            date__lte=submission.report_day,
        )
        .select_related("member", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    found += [
        {
            "kind": "profile_change",
            "member_id": change.member.code,
            "member_name": change.member.full_name,
            "field": change.field,
            "field_label": change.field_label,
            "value": change.value,
            "date": change.date.isoformat(),
            "recorded_at": change.recorded_at.isoformat(),
            "recorded_by": _who(change.recorded_by),
            "pk": change.pk,
        }
        for change in changes
    ]
    procedures = (
        MemberProcedure.objects.visible_to(user)
        .filter(
            member__in=Member.objects.filter(Member.objects.all().scope_rule(root, None)),
            recorded_at__gt=after,
            date__lte=submission.report_day,
        )
        .select_related("member", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    found += [
        {
            "kind": "member_procedure",
            "member_id": procedure.member.code,
            "member_name": procedure.member.full_name,
            "procedure": procedure.kind,
            "procedure_label": procedure.label,
            "date": procedure.date.isoformat(),
            "recorded_at": procedure.recorded_at.isoformat(),
            "recorded_by": _who(procedure.recorded_by),
            "pk": procedure.pk,
        }
        for procedure in procedures
    ]
    found.sort(key=lambda row: (row["recorded_at"], row["kind"], row["pk"]))
    return found
