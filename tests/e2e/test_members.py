"""A member's life in the browser: admitted through the create form, confirmed a year later, and
seen as probationary again when the header date goes back."""

import pytest

from tests.factories import registry


def status_in_list(page, name: str) -> str:
    page.goto("/members/")
    row = page.locator("tbody tr", has_text=name)
    return row.locator(".badge").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_admit_confirm_and_look_back(page, login, make_user):
    reg = registry()
    make_user("bientap", roles=["editor"], scope=reg.province_committee)
    login("bientap")

    page.goto("/members/new/")
    page.fill("#id_code", "DV-900")
    page.fill("#id_full_name", "Lù Văn Quân")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1995-08-15")
    page.fill("#id_ethnicity", "Thái")
    page.fill("#id_admitted_on", "2024-03-01")
    page.fill("#id_organization", reg.cell_a.code)
    page.fill("#id_place", reg.village_a.code)
    page.click("button.primary")
    page.wait_for_url("**/members/DV-900/")
    assert "Đã thêm đảng viên Lù Văn Quân." in page.locator(".messages").inner_text()

    assert status_in_list(page, "Lù Văn Quân") == "Dự bị"

    page.click("text=Lù Văn Quân")
    page.click(".actions >> text=Công nhận chính thức")
    page.fill("#id_date", "2025-03-03")
    page.click("button.primary")
    page.wait_for_url("**/members/DV-900/")
    assert "Chính thức" in page.locator("#state-title + dl .badge").first.inner_text()
    assert status_in_list(page, "Lù Văn Quân") == "Chính thức"

    page.fill("#as-of-date", "2024-06-01")
    page.click(".as-of button[type=submit]")
    page.wait_for_selector(".as-of-banner")
    assert "01/06/2024" in page.locator(".as-of-banner").inner_text()
    row = page.locator("tbody tr", has_text="Lù Văn Quân")
    assert row.locator(".badge").first.inner_text() == "Dự bị"
