"""The two removal cases of the checks page — absent without reason from meetings, and no fee
paid, for 3 months or more in a year — against a plain recomputation on random data
(Hypothesis), and exactly at the boundaries."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.cells.models import Attendance, FeePayment, Meeting
from grassroots.cells.selectors import absent_months, unpaid_months
from grassroots.members.selectors import checks
from grassroots.members.services import member_admit, member_exempt, member_leave
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = 2023
PRESENCES = ["present", "excused", "absent"]


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def last_day(month: int) -> date:
    return (date(YEAR, month % 12 + 1, 1) if month < 12 else date(YEAR + 1, 1, 1)) - timedelta(1)


@pytest.fixture
def world(reg, members_a, member_b, editor_a):
    """Cell A: six members since 2015, one admitted on 15/4/2023, one who left on 10/8/2023
    (exempted from 1/6/2023); cell B: one member. ``spans`` is the plain membership: member →
    (cell, first day, day after the last)."""
    late = factories.member(full_name="Lò Văn Mới", code="MA7")
    member_admit(
        acting_user=None, member=late, day=date(YEAR, 4, 15),
        organization=reg.cell_a, place=reg.village_a,
    )  # fmt: skip
    leaver = members_a[5]
    member_exempt(acting_user=None, member=leaver, day=date(YEAR, 6, 1))
    member_leave(acting_user=None, member=leaver, day=date(YEAR, 8, 10), reason="died")
    spans = {m.pk: ("A", date(2015, 3, 1), date.max) for m in members_a[:5]}
    spans[leaver.pk] = ("A", date(2015, 3, 1), date(YEAR, 8, 10))
    spans[late.pk] = ("A", date(YEAR, 4, 15), date.max)
    spans[member_b.pk] = ("B", date(2015, 3, 1), date.max)
    exempt_from = {leaver.pk: date(YEAR, 6, 1)}
    return {
        "reg": reg,
        "cells": {"A": reg.cell_a, "B": reg.cell_b},
        "spans": spans,
        "exempt_from": exempt_from,
        "editor_a": editor_a,
    }


def members_on(world, cell: str | None, day: date) -> list[int]:
    return [
        pk
        for pk, (c, start, end) in world["spans"].items()
        if (cell is None or c == cell) and start <= day < end
    ]


meetings_strategy = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]),
        st.integers(1, 12),  # month
        st.integers(1, 28),  # day
        st.sampled_from(["regular", "thematic"]),
        st.lists(st.sampled_from(PRESENCES), min_size=8, max_size=8),
    ),
    max_size=30,
)
as_of_strategy = st.one_of(
    st.dates(date(YEAR, 1, 1), date(YEAR, 12, 31)),
    st.sampled_from([last_day(m) for m in range(1, 13)]),
    st.sampled_from([last_day(m) - timedelta(1) for m in range(1, 13)]),
)


def write_meetings(world, drawn):
    """The drawn meetings with the attendance of the cell's members of the day (plain)."""
    seen = set()
    plain = []  # (member, date, presence, exempted)
    for cell, month, day_of_month, kind, presences in drawn:
        day = date(YEAR, month, day_of_month)
        if (cell, day, kind) in seen:
            continue
        seen.add((cell, day, kind))
        meeting = Meeting.objects.create(organization=world["cells"][cell], date=day, kind=kind)
        rows = []
        for i, pk in enumerate(members_on(world, cell, day)):
            exempted = world["exempt_from"].get(pk, date.max) <= day
            rows.append(
                Attendance(meeting=meeting, member_id=pk, presence=presences[i], exempted=exempted)
            )
            plain.append((pk, day, presences[i], exempted))
        Attendance.objects.bulk_create(rows)
    return plain


