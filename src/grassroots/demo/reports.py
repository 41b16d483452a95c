"""The demo's reports sent upward (called by :func:`grassroots.demo.build.build_demo`).

Đảng bộ huyện Nậm Nhùn (``DB-112``) sent the figures the seed's paragraphs quote, so that the
news written from them can cite a frozen report (``reports.Submission``):

1. ``coverage`` of DB-112 on 2013-06-30 (period ``2013-H1``) — the district as founded:
   ``report.places.village.without_cell`` = 20 of ``report.places.village.total`` = 70;
2. ``coverage`` of DB-112 on 2023-11-23 — ``report.places.village.total`` = 69 and
   ``report.places.village.without_cell`` = 0 ("69/69 bản đã thành lập chi bộ");
3. ``admissions`` of DB-112 from 2013-06-01 to 2023-11-23 — ``report.admitted`` = 1023
   ("đã kết nạp được 1.023 quần chúng vào Đảng").

Each goes through :func:`grassroots.reports.services.submit`, the path of the "Gửi báo cáo"
button, so the numbers are the live figures frozen at build time. The communes of the district
also sent Biểu 1-, 2-, 3-BTCTW for 2023 (all but the last commune, which is "missing").

Before that, :func:`fill_unit_types` gives every grassroots organisation its unit type (Biểu
5-BTCTW: "Xã", "Thị trấn", "Phường" from its name), :func:`fill_procedures` records the party
badges (on 3 February after each milestone of party age) and party cards (about three months
after confirmation) of Biểu 7-BTCTW, and :func:`fill_profiles` completes the member record (Phiếu đảng viên) of every demo
member from their occupation and education: occupation group, general education, specialist
training, political theory, Youth Union date, religion, file number — and dated changes
(Mẫu 3-HSĐV) for members who finished upper secondary school or a political theory course
later. Seeded: the same plan gives the same records.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from grassroots import policy
from grassroots.core.temporal import valid_on
from grassroots.members.models import (
    Member,
    MemberEvent,
    MemberProcedure,
    MemberProfileChange,
    MembershipSpan,
)
from grassroots.organizations.models import OrganizationKind, OrganizationVersion, UnitType
from grassroots.reports.models import Submission
from grassroots.reports.services import submit

DISTRICT = "DB-112"

#: (figure, parameters, period) of the demo's sent reports, in sending order.
SENT: tuple[tuple[str, dict[str, str], str], ...] = (
    ("coverage", {"organization": DISTRICT, "as_of": "2013-06-30"}, "2013-H1"),
    ("coverage", {"organization": DISTRICT, "as_of": "2023-11-23"}, ""),
    ("admissions", {"organization": DISTRICT, "from": "2013-06-01", "to": "2023-11-23"}, ""),
)


#: occupation text of the demo plan → occupation group of Biểu 2-BTCTW
OCCUPATION_GROUPS = {
    "Nông dân": "agriculture",
    "Trưởng bản": "village_part_time",
    "Công an viên": "village_part_time",
    "Giáo viên": "public_service",
    "Nhân viên trường học": "public_service",
    "Y sĩ": "public_service",
    "Điều dưỡng": "public_service",
    "Bác sĩ": "public_service",
    "Công chức xã": "commune_official",
    "Cán bộ chuyên trách": "commune_official",
    "Công an xã": "armed_forces",
}
#: education text of the demo plan → (general education, specialist training)
EDUCATION = {
    "7/12": ("lower_secondary", ""),
    "9/12": ("lower_secondary", ""),
    "12/12": ("upper_secondary", ""),
    "Cao đẳng": ("upper_secondary", "college"),
    "Đại học": ("upper_secondary", "university"),
}
PROFILE_SEED = 2
RECORD_FIELDS = [
    "occupation_group",
    "youth_union_date",
    "religion",
    "file_number",
    "general_education",
    "specialist_training",
    "political_theory",
    "residence",
]


def fill_profiles() -> int:
    """Complete the record of the demo members (bulk); returns how many dated changes."""
    rng = random.Random(PROFILE_SEED)
    first_admission: dict[int, date] = {}
    for member_id, day in (
        MemberEvent.objects.filter(kind="admitted", member__is_sample=True)
        .order_by("member_id", "date")
        .values_list("member_id", "date")
    ):
        first_admission.setdefault(member_id, day)
    members = list(Member.objects.filter(is_sample=True).order_by("pk"))
    changes: list[MemberProfileChange] = []
    for member in members:
        general, training = EDUCATION.get(member.education, ("lower_secondary", ""))
        member.occupation_group = OCCUPATION_GROUPS.get(member.occupation, "other")
        admitted = first_admission.get(member.pk)
        age = policy.age_in_months(member.birth_date, admitted) // 12 if admitted else 40
        if age <= 30 and rng.random() < 0.8:
            days = 16 * 365 + rng.randrange(700)
            member.youth_union_date = member.birth_date + timedelta(days=days)
        member.religion = "Không" if rng.random() < 0.93 else "Tin Lành"
        member.file_number = f"LL-{member.code}"
        member.general_education = general
        member.specialist_training = training
        farming = member.occupation_group in ("agriculture", "village_part_time")
        theory = "" if farming else "elementary"
        member.political_theory = theory
        member.residence = member.hometown if member.ethnicity != "Kinh" else ""
        # a later diploma or course, dated (Mẫu 3-HSĐV)
        start = admitted or date(2014, 1, 1)
        if general == "lower_secondary" and rng.random() < 0.25:
            day = start + timedelta(days=rng.randrange(365, 3000))
            changes.append(_change(member, day, "general_education", "upper_secondary"))
        if rng.random() < 0.2:
            day = start + timedelta(days=rng.randrange(200, 3000))
            upgrade = "intermediate" if theory == "elementary" else "elementary"
            changes.append(_change(member, day, "political_theory", upgrade))
    Member.objects.bulk_update(members, RECORD_FIELDS, batch_size=500)
    kept = [c for c in changes if c.date <= date(2025, 12, 31)]
    MemberProfileChange.objects.bulk_create(kept, batch_size=500)
    return len(kept)


def fill_unit_types() -> int:
    """The unit type of every demo grassroots organisation version, from its name (bulk)."""
    versions = list(
        OrganizationVersion.objects.filter(
            organization__is_sample=True,
            kind__in=(OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL),
        )
    )
    for version in versions:
        name = version.name.lower()
        version.unit_type = (
            UnitType.TOWNSHIP
            if "thị trấn" in name
            else UnitType.WARD
            if "phường" in name
            else UnitType.COMMUNE
        )
    OrganizationVersion.objects.bulk_update(versions, ["unit_type"], batch_size=500)
    return len(versions)


#: The demo's procedures are dated up to this day (the registry's "today" of the demo).
PROCEDURES_UNTIL = date(2025, 12, 31)


def fill_procedures() -> int:
    """Party badges and cards of the demo members (bulk): a badge on the first 3 February on or
    after each milestone of party age (``BADGE_YEARS``) and a card 60–120 days after the
    confirmation, each only when the member is a member that day."""
    rng = random.Random(PROFILE_SEED + 5)
    spans: dict[int, list[tuple[date, date | None, date]]] = {}
    for member_id, start, end, since in (
        MembershipSpan.objects.filter(member__is_sample=True)
        .order_by("member_id", "valid_from")
        .values_list("member_id", "valid_from", "valid_to", "served_since")
    ):
        spans.setdefault(member_id, []).append((start, end, since))

    def member_on(member_id: int, day: date) -> tuple[date, date | None, date] | None:
        for span in spans.get(member_id, []):
            if span[0] <= day and (span[1] is None or day < span[1]):
                return span
        return None

    procedures: list[MemberProcedure] = []
    for member_id, member_spans in spans.items():
        since = member_spans[-1][2]
        for years in policy.get("BADGE_YEARS"):
            due = policy.add_months(since, 12 * years)
            day = date(due.year, 2, 3)
            if day < due:
                day = date(due.year + 1, 2, 3)
            if day > PROCEDURES_UNTIL:
                break
            if member_on(member_id, day) is not None:
                procedures.append(
                    MemberProcedure(
                        member_id=member_id,
                        date=day,
                        kind="badge",
                        badge_years=years,
                        note="Dữ liệu mẫu",
                    )
                )
    confirmations = MemberEvent.objects.filter(
        kind="confirmed", member__is_sample=True, superseded_by__isnull=True
    ).values_list("member_id", "member__code", "date")
    for member_id, code, confirmed in confirmations.order_by("member_id", "date"):
        day = confirmed + timedelta(days=rng.randrange(60, 121))
        if day <= PROCEDURES_UNTIL and member_on(member_id, day) is not None:
            procedures.append(
                MemberProcedure(
                    member_id=member_id,
                    date=day,
                    kind="card",
                    number=f"TĐV-{code}"[:40],
                    note="Dữ liệu mẫu",
                )
            )
    MemberProcedure.objects.bulk_create(procedures, batch_size=500)
    return len(procedures)


def _change(member: Member, day: date, field: str, value: str) -> MemberProfileChange:
    return MemberProfileChange(
        member=member, date=day, field=field, value=value, note="Dữ liệu mẫu"
    )


COMMUNE_PERIOD = "2023"
COMMUNE_FORMS: tuple[tuple[str, dict[str, str]], ...] = (
    ("form1", {"from": "2023-01-01", "to": "2023-12-31"}),
    ("form2", {"from": "2023-01-01", "to": "2023-12-31"}),
    ("form3", {"as_of": "2023-12-31"}),
)


def build_reports(*, acting_user: Any) -> list[Submission]:
    """Complete the records, then send the demo's reports (see the module text); returns the
    district's sent reports in order."""
    fill_unit_types()
    fill_procedures()
    fill_profiles()
    sent = [submit(figure, params, acting_user, period=period) for figure, params, period in SENT]
    communes = list(
        OrganizationVersion.objects.filter(
            valid_on(date(2023, 12, 31)), parent__code=DISTRICT, kind="grassroots_committee"
        )
        .order_by("organization__code")
        .values_list("organization__code", flat=True)
    )
    for code in communes[:-1]:
        for figure, params in COMMUNE_FORMS:
            submit(figure, {"organization": code, **params}, acting_user, period=COMMUNE_PERIOD)
    return sent
