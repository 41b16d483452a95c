"""The cadres services: the retirement-age roadmap at its boundaries, every planning rule at its
exact boundary, congress results, appointments, rotations and the inspections' entry points."""

from datetime import date

import pytest

from grassroots.cadres import selectors, services
from grassroots.cadres.models import Appointment, Congress, PlanEntry, RemovalReason
from grassroots.core.errors import NotFound, RuleError
from tests import factories

pytestmark = pytest.mark.django_db


# --- Retirement age (Nghị định 135/2020, Phụ lục I) -------------------------------------------


@pytest.mark.parametrize(
    ("gender", "born", "months", "retires"),
    [
        # men: 2021 60y3m for births 01/1961–09/1961, then +3 months a year
        ("male", date(1960, 12, 31), 720, date(2020, 12, 31)),
        ("male", date(1961, 1, 1), 723, date(2021, 4, 1)),
        ("male", date(1961, 9, 30), 723, date(2021, 12, 30)),
        ("male", date(1961, 10, 1), 726, date(2022, 4, 1)),
        # a man born in 1965: 61y6m until births of 06/1965, 61y9m from 07/1965
        ("male", date(1965, 1, 15), 738, date(2026, 7, 15)),
        ("male", date(1965, 6, 30), 738, date(2026, 12, 30)),
        ("male", date(1965, 7, 1), 741, date(2027, 4, 1)),
        ("male", date(1965, 12, 31), 741, date(2027, 9, 30)),
        ("male", date(1966, 3, 31), 741, date(2027, 12, 31)),
        ("male", date(1966, 4, 1), 744, date(2028, 4, 1)),
        ("male", date(1990, 5, 5), 744, date(2052, 5, 5)),
        # women: 2021 55y4m for births 01/1966–08/1966, then +4 months a year to 60
        ("female", date(1965, 12, 31), 660, date(2020, 12, 31)),
        ("female", date(1966, 1, 1), 664, date(2021, 5, 1)),
        ("female", date(1966, 8, 31), 664, date(2021, 12, 31)),
        ("female", date(1966, 9, 1), 668, date(2022, 5, 1)),
        # a woman born in 1970: 57y4m for births 01/1970–08/1970, 57y8m from 09/1970
        ("female", date(1970, 1, 10), 688, date(2027, 5, 10)),
        ("female", date(1970, 8, 31), 688, date(2027, 12, 31)),
        ("female", date(1970, 9, 1), 692, date(2028, 5, 1)),
        ("female", date(1970, 12, 10), 692, date(2028, 8, 10)),
        ("female", date(1980, 1, 1), 720, date(2040, 1, 1)),
    ],
)
def test_retirement_roadmap(gender, born, months, retires):
    assert services.retirement_age_months(gender=gender, birth_date=born) == months
    assert services.retirement_date(gender=gender, birth_date=born) == retires


# --- Planning rules ---------------------------------------------------------------------------


def _plan(reg, start=date(2025, 8, 1), user=None, organization=None):
    return services.plan_create(
        acting_user=user,
        organization=organization or reg.commune_committee_a,
        term_from=start.year,
        term_to=start.year + 5,
        term_starts_on=start,
        approved_on=date(start.year - 1, 6, 1),
    )


def test_at_most_three_people_per_position(reg, people, editor):
    plan = _plan(reg, user=editor)
    for member in people[:3]:
        services.plan_entry_add(
            acting_user=editor, plan=plan, position="secretary", member=member, day=date(2024, 7, 1)
        )
    with pytest.raises(RuleError) as refused:
        services.plan_entry_add(
            acting_user=editor,
            plan=plan,
            position="secretary",
            member=people[3],
            day=date(2024, 7, 1),
        )
    assert refused.value.code == "max_per_position"
    assert "không quá 3 người" in refused.value.messages[0]
    assert "377-QĐ/TW" in refused.value.messages[0]
    assert PlanEntry.objects.filter(plan=plan).count() == 3
    # someone leaving the plan frees the place
    services.plan_entry_remove(
        acting_user=editor,
        entry=PlanEntry.objects.filter(plan=plan).first(),
        day=date(2024, 9, 1),
        reason=RemovalReason.STANDARDS,
    )
    services.plan_entry_add(
        acting_user=editor, plan=plan, position="secretary", member=people[3], day=date(2024, 9, 1)
    )


