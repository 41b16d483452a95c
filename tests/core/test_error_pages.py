"""The pages every user meets: Vietnamese 403/404/500 inside the site's frame, and a refused
permission logged as one line, not a traceback. DEBUG is off (as in production)."""

import logging

import pytest
from django.template import Context, engines
from django.template.loader import get_template
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture
def viewer(make_user, client):
    user = make_user("xem", roles=["viewer"], full_name="Người Xem")
    client.force_login(user)
    return user


@override_settings(DEBUG=False)
def test_403_is_vietnamese_inside_the_frame_with_a_way_back(client, viewer):
    response = client.get("/test-errors/write/", HTTP_REFERER="http://testserver/places/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện việc này" in body
    assert 'class="nav"' in body and "Người Xem" in body  # the menu and the user's header
    assert 'href="http://testserver/places/"' in body and "Quay lại trang trước" in body
    assert "Về trang chủ" in body
    assert "403 Forbidden" not in body


@override_settings(DEBUG=False)
def test_a_refused_permission_is_one_warning_line_without_traceback(client, viewer, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/test-errors/write/")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = logging.Formatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert line == "WARNING django.request: Forbidden (Permission denied): /test-errors/write/"


@override_settings(DEBUG=False)
def test_404_is_vietnamese_inside_the_frame(client, viewer, caplog):
    response = client.get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body and "ngoài phạm vi dữ liệu" in body
    assert 'class="nav"' in body and "Về trang chủ" in body
    assert "Quay lại trang trước" not in body  # no referrer, no such link
    assert all(r.exc_info is None for r in caplog.records)


@override_settings(DEBUG=False)
def test_404_for_an_anonymous_visitor_offers_the_login(client):
    body = client.get("/khong-co-trang-nay/").content.decode()
    assert "Không tìm thấy trang" in body and "Đăng nhập" in body
    assert 'class="nav"' not in body


@override_settings(DEBUG=False)
def test_500_is_vietnamese_and_the_server_log_keeps_the_traceback(viewer, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-errors/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in body and 'href="/"' in body and 'lang="vi"' in body
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_500_renders_without_a_request_a_context_or_the_database(django_assert_num_queries):
    """Django renders 500.html with an empty Context: it must need nothing else."""
    template = get_template("500.html")
    with django_assert_num_queries(0):
        body = template.render()
        plain = engines["django"].engine.get_template("500.html").render(Context())
    assert "Hệ thống gặp lỗi" in body and body == plain
    assert "{%" not in body


@override_settings(DEBUG=False)
def test_an_expired_form_is_a_vietnamese_403(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    response = client.post("/accounts/logout/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in body and "chưa có gì bị thay đổi" in body
