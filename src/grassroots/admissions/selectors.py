"""Reads of candidates and targets, scope-aware: a candidate is visible when its cell is in the
user's scope; a target when its organisation is."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from grassroots.admissions.models import AdmissionTarget, Candidate, CandidateStep
from grassroots.core import scope
from grassroots.core.text import fold
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import subtree_ids


def candidate_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Candidates the user may read (or change): ``Candidate.objects.visible_to``."""
    return Candidate.objects.visible_to(user, action, on)


def target_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Targets the user may read (or change): ``AdmissionTarget.objects.visible_to``."""
    return AdmissionTarget.objects.visible_to(user, action, on).select_related("organization")


def with_stage_on(queryset: QuerySet, day: date) -> QuerySet:
    """Annotate ``stage_on``/``stage_date``: the latest step dated on or before ``day`` (None
    before the candidate was identified)."""
    latest = CandidateStep.objects.filter(candidate=OuterRef("pk"), date__lte=day).order_by(
        "-date", "-id"
    )
    return queryset.annotate(
        stage_on=Subquery(latest.values("stage")[:1]),
        stage_date=Subquery(latest.values("date")[:1]),
    )


def candidates_in(*, organization: Organization, day: date, stage: str = "") -> QuerySet:
    """Candidates whose cell is in Subtree(O, D), with their stage on D; only those at ``stage``
    on D when given."""
    qs = with_stage_on(
        Candidate.objects.filter(
            organization_id__in=subtree_ids(organization=organization, day=day)
        ),
        day,
    ).filter(stage_on__isnull=False)
    if stage:
        qs = qs.filter(stage_on=stage)
    return qs


def candidate_list(
    *, user, day: date, search: str = "", stage: str = "", organization=None, source: str = ""
) -> QuerySet:
    """Visible candidates (in ``organization``'s subtree on ``day`` when given), with their stage
    on ``day``, in Vietnamese name order."""
    qs = candidate_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization_id__in=subtree_ids(organization=organization, day=day))
    qs = with_stage_on(qs, day)
    if stage:
        qs = qs.filter(stage_on=stage)
    if source:
        qs = qs.filter(source=source)
    if search:
        qs = qs.filter(Q(name_folded__contains=fold(search)) | Q(code__iexact=search.strip()))
    return qs.select_related("organization", "member").order_by("name_key", "id")


def candidate_steps(*, candidate: Candidate) -> list[CandidateStep]:
    return list(
        candidate.steps.select_related("sponsor_1", "sponsor_2", "recorded_by").order_by(
            "date", "id"
        )
    )
