"""The demo's cell life in 2023 (called by :func:`grassroots.demo.build.build_demo`): a year of
meetings with attendance, income bases, party fees collected and sent upward, for the cells of
Đảng bộ huyện Nậm Nhùn (``DB-112``).

Realistic gaps: most cells meet every month, a few skip one or two months (the weakest more);
each cell holds a thematic meeting on Chỉ thị 05-CT/TW in May; most members are present, some
excused, a handful often absent without reason (the checks page lists those with 3 months or
more); exempted members are marked and mostly excused; a few members fall behind with the fee.
Fees follow the policy (:func:`grassroots.cells.services.fee_due`) from each member's basis.

The study campaign of Chỉ thị 05-CT/TW run by the district (April–June 2023, an individual plan
of action required): a session of each cell on its thematic meeting day in May, attended by the
members present there, most of whom then record their plan; and the self-criticism review of
2023 (most members and organisations in December, a few not done).

Written in bulk (the services check one meeting at a time; here the rows are built from the same
rules: the cell's members on the meeting day). Deterministic: the same database gives the same
data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from grassroots.cells.models import (
    Attendance,
    BasisKind,
    FeePayment,
    FeeRemittance,
    IncomeBasis,
    Meeting,
    MeetingKind,
    Presence,
    ReviewStatus,
    ReviewSubject,
    SelfCriticism,
    StudyAttendance,
    StudyCampaign,
    StudyPlan,
    StudySession,
    StudyTarget,
)
from grassroots.cells.services import fee_due, month_end
from grassroots.core.temporal import OPEN_END
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import ever_in_subtree_ids, subtree_ids
from grassroots.resolutions.models import Document

SEED = 2023
DISTRICT = "DB-112"
YEAR = 2023
THEMES = [
    "Kiểm điểm việc thực hiện nhiệm vụ tháng, đề ra nhiệm vụ tháng tới",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững",
    "Bảo vệ rừng, phòng chống cháy rừng",
    "Xây dựng nông thôn mới",
    "Công tác phát triển đảng viên",
]


def build_cells(*, acting_user) -> int:
    """Write the year; returns how many meetings. Nothing when the district is absent."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None:
        return 0
    rng = random.Random(SEED)
    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    cells = {
        v.organization_id: v
        for v in OrganizationVersion.objects.filter(
            kind__in=CELL_KINDS,
            organization_id__in=ever_in_subtree_ids(district),
            valid_from__lte=end,
        ).exclude(valid_to__lte=start)
    }
    spans = defaultdict(list)
    for span in MembershipSpan.objects.filter(
        organization_id__in=list(cells), valid_from__lte=end
    ).exclude(valid_to__lte=start):
        spans[span.organization_id].append(span)
    weak_cells = {pk for pk in cells if rng.random() < 0.08}
    member_ids = {s.member_id for rows in spans.values() for s in rows}
    weak_members = {pk for pk in sorted(member_ids) if rng.random() < 0.02}
    late_payers = {pk for pk in sorted(member_ids) if rng.random() < 0.03}

    def valid(version_or_span, day: date) -> bool:
        return version_or_span.valid_from <= day < (version_or_span.valid_to or OPEN_END)

    meetings: list[Meeting] = []
    planned: list[tuple[Meeting, list[MembershipSpan]]] = []
    for month in range(1, 13):
        for pk in sorted(cells):
            skip = 0.25 if pk in weak_cells else 0.03
            day = date(YEAR, month, rng.randint(3, 12))
            if not valid(cells[pk], day) or rng.random() < skip:
                continue
            present = [s for s in spans[pk] if valid(s, day)]
            if not present:
                continue
            meeting = Meeting(
                organization_id=pk,
                date=day,
                kind=MeetingKind.REGULAR,
                theme=THEMES[0] if rng.random() < 0.6 else rng.choice(THEMES[1:]),
                recorded_by=acting_user,
            )
            meetings.append(meeting)
            planned.append((meeting, present))
            if month == 5 and rng.random() < 0.9:
                thematic_day = date(YEAR, 5, rng.randint(15, 28))
                if valid(cells[pk], thematic_day):
                    meeting = Meeting(
                        organization_id=pk,
                        date=thematic_day,
                        kind=MeetingKind.THEMATIC,
                        theme="Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách "
                        "Hồ Chí Minh (Chỉ thị 05-CT/TW)",
                        recorded_by=acting_user,
                    )
                    meetings.append(meeting)
                    planned.append((meeting, [s for s in spans[pk] if valid(s, thematic_day)]))
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    attendance = []
    for meeting, present in planned:
        for span in present:
            draw = rng.random()
            if span.exempted:
                presence = Presence.PRESENT if draw < 0.2 else Presence.EXCUSED
            elif span.member_id in weak_members:
                presence = Presence.ABSENT if draw < 0.45 else Presence.PRESENT
            elif draw < 0.9:
                presence = Presence.PRESENT
            elif draw < 0.98:
                presence = Presence.EXCUSED
            else:
                presence = Presence.ABSENT
            attendance.append(
                Attendance(
                    meeting=meeting,
                    member_id=span.member_id,
                    presence=presence,
                    exempted=span.exempted,
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    _fees(rng, cells, spans, late_payers)
    _study(rng, district, attendance, acting_user)
    _reviews(rng, district, cells, spans, acting_user)
    return len(meetings)


def _basis(rng: random.Random) -> tuple[str, int]:
    draw = rng.random()
    if draw < 0.25:
        return BasisKind.SALARY, rng.randrange(3_500_000, 9_000_000, 10_000)
    if draw < 0.35:
        return BasisKind.PENSION, rng.randrange(3_000_000, 7_000_000, 10_000)
    if draw < 0.38:
        return BasisKind.STUDENT, 0
    return BasisKind.FIXED, 2_000


def _fees(rng, cells, spans, late_payers) -> None:
    bases: dict[int, tuple[str, int]] = {}
    for pk in sorted({s.member_id for rows in spans.values() for s in rows}):
        bases[pk] = _basis(rng)
    IncomeBasis.objects.bulk_create(
        [
            IncomeBasis(member_id=pk, kind=kind, amount=amount, valid_from=date(YEAR, 1, 1))
            for pk, (kind, amount) in bases.items()
        ],
        batch_size=5000,
    )
    payments = []
    paid_for: set[tuple[int, int]] = set()  # (member, month): one payment, in one cell
    collected: dict[tuple[int, int], int] = defaultdict(int)  # (cell, quarter) → đồng
    for month in range(1, 13):
        first = date(YEAR, month, 1)
        last = month_end(first)
        for pk in sorted(cells):
            if not (cells[pk].valid_from <= first and last < (cells[pk].valid_to or OPEN_END)):
                continue  # a cell collects for the months it exists whole
            for span in spans[pk]:
                if not (span.valid_from <= last < (span.valid_to or OPEN_END)):
                    continue
                if (span.member_id, month) in paid_for:
                    continue
                paid_for.add((span.member_id, month))
                skip = 0.35 if span.member_id in late_payers else 0.01
                if rng.random() < skip:
                    continue
                kind, amount = bases[span.member_id]
                due = fee_due(kind=kind, amount=amount)
                payments.append(
                    FeePayment(
                        member_id=span.member_id,
                        organization_id=pk,
                        month=first,
                        due=due,
                        paid=due,
                        paid_on=date(YEAR, month, min(last.day, rng.randint(5, 25))),
                    )
                )
                collected[(pk, (month - 1) // 3)] += due
    FeePayment.objects.bulk_create(payments, batch_size=5000)
    remittances = []
    for (pk, quarter), amount in sorted(collected.items()):
        month_from = date(YEAR, 3 * quarter + 1, 1)
        month_to = date(YEAR, 3 * quarter + 3, 1)
        sent_on = date(YEAR + 1, 1, 10) if quarter == 3 else date(YEAR, 3 * quarter + 4, 10)
        remittances.append(
            FeeRemittance(
                organization_id=pk,
                month_from=month_from,
                month_to=month_to,
                amount=amount,
                sent_on=sent_on,
            )
        )
    FeeRemittance.objects.bulk_create(remittances, batch_size=5000)


def _study(rng, district, attendance, acting_user) -> None:
    """The district's campaign of Chỉ thị 05-CT/TW: each cell's thematic meeting in May is its
    session (attended by those present); 85% of them record their plan within three weeks."""
    document = Document.objects.filter(number="05-CT/TW").first()
    if document is None:
        return
    start, end = date(YEAR, 4, 1), date(YEAR, 6, 30)
    campaign = StudyCampaign(
        organization=district,
        document=document,
        title="Học tập, quán triệt Chỉ thị 05-CT/TW: chuyên đề năm 2023",
        start=start,
        end=end,
        end_next=date(YEAR, 7, 1),
        target=StudyTarget.ALL,
        plan_required=True,
        recorded_by=acting_user,
    )
    StudyCampaign.objects.bulk_create([campaign])
    sessions: dict[int, StudySession] = {}
    present: dict[int, list[int]] = defaultdict(list)
    for row in attendance:
        meeting = row.meeting
        if meeting.kind != MeetingKind.THEMATIC or not start <= meeting.date <= end:
            continue
        if meeting.pk not in sessions:
            sessions[meeting.pk] = StudySession(
                campaign=campaign,
                organization_id=meeting.organization_id,
                date=meeting.date,
                note="Sinh hoạt chuyên đề",
            )
        if row.presence == Presence.PRESENT:
            present[meeting.pk].append(row.member_id)
    StudySession.objects.bulk_create(list(sessions.values()), batch_size=2000)
    rows, plans, planned = [], [], set()
    for pk, session in sessions.items():
        for member_id in present[pk]:
            rows.append(StudyAttendance(session=session, member_id=member_id))
            if member_id not in planned and rng.random() < 0.85:
                planned.add(member_id)
                day = min(end, date.fromordinal(session.date.toordinal() + rng.randint(1, 21)))
                plans.append(
                    StudyPlan(
                        campaign=campaign,
                        member_id=member_id,
                        submitted_on=day,
                        content="Rèn luyện tác phong gần dân, nói đi đôi với làm; "
                        "tham gia bảo vệ rừng và phát triển kinh tế hộ gia đình.",
                    )
                )
    StudyAttendance.objects.bulk_create(rows, batch_size=5000)
    StudyPlan.objects.bulk_create(plans, batch_size=5000)


def _reviews(rng, district, cells, spans, acting_user) -> None:
    """The self-criticism review of 2023: each organisation of the district on 31 December
    (95% done in December) and each member of its cells that day (done with the cell, unless
    exempted or, rarely, not done)."""
    end = date(YEAR, 12, 31)
    organizations = sorted(set(subtree_ids(organization=district, day=end)))
    days = {pk: date(YEAR, 12, rng.randint(5, 28)) for pk in organizations}
    done = {pk for pk in organizations if rng.random() < 0.95}
    rows = [
        SelfCriticism(
            subject=ReviewSubject.ORGANIZATION,
            year=YEAR,
            organization_id=pk,
            day=days[pk] if pk in done else end,
            status=ReviewStatus.DONE if pk in done else ReviewStatus.NOT_DONE,
            reviewed_on=days[pk] if pk in done else None,
            recorded_by=acting_user,
        )
        for pk in organizations
    ]
    seen: set[int] = set()
    for pk in sorted(cells):
        if pk not in days:
            continue
        for span in spans[pk]:
            if not (span.valid_from <= end < (span.valid_to or OPEN_END)):
                continue
            if span.member_id in seen:
                continue
            seen.add(span.member_id)
            reviewed = pk in done and not span.exempted and rng.random() < 0.97
            if not reviewed and rng.random() < 0.5:
                continue  # not recorded at all: counted as not done
            rows.append(
                SelfCriticism(
                    subject=ReviewSubject.MEMBER,
                    year=YEAR,
                    member_id=span.member_id,
                    organization_id=pk,
                    day=days[pk] if reviewed else end,
                    status=ReviewStatus.DONE if reviewed else ReviewStatus.NOT_DONE,
                    reviewed_on=days[pk] if reviewed else None,
                    recorded_by=acting_user,
                )
            )
    SelfCriticism.objects.bulk_create(rows, batch_size=5000)
