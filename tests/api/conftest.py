"""API fixtures: a client that sends a user's personal token, and a small member history."""

from datetime import date

import pytest

from grassroots.accounts.services import api_token_create


class ApiClient:
    """Django's test client (the full middleware stack) speaking to /api/v1/ with a token."""

    def __init__(self, client, key: str):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(client):
    """``api_as(user)``: an :class:`ApiClient` authenticated with a fresh token of ``user``."""

    def make(user) -> ApiClient:
        _token, key = api_token_create(user=user, name="tests")
        return ApiClient(client, key)

    return make


@pytest.fixture
def editor(make_user, reg):
    """An editor whose scope is the district committee (both communes)."""
    return make_user("bientap", roles=["editor"], scope=reg.committee)


@pytest.fixture
def viewer_b(make_user, reg):
    """A viewer whose scope is commune B only."""
    return make_user("xem-b", roles=["viewer"], scope=reg.commune_committee_b)


@pytest.fixture
def quan(reg):
    """Lù Văn Quân: admitted to the cell of village A on 2024-03-01, still probationary."""
    from tests.factories import member

    return member(
        full_name="Lù Văn Quân",
        code="DV-QUAN",
        birth_date=date(1990, 5, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )
