"""Root URLs. Each app brings its own ``urls.py``; the API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from grassroots.core.views import favicon

urlpatterns = [
    path("", include("grassroots.core.urls")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
