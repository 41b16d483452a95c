"""The demo's party documents, action programmes and tasks (called by
:func:`grassroots.demo.build.build_demo`).

The seed's chain: Nghị quyết 07-NQ/TU of the provincial committee (outside the registry) →
Chương trình hành động 11-CTr/HU of Đảng bộ huyện Nậm Nhùn (``DB-112``) implementing it → Đề án
01-ĐA/HU implementing the programme; and Chỉ thị 05-CT/TW of the Politburo (outside the
registry). The programme assigns three tasks to every cell of the district on its issue day,
with deadlines from 2022 to 2024; most were done, some closed not done, the rest are still open
and so overdue. A plan of the demo viewer's commune committee (``DU-03475``, after the 2025
reorganisation) assigns a task to each of its cells with deadlines around today: some overdue,
some still due, some done.

Written in bulk (``bulk_create``), deterministic (a seeded generator); the numbering service
continues each sequence from the highest number written here.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from grassroots.core.temporal import valid_on
from grassroots.core.text import fold
from grassroots.organizations.models import CELL_KINDS, Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids
from grassroots.resolutions.models import Document, DocumentLink, Task, TaskReport, TaskStatus
from grassroots.resolutions.services import header_defaults, term_start_for

SEED = 3618
DISTRICT = "DB-112"
COMMUNE = "DU-03475"
PROGRAMME_DAY = date(2021, 6, 15)
PROGRAMME_TASKS = (
    ("Quán triệt, học tập Nghị quyết số 07-NQ/TU đến toàn thể đảng viên", date(2021, 12, 31)),
    ("Xây dựng kế hoạch phát triển đảng viên ở bản chưa có đảng viên", date(2023, 6, 30)),
    ("Vận động nhân dân trồng mới và bảo vệ rừng theo chỉ tiêu được giao", date(2024, 12, 31)),
)


def _document(org, doc_type, sequence, issuer, day, title, summary="", signer="", **header):
    number = f"{sequence:02d}-{doc_type}/{issuer}"
    values = {
        "organization": org,
        "type": doc_type,
        "sequence": sequence,
        "issuer_code": issuer,
        "number": number,
        "number_folded": fold(number),
        "issued_on": day,
        "title": title,
        "title_folded": fold(title),
        "summary": summary,
        "signer": signer,
        "external": org is None,
        **header,
    }
    if org is not None:
        values.update(
            sequence_group=doc_type,
            term_start=term_start_for(org, day),
            **header_defaults(org, day),
        )
        values["issuer_code"] = issuer
    return Document(**values)


def _cells(organization: Organization, day: date) -> list[int]:
    return list(
        OrganizationVersion.objects.filter(
            valid_on(day),
            organization_id__in=subtree_ids(organization=organization, day=day),
            kind__in=CELL_KINDS,
        )
        .order_by("organization__code")
        .values_list("organization_id", flat=True)
    )


def _outcome(rng: random.Random, deadline: date, today: date) -> tuple[str, date | None, int]:
    """(status, closed_on, percent) of a task: done mostly before its deadline, sometimes
    closed not done, else still open (overdue once its deadline has passed)."""
    draw = rng.random()
    if deadline > today:
        if draw < 0.3:
            return TaskStatus.DONE, today - timedelta(days=rng.randint(1, 20)), 100
        return TaskStatus.OPEN, None, rng.choice((10, 30, 50, 70))
    if draw < 0.72:
        closed = deadline - timedelta(days=rng.randint(0, 60))
        return TaskStatus.DONE, min(closed, today), 100
    if draw < 0.8:
        return TaskStatus.NOT_DONE, min(deadline + timedelta(days=30), today), 40
    return TaskStatus.OPEN, None, rng.choice((20, 40, 60, 80))


def build_documents(*, acting_user) -> int:
    """Write the demo's documents and tasks; returns how many tasks were written (0 when they
    are there already, or without the district)."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None or Document.objects.filter(number="11-CTr/HU").exists():
        return 0
    today = timezone.localdate()
    rng = random.Random(SEED)
    resolution = _document(
        None,
        "NQ",
        7,
        "TU",
        date(2021, 2, 26),
        "Nghị quyết về phát triển lâm nghiệp bền vững tỉnh Lai Châu giai đoạn 2021–2025",
        summary="Mục tiêu trồng mới, bảo vệ và phát triển rừng gắn với giảm nghèo bền vững.",
        superior_name="Đảng bộ tỉnh Lai Châu",
        issuer_name="Tỉnh ủy Lai Châu",
        place_name="Lai Châu",
    )
    directive = _document(
        None,
        "CT",
        5,
        "TW",
        date(2016, 5, 15),
        "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        issuer_name="Bộ Chính trị",
        superior_name="Ban Chấp hành Trung ương",
        place_name="Hà Nội",
    )
    programme = _document(
        district,
        "CTr",
        11,
        "HU",
        PROGRAMME_DAY,
        "Chương trình hành động thực hiện Nghị quyết số 07-NQ/TU của Tỉnh ủy về phát triển "
        "lâm nghiệp bền vững",
        summary="Cụ thể hóa Nghị quyết số 07-NQ/TU thành nhiệm vụ của các chi bộ trên địa bàn "
        "huyện.\nMỗi chi bộ báo cáo tiến độ hằng quý về Ban Thường vụ Huyện ủy.",
        signer="Bí thư Huyện ủy",
    )
    scheme = _document(
        district,
        "ĐA",
        1,
        "HU",
        date(2021, 9, 10),
        "Đề án trồng mới và bảo vệ rừng gắn với giảm nghèo huyện Nậm Nhùn giai đoạn 2021–2025",
        signer="Phó Bí thư Thường trực Huyện ủy",
    )
    documents = [resolution, directive, programme, scheme]
    commune = Organization.objects.filter(code=COMMUNE).first()
    plan = None
    plan_day = date(2026, 1, 12)
    if commune is not None and plan_day <= today and commune.version_on(plan_day):
        plan = _document(
            commune,
            "KH",
            1,
            "ĐU",
            plan_day,
            "Kế hoạch thực hiện nhiệm vụ công tác xây dựng Đảng năm 2026",
            signer="Bí thư Đảng ủy",
        )
        documents.append(plan)
    Document.objects.bulk_create(documents)
    DocumentLink.objects.bulk_create(
        [
            DocumentLink(source=programme, target=resolution, kind="implements"),
            DocumentLink(source=scheme, target=programme, kind="implements"),
        ]
    )
    tasks: list[Task] = []
    for cell_id in _cells(district, PROGRAMME_DAY):
        for title, deadline in PROGRAMME_TASKS:
            tasks.append(_task(rng, programme, cell_id, title, deadline, today))
    if plan is not None and commune is not None:
        deadlines = [today - timedelta(days=20), today + timedelta(days=25)]
        for i, cell_id in enumerate(_cells(commune, plan_day)):
            tasks.append(
                _task(
                    rng,
                    plan,
                    cell_id,
                    "Rà soát, cập nhật hồ sơ đảng viên của chi bộ",
                    deadlines[i % 2],
                    today,
                )
            )
    Task.objects.bulk_create(tasks)
    reports = []
    for task in tasks:
        start = task.programme.issued_on + timedelta(days=30)
        if task.closed_on is not None and task.closed_on > start:
            reports.append(_report(task, start, 50, "Đã triển khai đến toàn thể đảng viên."))
        elif task.status == TaskStatus.OPEN and task.percent and start <= today:
            reports.append(_report(task, start, task.percent, "Đang thực hiện theo kế hoạch."))
        if task.closed_on is not None:
            note = (
                "Đã hoàn thành." if task.status == TaskStatus.DONE else "Chưa đạt, chuyển năm sau."
            )
            reports.append(_report(task, task.closed_on, task.percent, note, task.status))
    TaskReport.objects.bulk_create(reports)
    return len(tasks)


def _task(rng, programme, cell_id, title, deadline, today) -> Task:
    status, closed_on, percent = _outcome(rng, deadline, today)
    if closed_on is not None:
        closed_on = max(closed_on, programme.issued_on)
    return Task(
        programme=programme,
        organization_id=cell_id,
        title=title,
        expected_result="Báo cáo kết quả bằng văn bản về cấp ủy cấp trên.",
        deadline=deadline,
        status=status,
        closed_on=closed_on,
        percent=percent,
    )


def _report(task, day, percent, note, status=TaskStatus.OPEN) -> TaskReport:
    return TaskReport(task=task, date=day, percent=percent, note=note, status=status)
