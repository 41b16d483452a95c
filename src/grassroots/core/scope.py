"""The one scope rule: what a user may read and change.

``User.scope`` is an organisation; the scope's subtree changes over time (the organisation
closure table, registered here by the organisations app). Every model that belongs to an
organisation subtree has a :class:`ScopedQuerySet` and answers ``visible_to(user, action, on)``:

* **view** (reading follows time): a row is visible for the days it was inside the scope's
  subtree on those days — with ``on=D`` only when it was inside on D. A commune keeps its own
  history after a reorganisation and sees nothing of an organisation after it left.
* **change**: only what is inside the subtree *today*, or on ``on`` (the day the change takes
  effect) where that is later; and only for the ``editor`` role.
* a superuser without scope (and internal code passing ``user=None``) sees everything; any other
  user without scope sees nothing.
* a model whose queryset names a ``read_role`` (confidential records: inspection cases need
  ``inspector``) shows nothing, for reading or changing, to a user without that role — the
  rule is in the one primitive, so every page, API route, export and figure of the model
  keeps it (an editor without the role answers 404 as for an object outside the scope).

Core knows no domain app: each model supplies its rule as a function ``rule(scope_id, day)``
returning a ``Q`` (``day`` None = "on some day, time-aware", else "on ``day``"), either by
overriding :meth:`ScopedQuerySet.scope_rule` or with :func:`register_rule` (used when the rule
needs a higher app, e.g. places' rule reads organisations). Services call :func:`require` before
a write and again after it (inside their transaction) so the command line, the import and the
API cannot go around the rule; refused writes raise :class:`~grassroots.core.errors.NotFound`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from grassroots.core.errors import NotFound
from grassroots.core.temporal import OPEN_END, valid_on

VIEW = "view"
CHANGE = "change"

Rule = Callable[[int, date | None], Q]

#: The acting user: an ``accounts.User``, or None for internal code. Core imports no domain
#: app, so it is typed loosely; the rule reads ``is_active``, ``is_superuser``, ``scope_id``,
#: ``can_edit`` and ``has_role``.
User = Any

_M = TypeVar("_M", bound=models.Model)

_rules: dict[str, Rule] = {}
_closure: dict[str, type[models.Model]] = {}

#: A filter that matches no row (``filter(NOTHING)`` is an empty queryset without a query).
NOTHING = Q(pk__in=[])


def register_hierarchy(closure_model: type[models.Model]) -> None:
    """The closure table that defines scope subtrees (``organizations.OrganizationClosure``)."""
    _closure["model"] = closure_model


def register_rule(label: str) -> Callable[[Rule], Rule]:
    """Register ``rule(scope_id, day) -> Q`` for the model ``label`` (``"places.Place"``)."""

    def decorator(rule: Rule) -> Rule:
        _rules[label] = rule
        return rule

    return decorator


def _closure_model() -> type[models.Model]:
    try:
        return _closure["model"]
    except KeyError:  # pragma: no cover - the organisations app registers it on import
        raise RuntimeError("no scope hierarchy registered") from None


# --- Who the user is ---------------------------------------------------------------------------


def sees_all(user: User) -> bool:
    """Internal calls (``user`` None) and a superuser without scope see everything."""
    return user is None or bool(user.is_superuser and user.scope_id is None)


def change_day(on: date | None = None) -> date:
    """The day a change is checked on: today, or the effective day when that is later."""
    today = timezone.localdate()
    return max(today, on) if on else today


def scope_q(model: type[models.Model], user: User, action: str = VIEW, on: date | None = None) -> Q:
    """The filter for ``model`` rows ``user`` may ``action`` (see the module text)."""
    if action not in (VIEW, CHANGE):
        raise ValueError(f"unknown action {action!r}")
    if user is not None and not user.is_active:
        return NOTHING
    if action == CHANGE and user is not None and not user.can_edit:  # the editor role
        return NOTHING
    queryset = model._default_manager.all()
    role = getattr(queryset, "read_role", None)
    if role and user is not None and not user.has_role(role):
        return NOTHING
    if sees_all(user):
        return Q()
    if user.scope_id is None:
        return NOTHING
    if not isinstance(queryset, ScopedQuerySet):
        raise TypeError(f"{model._meta.label} has no ScopedQuerySet")
    day = change_day(on) if action == CHANGE else on
    return queryset.scope_rule(user.scope_id, day)


def can_read(model: type[models.Model], user: User) -> bool:
    """Whether ``user`` holds the role ``model``'s records need to be read at all (always for a
    model without a ``read_role``; the scope still applies)."""
    queryset = model._default_manager.all()
    role = getattr(queryset, "read_role", None)
    return not role or user is None or bool(user.has_role(role))


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset of rows that belong to an organisation subtree. ``read_role``: the role a
    user needs to see any row (confidential records), besides the scope."""

    read_role: str | None = None

    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """The model's rule: rows inside Subtree(scope) on ``day`` (None: time-aware, ever)."""
        try:
            rule = _rules[self.model._meta.label]
        except KeyError:
            raise NotImplementedError(f"no scope rule for {self.model._meta.label}") from None
        return rule(scope_id, day)

    def visible_to(self, user: User, action: str = VIEW, on: date | None = None) -> Self:
        return self.filter(scope_q(self.model, user, action, on))


