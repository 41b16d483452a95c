"""Every cell's secretary on a day, against a naive recomputation over random appointment
histories (on both databases: the suite runs on SQLite and on PostgreSQL)."""

import random
from datetime import date, timedelta

import pytest

from grassroots.cadres import selectors, services
from grassroots.cadres.models import Appointment
from tests import factories

pytestmark = pytest.mark.django_db


def _naive(cells, day):
    """For each cell: the secretary appointment valid on ``day`` that started first (then the
    lowest id), by reading every appointment in Python."""
    out = {}
    for cell in cells:
        valid = [
            a
            for a in Appointment.objects.filter(organization=cell, position__code="secretary")
            if a.valid_from <= day and (a.valid_to is None or day < a.valid_to)
        ]
        best = min(valid, key=lambda a: (a.valid_from, a.pk), default=None)
        out[cell.code] = best.member.code if best else None
    return out


@pytest.mark.parametrize("seed", range(6))
def test_cell_secretaries_match_a_naive_recomputation(reg, seed):
    rng = random.Random(seed)
    cells = [reg.cell_a, reg.cell_b] + [
        factories.org(
            name=f"Chi bộ số {i}",
            kind="cell",
            place=reg.village_a,
            parent=reg.commune_committee_a,
            code=f"CB-R{seed}-{i}",
            valid_from=date(2013, 6, 1),
        )
        for i in range(3)
    ]
    members = [
        factories.member(
            full_name=f"Lò Văn Số {i}", code=f"R{seed}-{i}", birth_date=date(1980, 1, 1 + i)
        )
        for i in range(6)
    ]
    start = date(2014, 1, 1)
    for cell in cells:
        for _ in range(rng.randrange(0, 5)):
            member = rng.choice(members)
            begin = start + timedelta(days=rng.randrange(0, 3000))
            end = begin + timedelta(days=rng.randrange(1, 1500)) if rng.random() < 0.7 else None
            try:
                services.appointment_create(
                    acting_user=None,
                    organization=cell,
                    position="secretary",
                    member=member,
                    how=rng.choice(["elected", "appointed", "designated"]),
                    valid_from=begin,
                    valid_to=end,
                )
            except Exception as exc:  # the same member twice at once: refused, skipped
                assert getattr(exc, "code", "") == "overlapping_appointment"
    # a deputy is never taken for a secretary
    services.appointment_create(
        acting_user=None,
        organization=cells[0],
        position="deputy_secretary",
        member=members[0],
        valid_from=date(2013, 6, 1),
    )
    days = [start + timedelta(days=rng.randrange(-200, 4800)) for _ in range(12)]
    for day in [*days, date(2013, 6, 1)]:
        rows = selectors.cell_secretaries_on(organization=reg.province_committee, day=day)
        found = {
            r.organization.code: r.appointment.member.code if r.appointment else None
            for r in rows
            if r.organization in cells
        }
        assert found == _naive(cells, day), day
        assert {r.organization.code for r in rows} >= {c.code for c in cells}
