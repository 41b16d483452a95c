"""Readers' comments: pending until an editor of the section approves them; honeypot, rate
limit, closed articles; moderation is scoped and audited."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from grassroots import policy
from grassroots.core.errors import NotFound
from grassroots.news import selectors, services
from grassroots.news.models import CommentStatus, ReaderComment

pytestmark = pytest.mark.django_db


def post(client, page, **data):
    form = {"article": page.pk, "name": "Lò Văn Minh", "email": "", "text": "Bài hay."}
    form.update(data)
    return client.post(reverse("news:comment"), form)


@pytest.fixture
def editor_a(make_user, reg, section):
    user = make_user("bientap-tin", roles=["admin"], scope=reg.commune_committee_a)
    services.access_sync(user=user)
    return user


def test_a_comment_waits_for_an_editor(client, publish, editor_a):
    article = publish("Bài")
    response = post(client, article, email="minh@example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("?binh-luan=da-gui#binh-luan")
    comment = ReaderComment.objects.get()
    assert comment.status == CommentStatus.PENDING
    page = client.get(article.url).content.decode()
    assert "Bài hay." not in page and "Hiện tại chưa có bình luận" in page
    services.comment_moderate(
        acting_user=editor_a, comment_id=comment.pk, status=CommentStatus.APPROVED
    )
    page = client.get(article.url).content.decode()
    assert "Bài hay." in page and "Lò Văn Minh" in page
    assert "minh@example.org" not in page
    assert "Hiện tại chưa có bình luận" not in page
    entry = LogEntry.objects.get_for_object(comment).latest("timestamp")
    assert entry.actor == editor_a
    assert entry.changes_dict["status"] == ["pending", "approved"]


def test_the_honeypot_stores_nothing(client, publish):
    article = publish("Bài")
    response = post(client, article, website="http://spam.example")
    assert response.status_code == 302
    assert not ReaderComment.objects.exists()


def test_an_address_is_rate_limited(client, publish):
    article = publish("Bài")
    for _ in range(policy.NEWS_COMMENTS_PER_ADDRESS):
        assert post(client, article).status_code == 302
    response = post(client, article)
    assert response.status_code == 400
    assert "xin vui lòng đợi" in response.content.decode()
    assert ReaderComment.objects.count() == policy.NEWS_COMMENTS_PER_ADDRESS


def test_closed_comments_refuse_a_comment(client, publish):
    article = publish("Bài", comments_open=False)
    response = post(client, article)
    assert response.status_code == 400
    assert not ReaderComment.objects.exists()
    assert "Bài viết đã đóng bình luận" in client.get(article.url).content.decode()


def test_an_empty_comment_is_explained(client, publish):
    article = publish("Bài")
    response = post(client, article, text="")
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not ReaderComment.objects.exists()


def test_a_comment_on_an_unknown_article_is_404(client, publish):
    article = publish("Bài")
    assert post(client, article, article=article.pk + 999).status_code == 404
    assert post(client, article, article="x").status_code == 404


def test_moderation_is_scoped_to_the_editors_sections(publish, make_user, reg, editor_a):
    article = publish("Bài")
    comment = services.comment_post(
        article=article, name="A", email="", text="Ý kiến", address="198.51.100.1"
    )
    outsider = make_user("bientap-b", roles=["admin"], scope=reg.commune_committee_b)
    services.access_sync(user=outsider)
    writer = make_user("viet-a", roles=["editor"], scope=reg.commune_committee_a)
    services.access_sync(user=writer)
    for user in (outsider, writer):
        with pytest.raises(NotFound):
            services.comment_moderate(
                acting_user=user, comment_id=comment.pk, status=CommentStatus.SPAM
            )
        assert selectors.moderation_counts(user)["pending"] == 0
    assert selectors.moderation_counts(editor_a)["pending"] == 1
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_the_admin_queue_approves_and_the_home_shows_counts(client, publish, editor_a):
    article = publish("Bài")
    comment = services.comment_post(
        article=article, name="A", email="", text="Ý kiến", address="198.51.100.1"
    )
    client.force_login(editor_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'class="news-pending">1<' in home
    queue = client.get(reverse("news_comments")).content.decode()
    assert "Ý kiến" in queue
    response = client.post(reverse("news_comment_moderate", args=[comment.pk, "duyet"]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert (
        client.post(reverse("news_comment_moderate", args=[comment.pk, "xoa"])).status_code == 404
    )
