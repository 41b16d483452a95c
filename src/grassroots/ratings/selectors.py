"""Reads of quality ratings, scope-aware: the user's ratings, filtered lists, ratings under an
organisation for a period (what figures count)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from grassroots.core import scope
from grassroots.core.text import fold
from grassroots.organizations.models import Organization, OrganizationClosure
from grassroots.organizations.selectors import subtree_ids
from grassroots.ratings.models import GOOD_OR_BETTER, Rating, Subject
from grassroots.ratings.services import Period, parse_period

#: The ``level`` filter value meaning "hoàn thành tốt nhiệm vụ trở lên".
GOOD_OR_BETTER_FILTER = "good_or_better"


def rating_visible_to(user, action: str = scope.VIEW) -> QuerySet:
    """Ratings the user may read (or change): ``Rating.objects.visible_to`` — those whose
    organisation (the rated one, or the rated member's cell) was inside the user's scope
    during the rated period."""
    return Rating.objects.visible_to(user, action).select_related(
        "member", "organization", "parent"
    )


def ratings_under(*, organization: Organization | int, period: Period, subject: str) -> QuerySet:
    """Ratings of ``subject`` for ``period`` under ``organization``: members of Subtree(O) on the
    period's last day, or the organisations of that subtree other than O itself."""
    pk = organization if isinstance(organization, int) else organization.pk
    qs = Rating.objects.filter(
        period_kind=period.kind,
        period_label=period.label,
        subject=subject,
        organization_id__in=subtree_ids(organization=pk, day=period.last_day),
    )
    if subject == Subject.ORGANIZATION:
        qs = qs.exclude(organization_id=pk)
    return qs


def rating_list(
    *,
    user,
    period_kind: str = "",
    period_label: str = "",
    subject: str = "",
    level: str = "",
    organization: Organization | None = None,
    search: str = "",
) -> QuerySet:
    """Ratings the user may see, filtered. With a whole period (kind and label) and an
    organisation, exactly the ratings the figures count (:func:`ratings_under`); with an
    organisation but no period, those ever under it."""
    qs = rating_visible_to(user)
    if period_kind:
        qs = qs.filter(period_kind=period_kind)
    if period_label:
        qs = qs.filter(period_label=period_label)
    if subject:
        qs = qs.filter(subject=subject)
    if level == GOOD_OR_BETTER_FILTER:
        qs = qs.filter(level__in=GOOD_OR_BETTER)
    elif level:
        qs = qs.filter(level=level)
    if organization is not None:
        period = None
        if period_kind and period_label:
            try:
                period = parse_period(period_kind, period_label)
            except Exception:  # a malformed label matches nothing anyway
                period = None
        if period is not None:
            under = subtree_ids(organization=organization, day=period.last_day)
        else:
            under = OrganizationClosure.objects.filter(ancestor=organization).values(
                "descendant_id"
            )
        qs = qs.filter(organization_id__in=under).exclude(
            subject=Subject.ORGANIZATION, organization=organization
        )
    if search:
        text = search.strip()
        qs = qs.filter(
            Q(member__code__iexact=text)
            | Q(member__name_folded__contains=fold(text))
            | Q(subject=Subject.ORGANIZATION, organization__code__iexact=text)
            | Q(
                subject=Subject.ORGANIZATION,
                organization__versions__name_folded__contains=fold(text),
            )
        ).distinct()
    return qs.order_by(
        "-period_start", "period_kind", "subject", "organization__code", "member__name_key", "id"
    )


def rating_periods(*, user) -> list[tuple[str, str]]:
    """The periods (kind, label) that have ratings the user may see, newest first."""
    return list(
        rating_visible_to(user)
        .order_by("-period_start", "period_kind")
        .values_list("period_kind", "period_label")
        .distinct()
    )


def rating_export_rows(*, ratings: QuerySet) -> list[dict[str, str]]:
    """``ratings`` (e.g. ``rating_visible_to(user)``, or those of a subtree) as rows of
    ``ratings.csv`` (the columns ``ratings_import_rows`` reads), so that exporting and importing
    again changes nothing."""
    rows = []
    for rating in ratings.select_related("member", "organization").order_by(
        "period_start", "period_kind", "id"
    ):
        score = "" if rating.score is None else format(rating.score.normalize(), "f")
        rows.append(
            {
                "period": rating.period_kind,
                "period_label": rating.period_label,
                "subject": rating.subject,
                "code": rating.subject_code,
                "level": rating.level,
                "score": score,
                "note": rating.note,
            }
        )
    return rows
