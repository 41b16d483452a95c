from datetime import datetime

import pytest
from django.utils import timezone

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
    response = client.get(article.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thứ năm, 23/11/2023 - 19:55&#x27;" in body or "Thứ năm, 23/11/2023 - 19:55'" in body
    assert "Đảng bộ huyện Nậm Nhùn:" in body
    assert "Nguyễn Tùng" in body
    assert "Hiện tại chưa có bình luận" in body
    assert 'property="og:title"' in body
    assert "<script" not in body