def test_one_person_at_most_three_positions_of_a_level(reg, people, editor):
    plan = _plan(reg, user=editor)
    other = _plan(reg, user=editor, organization=reg.commune_committee_b)
    member = people[1]
    day = date(2024, 7, 1)
    for position in ("secretary", "deputy_secretary"):
        services.plan_entry_add(
            acting_user=editor, plan=plan, position=position, member=member, day=day
        )
    # the third position of the same level, in another commune's plan: still allowed
    services.plan_entry_add(
        acting_user=editor, plan=other, position="secretary", member=member, day=day
    )
    with pytest.raises(RuleError) as refused:
        services.plan_entry_add(
            acting_user=editor, plan=plan, position="standing_member", member=member, day=day
        )
    assert refused.value.code == "max_positions_per_person"
    assert "không quá 3 chức danh cùng cấp" in refused.value.messages[0]
    # another level (the district's plan) is counted apart
    district = _plan(reg, user=editor, organization=reg.committee)
    services.plan_entry_add(
        acting_user=editor, plan=district, position="standing_member", member=member, day=day
    )


@pytest.mark.parametrize(
    ("gender", "born", "last_ok"),
    [
        # retires 15/07/2026: a full term (60 months) must fit from the term's start
        ("male", date(1965, 1, 15), date(2021, 7, 15)),
        # retires 10/05/2027
        ("female", date(1970, 1, 10), date(2022, 5, 10)),
    ],
)
def test_age_first_term_at_the_exact_boundary(reg, editor, gender, born, last_ok):
    member = factories.member(full_name="Tòng Văn Tuổi", gender=gender, birth_date=born)
    ok = _plan(reg, start=last_ok, user=editor)
    services.plan_entry_add(
        acting_user=editor, plan=ok, position="secretary", member=member, day=last_ok
    )
    late = _plan(
        reg,
        start=last_ok.replace(day=last_ok.day + 1),
        user=editor,
        organization=reg.commune_committee_b,
    )
    with pytest.raises(RuleError) as refused:
        services.plan_entry_add(
            acting_user=editor, plan=late, position="secretary", member=member, day=last_ok
        )
    assert refused.value.code == "over_age"
    message = refused.value.messages[0]
    assert "45-CT/TW" in message and "135/2020" in message and "5 năm" in message


def test_age_re_elected_needs_48_months(reg, editor):
    member = factories.member(full_name="Lò Văn Cũ", birth_date=date(1965, 1, 15))
    services.appointment_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        position="executive_member",
        member=member,
        how="elected",
        valid_from=date(2020, 7, 1),
    )
    # retires 15/07/2026: 48 months fit from 15/07/2022, not from 16/07/2022
    ok = _plan(reg, start=date(2022, 7, 15), user=editor)
    services.plan_entry_add(
        acting_user=editor, plan=ok, position="secretary", member=member, day=date(2022, 1, 1)
    )
    late = services.plan_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        term_from=2023,
        term_to=2028,
        term_starts_on=date(2022, 7, 16),
        approved_on=date(2022, 1, 1),
    )
    with pytest.raises(RuleError) as refused:
        services.plan_entry_add(
            acting_user=editor, plan=late, position="secretary", member=member, day=date(2022, 1, 1)
        )
    assert refused.value.code == "over_age"
    assert "tái cử" in refused.value.messages[0]


def test_discipline_removes_from_every_plan_and_bars_new_entries(reg, people, editor):
    plan = _plan(reg, user=editor)
    other = _plan(reg, user=editor, organization=reg.committee)
    member = people[2]
    for p in (plan, other):
        services.plan_entry_add(
            acting_user=editor,
            plan=p,
            position="deputy_secretary",
            member=member,
            day=date(2024, 1, 2),
        )
    assert services.remove_from_plans_for_discipline(member, "", date(2024, 5, 1), editor) == []
    removed = services.remove_from_plans_for_discipline(
        member, "reprimand", date(2024, 5, 1), editor
    )
    assert len(removed) == 2
    assert {e.removal_reason for e in removed} == {"disciplined"}
    assert all(e.removed_on == date(2024, 5, 1) and e.discipline == "reprimand" for e in removed)
    with pytest.raises(RuleError) as refused:
        services.plan_entry_add(
            acting_user=editor, plan=plan, position="secretary", member=member, day=date(2024, 6, 1)
        )
    assert refused.value.code == "disciplined"
    assert "khiển trách" in refused.value.messages[0]


