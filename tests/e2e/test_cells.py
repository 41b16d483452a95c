"""A cell secretary records a meeting with its attendance on one screen of a phone (390 px)."""

from datetime import date

import pytest

from grassroots.cells.models import Attendance, Meeting
from tests.factories import member, registry

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def secretary(browser, live_server, make_user):
    """A phone signed in as the secretary of cell CB-V1 (an editor scoped to the cell), whose
    cell has five members with long names."""
    reg = registry()
    members = [
        member(
            full_name=f"Nguyễn Thị Phương Thảo Hoàng Lò {i}",
            gender="female",
            code=f"DV-CB-{i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 1),
        )
        for i in range(5)
    ]
    make_user("bithu", roles=["editor"], scope=reg.cell_a)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/accounts/login/")
    page.fill("#id_username", "bithu")
    page.fill("#id_password", "mật-khẩu-đủ-dài-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    yield page, members
    context.close()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_secretary_records_a_meeting_on_one_screen(secretary):
    page, members = secretary
    page.goto("/cells/")
    page.click("text=Ghi buổi sinh hoạt")
    # The cell is the secretary's own; choose the day.
    assert page.input_value("#meeting-organization") == "CB-V1"
    page.fill("#meeting-date", "2023-05-10")
    page.click("form.filters button[type=submit]")
    rows = page.locator(".attendance-row")
    assert rows.count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#id_theme", "Sinh hoạt thường kỳ tháng 5")
    page.locator(".attendance-row[data-member='DV-CB-1'] input[value='excused']").check()
    page.locator(".attendance-row[data-member='DV-CB-3'] input[value='absent']").check()
    # Every radio button is big enough to hit with a thumb and inside the screen.
    for i in range(rows.count()):
        box = rows.nth(i).locator("input[value='absent']").bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 16
    page.click("button.primary")
    page.wait_for_url("**/cells/*/")
    assert "Đã lưu sinh hoạt thường kỳ ngày 10/05/2023" in page.content()
    meeting = Meeting.objects.get()
    presence = dict(
        Attendance.objects.filter(meeting=meeting).values_list("member__code", "presence")
    )
    assert presence == {
        "DV-CB-0": "present",
        "DV-CB-1": "excused",
        "DV-CB-2": "present",
        "DV-CB-3": "absent",
        "DV-CB-4": "present",
    }
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
