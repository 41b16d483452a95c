"""An organisation officer records a commune congress and its result in the browser, then sees
the committee's shares of women, young and ethnic-minority members."""

from datetime import date

import pytest

from grassroots.cadres.services import positions_ensure
from tests import factories
from tests.factories import registry


@pytest.mark.django_db(transaction=True)
def test_officer_records_a_congress_result_and_sees_the_shares(page, login, make_user):
    positions_ensure()  # a flushed database lost the migration's catalogue
    reg = registry()
    people = [
        factories.member(
            full_name=name,
            code=f"DV-{i}",
            gender=gender,
            birth_date=born,
            ethnicity=ethnicity,
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2014, 3, 2),
            confirmed=date(2015, 3, 2),
        )
        for i, (name, gender, born, ethnicity) in enumerate(
            [
                ("Lò Văn Ánh", "male", date(1970, 5, 1), "Thái"),
                ("Tòng Thị Bình", "female", date(1985, 5, 1), "Thái"),
                ("Lù Văn Cường", "male", date(1990, 5, 1), "Hà Nhì"),
                ("Nguyễn Văn Dũng", "male", date(1975, 5, 1), "Kinh"),
                ("Lò Thị Én", "female", date(1978, 5, 1), "Thái"),
            ],
            start=1,
        )
    ]
    make_user("tochuc", roles=["editor"], scope=reg.committee, full_name="Cán bộ tổ chức")
    login("tochuc")

    page.goto("/cadres/congresses/")
    page.click("text=Ghi nhận đại hội")
    page.fill("#id_organization", reg.commune_committee_a.code)
    page.fill("#id_number", "3")
    page.fill("#id_term_from", "2020")
    page.fill("#id_term_to", "2025")
    page.fill("#id_starts_on", "2020-07-10")
    page.fill("#id_ends_on", "2020-07-11")
    page.click("button.primary")
    page.wait_for_url("**/result/")

    page.fill("#id_executive", ", ".join(p.code for p in people))
    page.fill("#id_standing", "DV-1, DV-2, DV-4")
    page.fill("#id_secretary", "DV-1")
    page.fill("#id_deputies", "DV-2")
    page.click("button.primary")
    page.wait_for_url("**/cadres/congresses/*/")

    assert "Đại hội lần thứ III (2020–2025)" in page.content()
    assert page.locator("[data-figure=size]").inner_text() == "5"
    # women: Bình, Én; young (under 40 on 11/07/2020): Bình 35, Cường 30; minorities: all but Dũng
    assert page.locator("[data-figure=women]").inner_text() == "40,0%"
    assert page.locator("[data-figure=young]").inner_text() == "40,0%"
    assert page.locator("[data-figure=ethnic_minority]").inner_text() == "80,0%"
    assert "Đã ghi nhận kết quả bầu cử (10 chức danh)" in page.content()
    # the result is in: no link to record it again
    assert page.locator("a", has_text="Ghi nhận kết quả bầu cử").count() == 0
