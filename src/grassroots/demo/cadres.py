"""The demo's cadres (called by :func:`grassroots.demo.build.build_demo`), all sample data:

* Đảng bộ huyện Nậm Nhùn's congress III (term 2020–2025, 10–12/06/2020): an executive committee
  of 33, a standing committee of 9 among them, the secretary and two deputies, and an
  inspection committee of 7 — members of the district's cells on the closing day; the posts end
  with the district (2025-07-01);
* a secretary for every cell over its whole life: a member of the cell on the day (the one
  whose membership there lasts longest), followed by the next one when they leave;
* a succession plan for 2025–2030 of one commune committee (``DU-03475``, the demo viewer's),
  written through ``cadres.services`` so every planning rule is checked, and its 2025 review;
* rotations from the district to the communes, 2016–2024 (a few reassignments too).

Appointments and rotations are bulk-inserted (the demo is written in one transaction, by the
demo's actor); deterministic: the same database gives the same cadres.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from grassroots.cadres import services
from grassroots.cadres.models import Appointment, How, Position, Rotation
from grassroots.cadres.services import months_to_retirement
from grassroots.core.temporal import OPEN_END, overlaps, valid_on
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids

SEED = 2020
DISTRICT = "DB-112"
PLAN_COMMUNE = "DU-03475"
CONGRESS_DAYS = (date(2020, 6, 10), date(2020, 6, 12))
DISTRICT_END = date(2025, 7, 1)
NOTE = "Dữ liệu mẫu"


def build_cadres(*, acting_user) -> int:
    """Write the demo's cadres; returns how many appointments were written (0 without the
    district, or when they are there already)."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None or Appointment.objects.exists():
        return 0
    services.positions_ensure()
    positions = {p.code: p for p in Position.objects.all()}
    rng = random.Random(SEED)
    written = _congress(acting_user, district, positions, rng)
    written += _secretaries(acting_user, positions["secretary"])
    _plan(acting_user, district, rng)
    _rotations(acting_user, district, rng)
    return written


def _eligible(organization: Organization, day: date, born_from: int, born_to: int) -> list:
    """Members of Subtree(O, D) on D born in ``born_from``..``born_to``, in a fixed order."""
    spans = MembershipSpan.objects.filter(
        valid_on(day),
        organization_id__in=subtree_ids(organization=organization, day=day),
        member__birth_date__year__gte=born_from,
        member__birth_date__year__lte=born_to,
    ).select_related("member")
    return sorted({s.member for s in spans}, key=lambda m: m.code)


def _congress(user, district, positions, rng) -> int:
    opens, closes = CONGRESS_DAYS
    congress = services.congress_create(
        acting_user=user,
        organization=district,
        number=3,
        term_from=2020,
        term_to=2025,
        starts_on=opens,
        ends_on=closes,
        note=f"Đại hội đại biểu Đảng bộ huyện lần thứ III. {NOTE}.",
    )
    people = _eligible(district, closes, 1965, 1988)
    rng.shuffle(people)
    women = [m for m in people if m.gender == "female"][:8]
    men = [m for m in people if m.gender != "female"]
    executive = sorted(women + men[: 33 - len(women)], key=lambda m: m.birth_date)
    others = [m for m in people if m not in executive]
    standing = executive[:9]
    groups = [
        ("executive_member", executive),
        ("standing_member", standing),
        ("secretary", standing[:1]),
        ("deputy_secretary", standing[1:3]),
        ("inspection_chair", standing[8:9]),
        ("inspection_member", standing[8:9] + others[:6]),
    ]
    rows = [
        Appointment(
            organization=district,
            position=positions[code],
            member=member,
            how=How.ELECTED,
            congress=congress,
            valid_from=closes,
            valid_to=DISTRICT_END,
            end_reason="other",
            note="Đảng bộ huyện kết thúc hoạt động 01/07/2025. " + NOTE,
            recorded_by=user,
        )
        for code, members in groups
        for member in members
    ]
    Appointment.objects.bulk_create(rows)
    return len(rows)


