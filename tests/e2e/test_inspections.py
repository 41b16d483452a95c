"""An inspector of a commune opens a case in the browser, records its plan, then records an
expulsion: the member's page shows the expulsion and the discipline history. An editor of the
same commune who is not an inspector is answered 404 on the case."""

from datetime import date

import pytest

from tests import factories
from tests.factories import registry


@pytest.mark.django_db(transaction=True)
def test_inspector_opens_a_case_and_records_an_expulsion(page, login, make_user, browser):
    reg = registry()
    factories.member(
        full_name="Lò Văn Thắng",
        code="DV-1",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2015, 3, 2),
        confirmed=date(2016, 3, 2),
    )
    make_user("kiemtra", roles=["editor", "inspector"], scope=reg.commune_committee_a)
    make_user("bientap", roles=["editor"], scope=reg.commune_committee_a)
    login("kiemtra")

    page.goto("/inspections/")
    page.click("text=Mở cuộc kiểm tra, giám sát")
    page.fill("#id_code", "KT-1")
    page.select_option("#id_kind", "inspection_signs")
    page.fill("#id_topic", "Dấu hiệu vi phạm đạo đức")
    page.fill("#id_deciding_body", "Ủy ban Kiểm tra Đảng ủy xã")
    page.fill("#id_decision_number", "12-QĐ/UBKT")
    page.fill("#id_decided_on", "2023-03-01")
    page.select_option("#id_subject", "member")
    page.fill("#id_member", "DV-1")
    page.click("button.primary")
    page.wait_for_url("**/inspections/cases/KT-1/")
    page.click("text=Ghi bước tiếp theo")
    page.fill("#id_day", "2023-03-05")
    page.click("button.primary")
    page.wait_for_url("**/inspections/cases/KT-1/")
    assert "05/03/2023" in page.content()

    page.goto("/inspections/discipline/new/")
    page.fill("#id_code", "KL-1")
    page.select_option("#id_subject", "member")
    page.fill("#id_member", "DV-1")
    page.select_option("#id_level", "expulsion")
    page.select_option("#id_violation_kind", "ethics")
    page.fill("#id_violation_date", "2023-01-05")
    page.fill("#id_decided_on", "2023-06-20")
    page.fill("#id_deciding_body", "Đảng ủy xã")
    page.fill("#id_decision_number", "31-QĐ/ĐU")
    page.fill("#id_votes_for", "5")
    page.fill("#id_votes_total", "8")
    page.fill("#id_case", "KT-1")
    page.click("button.primary")
    assert "ít nhất 2/3" in page.content()  # 5 of 8 is less than two thirds: refused
    page.fill("#id_votes_for", "6")
    page.click("button.primary")
    page.wait_for_url("**/inspections/discipline/KL-1/")
    page.goto("/members/DV-1/")
    content = page.content()
    assert "Khai trừ" in content and "31-QĐ/ĐU" in content

    other = browser.new_context(locale="vi-VN", base_url=page.url.split("/members")[0])
    editor_page = other.new_page()
    editor_page.goto("/accounts/login/")
    editor_page.fill("#id_username", "bientap")
    editor_page.fill("#id_password", "mật-khẩu-đủ-dài-1")
    editor_page.click("button[type=submit]")
    editor_page.wait_for_url("**/")
    response = editor_page.goto("/inspections/cases/KT-1/")
    assert response is not None and response.status == 404
    other.close()