def require(user: User, obj: models.Model, action: str = CHANGE, on: date | None = None) -> None:
    """Raise :class:`NotFound` unless ``user`` may ``action`` ``obj`` (``on`` the effective
    day). Services call it before a write and again after it: a write that leaves the object
    outside the writer's scope (e.g. a cell moved under a foreign organisation) is refused and,
    the service being atomic, rolled back."""
    if user is None:
        return
    if obj is None:  # nothing named (a blank code): nothing the user may change
        raise NotFound()
    model = type(obj)
    if not model._default_manager.filter(scope_q(model, user, action, on), pk=obj.pk).exists():
        raise NotFound()


def allowed(user: User, obj: models.Model, action: str = CHANGE, on: date | None = None) -> bool:
    try:
        require(user, obj, action, on)
    except NotFound:
        return False
    return True


# --- The subtree: generic helpers the rules are made of ---------------------------------------


def subtree_on(scope_id: int, day: date) -> models.QuerySet[Any, int]:
    """Ids of the organisations in Subtree(scope, day)."""
    return (
        _closure_model()
        ._default_manager.filter(valid_on(day), ancestor_id=scope_id)
        .values_list("descendant_id", flat=True)
    )


def subtree_ever(scope_id: int) -> models.QuerySet[Any, int]:
    """Ids of the organisations that were in the scope's subtree on some day."""
    return (
        _closure_model()
        ._default_manager.filter(ancestor_id=scope_id)
        .values_list("descendant_id", flat=True)
    )


def overlapping(start: str = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose ``[valid_from, valid_to)`` overlaps the outer row's ``[start, end)``."""
    return (Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(start))) & Q(
        valid_from__lt=Coalesce(OuterRef(end), Value(OPEN_END))
    )


def in_subtree_during(
    scope_id: int,
    node: str = "organization_id",
    start: str = "valid_from",
    end: str = "valid_to",
) -> Exists:
    """For a row of the outer query with an interval ``[start, end)`` (``end`` NULL = open):
    its organisation ``node`` was inside the scope's subtree on some day of that interval — an
    indexed ``EXISTS`` over the closure rows that overlap the interval."""
    return Exists(
        _closure_model()._default_manager.filter(
            overlapping(start, end), ancestor_id=scope_id, descendant_id=OuterRef(node)
        )
    )


def in_subtree_at(scope_id: int, node: str = "organization_id", day: str = "date") -> Exists:
    """For a row of the outer query dated ``day``: its organisation ``node`` was inside the
    scope's subtree on that day."""
    return Exists(
        _closure_model()._default_manager.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef(day)),
            ancestor_id=scope_id,
            descendant_id=OuterRef(node),
            valid_from__lte=OuterRef(day),
        )
    )


def organization_rule(field: str = "organization_id", start: str = "", end: str = "") -> Rule:
    """The rule of a model that belongs to the organisation in ``field``: on a day, inside the
    subtree that day; ever, inside it during ``[start, end)`` when the model has such dates,
    else at any time."""

    def rule(scope_id: int, day: date | None) -> Q:
        if day is not None:
            return Q(**{f"{field}__in": subtree_on(scope_id, day)})
        if start:
            return Q(in_subtree_during(scope_id, field, start, end))
        return Q(**{f"{field}__in": subtree_ever(scope_id)})

    return rule