def _secretaries(user, secretary) -> int:
    """A secretary for every cell over its life (see the module text)."""
    versions = OrganizationVersion.objects.filter(kind__in=CELL_KINDS).values_list(
        "organization_id", "valid_from", "valid_to"
    )
    lives: dict[int, tuple[date, date]] = {}
    for org_id, start, end in versions:
        first, last = lives.get(org_id, (start, end or OPEN_END))
        lives[org_id] = (min(first, start), max(last, end or OPEN_END))
    spans: dict[int, list[tuple[date, date, int, str]]] = {}
    for org_id, member_id, start, end, status in MembershipSpan.objects.filter(
        organization_id__in=lives
    ).values_list("organization_id", "member_id", "valid_from", "valid_to", "status"):
        spans.setdefault(org_id, []).append((start, end or OPEN_END, member_id, status))
    rows = []
    for org_id, (start, end) in sorted(lives.items()):
        # A member's consecutive spans in the cell (status changes) count as one stay.
        stays: dict[int, list[date]] = {}
        for s, e, member_id, _ in sorted(spans.get(org_id, [])):
            stay = stays.get(member_id)
            if stay and stay[1] == s:
                stay[1] = e
            elif not stay or e > stay[1]:
                stays[member_id] = [s, e]
        day = start
        while day < end:
            present = [
                (s_end, -member_id, member_id)
                for member_id, (s_start, s_end) in stays.items()
                if s_start <= day < s_end
            ]
            if not present:
                later = [s for s, _ in stays.values() if s > day]
                if not later:
                    break
                day = min(later)
                continue
            until, _, member_id = max(present)
            until = min(until, end)
            rows.append(
                Appointment(
                    organization_id=org_id,
                    position=secretary,
                    member_id=member_id,
                    how=How.ELECTED,
                    valid_from=day,
                    valid_to=None if until == OPEN_END else until,
                    note=NOTE,
                    recorded_by=user,
                )
            )
            day = until
    Appointment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _plan(user, district, rng) -> None:
    commune = Organization.objects.filter(code=PLAN_COMMUNE).first()
    if commune is None:
        version = (
            OrganizationVersion.objects.filter(parent=district, kind="grassroots_committee")
            .order_by("organization__code")
            .first()
        )
        if version is None:
            return
        commune = version.organization
    plan = services.plan_create(
        acting_user=user,
        organization=commune,
        term_from=2025,
        term_to=2030,
        term_starts_on=date(2025, 8, 15),
        approved_on=date(2024, 6, 28),
        note=f"Quy hoạch cấp ủy nhiệm kỳ 2025–2030. {NOTE}.",
    )
    day = date(2024, 6, 28)
    people = [
        m
        for m in _eligible(commune, day, 1966, 1995)
        if months_to_retirement(gender=m.gender, birth_date=m.birth_date, day=plan.term_starts_on)
        >= 60
    ]
    rng.shuffle(people)
    people.sort(key=lambda m: m.gender != "female")  # women first: the plan's share of women
    wanted = [
        ("secretary", 2),
        ("deputy_secretary", 3),
        ("standing_member", 3),
        ("inspection_chair", 2),
        ("committee_chair", 2),
        ("front_chair", 1),
    ]
    queue = iter(people)
    for code, count in wanted:
        for _ in range(count):
            member = next(queue, None)
            if member is None:
                return
            services.plan_entry_add(
                acting_user=user, plan=plan, position=code, member=member, day=day
            )
    services.plan_review(
        acting_user=user,
        plan=plan,
        year=2025,
        reviewed_on=date(2025, 12, 15),
        note=f"Rà soát, bổ sung quy hoạch năm 2025. {NOTE}.",
    )


def _rotations(user, district, rng) -> None:
    """Cadres of the district's cells rotated to commune committees, 2016–2024."""
    communes = list(
        OrganizationVersion.objects.filter(
            valid_on(date(2016, 1, 1)), parent=district, kind="grassroots_committee"
        )
        .select_related("organization")
        .order_by("organization__code")
    )
    if not communes:
        return
    # One read of the district's members 2016–2024; each year's choice filters it in memory.
    spans = list(
        MembershipSpan.objects.filter(
            overlaps(date(2016, 1, 1), date(2025, 1, 1)),
            organization_id__in=subtree_ids(organization=district, day=date(2020, 1, 1)),
            member__birth_date__year__gte=1972,
            member__birth_date__year__lte=1992,
        ).values_list("member_id", "valid_from", "valid_to")
    )
    rows = []
    used: set[int] = set()
    for year in range(2016, 2025):
        day = date(year, 3, 1) + timedelta(days=rng.randrange(200))
        present = sorted(
            {m for m, start, end in spans if start <= day and (end is None or day < end)} - used
        )
        rng.shuffle(present)
        for i, member_id in enumerate(present[: 2 + year % 2]):
            used.add(member_id)
            target = communes[rng.randrange(len(communes))].organization
            kind = "reassignment" if i == 2 else "rotation"
            planned = day.replace(year=day.year + 3)
            actual = planned if planned < date(2025, 7, 1) and rng.random() < 0.7 else None
            rows.append(
                Rotation(
                    member_id=member_id,
                    kind=kind,
                    direction="upper_to_lower",
                    from_organization=district,
                    from_post="Chuyên viên cơ quan huyện",
                    to_organization=target,
                    to_post="Phó Bí thư Đảng ủy" if kind == "rotation" else "Cán bộ Đảng ủy",
                    starts_on=day,
                    planned_end=planned,
                    actual_end=actual,
                    note=NOTE,
                    recorded_by=user,
                )
            )
    Rotation.objects.bulk_create(rows)
