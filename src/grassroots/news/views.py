"""The news module's public routes (no login): search, posting a comment, the RSS feed, the
sitemap, the figures' definitions and the photos' renditions. The pages themselves (home,
categories, articles) are Wagtail's, rendered with the page models' templates.

Nothing here reads the registry: an article's figures are frozen copies (``QuotedFigure``) and
the definitions page reads only the figure registry's declarations (names, definitions)."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET, require_POST
from wagtail.images import get_image_model

from grassroots import policy
from grassroots.core import figures as figure_registry
from grassroots.core.errors import RuleError
from grassroots.news import selectors, services
from grassroots.news.forms import CommentForm
from grassroots.news.models import ArticlePage


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = selectors.paginated(selectors.search_articles(query), request.GET.get("trang"))
    return render(
        request,
        "news/search.html",
        {"query": query, "results": results, "home": selectors.news_home()},
    )


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_POST
def comment_post(request: HttpRequest) -> HttpResponse:
    """Post a comment on a live article; it waits for an editor. A robot that filled the
    honeypot is thanked as a person is, and nothing is stored."""
    form = CommentForm(request.POST)
    try:
        article_id = int(request.POST.get("article", ""))
    except ValueError:
        raise Http404 from None
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        raise Http404
    if form.is_robot():
        return redirect(f"{article.url}?binh-luan=da-gui#binh-luan")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.comment_post(
                article=article,
                name=data["name"],
                email=data["email"],
                text=data["text"],
                address=_client_address(request),
            )
        except RuleError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{article.url}?binh-luan=da-gui#binh-luan")
    response = article.serve(request, comment_form=form)
    response.status_code = 400
    return response


class ArticleFeed(Feed):
    """The latest articles (RSS 2.0)."""

    feed_type = Rss201rev2Feed
    title = "Tin tức"
    description = "Tin bài mới nhất"

    def link(self) -> str:
        home = selectors.news_home()
        return home.url if home else "/tin-tuc/"

    def items(self) -> Any:
        return selectors.published_articles()[: policy.NEWS_FEED_ITEMS]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_pubdate(self, item: ArticlePage) -> Any:
        return item.shown_at

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author


feed = require_GET(ArticleFeed())


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    pages = [
        (request.build_absolute_uri(p.url), p.last_published_at) for p in selectors.sitemap_pages()
    ]
    body = render_to_string("news/sitemap.xml", {"pages": pages})
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_GET
def definitions(request: HttpRequest) -> HttpResponse:
    """How every figure of the registry is computed: its declared name and definition only."""
    return render(
        request,
        "news/definitions.html",
        {"figures": figure_registry.all_figures(), "home": selectors.news_home()},
    )


@require_GET
def rendition(request: HttpRequest, name: str) -> FileResponse:
    """A photo's rendition (phone-sized, re-encoded, without the original's metadata); an
    original upload is never served."""
    Rendition = get_image_model().get_rendition_model()
    if not Rendition.objects.filter(file=name).exists():
        raise Http404
    try:
        handle = default_storage.open(name)
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
