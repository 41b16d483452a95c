"""The demo's party development (called by :func:`grassroots.demo.build.build_demo`).

For Đảng bộ huyện Nậm Nhùn (``DB-112``): the term 2020–2025 target of at least 60 admissions a
year (seed: "mục tiêu hàng năm kết nạp được 60 đảng viên trở lên"), and candidates in every stage
of the path as of 30/6/2025 (the day before district committees ended). Candidates admitted or
confirmed are the histories behind members the demo already admitted (linked, not created), so
the seed's figures do not change; the others are new people, not members. Every step goes
through ``admissions.services``, so every rule is checked. Deterministic.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from grassroots.admissions import services
from grassroots.admissions.models import Source, Stage
from grassroots.core.errors import RuleError
from grassroots.core.temporal import valid_on
from grassroots.demo.names import PEOPLE, person
from grassroots.members.models import EventKind, MemberEvent, MembershipSpan, Status
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids

SEED = 206
DISTRICT = "DB-112"
AS_OF = date(2025, 6, 30)
#: How many new people stop at each stage by ``AS_OF`` (the rest of the path is linked members).
NEW_PEOPLE = {
    Stage.IDENTIFIED: 4,
    Stage.TRAINED: 4,
    Stage.APPLIED: 3,
    Stage.VERIFIED: 3,
    Stage.SPONSORED: 3,
    Stage.VOTED: 3,
    Stage.DECIDED: 2,
    Stage.DROPPED: 2,
}
LINKED = {Stage.ADMITTED: 3, Stage.CONFIRMED: 3, Stage.NOT_CONFIRMED: 1}
ORDER = (
    Stage.TRAINED,
    Stage.APPLIED,
    Stage.VERIFIED,
    Stage.SPONSORED,
    Stage.VOTED,
    Stage.DECIDED,
    Stage.ADMITTED,
)
SOURCES = list(Source.values)
ETHNICITIES = sorted(PEOPLE)


def _sponsors(cell: Organization, day: date, exclude: int | None = None) -> list:
    root = services.grassroots_organization(cell, day)
    spans = MembershipSpan.objects.filter(
        valid_on(day),
        status=Status.OFFICIAL,
        organization_id__in=subtree_ids(organization=root, day=day),
        valid_from__lte=day - timedelta(days=400),
    )
    if exclude is not None:
        spans = spans.exclude(member_id=exclude)
    return [s.member for s in spans.select_related("member").order_by("member__code")[:2]]


def _path(user, candidate, dates: dict, until: str, *, existing=None) -> None:
    """Record the steps of ``candidate`` up to ``until`` on ``dates``."""
    for stage in ORDER:
        day = dates[stage]
        common = {"acting_user": user, "candidate": candidate, "day": day}
        if stage == Stage.SPONSORED:
            first, second = _sponsors(candidate.organization, day, exclude=existing and existing.pk)
            services.candidate_sponsor(**common, sponsor_1=first, sponsor_2=second)
        elif stage == Stage.VOTED:
            eligible = max(3, services.official_members_on(candidate.organization, day))
            services.candidate_vote(**common, eligible=eligible, votes_for=eligible)
        elif stage == Stage.DECIDED:
            services.candidate_decide(**common, decision_number=f"{day.month:02d}-QĐ/ĐU")
        elif stage == Stage.ADMITTED:
            services.candidate_admit(**common, existing_member=existing)
        else:
            step: Any = services.STEP_SERVICES[stage]
            step(**common)
        candidate.refresh_from_db()
        if stage == until:
            return


def _backwards(admitted: date) -> dict:
    """Step dates that end with an admission ceremony on ``admitted``."""
    decided = admitted - timedelta(days=14)
    voted = decided - timedelta(days=35)
    sponsored = voted - timedelta(days=14)
    verified = sponsored - timedelta(days=30)
    applied = verified - timedelta(days=45)
    trained = applied - timedelta(days=60)
    return {
        Stage.IDENTIFIED: trained - timedelta(days=120),
        Stage.TRAINED: trained,
        Stage.APPLIED: applied,
        Stage.VERIFIED: verified,
        Stage.SPONSORED: sponsored,
        Stage.VOTED: voted,
        Stage.DECIDED: decided,
        Stage.ADMITTED: admitted,
    }


def _cells(district: Organization, day: date) -> list[Organization]:
    versions = OrganizationVersion.objects.filter(
        valid_on(day),
        kind__in=CELL_KINDS,
        organization_id__in=subtree_ids(organization=district, day=day),
    ).select_related("organization")
    return [v.organization for v in sorted(versions, key=lambda v: v.organization.code)]


def _linked(user, district, stage: str, count: int) -> int:
    """Candidates behind members the demo admitted: still probationary on ``AS_OF``
    (``admitted``), confirmed, or not confirmed."""
    events = MemberEvent.objects.filter(
        kind=EventKind.ADMITTED,
        superseded_by__isnull=True,
        organization_id__in=subtree_ids(organization=district, day=AS_OF),
        organization__versions__kind__in=CELL_KINDS,
    ).select_related("member", "organization", "place")
    if stage == Stage.ADMITTED:
        events = events.filter(date__gte=date(2024, 8, 1), date__lte=AS_OF)
    else:
        later = MemberEvent.objects.filter(
            kind=EventKind.CONFIRMED if stage == Stage.CONFIRMED else EventKind.LEFT,
            superseded_by__isnull=True,
            date__lte=AS_OF,
            date__gte=date(2021, 1, 1),
        )
        if stage == Stage.NOT_CONFIRMED:
            later = later.filter(reason="not_confirmed")
        events = events.filter(member_id__in=later.values("member_id"), date__gte=date(2020, 1, 1))
    made = 0
    for event in events.distinct().order_by("-date", "member__code"):
        if made == count:
            break
        member = event.member
        if hasattr(member, "candidate"):
            continue
        try:
            with transaction.atomic():
                dates = _backwards(event.date)
                assert event.organization is not None and event.place is not None
                candidate = services.candidate_create(
                    acting_user=user,
                    code=f"QC-{member.code}",
                    full_name=member.full_name,
                    gender=member.gender,
                    birth_date=member.birth_date,
                    source=SOURCES[made % len(SOURCES)],
                    organization=event.organization,
                    place=event.place,
                    identified_on=dates[Stage.IDENTIFIED],
                    is_sample=True,
                    ethnicity=member.ethnicity,
                    education=member.education,
                    occupation=member.occupation,
                    hometown=member.hometown,
                )
                _path(user, candidate, dates, Stage.ADMITTED, existing=member)
                if stage != Stage.ADMITTED:
                    end = later.filter(member=member).order_by("date").first()
                    assert end is not None
                    services.candidate_confirm(
                        acting_user=user,
                        candidate=candidate,
                        day=end.date,
                        confirmed=stage == Stage.CONFIRMED,
                        reason="" if stage == Stage.CONFIRMED else "Không đủ tư cách đảng viên",
                    )
        except (RuleError, AttributeError, ValueError):
            continue
        made += 1
    return made


def build_admissions(*, acting_user) -> int:
    """The target and the candidates; returns how many candidates were created."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None:
        return 0
    services.target_set(
        acting_user=acting_user,
        organization=district,
        year_from=2020,
        year_to=2025,
        per_year=60,
        source="Nghị quyết Đại hội đại biểu Đảng bộ huyện Nậm Nhùn lần thứ III, nhiệm kỳ 2020–2025",
        is_sample=True,
    )
    rng = random.Random(SEED)
    cells = _cells(district, date(2024, 1, 2))
    made = 0
    number = 0
    stages = list(NEW_PEOPLE)
    first_voted = 1 + sum(NEW_PEOPLE[s] for s in stages[: stages.index(Stage.VOTED)])
    for stage, count in NEW_PEOPLE.items():
        for _ in range(count):
            number += 1
            cell = cells[(number * 7) % len(cells)]
            gender = rng.choice(["male", "female"])
            ethnicity = rng.choice(ETHNICITIES)
            identified = date(2024, 1, 8) + timedelta(days=rng.randrange(0, 20))
            # a path that would end with a ceremony on 28/6/2025, cut at the stage; one vote
            # is left without a decision past its deadline (an overdue step to follow up)
            overdue = stage == Stage.VOTED and number == first_voted
            dates = _backwards(date(2025, 3, 1) if overdue else date(2025, 6, 28))
            dates[Stage.IDENTIFIED] = min(identified, dates[Stage.TRAINED] - timedelta(days=30))
            place = cell.version_on(identified).place
            try:
                with transaction.atomic():
                    candidate = services.candidate_create(
                        acting_user=acting_user,
                        code=f"QC-{number:03d}",
                        full_name=person(rng, ethnicity, gender),
                        gender=gender,
                        birth_date=date(1994 + rng.randrange(0, 10), rng.randrange(1, 13), 10),
                        source=SOURCES[number % len(SOURCES)],
                        organization=cell,
                        place=place,
                        identified_on=dates[Stage.IDENTIFIED],
                        is_local=number % 5 != 0,
                        is_sample=True,
                        ethnicity=ethnicity,
                    )
                    if stage == Stage.DROPPED:
                        _path(acting_user, candidate, dates, Stage.APPLIED)
                        services.candidate_drop(
                            acting_user=acting_user,
                            candidate=candidate,
                            day=dates[Stage.APPLIED] + timedelta(days=20),
                            reason="Chuyển đi làm ăn xa",
                        )
                    elif stage != Stage.IDENTIFIED:
                        _path(acting_user, candidate, dates, stage)
            except (RuleError, ValueError):
                continue
            made += 1
    for stage, count in LINKED.items():
        made += _linked(acting_user, district, stage, count)
    return made
