"""members.selectors: spans and lists on a date, party age, and the checks page."""

from datetime import date, timedelta

import pytest

from grassroots import policy
from grassroots.members.selectors import (
    checks,
    member_list,
    member_party_age,
    member_visible_to,
    members_in_organization_on,
    spans_on,
)
from grassroots.members.services import (
    member_admit,
    member_confirm,
    member_join,
    member_leave,
    member_move,
)
from tests import factories


@pytest.fixture
def everyone(make_user):
    return make_user("quantri", roles=["admin"], is_superuser=True)


@pytest.fixture
def old(db):
    """A province and its committee that exist since 1970, for long party ages."""
    prov = factories.place(name="Tỉnh Lai Châu", kind="province", valid_from=date(1970, 1, 1))
    org = factories.org(
        name="Đảng bộ tỉnh", kind="committee", place=prov, valid_from=date(1970, 1, 1)
    )
    return org, prov


def by_code(result, code):
    return next(c for c in result if c.code == code)


# --- Party age -------------------------------------------------------------------------------------


def test_party_age_minus_the_gap_and_next_badge(old):
    org, prov = old
    m = factories.member(
        organization=org, place=prov, admitted=date(1990, 1, 1), confirmed=date(1991, 1, 1)
    )
    member_leave(acting_user=None, member=m, day=date(2000, 1, 1), reason="removed")
    member_admit(acting_user=None, member=m, day=date(2005, 1, 1), organization=org, place=prov)
    day = date(2020, 6, 1)
    age = member_party_age(member=m, day=day)
    served = (date(2000, 1, 1) - date(1990, 1, 1)).days + (day - date(2005, 1, 1)).days
    gap = (date(2005, 1, 1) - date(2000, 1, 1)).days
    assert age.days == served == 9282
    assert age.years == 25  # 30 years since the admission, minus 5 years away
    assert age.since == date(1990, 1, 1)  # the first admission, not the readmission
    assert age.next_badge_years == 30
    assert age.next_badge_on == policy.add_months(date(1990, 1, 1) + timedelta(days=gap), 360)
    # before the gap: no gap counted yet
    early = member_party_age(member=m, day=date(1999, 6, 1))
    assert early.days == (date(1999, 6, 1) - date(1990, 1, 1)).days
    assert early.years == 9
    assert early.next_badge_on == date(2020, 1, 1)
    # while away, the party age does not grow
    assert (
        member_party_age(member=m, day=date(2003, 1, 1)).days
        == (date(2000, 1, 1) - date(1990, 1, 1)).days
    )


def test_party_age_counts_from_an_arrival_before_a_readmission(old):
    org, prov = old
    m = factories.member()
    member_join(acting_user=None, member=m, day=date(1995, 1, 1), organization=org, place=prov)
    member_leave(acting_user=None, member=m, day=date(2000, 1, 1), reason="resigned")
    member_admit(acting_user=None, member=m, day=date(2002, 1, 1), organization=org, place=prov)
    age = member_party_age(member=m, day=date(2026, 6, 1))
    assert age.since == date(1995, 1, 1)
    assert (
        age.days
        == (date(2000, 1, 1) - date(1995, 1, 1)).days + (date(2026, 6, 1) - date(2002, 1, 1)).days
    )
    assert age.years == 29
    assert age.next_badge_years == 30
    # 5 years (1995–2000) + 25 years (2002–2027): thirty calendar years on 1 January 2027
    assert age.next_badge_on == date(2027, 1, 1)


def test_next_badge_after_thirty_years_is_forty(old):
    org, prov = old
    m = factories.member(organization=org, place=prov, admitted=date(1980, 1, 1))
    age = member_party_age(member=m, day=date(2015, 6, 1))
    assert age.years == 35
    assert age.next_badge_years == 40
    assert age.next_badge_on == date(2020, 1, 1)


# --- Lists on a date --------------------------------------------------------------------------------


