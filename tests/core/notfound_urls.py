"""A URLconf for tests/core/test_errors.py: a page that raises the domain NotFound."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from grassroots.core.errors import NotFound


@login_required
def raises_not_found(request):
    raise NotFound("Không tìm thấy tổ chức đảng có mã X.")


urlpatterns = [path("raises-not-found/", raises_not_found)]
