"""members.services: the lifecycle refuses every event that does not fit (changing nothing),
saves and returns the warnings, corrects and cancels events, and audits every call."""

from datetime import date

import pytest
from auditlog.models import LogEntry

from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError
from grassroots.core.temporal import valid_on
from grassroots.members.models import EventKind, Member, MemberEvent, MembershipSpan
from grassroots.members.services import (
    confirmation_window,
    member_admit,
    member_confirm,
    member_create,
    member_end_exemption,
    member_event_cancel,
    member_event_correct,
    member_exempt,
    member_join,
    member_leave,
    member_move,
    member_record_event,
    member_update,
)
from grassroots.organizations.services import organization_found
from tests import factories

ADMITTED = date(2020, 3, 1)
CONFIRMED = date(2021, 3, 1)


def counts():
    return (
        MemberEvent.objects.count(),
        MembershipSpan.objects.count(),
        LogEntry.objects.count(),
    )


def state(member, day):
    """(status, organisation, place, exempted) of the span valid on ``day``, or None."""
    spans = list(member.spans.filter(valid_on(day)))
    assert len(spans) <= 1
    if not spans:
        return None
    s = spans[0]
    return s.status, s.organization_id, s.place_id, s.exempted


@pytest.fixture
def official(reg):
    return factories.member(
        organization=reg.cell_a, place=reg.village_a, admitted=ADMITTED, confirmed=CONFIRMED
    )


@pytest.fixture
def probationary(reg):
    return factories.member(organization=reg.cell_a, place=reg.village_a, admitted=ADMITTED)


def refused(code, call):
    """``call`` raises RuleError with ``code`` and the database is unchanged."""
    before = counts()
    with pytest.raises(RuleError) as exc:
        call()
    assert exc.value.code == code, exc.value
    assert counts() == before


# --- Refusals --------------------------------------------------------------------------------------


def test_confirm_an_official_member_is_refused(official):
    refused(
        "not_probationary",
        lambda: member_confirm(acting_user=None, member=official, day=date(2022, 1, 1)),
    )


def test_admit_a_current_member_is_refused(reg, official):
    refused(
        "already_member",
        lambda: member_admit(
            acting_user=None,
            member=official,
            day=date(2022, 1, 1),
            organization=reg.cell_b,
            place=reg.village_b,
        ),
    )
    refused(
        "already_member",
        lambda: member_join(
            acting_user=None,
            member=official,
            day=date(2022, 1, 1),
            organization=reg.cell_b,
            place=reg.village_b,
        ),
    )


def test_after_left_only_admission_or_arrival_fits(reg, official):
    member_leave(acting_user=None, member=official, day=date(2022, 1, 1), reason="transferred_out")
    later = date(2022, 6, 1)
    for call in (
        lambda: member_confirm(acting_user=None, member=official, day=later),
        lambda: member_move(acting_user=None, member=official, day=later, organization=reg.cell_b),
        lambda: member_exempt(acting_user=None, member=official, day=later),
        lambda: member_end_exemption(acting_user=None, member=official, day=later),
        lambda: member_leave(acting_user=None, member=official, day=later, reason="died"),
    ):
        refused("not_member", call)
    assert state(official, later) is None
    member_join(
        acting_user=None, member=official, day=later, organization=reg.cell_b, place=reg.village_b
    )
    assert state(official, later) == ("official", reg.cell_b.pk, reg.village_b.pk, False)