def test_spans_and_lists_follow_moves_and_scope(reg, everyone, make_user):
    a = factories.member(
        full_name="Lò Văn Bình",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 1, 1),
    )
    b = factories.member(
        full_name="Lò Thị An",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2020, 1, 1),
    )
    member_move(
        acting_user=None,
        member=a,
        day=date(2022, 1, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    assert members_in_organization_on(organization=reg.cell_a, day=date(2021, 1, 1)) == [a]
    assert members_in_organization_on(organization=reg.cell_a, day=date(2022, 1, 1)) == []
    on = date(2022, 6, 1)
    assert list(member_list(user=everyone, day=on, organization=reg.cell_b)) == [
        b,
        a,
    ]  # An before Bình
    commune_a = make_user("xa", roles=["viewer"], scope=reg.commune_committee_a)
    assert list(member_list(user=commune_a, day=date(2021, 1, 1))) == [a]
    assert list(member_list(user=commune_a, day=on)) == []
    assert set(spans_on(user=commune_a, day=on).values_list("member_id", flat=True)) == set()
    # a was once in the scope, so stays visible (history), b never was
    assert set(member_visible_to(commune_a)) == {a}
    assert list(member_list(user=everyone, day=on, search="binh")) == [a]
    assert list(member_list(user=everyone, day=on, status="official")) == []


# --- The checks page ---------------------------------------------------------------------------------


def test_checks_list_small_cells_overdue_probation_age_and_timing(reg, everyone, make_user):
    day = date(2023, 6, 1)
    # cell A: two official members (below 3) and one overdue probationary member
    for _ in range(2):
        factories.member(
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2020, 1, 2),
            confirmed=date(2021, 1, 4),
        )
    overdue = factories.member(
        organization=reg.cell_a, place=reg.village_a, admitted=date(2022, 1, 3)
    )
    # cell B: three official members, one probationary not yet due
    for _ in range(3):
        factories.member(
            organization=reg.cell_b,
            place=reg.village_b,
            admitted=date(2020, 1, 2),
            confirmed=date(2021, 1, 4),
        )
    factories.member(organization=reg.cell_b, place=reg.village_b, admitted=date(2023, 1, 3))
    young = factories.member(
        birth_date=date(2006, 1, 1),
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2023, 2, 1),
    )
    early = factories.member(
        organization=reg.cell_b, place=reg.village_b, admitted=date(2022, 1, 3)
    )
    member_confirm(acting_user=None, member=early, day=date(2022, 11, 1))

    result = checks(user=everyone, day=day)
    small = by_code(result, "cell_below_minimum").rows
    assert [org for org, _ in small] == [reg.cell_a]
    assert "2 đảng viên chính thức" in small[0][1]
    assert [m for m, _ in by_code(result, "probation_overdue").rows] == [overdue]
    assert [m for m, _ in by_code(result, "admission_age").rows] == [young]
    assert [m for m, _ in by_code(result, "confirmation_timing").rows] == [early]

    # a scope sees only its own subtree
    commune_b = make_user("xab", roles=["viewer"], scope=reg.commune_committee_b)
    scoped = checks(user=commune_b, day=day)
    assert by_code(scoped, "cell_below_minimum").rows == []
    assert by_code(scoped, "probation_overdue").rows == []

    # once confirmed (late), the overdue member leaves that list and cell A reaches 3
    member_confirm(acting_user=None, member=overdue, day=date(2023, 5, 1))
    result = checks(user=everyone, day=day)
    assert by_code(result, "probation_overdue").rows == []
    assert by_code(result, "cell_below_minimum").rows == []
    assert overdue in [m for m, _ in by_code(result, "confirmation_timing").rows]


def test_member_list_of_an_organisation_stays_inside_the_scope(reg, make_user):
    """Asking for an organisation outside the scope lists nobody, even if a caller forgot to
    check that the organisation is visible."""
    from grassroots.members.selectors import member_list

    factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2020, 1, 2))
    outsider = make_user("ngoai", scope=reg.commune_committee_b)
    insider = make_user("trong", scope=reg.commune_committee_a)
    day = date(2021, 1, 1)
    assert list(member_list(user=outsider, day=day, organization=reg.cell_a)) == []
    assert len(member_list(user=insider, day=day, organization=reg.cell_a)) == 1