def plain_absent(plain, day, members=None):
    months: dict[int, set[int]] = {}
    for pk, when, presence, exempted in plain:
        counted = presence == "absent" and not exempted and date(YEAR, 1, 1) <= when <= day
        if counted and (members is None or pk in members):
            months.setdefault(pk, set()).add(when.month)
    return {pk: tuple(sorted(ms)) for pk, ms in months.items() if len(ms) >= 3}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=meetings_strategy, day=as_of_strategy)
def test_absent_three_months_matches_a_plain_recomputation(world, drawn, day):
    with rolled_back():
        plain = write_meetings(world, drawn)
        found = {c.member.pk: c.months for c in absent_months(user=None, day=day)}
        assert found == plain_absent(plain, day)
        # A commune editor sees only cell A's members.
        in_a = {pk for pk, span in world["spans"].items() if span[0] == "A"}
        scoped = {c.member.pk: c.months for c in absent_months(user=world["editor_a"], day=day)}
        assert scoped == plain_absent(plain, day, in_a)


payments_strategy = st.lists(
    st.tuples(st.integers(0, 8), st.integers(1, 12), st.sampled_from([0, 2_000, 5_000])),
    max_size=80,
)


def plain_unpaid(world, paid, recorded, day, cell=None):
    """``paid``: (member, month) with more than 0 đ; ``recorded``: (cell, month) with a row."""
    months: dict[int, list[int]] = {}
    for month in range(1, 13):
        end = last_day(month)
        if end > day:
            break
        for pk in members_on(world, cell, end):
            if (world["spans"][pk][0], month) in recorded and (pk, month) not in paid:
                months.setdefault(pk, []).append(month)
    return {pk: tuple(ms) for pk, ms in months.items() if len(ms) >= 3}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=payments_strategy, day=as_of_strategy)
def test_unpaid_three_months_matches_a_plain_recomputation(world, drawn, day):
    pks = sorted(world["spans"])
    with rolled_back():
        rows, paid = {}, set()
        for index, month, amount in drawn:
            pk = pks[index % len(pks)]
            cell = world["cells"][world["spans"][pk][0]]
            rows[(pk, month)] = FeePayment(
                member_id=pk, organization=cell, month=date(YEAR, month, 1), due=5_000,
                paid=amount, paid_on=date(YEAR, month, 1),
            )  # fmt: skip
        FeePayment.objects.bulk_create(rows.values())
        paid = {key for key, p in rows.items() if p.paid > 0}
        recorded = {(world["spans"][pk][0], month) for pk, month in rows}
        found = {c.member.pk: c.months for c in unpaid_months(user=None, day=day)}
        assert found == plain_unpaid(world, paid, recorded, day)
        scoped = {c.member.pk: c.months for c in unpaid_months(user=world["editor_a"], day=day)}
        assert scoped == plain_unpaid(world, paid, recorded, day, "A")


def _absent(world, member, months, presence="absent"):
    for month in months:
        meeting = Meeting.objects.create(
            organization=world["cells"]["A"], date=date(YEAR, month, 5), kind="regular"
        )
        Attendance.objects.create(meeting=meeting, member=member, presence=presence)


def test_absent_boundaries(world, members_a):
    ana, binh = members_a[0], members_a[1]
    _absent(world, ana, [1, 2])
    _absent(world, binh, [3, 4])
    # Two absences in one month count once; excused absences never.
    Attendance.objects.create(
        meeting=Meeting.objects.create(
            organization=world["cells"]["A"], date=date(YEAR, 2, 20), kind="thematic"
        ),
        member=ana,
        presence="absent",
    )
    _absent(world, ana, [6], presence="excused")
    assert absent_months(user=None, day=date(YEAR, 12, 31)) == []
    _absent(world, ana, [7])  # on 5 July: the third month
    assert absent_months(user=None, day=date(YEAR, 7, 4)) == []
    cases = absent_months(user=None, day=date(YEAR, 7, 5))
    assert [(c.member.code, c.months) for c in cases] == [("MA1", (1, 2, 7))]
    # A new year starts from nothing.
    assert absent_months(user=None, day=date(YEAR + 1, 1, 31)) == []


