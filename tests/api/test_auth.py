"""Authentication: personal tokens, the browser session, and the one error shape."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from grassroots.accounts.models import ApiToken


def test_token_authenticates_and_is_stored_hashed(api_as, editor):
    api = api_as(editor)

    response = api.get("/places/")

    assert response.status_code == 200
    key = api.headers["Authorization"].removeprefix("Bearer ")
    token = ApiToken.objects.get(user=editor)
    assert token.key_hash == ApiToken.hash_key(key) != key
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Token abc"])
def test_missing_or_bad_token_is_401_in_the_error_shape(client, reg, header):
    headers = {"Authorization": header} if header else {}

    response = client.get("/api/v1/members/", headers=headers)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Chưa đăng nhập hoặc mã truy cập không hợp lệ.",
        "code": "not_authenticated",
    }


def test_token_of_an_inactive_user_is_refused(api_as, editor):
    api = api_as(editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    assert api.get("/places/").status_code == 401


def test_post_without_credentials_is_401_not_a_csrf_error(reg):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/members/", {}, content_type="application/json"
    )

    assert response.status_code == 401


def test_createtoken_prints_a_token_that_authenticates(client, editor):
    out = StringIO()

    call_command("createtoken", editor.username, name="máy trạm", stdout=out, stderr=StringIO())

    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=editor).name == "máy trạm"
    response = client.get("/api/v1/places/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_createtoken_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("createtoken", "khong-ai", stdout=StringIO())


def test_session_reads_work_and_unsafe_methods_need_csrf(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    assert browser.get("/api/v1/places/").status_code == 200
    response = browser.post("/api/v1/members/", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_session_writes_pass_with_the_csrf_token(editor, reg):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    token = "a" * 32
    browser.cookies["csrftoken"] = token

    response = browser.post(
        "/api/v1/members/",
        {"code": "DV-WEB", "full_name": "Lò Văn Bun", "gender": "male", "birth_date": "1990-01-01"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201, response.content


def test_openapi_document_loads_and_lists_the_routes(client, editor):
    client.force_login(editor)  # the document needs a login
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/places/",
        "/api/v1/places/{code}",
        "/api/v1/organizations/",
        "/api/v1/organizations/{code}",
        "/api/v1/members/",
        "/api/v1/members/{code}",
        "/api/v1/members/{code}/events",
        "/api/v1/members/{code}/events/{event_id}/correct",
        "/api/v1/members/{code}/events/{event_id}/cancel",
    ]:
        assert path in paths
    assert set(paths["/api/v1/members/"]) == {"get", "post"}


def test_schema_errors_share_the_error_shape(api_as, editor):
    response = api_as(editor).get("/members/", as_of="01/13/2024")

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert "query.as_of" in body["detail"]