def test_yearly_review_removes_who_is_over_age(reg, editor):
    plan = _plan(reg, start=date(2021, 7, 15), user=editor)
    member = factories.member(full_name="Lò Văn Già", birth_date=date(1965, 1, 15))
    young = factories.member(full_name="Lò Văn Trẻ", birth_date=date(1990, 1, 15))
    for m in (member, young):
        services.plan_entry_add(
            acting_user=editor, plan=plan, position="secretary", member=m, day=date(2021, 1, 5)
        )
    review, removed = services.plan_review(
        acting_user=editor, plan=plan, year=2026, reviewed_on=date(2026, 7, 15)
    )
    assert [e.member for e in removed] == [member]
    assert removed[0].removal_reason == "over_age"
    changes = selectors.plan_review_changes(plan, 2026)
    assert [e.member for e in changes["removed"]] == [member]
    with pytest.raises(RuleError):
        services.plan_review(acting_user=editor, plan=plan, year=2026, reviewed_on=date(2026, 9, 1))


def test_plan_shares_against_targets(reg, people, editor):
    plan = _plan(reg, user=editor)
    for member, position in zip(
        people[:4], ["secretary", "secretary", "deputy_secretary", "standing_member"], strict=True
    ):
        services.plan_entry_add(
            acting_user=editor, plan=plan, position=position, member=member, day=date(2024, 7, 1)
        )
    shares = selectors.plan_shares(plan, date(2024, 7, 1))
    # people 0..3: women are 1 and 3; born 1970, 1973, 1976, 1979 → on 01/08/2025 none under 40
    assert shares["people"] == 4 and shares["women"] == 2 and shares["young"] == 0
    assert shares["shares"]["women"] == 50.0 and shares["met"]["women"] is True
    assert shares["met"]["young"] is False
    assert shares["ethnic_minority"] == 4


# --- Congresses, appointments ----------------------------------------------------------------


def test_congress_result_is_appointments_and_figures(reg, people, editor):
    congress = services.congress_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        number=3,
        term_from=2020,
        term_to=2025,
        starts_on=date(2020, 7, 10),
        ends_on=date(2020, 7, 11),
    )
    assert str(congress) == "Đại hội lần thứ III (2020–2025)"
    created = services.congress_record_result(
        acting_user=editor,
        congress=congress,
        executive=people[:5],
        standing=people[:3],
        secretary=people[0],
        deputies=[people[1]],
        inspection=people[5:7],
        inspection_chair=people[5],
    )
    assert len(created) == 5 + 3 + 1 + 1 + 2 + 1
    figures = selectors.committee_figures(
        organization=reg.commune_committee_a, day=date(2021, 1, 1)
    )
    assert figures["size"] == 5 and figures["women"] == 2 and figures["ethnic_minority"] == 5
    # ages on 11/07/2020: born 1970..1982 (10 March): 50, 47, 44, 41, 38 → one under 40
    assert figures["young"] == 1
    assert figures["mean_age"] == 44.0
    assert figures["shares"]["women"] == 40.0
    assert figures["standing"] == 3 and figures["secretary"] == 1 and figures["inspection"] == 2
    # the same result again changes nothing; another one is refused
    assert (
        services.congress_record_result(
            acting_user=editor,
            congress=congress,
            executive=people[:5],
            standing=people[:3],
            secretary=people[0],
            deputies=[people[1]],
            inspection=people[5:7],
            inspection_chair=people[5],
        )
        == []
    )
    with pytest.raises(RuleError):
        services.congress_record_result(acting_user=editor, congress=congress, executive=people[:2])
    # the next congress ends the elected posts of the previous term
    nxt = services.congress_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        number=4,
        term_from=2025,
        term_to=2030,
        starts_on=date(2025, 6, 1),
        ends_on=date(2025, 6, 2),
    )
    services.congress_record_result(
        acting_user=editor, congress=nxt, executive=people[2:6], secretary=people[2]
    )
    assert {
        m.code
        for m in selectors.committee_on(organization=reg.commune_committee_a, day=date(2025, 6, 2))
    } == {p.code for p in people[2:6]}
    assert Appointment.objects.filter(congress=congress, valid_to=date(2025, 6, 2)).count() == 13


