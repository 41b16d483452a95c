from datetime import date

import pytest

from grassroots import policy
from grassroots.admissions import services
from grassroots.admissions.models import Stage
from grassroots.core.errors import RuleError
from grassroots.members.models import EventKind, LeftReason, MembershipSpan
from tests import factories
from tests.admissions.conftest import advance, new_candidate


def _code(exc):
    return exc.value.code


def test_full_path_to_official_member(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    assert c.stage == Stage.ADMITTED
    member = c.member
    assert member.full_name == "Lò Thị Hoa" and member.code == "QC-1"
    admitted = member.events.get(kind=EventKind.ADMITTED)
    assert (admitted.date, admitted.organization, admitted.place) == (
        date(2024, 7, 1),
        reg.cell_a,
        reg.village_a,
    )
    assert admitted.recorded_by == editor
    services.candidate_confirm(
        acting_user=editor,
        candidate=c,
        day=date(2025, 7, 15),
        confirmed=True,
        eligible=4,
        votes_for=4,
    )
    c.refresh_from_db()
    assert c.stage == Stage.CONFIRMED
    # official from the 12-month mark, although the cell decided two weeks later
    assert member.events.get(kind=EventKind.CONFIRMED).date == date(2025, 7, 1)
    assert MembershipSpan.objects.get(member=member, valid_to__isnull=True).status == "official"
    assert [s.stage for s in c.steps.all()] == [
        "identified", "trained", "applied", "verified", "sponsored", "voted", "decided",
        "admitted", "confirmed",
    ]  # fmt: skip
    assert all(s.recorded_by == editor for s in c.steps.all())


def test_not_confirmed_leaves(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    with pytest.raises(RuleError) as exc:
        services.candidate_confirm(
            acting_user=editor, candidate=c, day=date(2025, 7, 10), confirmed=False
        )
    assert _code(exc) == "reason_required"
    services.candidate_confirm(
        acting_user=editor,
        candidate=c,
        day=date(2025, 7, 10),
        confirmed=False,
        reason="Vi phạm tư cách đảng viên",
    )
    left = c.member.events.get(kind=EventKind.LEFT)
    assert left.reason == LeftReason.NOT_CONFIRMED and left.date == date(2025, 7, 10)
    assert not MembershipSpan.objects.filter(member=c.member, valid_to__isnull=True).exists()


def test_confirmation_before_probation_ends_is_refused(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "admitted")
    with pytest.raises(RuleError) as exc:
        services.candidate_confirm(
            acting_user=editor, candidate=c, day=date(2025, 6, 30), confirmed=True
        )
    assert _code(exc) == "probation_not_over"


def test_under_age_refused_at_the_vote(cell, editor):
    reg, members, _ = cell
    c = advance(
        new_candidate(reg, editor, birth_date=date(2006, 6, 1)), editor, members, "sponsored"
    )
    with pytest.raises(RuleError) as exc:
        services.candidate_vote(
            acting_user=editor, candidate=c, day=date(2024, 5, 20), eligible=3, votes_for=3
        )
    assert _code(exc) == "under_age"
    assert "17 tuổi 11 tháng" in exc.value.messages[0]
    c.refresh_from_db()
    assert c.stage == Stage.SPONSORED and not c.steps.filter(stage="voted").exists()


def test_expired_certificate_refused(cell, editor):
    reg, members, _ = cell
    c = new_candidate(reg, editor, identified_on=date(2018, 1, 5))
    services.candidate_train(acting_user=editor, candidate=c, day=date(2019, 5, 20))
    services.candidate_apply(acting_user=editor, candidate=c, day=date(2019, 6, 1))
    services.candidate_verify(acting_user=editor, candidate=c, day=date(2024, 4, 1))
    services.candidate_sponsor(
        acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
        sponsor_2=members[1],
    )  # fmt: skip
    # valid for 60 months: up to 19/5/2024, expired on 20/5/2024
    with pytest.raises(RuleError) as exc:
        services.candidate_vote(
            acting_user=editor, candidate=c, day=date(2024, 5, 20), eligible=3, votes_for=3
        )
    assert _code(exc) == "certificate_expired"
    services.candidate_vote(
        acting_user=editor, candidate=c, day=date(2024, 5, 17), eligible=3, votes_for=3
    )


def test_sponsor_probationary_refused(cell, editor):
    reg, members, _ = cell
    probationary = factories.member(
        full_name="Lò Văn Em", code="DV-5", organization=reg.cell_a, place=reg.village_a,
        admitted=date(2024, 1, 2),
    )  # fmt: skip
    c = advance(new_candidate(reg, editor), editor, members, "verified")
    with pytest.raises(RuleError) as exc:
        services.candidate_sponsor(
            acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
            sponsor_2=probationary,
        )  # fmt: skip
    assert _code(exc) == "sponsor_ineligible"
    assert "chưa là đảng viên chính thức" in exc.value.messages[0]


def test_sponsor_from_another_grassroots_organization_refused(cell, editor):
    reg, members, other = cell
    c = advance(new_candidate(reg, editor), editor, members, "verified")
    with pytest.raises(RuleError) as exc:
        services.candidate_sponsor(
            acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
            sponsor_2=other,
        )  # fmt: skip
    assert _code(exc) == "sponsor_ineligible"
    assert "Đảng bộ xã Nậm Hàng" in exc.value.messages[0]


def test_sponsors_two_distinct_or_youth_union(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "verified")
    for kwargs, code in (
        ({"sponsor_2": None}, "two_sponsors"),
        ({"sponsor_2": members[0]}, "same_sponsor"),
    ):
        with pytest.raises(RuleError) as exc:
            services.candidate_sponsor(
                acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
                **kwargs,
            )  # fmt: skip
        assert _code(exc) == code
    step, _ = services.candidate_sponsor(
        acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
        youth_union_sponsor=True,
    )  # fmt: skip
    assert step.youth_union_sponsor


def test_youth_union_sponsor_refused_for_older_applicant(cell, editor):
    reg, members, _ = cell
    c = advance(
        new_candidate(reg, editor, birth_date=date(1990, 1, 1), source="farmers_union"),
        editor,
        members,
        "verified",
    )
    with pytest.raises(RuleError) as exc:
        services.candidate_sponsor(
            acting_user=editor, candidate=c, day=date(2024, 5, 2), sponsor_1=members[0],
            youth_union_sponsor=True,
        )  # fmt: skip
    assert _code(exc) == "not_youth"


@pytest.mark.parametrize("votes,passes", [(1, False), (3, False), (4, True), (6, True)])
def test_vote_needs_two_thirds(cell, editor, votes, passes):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "sponsored")
    call = {"acting_user": editor, "candidate": c, "day": date(2024, 5, 20), "eligible": 6}
    if passes:
        services.candidate_vote(**call, votes_for=votes)
    else:
        with pytest.raises(RuleError) as exc:
            services.candidate_vote(**call, votes_for=votes)
        assert _code(exc) == "vote_below_share"
        assert f"{votes}/6" in exc.value.messages[0]


def test_decision_after_deadline_refused(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "voted")
    last = policy.add_working_days(date(2024, 5, 20), 60)
    with pytest.raises(RuleError) as exc:
        services.candidate_decide(
            acting_user=editor, candidate=c, day=last + (date(2024, 1, 2) - date(2024, 1, 1))
        )
    assert _code(exc) == "decision_late"
    services.candidate_decide(acting_user=editor, candidate=c, day=last)


def test_ceremony_after_deadline_refused(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "decided")
    with pytest.raises(RuleError) as exc:
        services.candidate_admit(acting_user=editor, candidate=c, day=date(2024, 8, 15))
    assert _code(exc) == "ceremony_late"
    c.refresh_from_db()
    assert c.member is None


def test_steps_in_order_and_dates(cell, editor):
    reg, members, _ = cell
    c = new_candidate(reg, editor)
    with pytest.raises(RuleError) as exc:
        services.candidate_apply(acting_user=editor, candidate=c, day=date(2024, 3, 1))
    assert _code(exc) == "out_of_order"
    with pytest.raises(RuleError) as exc:
        services.candidate_train(acting_user=editor, candidate=c, day=date(2024, 1, 9))
    assert _code(exc) == "before_previous"


def test_drop_at_any_stage_then_closed(cell, editor):
    reg, members, _ = cell
    c = advance(new_candidate(reg, editor), editor, members, "applied")
    with pytest.raises(RuleError):
        services.candidate_drop(acting_user=editor, candidate=c, day=date(2024, 3, 5), reason="")
    services.candidate_drop(
        acting_user=editor, candidate=c, day=date(2024, 3, 5), reason="Chuyển đi nơi khác"
    )
    c.refresh_from_db()
    assert c.stage == Stage.DROPPED
    with pytest.raises(RuleError) as exc:
        services.candidate_verify(acting_user=editor, candidate=c, day=date(2024, 4, 1))
    assert _code(exc) == "closed"


def test_duplicate_code_refused(cell, editor):
    reg, members, _ = cell
    new_candidate(reg, editor)
    with pytest.raises(RuleError) as exc:
        new_candidate(reg, editor)
    assert _code(exc) == "duplicate_code"


def test_working_days_across_tet():
    # Tết Giáp Thìn: 8–14/2/2024 are public holidays (lunar), so one working day after
    # Wednesday 7/2 is Thursday 15/2
    assert not policy.is_working_day(date(2024, 2, 12))
    assert policy.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    # 60 working days from a vote on 25/1/2024 cross Tết, Hùng Kings' day, 30/4 and 1/5
    assert policy.add_working_days(date(2024, 1, 25), 60) == date(2024, 4, 26)


def test_decision_deadline_counts_tet(cell, editor):
    reg, members, _ = cell
    c = advance(
        new_candidate(reg, editor, identified_on=date(2023, 6, 1)),
        editor,
        members,
        "voted",
        trained=date(2023, 7, 1),
        applied=date(2023, 8, 1),
        verified=date(2023, 9, 1),
        sponsored=date(2023, 10, 2),
        voted=date(2024, 1, 25),
    )
    # a calendar count (60 working days ≈ 12 weeks → 18/4) would refuse 26/4
    services.candidate_decide(acting_user=editor, candidate=c, day=date(2024, 4, 26))


def test_targets(reg, editor):
    t = services.target_set(
        acting_user=editor, organization=reg.committee, year_from=2020, year_to=2025, per_year=60
    )
    assert t.for_year(2021) == 60
    with pytest.raises(RuleError) as exc:
        services.target_set(
            acting_user=editor, organization=reg.committee, year_from=2024, year_to=2024,
            total=70,
        )  # fmt: skip
    assert _code(exc) == "target_overlap"
    t2 = services.target_set(
        acting_user=editor, organization=reg.committee, year_from=2026, year_to=2030, total=301
    )
    assert t2.for_year(2027) == 61
