"""Reads of inspection and discipline, scope-aware (``core.scope``): cases only for inspectors
within scope (the ``read_role`` of their queryset), decisions and programmes for everyone in
scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grassroots.core import scope
from grassroots.core.text import fold
from grassroots.inspections.models import (
    Appeal,
    Case,
    DisciplineDecision,
    Programme,
    ProgrammeItem,
    Subject,
)
from grassroots.organizations.models import Organization, OrganizationClosure


def case_visible_to(user, action: str = scope.VIEW) -> QuerySet:
    """Cases the user may read (inspectors and administrators within scope) or change."""
    return Case.objects.visible_to(user, action).select_related("organization", "member")


def decision_visible_to(user, action: str = scope.VIEW) -> QuerySet:
    """Discipline decisions of the user's scope (level, date, decision: not confidential)."""
    return DisciplineDecision.objects.visible_to(user, action).select_related(
        "organization", "member"
    )


def programme_visible_to(user, action: str = scope.VIEW) -> QuerySet:
    return Programme.objects.visible_to(user, action).select_related("organization")


def appeal_visible_to(user, action: str = scope.VIEW) -> QuerySet:
    return Appeal.objects.visible_to(user, action)


def for_inspectors(visible_to):
    """``visible_to`` restricted to users who may read cases (the inspector role): the scope
    function of the inspectors' forms on records everyone else may read (a decision's appeal,
    a programme's items) — a user without the role answers 404."""

    def visible(user, action: str = scope.VIEW) -> QuerySet:
        found = visible_to(user, action)
        return found if scope.can_read(Case, user) else found.none()

    return visible


def _under(organization: Organization) -> QuerySet:
    return OrganizationClosure.objects.filter(ancestor=organization).values("descendant_id")


def case_list(
    *,
    user,
    kind: str = "",
    year: int | None = None,
    step: str = "",
    organization: Organization | None = None,
    search: str = "",
) -> QuerySet:
    qs = case_visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(decided_on__year=year)
    if organization is not None:
        qs = qs.filter(organization_id__in=_under(organization))
    if search:
        text = search.strip()
        qs = qs.filter(
            Q(code__iexact=text)
            | Q(topic__icontains=text)
            | Q(member__name_folded__contains=fold(text))
        )
    rows = qs.order_by("-decided_on", "code")
    if step:
        rows = [c for c in rows if c.step == step]  # type: ignore[assignment]
    return rows


def decision_list(
    *,
    user,
    subject: str = "",
    level: str = "",
    year: int | None = None,
    organization: Organization | None = None,
    search: str = "",
) -> QuerySet:
    qs = decision_visible_to(user)
    if subject:
        qs = qs.filter(subject=subject)
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(decided_on__year=year)
    if organization is not None:
        qs = qs.filter(organization_id__in=_under(organization))
    if search:
        text = search.strip()
        qs = qs.filter(
            Q(code__iexact=text)
            | Q(decision_number__iexact=text)
            | Q(member__code__iexact=text)
            | Q(member__name_folded__contains=fold(text))
        )
    return qs.order_by("-decided_on", "code")


def programme_items(*, programme: Programme) -> QuerySet:
    return ProgrammeItem.objects.filter(programme=programme).select_related(
        "subject_organization", "member"
    )


def member_discipline(*, user, member) -> QuerySet:
    """A member's discipline history the user may see."""
    return decision_visible_to(user).filter(subject=Subject.MEMBER, member=member)


def organization_discipline(*, user, organization: Organization) -> QuerySet:
    """An organisation's own discipline history the user may see."""
    return decision_visible_to(user).filter(subject=Subject.ORGANIZATION, organization=organization)


def decision_export_rows(*, decisions: QuerySet) -> list[dict[str, str]]:
    """Rows of ``discipline.csv`` (the columns the import reads)."""
    out = []
    for d in decisions.select_related("member", "organization", "case").order_by(
        "decided_on", "code"
    ):
        out.append(
            {
                "code": d.code,
                "subject": d.subject,
                "subject_code": d.subject_code,
                "level": d.level,
                "violation_kind": d.violation_kind,
                "violation_date": d.violation_date.isoformat(),
                "decided_on": d.decided_on.isoformat(),
                "deciding_body": d.deciding_body,
                "decision_number": d.decision_number,
                "votes_for": str(d.votes_for),
                "votes_total": str(d.votes_total),
                "case_code": d.case.code if d.case else "",
                "note": d.note,
            }
        )
    return out


def case_export_rows(*, cases: QuerySet) -> list[dict[str, str]]:
    """Rows of ``inspection_cases.csv`` (the columns the import reads)."""

    def day(value) -> str:
        return value.isoformat() if value else ""

    out = []
    for c in cases.select_related("member", "organization").order_by("decided_on", "code"):
        out.append(
            {
                "code": c.code,
                "kind": c.kind,
                "subject": c.subject,
                "subject_code": c.member.code if c.member else c.organization.code,
                "topic": c.topic,
                "deciding_body": c.deciding_body,
                "decision_number": c.decision_number,
                "decided_on": day(c.decided_on),
                "team": c.team,
                "planned_on": day(c.planned_on),
                "notified_on": day(c.notified_on),
                "verified_on": day(c.verified_on),
                "reported_on": day(c.reported_on),
                "concluded_on": day(c.concluded_on),
                "findings": c.findings,
                "conclusion": c.conclusion,
                "violation_kind": c.violation_kind,
            }
        )
    return out
