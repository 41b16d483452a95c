"""The demo's seed article: the seed's text and layout, its figures quoted from the demo's sent
reports, each linking to its definition, and the seed's four related articles."""

from __future__ import annotations

import pytest

from grassroots.demo.news import RELATED, SEED_TITLE
from grassroots.news.models import ArticlePage, QuotedFigure
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield


@pytest.fixture
def seed(demo, db):
    return ArticlePage.objects.get(title=SEED_TITLE)


def test_the_seed_article_quotes_its_figures_from_sent_reports(client, seed):
    assert seed.is_sample and seed.live
    body = client.get(seed.url).content.decode()
    assert "Thứ năm, 23/11/2023 - 19:55&#x27;" in body
    assert "Bài mẫu" in body
    assert "Ban Chấp hành Đảng bộ huyện Nậm Nhùn họp bàn về công tác tổ chức xây dựng Đảng." in body
    assert "Hiện tại chưa có bình luận" in body
    quoted = {q.text: q for q in QuotedFigure.objects.all()}
    for text, figure in (("20/70", "coverage"), ("69/69", "coverage"), ("1.023", "admissions")):
        assert quoted[text].figure == figure
        assert quoted[text].submission.organization_code == "DB-112"
        link = f'href="/tin-tuc/dinh-nghia-so-lieu/#figure-{figure}" title="{quoted[text].label}'
        assert f'<a class="figure" {link}' in body, text
    assert "số liệu tại ngày 30/06/2013" in body
    assert "số liệu tại ngày 23/11/2023" in body


def test_the_four_related_articles_are_the_seeds(client, seed):
    body = client.get(seed.url).content.decode()
    related = body.split('<section class="related">', 1)[1]
    positions = [related.index(title.replace("“", "“")) for title, *_ in RELATED]
    assert positions == sorted(positions)
