"""Locks and headers (issue 17, fault 7): a login lock applies to API tokens, the lockout
says minutes in words, the OpenAPI document and docs need a login, the ``Server`` header does
not name gunicorn. (``Cache-Control: no-store`` on personal data and downloads:
``test_accesses.py``.)"""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from grassroots.accounts.services import api_token_create

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-đủ-dài-1"


def _lock(client, username: str) -> None:
    for _ in range(10):
        client.post(reverse("accounts:login"), {"username": username, "password": "sai"})


def test_locked_out_user_cannot_use_their_token(client, make_user):
    user = make_user("lvquan", roles=["viewer"])
    _token, key = api_token_create(user=user, name="t")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/places/", headers=headers).status_code == 200
    _lock(client, "lvquan")
    response = client.get("/api/v1/places/", headers=headers)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "account_locked"
    assert "tạm khóa" in body["detail"] and "15 phút" in body["detail"]
    # Another user's token is unaffected.
    other = make_user("khac", roles=["viewer"])
    _token, other_key = api_token_create(user=other, name="t")
    ok = client.get("/api/v1/places/", headers={"Authorization": f"Bearer {other_key}"})
    assert ok.status_code == 200


def test_the_lock_on_the_token_ends_with_the_cool_off(client, make_user, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    user = make_user("lvquan", roles=["viewer"])
    _token, key = api_token_create(user=user, name="t")
    _lock(client, "lvquan")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    response = client.get("/api/v1/places/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_lockout_message_says_minutes_in_words(client, make_user):
    make_user("lvquan")
    _lock(client, "lvquan")
    response = client.post(reverse("accounts:login"), {"username": "lvquan", "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 429
    assert "15 phút" in body and "PT15M" not in body


def test_vn_duration():
    from datetime import timedelta

    from grassroots.accounts.templatetags.lockout import vn_duration

    assert vn_duration(timedelta(minutes=15)) == "15 phút"
    assert vn_duration(timedelta(hours=1, minutes=30)) == "1 giờ 30 phút"
    assert vn_duration(timedelta(days=1)) == "1 ngày"
    assert vn_duration(None) == ""


def test_openapi_document_and_docs_need_a_login(client, make_user):
    anonymous = client.get("/api/v1/openapi.json")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 302 and reverse("accounts:login") in docs["Location"]
    bad = client.get("/api/v1/openapi.json", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401

    user = make_user("lvquan", roles=["viewer"])
    _token, key = api_token_create(user=user, name="t")
    with_token = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert with_token.status_code == 200 and "paths" in with_token.json()
    client.force_login(user)
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_header_does_not_name_gunicorn(tmp_path):
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("serve", root / "scripts" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "GRASSROOTS_VAR": str(tmp_path)}
    command = serve.gunicorn_command(str(port), "1")
    command[0] = Path(sys.executable).parent / "gunicorn"
    web = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path
    )
    server = None
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2
                ) as response:
                    server = response.headers.get("Server")
            except urllib.error.HTTPError as error:  # 401: no login, which is fine here
                server = error.headers.get("Server")
            except OSError:
                time.sleep(0.2)
    finally:
        web.terminate()
        web.wait(timeout=10)
    assert server is not None, "gunicorn did not answer"
    assert "gunicorn" not in server.lower()
    assert server == serve.SERVER_NAME