def test_readmission_after_left_starts_a_new_probation(reg, official):
    member_leave(acting_user=None, member=official, day=date(2022, 1, 1), reason="removed")
    member_admit(
        acting_user=None,
        member=official,
        day=date(2023, 1, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    assert state(official, date(2022, 6, 1)) is None
    assert state(official, date(2023, 1, 1)) == (
        "probationary",
        reg.cell_b.pk,
        reg.village_b.pk,
        False,
    )


def test_move_without_change_is_refused(reg, official):
    day = date(2022, 1, 1)
    refused(
        "no_change",
        lambda: member_move(acting_user=None, member=official, day=day, organization=reg.cell_a),
    )
    refused(
        "no_change",
        lambda: member_move(acting_user=None, member=official, day=day, place=reg.village_a),
    )
    refused(
        "no_change",
        lambda: member_move(
            acting_user=None, member=official, day=day, organization=reg.cell_a, place=reg.village_a
        ),
    )
    refused("no_change", lambda: member_move(acting_user=None, member=official, day=day))
    member_move(acting_user=None, member=official, day=day, place=reg.village_b)
    assert state(official, day) == ("official", reg.cell_a.pk, reg.village_b.pk, False)


def test_exemption_twice_and_ending_without_exemption_are_refused(official):
    refused(
        "not_exempted",
        lambda: member_end_exemption(acting_user=None, member=official, day=date(2022, 1, 1)),
    )
    member_exempt(acting_user=None, member=official, day=date(2022, 1, 1))
    refused(
        "already_exempted",
        lambda: member_exempt(acting_user=None, member=official, day=date(2022, 6, 1)),
    )
    member_end_exemption(acting_user=None, member=official, day=date(2023, 1, 1))
    assert state(official, date(2022, 6, 1))[3] is True
    assert state(official, date(2023, 1, 1))[3] is False


def test_left_needs_a_valid_reason(official, probationary):
    day = date(2022, 1, 1)
    refused(
        "reason_required",
        lambda: member_leave(acting_user=None, member=official, day=day, reason=""),
    )
    refused(
        "reason_required",
        lambda: member_leave(acting_user=None, member=official, day=day, reason="bored"),
    )
    refused(
        "not_probationary",
        lambda: member_leave(acting_user=None, member=official, day=day, reason="not_confirmed"),
    )
    member_leave(acting_user=None, member=probationary, day=day, reason="not_confirmed")
    assert state(probationary, day) is None


def test_reason_on_another_event_and_unknown_kind_are_refused(official):
    refused(
        "reason_only_left",
        lambda: member_record_event(
            acting_user=None, member=official, kind="exempted", day=date(2022, 1, 1), reason="died"
        ),
    )
    refused(
        "unknown_kind",
        lambda: member_record_event(
            acting_user=None, member=official, kind="promoted", day=date(2022, 1, 1)
        ),
    )


def test_organisation_or_place_not_valid_on_the_date_is_refused(reg):
    m = factories.member()
    early = date(2010, 1, 1)  # the cell and the village exist from 2013-06-01
    refused(
        "not_valid",
        lambda: member_admit(
            acting_user=None, member=m, day=early, organization=reg.cell_a, place=reg.province
        ),
    )
    refused(
        "not_valid",
        lambda: member_admit(
            acting_user=None,
            member=m,
            day=early,
            organization=reg.province_committee,
            place=reg.village_a,
        ),
    )
    later = factories.org(
        name="Chi bộ mới",
        kind="cell",
        place=reg.village_a,
        parent=reg.commune_committee_a,
        valid_from=date(2024, 1, 1),
    )
    member_admit(
        acting_user=None, member=m, day=ADMITTED, organization=reg.cell_a, place=reg.village_a
    )
    refused(
        "not_valid",
        lambda: member_move(acting_user=None, member=m, day=date(2023, 1, 1), organization=later),
    )


def test_backdated_event_that_breaks_a_later_one_is_refused(official):
    # left before the existing confirmation: the confirmation would no longer fit
    refused(
        "not_member",
        lambda: member_leave(
            acting_user=None, member=official, day=date(2020, 9, 1), reason="resigned"
        ),
    )
    # exempted before an existing exemption
    member_exempt(acting_user=None, member=official, day=date(2023, 1, 1))
    refused(
        "already_exempted",
        lambda: member_exempt(acting_user=None, member=official, day=date(2022, 1, 1)),
    )
    # confirmed twice, the second backdated
    refused(
        "not_probationary",
        lambda: member_confirm(acting_user=None, member=official, day=date(2020, 12, 1)),
    )


def test_the_member_is_locked_and_state_is_unchanged_after_a_refusal(reg, official):
    spans_before = list(
        official.spans.values_list("status", "organization", "place", "valid_from", "valid_to")
    )
    refused(
        "not_probationary",
        lambda: member_confirm(acting_user=None, member=official, day=date(2022, 1, 1)),
    )
    assert (
        list(
            official.spans.values_list("status", "organization", "place", "valid_from", "valid_to")
        )
        == spans_before
    )


# --- Warnings ---------------------------------------------------------------------------------------


def _admit(reg, birth, day):
    m = factories.member(birth_date=birth)
    event, warnings = member_admit(
        acting_user=None, member=m, day=day, organization=reg.cell_a, place=reg.village_a
    )
    return m, event, warnings


def test_admission_age_warnings_are_returned_and_the_event_saved(reg):
    young, event, warnings = _admit(reg, date(2003, 3, 2), date(2021, 3, 1))  # one day short of 18
    assert [w.code for w in warnings] == ["admission_age"]
    assert MemberEvent.objects.filter(pk=event.pk).exists()
    assert state(young, date(2021, 3, 1))[0] == "probationary"

    _, _, warnings = _admit(reg, date(2003, 3, 1), date(2021, 3, 1))  # exactly 18
    assert warnings == []
    _, _, warnings = _admit(reg, date(1961, 3, 1), date(2021, 3, 1))  # exactly 60
    assert warnings == []
    _, event, warnings = _admit(reg, date(1961, 1, 1), date(2021, 3, 1))  # 60 years 2 months
    assert [w.code for w in warnings] == ["admission_age"]
    assert MemberEvent.objects.filter(pk=event.pk).exists()


def test_confirmation_before_twelve_months_warns(probationary):
    _, warnings = member_confirm(acting_user=None, member=probationary, day=date(2021, 2, 28))
    assert [w.code for w in warnings] == ["confirmation_early"]
    assert probationary.events.filter(kind="confirmed").exists()


def test_confirmation_window_counts_working_days_across_tet():
    """Admitted 2/1/2024: 12 months end 2/1/2025; 30 working days later, skipping the Tết
    holiday (27–31/1/2025) and weekends, is 20/2/2025 (13/2 without Tết)."""
    assert confirmation_window(date(2024, 1, 2)) == (date(2025, 1, 2), date(2025, 2, 20))


def test_confirmation_after_twelve_months_and_thirty_working_days_warns(reg):
    on_time = factories.member(
        organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 2)
    )
    _, warnings = member_confirm(acting_user=None, member=on_time, day=date(2025, 2, 17))
    assert warnings == []  # inside the window only because Tết days are not working days
    _, warnings = member_confirm(
        acting_user=None,
        member=factories.member(
            organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 2)
        ),
        day=date(2025, 2, 20),
    )
    assert warnings == []
    late = factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 2))
    event, warnings = member_confirm(acting_user=None, member=late, day=date(2025, 2, 21))
    assert [w.code for w in warnings] == ["confirmation_late"]
    assert MemberEvent.objects.filter(pk=event.pk).exists()


