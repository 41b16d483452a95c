"""Recording a meeting with its attendance (services), and the rules it keeps."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from grassroots.cells.models import Attendance, Meeting
from grassroots.cells.services import cell_members_on, meeting_record
from grassroots.core.errors import NotFound, RuleError
from grassroots.members.services import member_exempt
from grassroots.resolutions.models import Document

pytestmark = pytest.mark.django_db

DAY = date(2023, 5, 10)


def everyone(members, presence="present"):
    return {m.pk: presence for m in members}


def test_record_a_meeting_with_attendance(reg, members_a, editor_a):
    doc = Document.objects.create(
        type="CT",
        issuer_code="TW",
        number="05-CT/TW",
        issued_on=date(2016, 5, 15),
        title="Chỉ thị 05",
    )
    attendance = everyone(members_a)
    attendance[members_a[1].pk] = "excused"
    attendance[members_a[2].pk] = "absent"
    meeting = meeting_record(
        acting_user=editor_a,
        organization=reg.cell_a,
        day=DAY,
        kind="regular",
        attendance=attendance,
        theme="Sinh hoạt tháng 5",
        documents=[doc],
    )
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("member__code", "presence"))
    assert rows == {
        "MA1": "present", "MA2": "excused", "MA3": "absent",
        "MA4": "present", "MA5": "present", "MA6": "present",
    }  # fmt: skip
    assert list(meeting.documents.all()) == [doc]
    assert LogEntry.objects.filter(content_type__model="meeting").count() == 1
    assert LogEntry.objects.filter(content_type__model="attendance").count() == 6


def test_attendance_names_exactly_the_cells_members(reg, members_a, member_b, editor_a):
    partial = everyone(members_a[:5])
    with pytest.raises(RuleError) as exc:
        meeting_record(
            acting_user=editor_a,
            organization=reg.cell_a,
            day=DAY,
            kind="regular",
            attendance=partial,
        )
    assert exc.value.code == "attendance_missing" and "Lò Văn Hà" in exc.value.message
    with pytest.raises(RuleError) as exc:
        meeting_record(
            acting_user=editor_a,
            organization=reg.cell_a,
            day=DAY,
            kind="regular",
            attendance={**everyone(members_a), member_b.pk: "present"},
        )
    assert exc.value.code == "not_in_cell" and "MB1" in exc.value.message
    with pytest.raises(RuleError):
        meeting_record(
            acting_user=editor_a,
            organization=reg.cell_a,
            day=DAY,
            kind="regular",
            attendance=everyone(members_a, "late"),
        )
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_members_of_the_day_and_exemption(reg, members_a, editor_a):
    member_exempt(acting_user=None, member=members_a[0], day=date(2023, 1, 1))
    before = cell_members_on(organization=reg.cell_a, day=date(2015, 2, 28))
    assert before == []  # nobody yet
    rows = cell_members_on(organization=reg.cell_a, day=DAY)
    assert [(r.member.code, r.exempted) for r in rows][:1] == [("MA1", True)]
    meeting = meeting_record(
        acting_user=editor_a,
        organization=reg.cell_a,
        day=DAY,
        kind="thematic",
        attendance=everyone(members_a, "absent"),
    )
    exempted = Attendance.objects.filter(meeting=meeting, exempted=True)
    assert [a.member.code for a in exempted] == ["MA1"]


def test_one_regular_meeting_a_month_and_no_future(reg, members_a, editor_a):
    meeting_record(
        acting_user=editor_a, organization=reg.cell_a, day=DAY, kind="regular",
        attendance=everyone(members_a),
    )  # fmt: skip
    with pytest.raises(RuleError) as exc:
        meeting_record(
            acting_user=editor_a, organization=reg.cell_a, day=date(2023, 5, 31),
            kind="regular", attendance=everyone(members_a),
        )  # fmt: skip
    assert exc.value.code == "regular_twice"
    # The first day of the next month is another month; a thematic meeting is not limited.
    meeting_record(
        acting_user=editor_a, organization=reg.cell_a, day=date(2023, 6, 1), kind="regular",
        attendance=everyone(members_a),
    )  # fmt: skip
    meeting_record(
        acting_user=editor_a, organization=reg.cell_a, day=date(2023, 5, 31), kind="thematic",
        attendance=everyone(members_a),
    )  # fmt: skip
    with pytest.raises(RuleError) as exc:
        meeting_record(
            acting_user=editor_a, organization=reg.cell_a,
            day=timezone.localdate() + timedelta(days=1), kind="thematic",
            attendance=everyone(members_a),
        )  # fmt: skip
    assert exc.value.code == "future"
    assert Meeting.objects.count() == 3


def test_correcting_a_meeting_updates_the_rows(reg, members_a, editor_a):
    meeting = meeting_record(
        acting_user=editor_a, organization=reg.cell_a, day=DAY, kind="regular",
        attendance=everyone(members_a),
    )  # fmt: skip
    before = LogEntry.objects.count()
    changed = everyone(members_a)
    changed[members_a[3].pk] = "absent"
    meeting_record(
        acting_user=editor_a, organization=reg.cell_a, day=DAY, kind="regular",
        attendance=changed, meeting=meeting, based_on=meeting.version, theme="Sửa",
    )  # fmt: skip
    # One change of the meeting, one of the attendance row that changed.
    assert LogEntry.objects.count() - before == 2
    assert Attendance.objects.get(meeting=meeting, member=members_a[3]).presence == "absent"
    from grassroots.core.locking import StaleError

    with pytest.raises(StaleError):
        meeting_record(
            acting_user=editor_a, organization=reg.cell_a, day=DAY, kind="regular",
            attendance=changed, meeting=meeting, based_on=1,
        )  # fmt: skip


def test_outside_the_scope_or_not_a_cell(reg, members_a, editor_b, editor_a):
    with pytest.raises(NotFound):
        meeting_record(
            acting_user=editor_b, organization=reg.cell_a, day=DAY, kind="regular",
            attendance=everyone(members_a),
        )  # fmt: skip
    with pytest.raises(RuleError) as exc:
        meeting_record(
            acting_user=editor_a, organization=reg.commune_committee_a, day=DAY,
            kind="regular", attendance={},
        )  # fmt: skip
    assert exc.value.code == "not_cell"
    assert not Meeting.objects.exists()
