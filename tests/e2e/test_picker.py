"""The picker in the browser: a cell found by typing part of its name without diacritics."""

import pytest

from grassroots.members.models import Member, MembershipSpan
from tests.factories import registry


@pytest.mark.django_db(transaction=True)
def test_pick_a_cell_by_part_of_its_name_without_diacritics(page, login, make_user):
    reg = registry()
    make_user("bientap-xa", roles=["editor"], scope=reg.commune_committee_a)
    login("bientap-xa")

    page.goto("/members/new/")
    page.fill("#id_code", "DV-901")
    page.fill("#id_full_name", "Lò Thị Mai")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "1996-02-10")
    page.fill("#id_ethnicity", "Thái")
    page.fill("#id_admitted_on", "2024-03-01")

    # Typed as a user would, without diacritics; the list offers the cell of the scope only.
    page.locator("#id_organization").press_sequentially("nam nga", delay=40)
    choice = page.locator("#id_organization-results [data-pick]")
    choice.first.wait_for()
    assert choice.count() == 1
    assert "Chi bộ bản Nậm Ngà" in choice.first.inner_text()
    choice.first.click()
    assert page.input_value("#id_organization") == "CB-V1"
    assert page.locator("#id_organization-results [data-pick]").count() == 0

    # Another cell's name outside the scope is not offered.
    page.locator("#id_place").press_sequentially("pa pau", delay=40)
    page.locator("#id_place-results .picker-empty").wait_for()
    page.fill("#id_place", "")
    page.locator("#id_place").press_sequentially("ban nam", delay=40)
    page.locator("#id_place-results [data-pick='V1']").click()
    assert page.input_value("#id_place") == "V1"

    page.click("button.primary")
    page.wait_for_url("**/members/DV-901/")
    assert "Đã thêm đảng viên Lò Thị Mai." in page.locator(".messages").inner_text()
    span = MembershipSpan.objects.get(member=Member.objects.get(code="DV-901"))
    assert span.organization == reg.cell_a and span.place == reg.village_a


@pytest.mark.django_db(transaction=True)
def test_pick_several_organisations_into_a_box_of_codes(page, login, make_user):
    reg = registry()
    make_user("bientap-xa2", roles=["editor"], scope=reg.commune_committee_a)
    login("bientap-xa2")
    page.goto("/organizations/restructure/?action=merge")
    box = page.locator("#id_sources")
    box.press_sequentially("chi bo nam", delay=40)
    page.locator("#id_sources-results [data-pick='CB-V1']").click()
    assert box.input_value() == "CB-V1, "
    box.press_sequentially("dang bo xa", delay=40)
    page.locator("#id_sources-results [data-pick='DU-03434']").click()
    assert box.input_value() == "CB-V1, DU-03434, "
