"""Issue 11 in the browser: a veteran admitted in 1980 (before the registry's cells existed) is
entered through the create form and shown with the party age from admission; a dead member's
page offers no action."""

from datetime import date

import pytest

from grassroots.members import services
from tests import factories
from tests.factories import registry


@pytest.mark.django_db(transaction=True)
def test_a_veteran_admitted_in_1980_is_entered_with_the_right_party_age(page, login, make_user):
    reg = registry()
    make_user("bientap", roles=["editor"], scope=reg.province_committee)
    login("bientap")

    page.goto("/members/new/")
    page.fill("#id_code", "NN-1980")
    page.fill("#id_full_name", "Lò Văn Cựu")
    page.select_option("#id_gender", "male")
    page.fill("#id_birth_date", "1953-02-01")
    page.fill("#id_admitted_on", "1980-05-19")
    page.fill("#id_confirmed_on", "1981-05-19")
    page.fill("#id_joined_on", "2013-06-01")
    page.fill("#id_organization", reg.cell_a.code)
    page.fill("#id_place", reg.village_a.code)
    page.click("button.primary")
    page.wait_for_url("**/members/NN-1980/")
    assert "Đã thêm đảng viên Lò Văn Cựu." in page.locator(".messages").inner_text()

    page.goto("/members/NN-1980/?as_of=2026-12-01")
    state = page.locator("#state-title + dl").inner_text()
    assert "46 năm 6 tháng (từ 19/05/1980)" in state
    assert "50 năm tuổi Đảng, ngày 19/05/2030" in state
    assert "Chính thức" in state


@pytest.mark.django_db(transaction=True)
def test_a_dead_members_page_offers_no_action(page, login, make_user):
    reg = registry()
    make_user("bientap", roles=["editor"], scope=reg.province_committee)
    member = factories.member(
        code="NN-MAT", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 3, 1)
    )
    services.member_leave(acting_user=None, member=member, day=date(2025, 11, 15), reason="died")
    login("bientap")

    page.goto("/members/NN-MAT/?as_of=2025-11-20")
    assert "Đã từ trần" in page.locator("#state-title + p").inner_text()
    assert page.locator("a[href*='/events/new/']").count() == 0
    assert "Kết nạp" not in page.locator("nav.actions").inner_text()
    assert "Huy hiệu tiếp theo" not in page.content()
