"""The effects of a discipline decision on the registry, in one place, always through the
registry's own services and inside the caller's transaction (the decision's service is
atomic: a refused effect rolls the decision back with it).

- expulsion (khai trừ) → the member's ``left`` event with reason ``expelled``
  (``members.services.member_leave``);
- dissolution (giải tán) → the organisation ends on the decision's day
  (``organizations.services.organization_dissolve``).

:func:`cancel_effects` withdraws them the same way when an appeal cancels or changes the
decision: the ``left`` event is cancelled (``member_event_cancel``, a ``cancelled`` event that
supersedes it: both stay in the member's history) and the organisation's end is withdrawn
(``organization_end_cancel``). An app above this one that keeps other consequences of a
decision (appointments ended, succession plans) adds them here.
"""

from __future__ import annotations

from grassroots.inspections.models import DisciplineDecision, Level
from grassroots.members import services as member_services
from grassroots.members.models import LeftReason
from grassroots.organizations import services as organization_services


def apply_effects(decision: DisciplineDecision, acting_user) -> None:
    """Record the decision's effects on the registry and remember them on the decision."""
    changed = []
    if decision.level == Level.EXPULSION and decision.member is not None:
        event, _ = member_services.member_leave(
            acting_user=acting_user,
            member=decision.member,
            day=decision.decided_on,
            reason=LeftReason.EXPELLED,
            note=f"Khai trừ theo quyết định số {decision.decision_number}",
        )
        decision.left_event = event
        changed.append("left_event")
    if decision.level == Level.DISSOLUTION and decision.member is None:
        organization_services.organization_dissolve(
            acting_user=acting_user, organization=decision.organization, day=decision.decided_on
        )
        decision.dissolved_on = decision.decided_on
        changed.append("dissolved_on")
    if changed:
        decision.save(update_fields=[*changed, "version"])


def cancel_effects(decision: DisciplineDecision, acting_user) -> None:
    """Withdraw the effects :func:`apply_effects` recorded (the registry as if they had not
    happened, with the history of both kept by the registry)."""
    changed = []
    if decision.left_event is not None:
        member_services.member_event_cancel(
            acting_user=acting_user,
            event=decision.left_event,
            note=f"Hủy khai trừ: quyết định số {decision.decision_number} không còn hiệu lực",
        )
        decision.left_event = None
        changed.append("left_event")
    if decision.dissolved_on is not None:
        organization_services.organization_end_cancel(
            acting_user=acting_user, organization=decision.organization, day=decision.dissolved_on
        )
        decision.dissolved_on = None
        changed.append("dissolved_on")
    if changed:
        decision.save(update_fields=[*changed, "version"])
