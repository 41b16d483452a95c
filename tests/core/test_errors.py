import pytest
from ninja import NinjaAPI

from grassroots.core.api import install_error_handlers
from grassroots.core.errors import NotFound


@pytest.mark.django_db
@pytest.mark.urls("tests.core.notfound_urls")
def test_domain_not_found_is_a_page_404(client, make_user):
    client.force_login(make_user("u"))
    assert client.get("/raises-not-found/").status_code == 404


def test_domain_not_found_is_an_api_404(rf):
    api = NinjaAPI(urls_namespace="test-notfound")
    install_error_handlers(api)
    response = api.on_exception(rf.get("/"), NotFound("Không tìm thấy đảng viên."))
    assert response.status_code == 404
    assert b'"code": "not_found"' in response.content
