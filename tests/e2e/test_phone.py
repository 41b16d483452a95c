"""The main pages on a phone (390 px wide): nothing scrolls sideways, a member is a compact card
and the charts' text stays readable (at least 11 px as rendered)."""

from datetime import date

import pytest

from tests.factories import member, registry

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/",
    "/members/",
    "/statistics/",
    "/statistics/definitions/",
    "/places/",
    "/organizations/",
    "/ratings/",
    "/interchange/",
    "/ratings/upload/",
]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def signed_in(phone, make_user):
    """The phone, signed in as an editor of the province, with six members of long names."""
    reg = registry()
    for i in range(6):
        member(
            full_name=f"Nguyễn Thị Phương Thảo Hoàng Lò {i}",
            gender="female",
            code=f"DV-PHONE-{i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015 + i, 3, 1),
        )
    make_user("bientap", roles=["editor"], scope=reg.province_committee)
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "bientap")
    phone.fill("#id_password", "mật-khẩu-đủ-dài-1")
    phone.click("button[type=submit]")
    phone.wait_for_url("**/")
    return phone


@pytest.mark.django_db(transaction=True)
def test_main_pages_do_not_scroll_sideways(signed_in):
    phone = signed_in
    for path in PAGES:
        phone.goto(path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"


@pytest.mark.django_db(transaction=True)
def test_member_rows_are_compact_labelled_cards(signed_in):
    phone = signed_in
    phone.goto("/members/")
    rows = phone.locator("tbody tr")
    assert rows.count() == 6
    heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
    assert max(heights) <= 130, heights
    # Each value is labelled by its column on the card.
    label = phone.evaluate(
        "getComputedStyle(document.querySelector('tbody td:nth-child(3)'), '::before').content"
    )
    assert "Ngày sinh" in label


@pytest.mark.django_db(transaction=True)
def test_chart_text_is_at_least_11_px(signed_in):
    phone = signed_in
    phone.goto("/statistics/?as_of=2021-12-31")
    sizes = phone.evaluate(
        """Array.from(document.querySelectorAll('svg text'))
             .filter((t) => t.getClientRects().length)
             .map((t) => t.getBoundingClientRect().height)"""
    )
    assert sizes, "no chart text on the dashboard"
    # The rendered box of a line of text is about its font size; 11 px text is at least ~11 px.
    assert min(sizes) >= 11, sizes
