"""Imports that cannot take the machine down, and packages of events only (issue 17)."""

from datetime import date

import pytest

from grassroots.members.models import MemberEvent, MembershipSpan
from tests.interchange.test_importer import row_counts, write_text


@pytest.mark.django_db
def test_a_package_of_events_only_validates_against_the_stored_members(tmp_path, run_import, reg):
    from tests.factories import member

    member(code="M9", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 1, 1),
           confirmed=date(2015, 1, 10))  # fmt: skip
    report = run_import(
        write_text(
            tmp_path / "goi",
            {"member_events.csv": "member_id,date,event,reason\nM9,2020-03-01,left,died\n"},
        )
    )
    assert report.ok, report.as_text()
    assert report.created["member_events"] == 1
    assert MemberEvent.objects.filter(member__code="M9", kind="left").count() == 1
    last = MembershipSpan.objects.filter(member__code="M9").order_by("valid_from").last()
    assert last.valid_to == date(2020, 3, 1)
    assert last.organization == reg.cell_a


@pytest.mark.django_db
def test_an_invalid_package_of_events_only_is_refused_row_by_row(tmp_path, run_import, reg):
    from tests.factories import member

    member(code="M9", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 1, 1),
           confirmed=date(2015, 1, 10))  # fmt: skip
    before = row_counts()
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "member_events.csv": "member_id,date,event,reason\n"
                "M9,2013-03-01,left,died\n"
                "M8,2020-03-01,left,died\n"
            },
        )
    )
    assert [str(p) for p in report.errors] == [
        "member_events.csv:2: event: Sự kiện 'ra khỏi danh sách' ngày 01/03/2013 không hợp lệ: "
        "người này không phải là đảng viên vào ngày đó.",
        "member_events.csv:3: member_id: không có đảng viên M8 trong members.csv hay trong hệ "
        "thống.",
    ]
    assert row_counts() == before
