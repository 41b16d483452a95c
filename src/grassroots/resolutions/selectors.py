"""Reads of documents and tasks, scope-aware: every one starts from ``visible_to``."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from grassroots.core import scope
from grassroots.core.text import fold
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import subtree_ids
from grassroots.resolutions.models import Document, Task, TaskStatus


def document_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Documents of the user's subtree, and documents of bodies outside the registry."""
    return Document.objects.visible_to(user, action, on)


def task_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    """Tasks assigned to organisations of the user's subtree."""
    return Task.objects.visible_to(user, action, on)


def document_list(
    *,
    user,
    search: str = "",
    doc_type: str = "",
    organization: Organization | None = None,
    year: int | None = None,
) -> QuerySet:
    """Documents the user may read, newest first; ``search`` ignores diacritics and case and
    matches the number ("11-ctr/hu", "ctr/hu") or words of the title ("nam nhun")."""
    documents = document_visible_to(user).select_related("organization")
    for word in fold(search).split():
        documents = documents.filter(
            Q(number_folded__contains=word) | Q(title_folded__contains=word)
        )
    if doc_type:
        documents = documents.filter(type=doc_type)
    if organization is not None:
        documents = documents.filter(organization=organization)
    if year:
        documents = documents.filter(issued_on__year=year)
    return documents.order_by("-issued_on", "-id")


#: The states of a task on a day, as filters (DOMAIN.md; docs/resolutions.md, "Figures").
STATES = ("assigned", "done", "not_done", "overdue", "due")


def state_q(state: str, day: date) -> Q:
    """Tasks in ``state`` on ``day``: ``done``/``not_done`` closed so by ``day``; ``overdue``
    still open on ``day`` (not closed by then) with the deadline before it; ``due`` still open
    with the deadline on or after it; ``assigned`` all of them."""
    open_on_day = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    return {
        "assigned": Q(),
        "done": Q(status=TaskStatus.DONE, closed_on__lte=day),
        "not_done": Q(status=TaskStatus.NOT_DONE, closed_on__lte=day),
        "overdue": open_on_day & Q(deadline__lt=day),
        "due": open_on_day & Q(deadline__gte=day),
    }[state]


def tasks_under(*, organization: Organization, day: date) -> QuerySet:
    """Tasks of programmes issued on or before ``day`` assigned to an organisation of
    Subtree(organization, day) — without a user: callers check the organisation is visible."""
    return Task.objects.filter(
        programme__issued_on__lte=day,
        organization_id__in=subtree_ids(organization=organization, day=day),
    )


def task_list(
    *,
    user,
    organization: Organization | None = None,
    state: str = "",
    day: date | None = None,
    programme: Document | None = None,
) -> QuerySet:
    """Tasks the user may read; with ``organization``, those of its subtree on ``day``; with
    ``state``, those in that state on ``day``."""
    tasks = task_visible_to(user).select_related("programme", "organization")
    day = day or date.today()
    if organization is not None:
        tasks = tasks.filter(
            programme__issued_on__lte=day,
            organization_id__in=subtree_ids(organization=organization, day=day),
        )
    if state:
        tasks = tasks.filter(state_q(state, day))
    if programme is not None:
        tasks = tasks.filter(programme=programme)
    return tasks.order_by("deadline", "programme_id", "organization__code", "id")
