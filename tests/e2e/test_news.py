"""The public news page in Chromium: a reader on a 390 px phone reads the seed article (within
its weight budget) and comments; the comment appears only once an editor approved it in the
admin. A writer's draft goes through the section's workflow to publication."""

import pytest

from grassroots import policy
from grassroots.demo.news import SEED_TITLE, build_news
from grassroots.demo.reports import build_reports
from grassroots.news.models import ArticlePage, CategoryPage
from tests.factories import registry

PHONE = {"width": 390, "height": 844}
PASSWORD = "mật-khẩu-đủ-dài-1"

#: Bytes of the page and every asset except images, as the browser received them.
WEIGHT = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const assets = performance.getEntriesByType('resource').filter(r => r.initiatorType !== 'img');
  return [nav, ...assets].reduce((sum, r) => sum + (r.transferSize || r.encodedBodySize), 0);
}"""


@pytest.fixture
def world(make_user):
    reg = registry()
    build_reports(acting_user=None)
    seed = build_news(acting_user=None)
    writer = make_user("vietbai", roles=["editor"], scope=reg.committee)
    editor = make_user("bientap", roles=["admin"], scope=reg.committee)
    return seed, writer, editor


def sign_in(browser, live_server, username, **options):
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, **options)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


@pytest.mark.django_db(transaction=True)
def test_a_reader_comments_and_an_editor_approves(browser, live_server, world):
    seed, _writer, _editor = world
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, viewport=PHONE)
    reader = context.new_page()
    errors: list[str] = []
    reader.on("pageerror", lambda exc: errors.append(str(exc)))
    reader.goto(seed.url)
    assert reader.locator("h1").inner_text() == SEED_TITLE
    assert reader.locator(".when").inner_text() == "Thứ năm, 23/11/2023 - 19:55'"
    assert reader.locator(".kicker").inner_text() == "Đảng bộ huyện Nậm Nhùn:"
    assert reader.get_by_text("Hiện tại chưa có bình luận").is_visible()
    assert reader.locator(".related .card").count() == 4
    # The seed's three figures ("20/70", "69/69", "1.023" on the demo: tests/news/test_demo.py),
    # each linking to its definition.
    links = reader.locator("a.figure")
    assert links.count() == 3
    for i in range(3):
        assert "/tin-tuc/dinh-nghia-so-lieu/#figure-" in links.nth(i).get_attribute("href")
    weight = reader.evaluate(WEIGHT)
    assert 0 < weight <= policy.NEWS_PAGE_BUDGET_BYTES, weight
    assert reader.evaluate("document.querySelectorAll('script').length") == 0
    scroll = reader.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"], scroll
    reader.fill("#id_name", "Lò Văn Minh")
    reader.fill("#id_text", "Bài viết rất thiết thực.")
    reader.click("text=Gửi bình luận")
    reader.wait_for_selector(".notice")
    assert reader.get_by_text("Bài viết rất thiết thực.").count() == 0
    assert reader.get_by_text("Hiện tại chưa có bình luận").is_visible()

    editor = sign_in(browser, live_server, "bientap")
    editor.goto("/cms/")
    assert editor.locator(".news-pending").inner_text() == "1"
    editor.goto("/cms/binh-luan/")
    editor.locator("tr", has_text="Bài viết rất thiết thực.").get_by_role(
        "button", name="Duyệt"
    ).click()
    editor.wait_for_url("**/cms/binh-luan/**")
    assert editor.get_by_text("Bài viết rất thiết thực.").count() == 0

    reader.goto(seed.url)
    assert reader.get_by_text("Bài viết rất thiết thực.").is_visible()
    assert reader.get_by_text("Hiện tại chưa có bình luận").count() == 0
    context.close()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_a_writers_draft_is_approved_and_published(browser, live_server, world):
    seed, _writer, _editor = world
    section = CategoryPage.objects.get(pk=seed.get_parent().pk)
    writer = sign_in(browser, live_server, "vietbai")
    response = writer.goto(f"/cms/pages/add/news/articlepage/{section.pk}/")
    assert response.status == 200, (response.status, writer.url, writer.content()[:3000])
    writer.fill("#id_title", "Hội nghị sơ kết công tác xây dựng Đảng")
    writer.fill("#id_lead", "Sapo của bài viết mới.")
    writer.locator("footer [data-w-dropdown-target='toggle']").first.click()
    writer.locator("button[name='action-submit']").click()
    writer.wait_for_url("**/cms/pages/**")
    draft = ArticlePage.objects.get(title="Hội nghị sơ kết công tác xây dựng Đảng")
    assert not draft.live
    reader = browser.new_page()
    assert reader.goto(live_server.url + "/tin-tuc/nam-nhun/").ok
    assert reader.get_by_text("Hội nghị sơ kết").count() == 0

    editor = sign_in(browser, live_server, "bientap")
    editor.goto(f"/cms/pages/{draft.pk}/edit/")
    editor.locator("footer [data-w-dropdown-target='toggle']").first.click()
    editor.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).first.click()
    editor.wait_for_load_state("networkidle")
    editor.wait_for_timeout(1000)
    draft.refresh_from_db()
    assert draft.live
    reader.goto(live_server.url + "/tin-tuc/nam-nhun/")
    assert reader.get_by_text("Hội nghị sơ kết công tác xây dựng Đảng").is_visible()
