"""The rules of Quy định 296-QĐ/TW at their boundaries, the case steps, and the effects of a
decision on the registry (and their withdrawal on appeal)."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from grassroots.core.errors import NotFound, RuleError
from grassroots.inspections import services
from grassroots.inspections.models import Case, DecisionStatus, DisciplineDecision
from grassroots.members.models import EventKind, LeftReason, MemberEvent, MembershipSpan
from grassroots.organizations.models import OrganizationVersion
from tests import factories

pytestmark = pytest.mark.django_db


def decide(member=None, organization=None, **values):
    data = {
        "acting_user": None,
        "code": "KL-1",
        "subject": "member" if member else "organization",
        "member": member,
        "organization": organization,
        "level": "reprimand",
        "violation_kind": "duties",
        "violation_date": date(2023, 1, 10),
        "decided_on": date(2023, 6, 20),
        "deciding_body": "Chi bộ bản Nậm Ngà",
        "decision_number": "01-QĐ/CB",
        "votes_for": 5,
        "votes_total": 7,
    }
    data.update(values)
    return services.discipline_decide(**data)


def test_a_vote_of_exactly_one_half_is_refused(official):
    with pytest.raises(RuleError) as refused:
        decide(official, votes_for=4, votes_total=8)
    assert refused.value.code == "vote_majority"
    assert "quá 1/2" in refused.value.messages[0]
    assert not DisciplineDecision.objects.exists()
    assert decide(official, votes_for=5, votes_total=8).level == "reprimand"


def test_expulsion_needs_two_thirds(official):
    with pytest.raises(RuleError) as refused:
        decide(official, level="expulsion", votes_for=5, votes_total=8)
    assert refused.value.code == "vote_expulsion"
    decision = decide(official, level="expulsion", votes_for=6, votes_total=9)
    assert decision.level == "expulsion"


def test_a_reprimand_past_its_five_years_is_refused_naming_the_rule(official):
    violation = date(2018, 3, 15)
    with pytest.raises(RuleError) as refused:
        decide(official, violation_date=violation, decided_on=date(2023, 3, 16))
    assert refused.value.code == "limitation_expired"
    message = refused.value.messages[0]
    assert "thời hiệu" in message and "296-QĐ/TW" in message and "5 năm" in message
    assert not DisciplineDecision.objects.exists()
    # on the last day of the period it is still possible
    assert decide(official, violation_date=violation, decided_on=date(2023, 3, 15))


def test_a_warning_has_ten_years_and_expulsion_none(official):
    with pytest.raises(RuleError):
        decide(
            official, level="warning", violation_date=date(2013, 6, 1), decided_on=date(2023, 6, 2)
        )
    decide(
        official,
        code="KL-2",
        level="warning",
        violation_date=date(2013, 6, 2),
        decided_on=date(2023, 6, 2),
    )
    decide(official, code="KL-3", level="expulsion", violation_date=date(2001, 1, 1), votes_for=7)


def test_a_probationary_member_is_not_expelled_nor_dismissed(probationary):
    for level in ("expulsion", "dismissal"):
        with pytest.raises(RuleError) as refused:
            decide(probationary, level=level, decided_on=date(2023, 9, 1), votes_for=7)
        assert refused.value.code == "level_probationary"
    assert not MemberEvent.objects.filter(member=probationary, kind=EventKind.LEFT).exists()
    assert decide(probationary, level="warning", decided_on=date(2023, 9, 1)).level == "warning"


def test_organisation_levels(reg):
    with pytest.raises(RuleError) as refused:
        decide(organization=reg.cell_a, level="expulsion", votes_for=7)
    assert refused.value.code == "level_organization"


def test_expulsion_records_the_left_event_and_cancelling_it_on_appeal_withdraws_it(
    official, inspector
):
    decision = decide(
        official, level="expulsion", votes_for=6, votes_total=7, acting_user=inspector
    )
    event = decision.left_event
    assert (event.kind, event.reason, event.date) == (
        EventKind.LEFT,
        LeftReason.EXPELLED,
        date(2023, 6, 20),
    )
    assert not MembershipSpan.objects.filter(member=official, valid_to__isnull=True).exists()
    appeal = services.appeal_lodge(
        acting_user=inspector, decision=decision, lodged_on=date(2023, 7, 1)
    )
    services.appeal_decide(
        acting_user=inspector, appeal=appeal, decided_on=date(2023, 8, 1), outcome="cancelled"
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED and decision.left_event is None
    cancel = MemberEvent.objects.get(supersedes=event)
    assert cancel.kind == EventKind.CANCELLED
    assert MembershipSpan.objects.filter(member=official, valid_to__isnull=True).exists()


def test_an_expulsion_changed_to_a_warning_keeps_the_member(official):
    decision = decide(official, level="expulsion", votes_for=7)
    appeal = services.appeal_lodge(acting_user=None, decision=decision, lodged_on=date(2023, 7, 1))
    services.appeal_decide(
        acting_user=None,
        appeal=appeal,
        decided_on=date(2023, 8, 1),
        outcome="changed",
        new_level="warning",
    )
    decision.refresh_from_db()
    assert (decision.level, decision.status, decision.left_event) == ("warning", "changed", None)
    assert MembershipSpan.objects.filter(member=official, valid_to__isnull=True).exists()


def test_an_appeal_upheld_changes_nothing(official):
    decision = decide(official, level="expulsion", votes_for=7)
    appeal = services.appeal_lodge(acting_user=None, decision=decision, lodged_on=date(2023, 7, 1))
    services.appeal_decide(
        acting_user=None, appeal=appeal, decided_on=date(2023, 8, 1), outcome="upheld"
    )
    decision.refresh_from_db()
    assert decision.left_event is not None and decision.status == "in_force"
    with pytest.raises(RuleError):
        services.appeal_decide(
            acting_user=None, appeal=appeal, decided_on=date(2023, 8, 2), outcome="cancelled"
        )


def test_dissolution_ends_the_organisation_and_its_cancellation_reopens_it(reg):
    empty = factories.org(
        name="Chi bộ Trạm y tế", kind="cell", place=reg.village_a, parent=reg.commune_committee_a,
        code="CB-TYT", valid_from=date(2015, 1, 1),
    )  # fmt: skip
    decision = decide(organization=empty, level="dissolution")
    assert decision.dissolved_on == date(2023, 6, 20)
    assert OrganizationVersion.objects.get(organization=empty).valid_to == date(2023, 6, 20)
    appeal = services.appeal_lodge(acting_user=None, decision=decision, lodged_on=date(2023, 7, 1))
    services.appeal_decide(
        acting_user=None, appeal=appeal, decided_on=date(2023, 8, 1), outcome="cancelled"
    )
    assert OrganizationVersion.objects.get(organization=empty).valid_to is None


def test_dissolution_of_an_organisation_with_members_is_refused_and_nothing_is_kept(reg, official):
    with pytest.raises(RuleError) as refused:
        decide(organization=reg.cell_a, level="dissolution")
    assert refused.value.code == "has_members"
    assert not DisciplineDecision.objects.exists()


def open_case(user=None, **values):
    data = {
        "acting_user": user,
        "code": "KT-1",
        "kind": "inspection_signs",
        "subject": "member",
        "topic": "Dấu hiệu vi phạm trong quản lý đất đai",
        "deciding_body": "Ủy ban Kiểm tra Đảng ủy xã",
        "decision_number": "12-QĐ/UBKT",
        "decided_on": date(2023, 3, 1),
    }
    data.update(values)
    return services.case_open(**data)


def test_a_step_cannot_precede_the_one_before(official):
    case = open_case(member=official)
    with pytest.raises(RuleError) as refused:
        services.case_step(acting_user=None, case=case, step="notified", day=date(2023, 3, 5))
    assert refused.value.code == "step_order"
    services.case_step(acting_user=None, case=case, step="planned", day=date(2023, 3, 5))
    with pytest.raises(RuleError) as refused:
        services.case_step(acting_user=None, case=case, step="notified", day=date(2023, 3, 4))
    assert refused.value.code == "step_before_previous"
    services.case_step(acting_user=None, case=case, step="notified", day=date(2023, 3, 5))
    with pytest.raises(RuleError) as refused:
        services.case_step(acting_user=None, case=case, step="planned", day=date(2023, 3, 6))
    assert refused.value.code == "step_after_next"
    for step, day in (("verified", 10), ("reported", 20)):
        services.case_step(acting_user=None, case=case, step=step, day=date(2023, 4, day))
    with pytest.raises(RuleError):
        services.case_step(
            acting_user=None, case=case, step="concluded", day=date(2023, 5, 1), conclusion=""
        )
    services.case_step(
        acting_user=None, case=case, step="concluded", day=date(2023, 5, 1),
        conclusion="discipline", violation_kind="land", findings="Cấp đất sai quy định.",
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.step, case.conclusion, case.findings) == (
        "concluded",
        "discipline",
        "Cấp đất sai quy định.",
    )


def test_only_inspectors_open_cases_and_each_write_is_audited(reg, official, inspector, editor):
    with pytest.raises(NotFound):
        open_case(editor, member=official)
    case = open_case(inspector, member=official)
    assert LogEntry.objects.get_for_object(case).count() == 1
    assert Case.objects.visible_to(editor).count() == 0
    assert Case.objects.visible_to(inspector).count() == 1


def test_administrators_read_cases_and_the_role_does_not_widen_the_scope(reg, official, make_user):
    case = open_case(member=official)
    admin_a = make_user("quantri-a", roles=["admin"], scope=reg.commune_committee_a)
    superuser = make_user("goc", is_superuser=True)
    inspector_b = make_user("kt-b", roles=["editor", "inspector"], scope=reg.commune_committee_b)
    viewer_a = make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a)
    assert list(Case.objects.visible_to(admin_a)) == [case]
    assert list(Case.objects.visible_to(superuser)) == [case]
    assert not Case.objects.visible_to(inspector_b).exists()
    assert not Case.objects.visible_to(viewer_a).exists()
    assert list(Case.objects.visible_to(None)) == [case]


# --- Effects on the cadres app (dismissal → posts end; reprimand or above → out of the plans) --


def test_a_dismissal_ends_the_posts_and_leaves_the_plans_and_its_cancellation_restores_both(
    reg, official, inspector
):
    from grassroots.cadres import services as cadres
    from grassroots.cadres.models import Appointment, PlanEntry

    post = cadres.appointment_create(
        acting_user=None, organization=reg.cell_a, position="secretary", member=official,
        valid_from=date(2020, 10, 1), valid_to=date(2025, 10, 1),
    )  # fmt: skip
    plan = cadres.plan_create(
        acting_user=None, organization=reg.commune_committee_a, term_from=2025, term_to=2030,
        term_starts_on=date(2025, 8, 1), approved_on=date(2023, 1, 1),
    )  # fmt: skip
    entry = cadres.plan_entry_add(
        acting_user=None, plan=plan, position="deputy_secretary", member=official,
        day=date(2023, 2, 1),
    )  # fmt: skip
    decision = decide(official, level="dismissal", acting_user=inspector)
    post, entry = Appointment.objects.get(pk=post.pk), PlanEntry.objects.get(pk=entry.pk)
    assert (post.valid_to, post.end_reason) == (date(2023, 6, 20), "dismissed")
    assert (entry.removed_on, entry.removal_reason, entry.discipline) == (
        date(2023, 6, 20), "disciplined", "dismissal",
    )  # fmt: skip
    appeal = services.appeal_lodge(
        acting_user=inspector, decision=decision, lodged_on=date(2023, 7, 1)
    )
    services.appeal_decide(
        acting_user=inspector, appeal=appeal, decided_on=date(2023, 8, 1), outcome="cancelled"
    )
    post, entry = Appointment.objects.get(pk=post.pk), PlanEntry.objects.get(pk=entry.pk)
    assert (post.valid_to, post.end_reason) == (date(2025, 10, 1), "")  # its former end
    assert (entry.removed_on, entry.discipline) == (None, "")
    assert DisciplineDecision.objects.get(pk=decision.pk).cadre_effects == {}


def test_a_reprimand_takes_the_member_out_of_the_plans_but_keeps_the_posts(reg, official):
    from grassroots.cadres import services as cadres
    from grassroots.cadres.models import Appointment, PlanEntry

    post = cadres.appointment_create(
        acting_user=None, organization=reg.cell_a, position="secretary", member=official,
        valid_from=date(2020, 10, 1),
    )  # fmt: skip
    plan = cadres.plan_create(
        acting_user=None, organization=reg.commune_committee_a, term_from=2025, term_to=2030,
        term_starts_on=date(2025, 8, 1), approved_on=date(2023, 1, 1),
    )  # fmt: skip
    entry = cadres.plan_entry_add(
        acting_user=None, plan=plan, position="deputy_secretary", member=official,
        day=date(2023, 2, 1),
    )  # fmt: skip
    decide(official, level="reprimand")
    assert Appointment.objects.get(pk=post.pk).valid_to is None
    assert PlanEntry.objects.get(pk=entry.pk).removed_on == date(2023, 6, 20)
