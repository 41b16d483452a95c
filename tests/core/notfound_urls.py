"""A URLconf for tests/core/test_errors.py: a page that raises the domain NotFound."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from grassroots.core.errors import NotFound
from grassroots.urls import urlpatterns as site_urlpatterns


@login_required
def raises_not_found(request):
    raise NotFound("Không tìm thấy tổ chức đảng có mã X.")


# The site's own routes too: the 404 page is drawn in the site's frame (menu, links home).
urlpatterns = [path("raises-not-found/", raises_not_found), *site_urlpatterns]
