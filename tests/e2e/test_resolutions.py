"""A district committee officer records an action programme and gives every cell below a task;
a cell secretary reports the task done; the committee's overdue figure goes down by one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import registry


def overdue_on_figures(page) -> str:
    page.goto("/resolutions/tasks/figures/?organization=DB-112")
    row = page.locator("#task-figures tr.total td")
    return row.nth(3).inner_text()  # assigned, done, not done, overdue, due


@pytest.mark.django_db(transaction=True)
def test_programme_tasks_for_every_cell_and_a_progress_report(page, login, make_user):
    reg = registry()
    today = timezone.localdate()
    make_user("bantochuc", roles=["editor"], scope=reg.committee, full_name="Cán bộ Huyện ủy")
    make_user("bithu", roles=["editor"], scope=reg.cell_a, full_name="Bí thư chi bộ")

    login("bantochuc")
    page.goto("/resolutions/documents/")
    page.click("text=Ghi nhận văn bản")
    page.fill("#id_organization", "DB-112")
    page.select_option("#id_doc_type", "CTr")
    page.fill("#id_issued_on", (today - timedelta(days=30)).isoformat())
    page.fill("#id_title", "Chương trình hành động thực hiện Nghị quyết số 07-NQ/TU")
    page.click("button.primary")
    page.wait_for_selector("#document-number")
    assert page.locator("#document-number").inner_text() == "01-CTr/HU"

    page.click("text=Giao nhiệm vụ")
    page.fill("#id_title", "Tổ chức học tập, quán triệt nghị quyết")
    page.fill("#id_deadline", (today - timedelta(days=1)).isoformat())
    page.check("#id_every_cell")
    page.click("button.primary")
    page.wait_for_selector("#tasks")
    assert page.locator("#tasks tbody tr").count() == 2  # CB-V1 and CB-V2
    assert overdue_on_figures(page) == "2"

    page.context.clear_cookies()
    login("bithu")
    assert "Tổ chức học tập, quán triệt nghị quyết" in page.locator("#home-tasks").inner_text()
    page.click("#home-tasks a")
    page.click("text=Báo cáo tiến độ")
    page.fill("#id_percent", "100")
    page.fill("#id_note", "Chi bộ đã tổ chức học tập cho toàn thể đảng viên.")
    page.select_option("#id_status", "done")
    page.click("button.primary")
    page.wait_for_selector("#reports")
    assert page.locator("#task-status").inner_text().startswith("Hoàn thành")

    page.context.clear_cookies()
    login("bantochuc")
    assert overdue_on_figures(page) == "1"
