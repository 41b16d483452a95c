import pytest


@pytest.mark.django_db(transaction=True)
def test_login_shows_home_without_console_errors(page, login, make_user):
    make_user("lvquan", full_name="Lù Văn Quân")
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
    login("lvquan")
    assert page.locator("h1").inner_text() == "Xin chào, Lù Văn Quân"
    assert "Số liệu tại ngày" in page.content()
    page.wait_for_load_state("networkidle")
    # The home page with its assets stays under 150 KB (users are on slow mobile links).
    home_bytes = sum(sizes[-4:])
    assert home_bytes < 150 * 1024, home_bytes


@pytest.mark.django_db(transaction=True)
def test_header_date_changes_page_state(page, login, make_user):
    make_user("lvquan")
    login("lvquan")
    page.fill("#as-of-date", "2013-06-30")
    page.click(".as-of button[type=submit]")
    page.wait_for_selector(".as-of-banner")
    assert "30/06/2013" in page.locator(".as-of-banner").inner_text()
