"""Root URLs. Each app brings its own ``urls.py``; the API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from grassroots.api import api
from grassroots.core.views import favicon

urlpatterns = [
    path("", include("grassroots.core.urls")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("places/", include("grassroots.places.urls")),
    path("organizations/", include("grassroots.organizations.urls")),
    path("members/", include("grassroots.members.urls")),
    path("admissions/", include("grassroots.admissions.urls")),
    path("ratings/", include("grassroots.ratings.urls")),
    path("statistics/", include("grassroots.statistics.urls")),
    path("interchange/", include("grassroots.interchange.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
