"""A commune officer opens Biểu 3-BTCTW for the year and sends it; the province officer sees
the commune as sent and the other commune as missing."""

from datetime import date

import pytest

from tests import factories
from tests.factories import registry


@pytest.mark.django_db(transaction=True)
def test_commune_sends_form3_and_the_province_sees_it(page, login, make_user):
    reg = registry()
    for name, code in (("Lò Văn Ánh", "DV-1"), ("Tòng Thị Bình", "DV-2")):
        factories.member(
            full_name=name,
            code=code,
            gender="female" if "Thị" in name else "male",
            ethnicity="Thái",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 2),
            confirmed=date(2016, 3, 2),
        )
    make_user("xanamhang", roles=["editor"], scope=reg.commune_committee_a, full_name="Cán bộ xã")
    make_user("tinh", roles=["viewer"], scope=reg.province_committee, full_name="Ban Tổ chức Tỉnh")

    login("xanamhang")
    page.goto("/reports/")
    page.click("text=Biểu số 3-BTCTW")
    page.wait_for_url("**/reports/forms/form3/**")
    page.fill("form.filters input[name=period]", "2024")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**period=2024**")
    assert "BAN TỔ CHỨC" in page.content()
    assert page.locator("tr[data-path=total] td.this").inner_text() == "2"
    assert page.locator("tr[data-path=women] td.this").inner_text() == "1"
    page.click("#send-report")
    page.wait_for_url("**/reports/sent/*/")
    assert "Đã gửi báo cáo số" in page.content()
    assert "Mọi số liệu đã gửi vẫn đúng" in page.content()

    page.context.clear_cookies()
    login("tinh")
    page.goto(
        f"/reports/calendar/?organization={reg.province_committee.code}&figure=form3&period=2024"
    )
    sent = page.locator(f"tr[data-unit={reg.commune_committee_a.code}]")
    other = page.locator(f"tr[data-unit={reg.commune_committee_b.code}]")
    assert sent.get_attribute("data-status") in ("sent", "late")
    assert "Cán bộ xã" in sent.inner_text()
    assert other.get_attribute("data-status") in ("missing", "overdue")
    assert "chưa gửi" in other.inner_text().lower()