def test_unpaid_boundaries(world, members_a, member_b):
    def pay(member, months, cell="A"):
        for month in months:
            FeePayment.objects.create(
                member=member, organization=world["cells"][cell], month=date(YEAR, month, 1),
                due=5_000, paid=5_000, paid_on=date(YEAR, month, 2),
            )  # fmt: skip

    for m in members_a[:5]:
        pay(m, range(1, 13))
    pay(member_b, range(1, 13), "B")
    # Lò Văn Mới (admitted 15/4) owes from April; the leaver (died 10/8) till July.
    pay(members_a[5], [1, 2, 3, 4, 5])
    # The newcomer has not paid April, May, June: listed once June has ended, not the day before.
    assert unpaid_months(user=None, day=date(YEAR, 6, 29)) == []
    cases = unpaid_months(user=None, day=date(YEAR, 6, 30))
    assert [(c.member.code, c.months) for c in cases] == [("MA7", (4, 5, 6))]
    # The leaver missed June and July (2 months), then was no longer a member on 31/8.
    cases = unpaid_months(user=None, day=date(YEAR, 12, 31))
    assert [(c.member.code, c.months) for c in cases] == [("MA7", tuple(range(4, 13)))]
    # Paying nothing (0 đ) is not paying; paying for one of the three months clears the case.
    FeePayment.objects.create(
        member=members_a[5], organization=world["cells"]["A"], month=date(YEAR, 6, 1),
        due=5_000, paid=0, paid_on=date(YEAR, 6, 2),
    )  # fmt: skip
    pay(members_a[0], [])
    late = [m for m in world["spans"] if m not in {x.pk for x in members_a} and m != member_b.pk]
    from grassroots.members.models import Member

    newcomer = Member.objects.get(pk=late[0])
    pay(newcomer, [5])
    assert unpaid_months(user=None, day=date(YEAR, 6, 30)) == []


def test_a_cell_that_recorded_no_collection_has_no_debtors(world, members_a, member_b):
    assert unpaid_months(user=None, day=date(YEAR, 12, 31)) == []
    FeePayment.objects.create(
        member=member_b, organization=world["cells"]["B"], month=date(YEAR, 2, 1),
        due=5_000, paid=5_000, paid_on=date(YEAR, 2, 2),
    )  # fmt: skip
    assert unpaid_months(user=None, day=date(YEAR, 12, 31)) == []  # one month of cell B only


def test_checks_page_lists_both_cases_with_months(client, world, members_a):
    _absent(world, members_a[0], [1, 2, 3])
    for month in range(1, 13):  # cell A records its collections: only MA1 pays
        FeePayment.objects.create(
            member=members_a[0], organization=world["cells"]["A"], month=date(YEAR, month, 1),
            due=5_000, paid=5_000, paid_on=date(YEAR, month, 2),
        )  # fmt: skip
    editor = world["editor_a"]
    client.force_login(editor)
    response = client.get("/members/checks/", {"as_of": f"{YEAR}-12-31"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vắng sinh hoạt không lý do từ 3 tháng trở lên trong năm" in text
    assert "vắng không lý do 3 tháng năm 2023: tháng 1, 2, 3" in text
    assert "Không đóng đảng phí từ 3 tháng trở lên trong năm" in text
    found = {c.code: c for c in checks(user=editor, day=date(YEAR, 12, 31))}
    assert [m.code for m, _ in found["absent_three_months"].rows] == ["MA1"]
    # Only MA1 paid: the others of cell A are listed, MA6 for the months before death.
    unpaid = {m.code: detail for m, detail in found["unpaid_three_months"].rows}
    assert sorted(unpaid) == ["MA2", "MA3", "MA4", "MA5", "MA6", "MA7"]
    assert unpaid["MA6"].endswith("tháng 1, 2, 3, 4, 5, 6, 7")
    assert "MB1" not in unpaid  # cell B is outside the editor's scope
