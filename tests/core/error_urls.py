"""The site's URLs plus three views that fail, for the error page tests."""

from django.http import HttpResponse
from django.urls import path

from grassroots.core.permissions import editor_required
from grassroots.urls import urlpatterns as site_urlpatterns


@editor_required
def write_something(request):
    return HttpResponse("ghi")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    *site_urlpatterns,
    path("test-errors/write/", write_something),
    path("test-errors/broken/", broken),
]