# --- Corrections ------------------------------------------------------------------------------------


def test_correction_supersedes_and_both_stay_visible(reg, official):
    move, _ = member_move(
        acting_user=None, member=official, day=date(2022, 1, 1), organization=reg.cell_b
    )
    correction, _ = member_event_correct(
        acting_user=None, event=move, day=date(2022, 2, 1), place=reg.village_b
    )
    assert correction.supersedes_id == move.pk
    assert correction.kind == "moved"
    assert correction.organization_id == reg.cell_b.pk  # kept from the corrected event
    assert set(official.events.values_list("pk", flat=True)) >= {move.pk, correction.pk}
    # spans follow the correction
    assert state(official, date(2022, 1, 15)) == (
        "official",
        reg.cell_a.pk,
        reg.village_a.pk,
        False,
    )
    assert state(official, date(2022, 2, 1)) == ("official", reg.cell_b.pk, reg.village_b.pk, False)


def test_correcting_the_same_event_twice_is_refused(reg, official):
    move, _ = member_move(
        acting_user=None, member=official, day=date(2022, 1, 1), organization=reg.cell_b
    )
    member_event_correct(acting_user=None, event=move, day=date(2022, 2, 1))
    refused(
        "already_superseded",
        lambda: member_event_correct(acting_user=None, event=move, day=date(2022, 3, 1)),
    )
    fresh = MemberEvent.objects.get(pk=move.pk)
    refused(
        "already_superseded",
        lambda: member_event_correct(acting_user=None, event=fresh, day=date(2022, 3, 1)),
    )
    refused("already_superseded", lambda: member_event_cancel(acting_user=None, event=fresh))


def test_correcting_through_a_stale_copy_is_refused(reg, official):
    move, _ = member_move(
        acting_user=None, member=official, day=date(2022, 1, 1), organization=reg.cell_b
    )
    stale = MemberEvent.objects.get(pk=move.pk)
    assert not hasattr(stale, "superseded_by")  # the copy now remembers "not corrected"
    member_event_correct(acting_user=None, event=move, day=date(2022, 2, 1))
    refused(
        "already_superseded",
        lambda: member_event_correct(acting_user=None, event=stale, day=date(2022, 3, 1)),
    )


def test_correction_that_does_not_fit_is_refused(official):
    confirmation = official.events.get(kind="confirmed")
    # moving the confirmation before the admission breaks the history
    refused(
        "not_member",
        lambda: member_event_correct(acting_user=None, event=confirmation, day=date(2019, 1, 1)),
    )
    assert not hasattr(MemberEvent.objects.get(pk=confirmation.pk), "superseded_by")


def test_cancel_withdraws_an_event(reg, official):
    move, _ = member_move(
        acting_user=None, member=official, day=date(2022, 1, 1), organization=reg.cell_b
    )
    cancel = member_event_cancel(acting_user=None, event=move)
    assert cancel.kind == EventKind.CANCELLED and cancel.supersedes_id == move.pk
    assert MemberEvent.objects.filter(pk=move.pk).exists()
    assert state(official, date(2022, 6, 1)) == ("official", reg.cell_a.pk, reg.village_a.pk, False)
    refused("cancel_of_cancel", lambda: member_event_cancel(acting_user=None, event=cancel))


