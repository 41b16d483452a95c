"""Stored XSS tried in every field is inert; uploads are type-checked and size-limited."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from grassroots.news import services
from grassroots.news.models import CommentStatus

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_stored_xss_in_every_field_is_inert(client, publish, make_user, reg):
    image = get_image_model().objects.create(title=XSS, file=get_test_image_file())
    article = publish(
        XSS,
        kicker=XSS,
        lead=XSS,
        author=XSS,
        body=[
            ("paragraph", RichText(f"<p>Đoạn {XSS}</p>")),
            ("image", {"image": image, "caption": XSS}),
        ],
    )
    comment = services.comment_post(
        article=article, name=XSS, email="", text=XSS, address="203.0.113.9"
    )
    editor = make_user("bientap-a", roles=["admin"], scope=reg.commune_committee_a)
    services.access_sync(user=editor)
    services.comment_moderate(
        acting_user=editor, comment_id=comment.pk, status=CommentStatus.APPROVED
    )
    for url in (article.url, "/tin-tuc/", reverse("news:search") + "?q=alert"):
        body = client.get(url).content.decode()
        assert "<script>" not in body, url
        assert "<img src=x" not in body, url
    body = client.get(article.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    client.force_login(editor)
    queue = client.get(reverse("news_comments")).content.decode()
    assert "<script>alert(1)" not in queue


def test_a_file_that_is_not_an_image_is_refused(client, make_user, reg, section):
    editor = make_user("bientap-a", roles=["admin"], scope=reg.commune_committee_a)
    services.access_sync(user=editor)
    client.force_login(editor)
    fake = SimpleUploadedFile("anh.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post(reverse("wagtailimages:add"), {"title": "Ảnh", "file": fake})
    assert response.status_code == 200
    assert not get_image_model().objects.exists()
    svg = SimpleUploadedFile("anh.svg", b"<svg onload='alert(1)'/>", content_type="image/svg+xml")
    client.post(reverse("wagtailimages:add"), {"title": "Ảnh", "file": svg})
    assert not get_image_model().objects.exists()
    good = get_test_image_file()
    upload = SimpleUploadedFile("anh.png", good.file.getvalue(), content_type="image/png")
    client.post(reverse("wagtailimages:add"), {"title": "Ảnh", "file": upload})
    assert get_image_model().objects.count() == 1


def test_uploads_are_size_limited():
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 5 * 1024 * 1024
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
