"""The public pages: laid out as the seed, search without diacritics, related articles, RSS,
sitemap, renditions; drafts stay unpublished."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from grassroots.news import selectors

pytestmark = pytest.mark.django_db

SEED_TIME = timezone.make_aware(datetime(2023, 11, 23, 19, 55))


def test_article_page_is_public_and_laid_out_as_the_seed(client, publish):
    article = publish(
        "Chú trọng công tác tổ chức xây dựng Đảng",
        kicker="Đảng bộ huyện Nậm Nhùn:",
        lead="Đảng bộ huyện Nậm Nhùn luôn quan tâm.",
        author="Nguyễn Tùng",
        published_at=SEED_TIME,
    )
    assert article.url == "/tin-tuc/xa-nam-hang/chu-trong-cong-tac-to-chuc-xay-dung-dang/"
    response = client.get(article.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thứ năm, 23/11/2023 - 19:55&#x27;" in body
    assert "Đảng bộ huyện Nậm Nhùn:" in body
    assert "Nguyễn Tùng" in body
    assert "Hiện tại chưa có bình luận" in body
    assert "Viết bình luận" in body
    assert 'property="og:title" content="Chú trọng công tác tổ chức xây dựng Đảng"' in body
    assert 'property="article:published_time" content="2023-11-23T19:55:00+07:00"' in body
    assert "<script" not in body


def test_the_date_line_is_the_seeds(publish):
    article = publish("Bài", published_at=SEED_TIME)
    assert article.date_line == "Thứ năm, 23/11/2023 - 19:55'"


def test_a_draft_is_not_public(client, section):
    from grassroots.news.models import ArticlePage

    draft = section.add_child(instance=ArticlePage(title="Nháp", slug="nhap", lead="x", live=False))
    assert client.get("/tin-tuc/xa-nam-hang/nhap/").status_code == 404
    assert draft.pk not in [a.pk for a in selectors.published_articles()]
    assert b"Nh\xc3\xa1p" not in client.get(reverse("news:feed")).content


def test_home_and_category_list_the_latest_articles(client, publish, section):
    publish("Tin thứ nhất")
    publish("Tin thứ hai")
    home = client.get("/tin-tuc/").content.decode()
    assert "Xã Nậm Hàng" in home and "Tin thứ nhất" in home and "Tin thứ hai" in home
    category = client.get(section.url).content.decode()
    assert "Tin thứ nhất" in category


def test_search_ignores_diacritics_and_case(client, publish):
    publish("Đảng bộ huyện Nậm Nhùn phát triển đảng viên")
    publish("Khó kiểm soát giết mổ gia súc")
    for query in ("nam nhun", "NẬM NHÙN", "dang vien"):
        body = client.get(reverse("news:search"), {"q": query}).content.decode()
        assert "Nậm Nhùn phát triển" in body, query
        assert "giết mổ" not in body
    assert "Không tìm thấy" in client.get(reverse("news:search"), {"q": "xyz"}).content.decode()


def test_related_articles_share_tags_first_then_the_category_then_recent(publish, reg):
    from grassroots.news import services

    other = services.section_ensure(organization=reg.commune_committee_b, title="Xã Hua Bum")
    article = publish("Bài chính")
    article.tags.add("tảo hôn")
    article.save_revision().publish()
    tagged = publish("Cùng từ khóa", section=other)
    tagged.tags.add("tảo hôn")
    tagged.save_revision().publish()
    same_category = publish("Cùng chuyên mục")
    recent = publish("Mới nhất", section=other)
    related = selectors.related_articles(article)
    assert [a.title for a in related][:2] == ["Cùng từ khóa", "Cùng chuyên mục"]
    assert {a.pk for a in related} == {tagged.pk, same_category.pk, recent.pk}


def test_feed_and_sitemap_list_live_articles(client, publish):
    article = publish("Tin trong RSS")
    feed = client.get(reverse("news:feed"))
    assert feed.status_code == 200 and "Tin trong RSS" in feed.content.decode()
    sitemap = client.get(reverse("news:sitemap")).content.decode()
    assert f"http://testserver{article.url}" in sitemap


def test_definitions_page_lists_the_registry_figures(client):
    body = client.get(reverse("news:definitions")).content.decode()
    assert 'id="figure-coverage"' in body


def test_a_photo_is_served_as_a_phone_rendition_never_the_original(client, publish):
    image = get_image_model().objects.create(
        title="Ảnh", file=get_test_image_file(filename="anh.png", size=(1200, 800))
    )
    article = publish(
        "Bài có ảnh",
        body=[("image", {"image": image, "caption": "Ban Chấp hành họp bàn"})],
    )
    body = client.get(article.url).content.decode()
    assert "<figcaption>Ban Chấp hành họp bàn</figcaption>" in body
    assert 'width="780"' in body
    src = body.split('<img src="', 1)[1].split('"', 1)[0]
    assert src.startswith("/tin-tuc/anh/images/")
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    original = reverse("news:rendition", args=[image.file.name])
    assert client.get(original).status_code == 404
    assert 'property="og:image"' in body
