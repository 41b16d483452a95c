"""Root URLs: every app of the registry (:mod:`grassroots.core.registry`) at its declared prefix;
the API under /api/v1/."""

from django.contrib import admin
from django.urls import path

from grassroots.api import api
from grassroots.core.registry import url_patterns
from grassroots.core.views import favicon

urlpatterns = [
    *url_patterns(),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
