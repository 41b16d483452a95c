"""Reads of the news pages. Public reads see only live (published) pages and approved comments;
the moderation queue sees the comments of the sections where the user may publish."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from wagtail.models import GroupPagePermission, Page

from grassroots import policy
from grassroots.core.text import fold
from grassroots.news.models import (
    ArticlePage,
    CategoryPage,
    CommentStatus,
    NewsHomePage,
    ReaderComment,
)


def published_articles() -> Any:
    """Live articles, newest first (the publication time the reader sees)."""
    return (
        ArticlePage.objects.live()
        .public()
        .order_by("-published_at", "-first_published_at", "-pk")
        .select_related("latest_revision")
    )


def paginated(queryset: Any, number: str | None) -> PaginatorPage:
    return Paginator(queryset, policy.NEWS_PER_PAGE).get_page(number)


def home_categories(home: NewsHomePage) -> list[tuple[CategoryPage, list[ArticlePage]]]:
    """Every live category of the home with its latest articles (categories without any are
    left out)."""
    out = []
    for category in CategoryPage.objects.child_of(home).live().public().order_by("path"):
        latest = list(published_articles().child_of(category)[: policy.NEWS_HOME_PER_CATEGORY])
        if latest:
            out.append((category, latest))
    return out


def approved_comments(article: ArticlePage) -> QuerySet[ReaderComment]:
    return article.reader_comments.filter(status=CommentStatus.APPROVED).order_by("created_at")


def related_articles(article: ArticlePage) -> list[ArticlePage]:
    """Up to NEWS_RELATED live articles: those sharing the most tags first, then the same
    category's, then the most recent."""
    limit = policy.NEWS_RELATED
    others = published_articles().exclude(pk=article.pk)
    found: list[ArticlePage] = []
    tag_ids = [tag.pk for tag in article.tags.all()]
    if tag_ids:
        found.extend(
            others.filter(tags__in=tag_ids)
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .order_by("-shared", "-published_at", "-first_published_at")[:limit]
        )
    parent = article.get_parent()
    for source in (others.child_of(parent), others):
        if len(found) >= limit:
            break
        found.extend(source.exclude(pk__in=[a.pk for a in found])[: limit - len(found)])
    return found[:limit]


def search_articles(text: str) -> Any:
    """Live articles whose kicker, title, lead or body hold every word of ``text``, with or
    without diacritics ("nam nhun" finds "Nậm Nhùn")."""
    words = fold(text).split()
    if not words:
        return ArticlePage.objects.none()
    found = published_articles()
    for word in words[:10]:
        found = found.filter(search_key__contains=word)
    return found


def moderated_articles(user: Any) -> Any:
    """The articles whose comments ``user`` moderates: those of the sections where the user may
    publish (every article for a superuser)."""
    if not user.is_active:
        return ArticlePage.objects.none()
    if user.is_superuser:
        return ArticlePage.objects.all()
    paths = list(
        GroupPagePermission.objects.filter(
            group__in=user.groups.all(), permission__codename="publish_page"
        ).values_list("page__path", flat=True)
    )
    if not paths:
        return ArticlePage.objects.none()
    where = Q()
    for path in paths:
        where |= Q(path__startswith=path)
    return ArticlePage.objects.filter(where)


def moderation_queue(user: Any, status: str = CommentStatus.PENDING) -> QuerySet[ReaderComment]:
    """The comments of ``status`` on the articles ``user`` moderates, oldest first."""
    return (
        ReaderComment.objects.filter(article__in=moderated_articles(user), status=status)
        .select_related("article")
        .order_by("created_at", "pk")
    )


def moderation_counts(user: Any) -> dict[str, int]:
    rows = (
        ReaderComment.objects.filter(article__in=moderated_articles(user))
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {status.value: 0 for status in CommentStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def news_home() -> NewsHomePage | None:
    return NewsHomePage.objects.first()


def sitemap_pages() -> list[Page]:
    home = news_home()
    if home is None:
        return []
    return list(home.get_descendants(inclusive=True).live().public().specific())
