"""The API docs page (/api/v1/docs): Swagger UI from this site, never from a CDN (the CSP forbids it)."""

import re
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders


def test_docs_page_references_no_external_host_and_its_assets_are_served(client, editor):
    client.force_login(editor)  # the page needs a login
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = [ref for ref in refs if ref.endswith(".js")]
    styles = [ref for ref in refs if ref.endswith(".css")]
    assert scripts and styles  # Swagger UI's bundle and its stylesheet
    for ref in refs:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc, ref  # same origin only
        assert ref.startswith("/static/"), ref
        # The file exists among the static files, and the app serves it.
        assert finders.find(ref.removeprefix("/static/")), ref
        served = client.get(ref)
        assert served.status_code == 200, ref
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert body
    assert "cdn" not in html.lower()
    # The page's own policy stays strict: scripts from this site only.
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_docs_page_needs_a_login(client, reg):
    response = client.get("/api/v1/docs")

    assert response.status_code in (302, 401, 403)
