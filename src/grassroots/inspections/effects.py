"""The effects of a discipline decision on the registry, in one place, always through the
registry's own services and inside the caller's transaction (the decision's service is
atomic: a refused effect rolls the decision back with it).

- expulsion (khai trừ) → the member's ``left`` event with reason ``expelled``
  (``members.services.member_leave``);
- dissolution (giải tán) → the organisation ends on the decision's day
  (``organizations.services.organization_dissolve``);
- dismissal from post (cách chức) or expulsion → the member's posts end on the decision's day
  (``cadres.services.end_appointments_for_dismissal``);
- reprimand or above on a member → out of every succession plan
  (``cadres.services.remove_from_plans_for_discipline``).

:func:`cancel_effects` withdraws them the same way when an appeal cancels or changes the
decision: the ``left`` event is cancelled (``member_event_cancel``, a ``cancelled`` event that
supersedes it: both stay in the member's history) and the organisation's end is withdrawn
(``organization_end_cancel``); the posts ended are held again until their former end and
the plan entries are put back (``decision.cadre_effects`` remembers exactly which).
"""

from __future__ import annotations

from grassroots.cadres import services as cadre_services
from grassroots.core.errors import RuleError
from grassroots.inspections.models import DisciplineDecision, Level
from grassroots.members import services as member_services
from grassroots.members.models import EventKind, LeftReason, MemberEvent
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
    if decision.member is not None and _apply_cadre_effects(decision, acting_user):
        changed.append("cadre_effects")
    if changed:
        decision.save(update_fields=[*changed, "version"])


def _apply_cadre_effects(decision: DisciplineDecision, acting_user) -> bool:
    """Posts ended (dismissal, expulsion) and plan entries removed (reprimand or above)."""
    effects: dict[str, list] = {"appointments": [], "plan_entries": []}
    if decision.level in (Level.DISMISSAL, Level.EXPULSION):
        before = {}
        held = cadre_services.posts_held(decision.member, decision.decided_on, acting_user)
        for appointment in held:
            before[appointment.pk] = appointment.valid_to
        for appointment in cadre_services.end_appointments_for_dismissal(
            decision.member, decision.decided_on, acting_user, decision=decision.document
        ):
            old = before.get(appointment.pk)
            effects["appointments"].append([appointment.pk, old.isoformat() if old else None])
    for entry in cadre_services.remove_from_plans_for_discipline(
        decision.member, decision.level, decision.decided_on, acting_user
    ):
        effects["plan_entries"].append(entry.pk)
    if not effects["appointments"] and not effects["plan_entries"]:
        return False
    decision.cadre_effects = effects
    return True


def _cancel_cadre_effects(decision: DisciplineDecision, acting_user) -> bool:
    effects = decision.cadre_effects or {}
    if not effects:
        return False
    from datetime import date

    from grassroots.cadres.models import Appointment, PlanEntry

    for pk, valid_to in effects.get("appointments", []):
        appointment = Appointment.objects.filter(pk=pk).first()
        if appointment is not None:
            cadre_services.appointment_reopen(
                acting_user=acting_user,
                appointment=appointment,
                valid_to=date.fromisoformat(valid_to) if valid_to else None,
            )
    for entry in PlanEntry.objects.filter(pk__in=effects.get("plan_entries", [])):
        cadre_services.plan_entry_restore(acting_user=acting_user, entry=entry)
    decision.cadre_effects = {}
    return True


def recorded_effect(decision: DisciplineDecision) -> bool:
    """Whether the registry holds the decision's effect already: the member's effective
    ``left`` event (``expelled``) on the decision's day, or the organisation's end on it."""
    if decision.level == Level.EXPULSION and decision.member is not None:
        return _left_event(decision) is not None
    if decision.level == Level.DISSOLUTION and decision.member is None:
        versions = decision.organization.versions
        return (
            versions.filter(valid_to=decision.decided_on).exists()
            and not versions.filter(valid_to__isnull=True).exists()
        )
    return False


def _left_event(decision: DisciplineDecision) -> MemberEvent | None:
    return (
        MemberEvent.objects.filter(
            member=decision.member,
            kind=EventKind.LEFT,
            reason=LeftReason.EXPELLED,
            date=decision.decided_on,
            superseded_by__isnull=True,
        )
        .order_by("-pk")
        .first()
    )


def link_recorded(decision: DisciplineDecision) -> None:
    """Remember effects the registry already holds (an imported package): the ``left`` event,
    the organisation's end — so that an appeal withdraws them as it would its own."""
    if not recorded_effect(decision):
        raise RuleError(
            "Chưa có hiệu lực của quyết định trên hồ sơ (sự kiện khai trừ hoặc ngày giải tán).",
            code="effect_missing",
        )
    if decision.level == Level.EXPULSION:
        decision.left_event = _left_event(decision)
        decision.save(update_fields=["left_event"])
    else:
        decision.dissolved_on = decision.decided_on
        decision.save(update_fields=["dissolved_on"])


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
    if _cancel_cadre_effects(decision, acting_user):
        changed.append("cadre_effects")
    if changed:
        decision.save(update_fields=[*changed, "version"])