def test_secretary_must_be_in_the_committee(reg, people, editor):
    congress = services.congress_create(
        acting_user=editor,
        organization=reg.commune_committee_a,
        number=1,
        term_from=2015,
        term_to=2020,
        starts_on=date(2015, 5, 1),
        ends_on=date(2015, 5, 2),
    )
    with pytest.raises(RuleError) as refused:
        services.congress_record_result(
            acting_user=editor, congress=congress, executive=people[:3], secretary=people[4]
        )
    assert refused.value.code == "not_in_committee"
    assert not Appointment.objects.exists()
    assert Congress.objects.count() == 1


def test_non_member_only_for_non_party_posts(reg, editor):
    person = services.person_create(
        acting_user=editor,
        code="NN1",
        organization=reg.commune_committee_a,
        full_name="Lường Văn Bản",
        gender="male",
        birth_date=date(1980, 1, 1),
    )
    with pytest.raises(RuleError) as refused:
        services.appointment_create(
            acting_user=editor,
            organization=reg.cell_a,
            position="secretary",
            person=person,
            valid_from=date(2020, 1, 1),
        )
    assert refused.value.code == "party_post_needs_member"
    head = services.appointment_create(
        acting_user=editor,
        organization=reg.cell_a,
        position="village_head",
        person=person,
        valid_from=date(2020, 1, 1),
        how="elected",
    )
    assert list(selectors.posts_of(user=editor, person=person)) == [head]


def test_overlapping_appointment_refused_and_scope(reg, people, commune_editor):
    services.appointment_create(
        acting_user=commune_editor,
        organization=reg.cell_a,
        position="secretary",
        member=people[0],
        valid_from=date(2020, 1, 1),
    )
    with pytest.raises(RuleError) as refused:
        services.appointment_create(
            acting_user=commune_editor,
            organization=reg.cell_a,
            position="secretary",
            member=people[0],
            valid_from=date(2021, 1, 1),
        )
    assert refused.value.code == "overlapping_appointment"
    with pytest.raises(NotFound):
        services.appointment_create(
            acting_user=commune_editor,
            organization=reg.cell_b,
            position="secretary",
            member=people[1],
            valid_from=date(2021, 1, 1),
        )


def test_dismissal_ends_every_post(reg, people, editor):
    for org, position in ((reg.cell_a, "secretary"), (reg.commune_committee_a, "executive_member")):
        services.appointment_create(
            acting_user=editor,
            organization=org,
            position=position,
            member=people[0],
            valid_from=date(2020, 1, 1),
        )
    ended = services.end_appointments_for_dismissal(people[0], date(2024, 3, 1), editor)
    assert len(ended) == 2
    assert {a.valid_to for a in ended} == {date(2024, 3, 1)}
    assert {a.end_reason for a in ended} == {"dismissed"}
    assert services.end_appointments_for_dismissal(people[0], date(2024, 4, 1), editor) == []


def test_rotation_rules(reg, people, editor):
    rotation = services.rotation_create(
        acting_user=editor,
        member=people[0],
        kind="rotation",
        direction="upper_to_lower",
        from_organization=reg.committee,
        to_organization=reg.commune_committee_a,
        starts_on=date(2023, 1, 1),
        planned_end=date(2025, 1, 1),
    )
    with pytest.raises(RuleError) as refused:
        services.rotation_create(
            acting_user=editor,
            member=people[0],
            kind="reassignment",
            direction="across_localities",
            from_organization=reg.commune_committee_a,
            to_organization=reg.commune_committee_b,
            starts_on=date(2024, 1, 1),
        )
    assert refused.value.code == "overlapping_rotation"
    due = selectors.due_to_return(user=editor, day=date(2024, 11, 1))
    assert list(due) == [rotation]
    services.rotation_end(acting_user=editor, rotation=rotation, day=date(2024, 12, 1))
    assert not selectors.due_to_return(user=editor, day=date(2024, 11, 1)).exists()
