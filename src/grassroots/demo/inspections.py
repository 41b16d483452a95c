"""The demo's inspection and discipline: the district committee's yearly programme for 2023 with
its planned inspections and supervisions, a case in every state (decided … concluded), and a few
discipline decisions — one expulsion, recorded through the services so that the member's
``left`` event (reason ``expelled``) is written by the members app.

Everything but the expulsion is written in bulk (``bulk_create``: a few statements). The
expulsion is dated after the seed's day (23/11/2023) so that the seed's figures stay as written.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from grassroots.core.temporal import valid_on
from grassroots.inspections.models import (
    STEPS,
    Case,
    Conclusion,
    DisciplineDecision,
    Programme,
    ProgrammeItem,
)
from grassroots.inspections.services import discipline_decide
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids

DISTRICT = "DB-112"
YEAR = 2023
#: The expulsion's day: after the seed's figures (23/11/2023).
EXPULSION_DAY = date(2023, 12, 5)

KINDS = (
    "supervision_regular",
    "supervision_thematic",
    "inspection_tasks",
    "inspection_finance",
    "inspection_lower",
    "inspection_signs",
)
TOPICS = {
    "supervision_regular": "Giám sát việc thực hiện Nghị quyết Đại hội Đảng bộ xã",
    "supervision_thematic": "Giám sát chuyên đề công tác phát triển đảng viên",
    "inspection_tasks": "Kiểm tra việc thực hiện nhiệm vụ xây dựng nông thôn mới",
    "inspection_finance": "Kiểm tra thu, nộp, quản lý và sử dụng đảng phí",
    "inspection_lower": "Kiểm tra công tác kiểm tra, giám sát của cấp ủy cơ sở",
    "inspection_signs": "Kiểm tra khi có dấu hiệu vi phạm trong quản lý đất đai",
}
BODY = "Ủy ban Kiểm tra Huyện ủy Nậm Nhùn"


def _communes(district: Organization, day: date) -> list[Organization]:
    ids = (
        OrganizationVersion.objects.filter(valid_on(day), parent=district)
        .order_by("organization__code")
        .values_list("organization_id", flat=True)
    )
    return list(Organization.objects.filter(pk__in=list(ids)).order_by("code"))


def _expelled(district: Organization, day: date):
    """An official member of the largest cell of the district on ``day`` (the cell keeps enough
    members after the expulsion)."""
    spans = MembershipSpan.objects.filter(
        valid_on(day),
        status="official",
        valid_to__isnull=True,
        organization_id__in=subtree_ids(organization=district, day=day),
    )
    biggest = (
        spans.values("organization_id").annotate(n=Count("id")).order_by("-n", "organization_id")
    ).first()
    if biggest is None or biggest["n"] < 5:
        return None
    span = (
        spans.filter(organization_id=biggest["organization_id"])
        .select_related("member")
        .order_by("member__code")
        .first()
    )
    return span.member if span else None


def build_inspections(*, acting_user) -> int:
    """Write the demo's programme, cases and decisions; returns how many cases were written (0
    when they are there already, or without the district)."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None or Programme.objects.filter(is_sample=True).exists():
        return 0
    communes = _communes(district, date(YEAR, 1, 1))
    if not communes:
        return 0
    programme = Programme.objects.create(
        organization=district,
        kind="year",
        year_from=YEAR,
        year_to=YEAR,
        title=f"Chương trình kiểm tra, giám sát năm {YEAR}",
        issued_by="Ban Thường vụ Huyện ủy Nậm Nhùn",
        is_sample=True,
    )
    items = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            programme=programme,
            organization=district,
            kind=KINDS[i % len(KINDS)],
            subject="organization",
            subject_organization=commune,
            topic=TOPICS[KINDS[i % len(KINDS)]],
            year=YEAR,
            period_start=date(YEAR, 2 + i % 9, 1),
            period_end=date(YEAR, 3 + i % 9, 28),
        )
        for i, commune in enumerate(communes[:8])
    )
    # One case per state: the i-th case has taken the first i + 1 steps.
    cases = []
    for i in range(len(STEPS)):
        item = items[i % len(items)]
        days = {field: date(YEAR, 3 + i, 1 + 3 * n) for n, (_, field) in enumerate(STEPS[: i + 1])}
        concluded = "concluded_on" in days
        cases.append(
            Case(
                organization=item.subject_organization,
                item=item,
                code=f"KT-{YEAR}-{i + 1:02d}",
                kind=item.kind,
                subject="organization",
                topic=item.topic,
                deciding_body=BODY,
                decision_number=f"{i + 10}-QĐ/UBKTHU",
                team="Đoàn kiểm tra của Ủy ban Kiểm tra Huyện ủy",
                findings="Đã thẩm tra, xác minh theo kế hoạch." if i >= 3 else "",
                conclusion=Conclusion.VIOLATION if concluded else "",
                violation_kind="duties" if concluded else "",
                is_sample=True,
                **days,
            )
        )
    Case.objects.bulk_create(cases)
    DisciplineDecision.objects.bulk_create(
        DisciplineDecision(
            organization=commune,
            code=f"KL-{YEAR}-{n + 1:02d}",
            subject="organization",
            level=level,
            violation_kind=kind,
            violation_date=date(YEAR - 1, 10, 1),
            decided_on=date(YEAR, 8 + n, 15),
            deciding_body="Ban Thường vụ Huyện ủy Nậm Nhùn",
            decision_number=f"{40 + n}-QĐ/HU",
            votes_for=9,
            votes_total=11,
            recorded_by=acting_user,
            is_sample=True,
        )
        for n, (commune, level, kind) in enumerate(
            [(communes[0], "reprimand", "duties"), (communes[-1], "warning", "finance")]
        )
    )
    member = _expelled(district, EXPULSION_DAY)
    if member is not None:
        discipline_decide(
            acting_user=acting_user,
            code=f"KL-{YEAR}-03",
            subject="member",
            member=member,
            level="expulsion",
            violation_kind="ethics",
            violation_date=date(YEAR, 5, 10),
            decided_on=EXPULSION_DAY,
            deciding_body=BODY,
            decision_number="52-QĐ/UBKTHU",
            votes_for=7,
            votes_total=9,
        )
        DisciplineDecision.objects.filter(code=f"KL-{YEAR}-03").update(is_sample=True)
    return len(cases)
