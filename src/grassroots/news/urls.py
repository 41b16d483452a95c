"""The news module's own routes under /tin-tuc/ (public, no login); the pages themselves are
served by Wagtail under the same prefix (``apps.py``, ``mounts``)."""

from django.urls import path

from grassroots.news import views

app_name = "news"

urlpatterns = [
    path("tim-kiem/", views.search, name="search"),
    path("binh-luan/", views.comment_post, name="comment"),
    path("rss.xml", views.feed, name="feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("dinh-nghia-so-lieu/", views.definitions, name="definitions"),
    path("anh/<path:name>", views.rendition, name="rendition"),
]
