"""A cell secretary moves a candidate through every stage in the browser: identified, the
awareness course, application, background check, sponsors, the cell's vote, the decision, the
ceremony (the member appears in the registry), and the confirmation a year later."""

from datetime import date

import pytest

from tests import factories
from tests.factories import registry


def next_step(page, code: str, fields: dict[str, str]) -> None:
    """Open the candidate's next step, fill it and save; back on the candidate's page."""
    page.click(".actions a.primary")
    for selector, value in fields.items():
        if selector == "#id_confirmed":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.click("button.primary")
    page.wait_for_url(f"**/admissions/{code}/")


@pytest.mark.django_db(transaction=True)
def test_cell_secretary_moves_a_candidate_to_membership(page, login, make_user):
    reg = registry()
    for name, code in (("Lò Văn Ánh", "DV-1"), ("Tòng Thị Bình", "DV-2"), ("Lù Văn Cường", "DV-3")):
        factories.member(
            full_name=name,
            code=code,
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 2),
            confirmed=date(2016, 3, 2),
        )
    make_user("bithu", roles=["editor"], scope=reg.cell_a, full_name="Bí thư chi bộ")
    login("bithu")

    page.goto("/admissions/")
    page.click("text=Thêm nguồn kết nạp")
    page.fill("#id_code", "QC-100")
    page.fill("#id_full_name", "Lò Thị Hoa")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_date", "2000-03-01")
    page.fill("#id_ethnicity", "Thái")
    page.select_option("#id_source", "youth_union")
    page.fill("#id_identified_on", "2024-01-10")
    page.fill("#id_organization", reg.cell_a.code)
    page.fill("#id_place", reg.village_a.code)
    page.click("button.primary")
    page.wait_for_url("**/admissions/QC-100/")
    assert page.locator("#stage").inner_text() == "Xác định nguồn"

    next_step(page, "QC-100", {"#id_date": "2024-02-01"})
    assert page.locator("#stage").inner_text() == "Học lớp nhận thức về Đảng"
    assert "01/02/2029" in page.content()  # the certificate is valid for 60 months
    next_step(page, "QC-100", {"#id_date": "2024-03-01"})
    next_step(page, "QC-100", {"#id_date": "2024-04-01"})
    next_step(
        page, "QC-100", {"#id_date": "2024-05-02", "#id_sponsor_1": "DV-1", "#id_sponsor_2": "DV-2"}
    )
    assert page.locator("#stage").inner_text() == "Giới thiệu vào Đảng"

    # a vote below two thirds is refused with the rule's message, and nothing changes
    page.click(".actions a.primary")
    page.fill("#id_date", "2024-05-20")
    page.fill("#id_eligible", "3")
    page.fill("#id_votes_for", "1")
    page.click("button.primary")
    assert "chưa đạt 2/3" in page.locator(".errors").inner_text()
    page.fill("#id_votes_for", "3")
    page.click("button.primary")
    page.wait_for_url("**/admissions/QC-100/")
    assert page.locator("#stage").inner_text() == "Chi bộ biểu quyết"

    next_step(page, "QC-100", {"#id_date": "2024-06-20", "#id_decision_number": "15-QĐ/ĐU"})
    next_step(page, "QC-100", {"#id_date": "2024-07-01"})
    assert page.locator("#stage").inner_text() == "Lễ kết nạp (dự bị)"
    page.click("text=QC-100 >> nth=-1")
    page.wait_for_url("**/members/QC-100/")
    assert "Dự bị" in page.locator("#state-title + dl .badge").first.inner_text()

    page.goto("/admissions/QC-100/")
    next_step(page, "QC-100", {"#id_date": "2025-07-02", "#id_confirmed": "1"})
    assert page.locator("#stage").inner_text() == "Công nhận chính thức"
    page.goto("/members/QC-100/")
    assert "Chính thức" in page.locator("#state-title + dl .badge").first.inner_text()

    page.goto("/admissions/pipeline/?as_of=2024-05-25")
    assert "Chi bộ biểu quyết" in page.locator("#funnel").inner_text()
