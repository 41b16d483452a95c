"""The dashboard in the browser (issue 11, fault 3): on 30/06/2013 it shows no number dated after
that day, and none of its drill-downs lists a record dated after it."""

import re
from datetime import date

import pytest

from tests import factories

DAY = date(2013, 6, 30)
DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_on_a_day_counts_nothing_after_it(page, login, admin_user):
    reg = factories.registry()
    for i, day in enumerate((date(2013, 6, 10), date(2013, 8, 1), date(2013, 12, 1))):
        factories.member(
            full_name=f"Lò Văn Kết {i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=day,
        )
    login("quantri")
    page.goto(f"/statistics/?organization=DB-112&as_of={DAY.isoformat()}")
    card = page.locator("section", has_text="Phát triển đảng viên năm 2013")
    assert "đến 30/06/2013" in card.inner_text()
    admitted = card.locator("dd a").first
    assert admitted.inner_text() == "1"  # 10/06; not 01/08 nor 01/12
    content = page.content()
    assert "{#" not in content and "#}" not in content

    links = sorted(
        set(
            page.locator("a[href*='/statistics/records/']").evaluate_all(
                "links => links.map(a => a.getAttribute('href'))"
            )
        )
    )
    assert len(links) > 10
    for href in links:
        page.goto(href)
        rows = page.locator("table tbody")
        text = rows.first.inner_text() if rows.count() else ""
        for d, m, y in DATE.findall(text):
            assert date(int(y), int(m), int(d)) <= DAY, href

    page.goto(f"/statistics/?organization=DB-112&as_of={DAY.isoformat()}")
    page.locator("section", has_text="Phát triển đảng viên năm 2013").locator("dd a").first.click()
    body = page.locator("table tbody").inner_text()
    assert "Lò Văn Kết 0" in body and "Lò Văn Kết 1" not in body and "Lò Văn Kết 2" not in body