def test_cancelling_the_admission_leaves_no_spans_and_a_confirmation_is_refused(probationary):
    admission = probationary.events.get(kind="admitted")
    member_event_cancel(acting_user=None, event=admission)
    assert probationary.spans.count() == 0
    refused(
        "not_member",
        lambda: member_confirm(acting_user=None, member=probationary, day=date(2021, 3, 1)),
    )


# --- Audit -------------------------------------------------------------------------------------------


def test_every_member_service_call_is_audited_with_the_acting_user(reg, make_user):
    # an editor of the whole province (a user without scope sees nothing, changes nothing)
    user = make_user("bantochuc", roles=["editor"], scope=reg.province_committee)
    holder = {}

    def create():
        holder["m"] = member_create(
            acting_user=user,
            code="DV-9",
            full_name="Lò Thị Hoa",
            gender="female",
            birth_date=date(1990, 1, 1),
        )

    def m():
        return Member.objects.get(code="DV-9")

    calls = [
        create,
        lambda: member_update(acting_user=user, member=m(), ethnicity="Thái"),
        lambda: member_admit(
            acting_user=user, member=m(), day=ADMITTED, organization=reg.cell_a, place=reg.village_a
        ),
        lambda: member_confirm(acting_user=user, member=m(), day=CONFIRMED),
        lambda: member_move(
            acting_user=user, member=m(), day=date(2022, 1, 1), organization=reg.cell_b
        ),
        lambda: member_exempt(acting_user=user, member=m(), day=date(2023, 1, 1)),
        lambda: member_end_exemption(acting_user=user, member=m(), day=date(2024, 1, 1)),
        lambda: member_event_correct(
            acting_user=user, event=m().events.get(kind="moved"), day=date(2022, 2, 1)
        ),
        lambda: member_event_cancel(acting_user=user, event=m().events.get(kind="exemption_ended")),
        lambda: member_leave(acting_user=user, member=m(), day=date(2025, 1, 1), reason="died"),
    ]
    for call in calls:
        mark = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with acting_as(user):
            call()
        written = list(LogEntry.objects.filter(pk__gt=mark))
        assert written, call
        assert {e.actor_id for e in written} == {user.pk}
    # the lifecycle entry on the member carries the old and the new state
    entry = (
        LogEntry.objects.get_for_object(m())
        .filter(changes__icontains="event")
        .order_by("pk")
        .last()
    )
    assert entry.changes_dict["status"] == ["official", ""]
    events = list(m().events.all())
    assert all(e.recorded_by == user for e in events)


def test_member_create_refuses_duplicate_code(official):
    before = (Member.objects.count(), LogEntry.objects.count())
    with pytest.raises(RuleError) as exc:
        member_create(
            acting_user=None,
            code=official.code,
            full_name="X",
            gender="male",
            birth_date=date(1990, 1, 1),
        )
    assert exc.value.code == "duplicate_code"
    assert (Member.objects.count(), LogEntry.objects.count()) == before


def test_organisation_ended_later_refuses_an_admission_into_it_after_its_end(reg):
    """An organisation valid on the event's date is accepted even if it ends later — but then
    dissolving it is refused while the member is there."""
    from grassroots.organizations.services import organization_dissolve

    short = organization_found(
        acting_user=None,
        code="CB-TAM",
        name="Chi bộ tạm",
        kind="cell",
        place=reg.village_a,
        parent=reg.commune_committee_a,
        valid_from=date(2015, 1, 1),
    )
    m = factories.member(organization=short, place=reg.village_a, admitted=date(2016, 1, 1))
    with pytest.raises(RuleError) as exc:
        organization_dissolve(acting_user=None, organization=short, day=date(2018, 1, 1))
    assert exc.value.code == "has_members"
    member_move(acting_user=None, member=m, day=date(2018, 1, 1), organization=reg.cell_a)
    organization_dissolve(acting_user=None, organization=short, day=date(2018, 1, 1))


def test_membership_past_the_end_of_its_organisation_warns(reg):
    from grassroots.organizations.services import organization_dissolve

    cell = organization_found(
        acting_user=None,
        code="CB-TAM",
        name="Chi bộ tạm",
        kind="cell",
        place=reg.village_a,
        parent=reg.commune_committee_a,
        valid_from=date(2015, 1, 1),
    )
    organization_dissolve(acting_user=None, organization=cell, day=date(2018, 1, 1))
    m = factories.member()
    _, warnings = member_admit(
        acting_user=None, member=m, day=date(2017, 1, 2), organization=cell, place=reg.village_a
    )
    assert [w.code for w in warnings] == ["outlives_organization"]
    # Recording the move out before the end clears it.
    _, warnings = member_move(
        acting_user=None, member=m, day=date(2017, 12, 1), organization=reg.cell_a
    )
    assert warnings == []
