"""The API docs page renders Swagger UI in a real browser: its files come from this site, so the
Content-Security-Policy lets them run (no console error, nothing from another host)."""

from urllib.parse import urlsplit

import pytest


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_from_this_site(page, login, make_user, live_server):
    make_user("bientap", roles=["editor"])
    login("bientap")
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    assert "Grassroots API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock", timeout=15000)  # the routes, read from openapi.json
    assert hosts == {urlsplit(live_server.url).netloc}
