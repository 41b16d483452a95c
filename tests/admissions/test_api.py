"""The admissions API: reads in scope, steps through the services, refusals as 400."""

import pytest

from grassroots.accounts.services import api_token_create
from grassroots.admissions.models import Stage
from tests.admissions.conftest import advance, new_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(client):
    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        headers = {"Authorization": f"Bearer {key}"}

        class Api:
            def get(self, path, **params):
                return client.get(f"/api/v1/admissions{path}", params, headers=headers)

            def post(self, path, body):
                return client.post(
                    f"/api/v1/admissions{path}",
                    body,
                    content_type="application/json",
                    headers=headers,
                )

        return Api()

    return make


def test_create_step_refuse_and_read(cell, editor, api_as):
    reg, members, _ = cell
    api = api_as(editor)
    response = api.post(
        "/candidates",
        {
            "code": "QC-7",
            "full_name": "Lò Văn Sáng",
            "gender": "male",
            "birth_date": "1999-01-01",
            "source": "farmers_union",
            "organization_code": "CB-V1",
            "place_code": "V1",
            "identified_on": "2024-01-10",
        },
    )
    assert response.status_code == 201, response.content
    for body in (
        {"stage": "trained", "date": "2024-02-01"},
        {"stage": "applied", "date": "2024-03-01"},
        {"stage": "verified", "date": "2024-04-01"},
        {"stage": "sponsored", "date": "2024-05-02", "sponsor_1": "DV-1", "sponsor_2": "DV-9"},
    ):
        response = api.post("/candidates/QC-7/steps", body)
    assert response.status_code == 400
    assert response.json()["code"] == "sponsor_ineligible"
    response = api.post(
        "/candidates/QC-7/steps",
        {"stage": "sponsored", "date": "2024-05-02", "sponsor_1": "DV-1", "sponsor_2": "DV-2"},
    )
    assert response.status_code == 201
    assert response.json()["candidate"]["stage"] == "sponsored"
    detail = api.get("/candidates/QC-7").json()
    assert [s["stage"] for s in detail["steps"]][-1] == "sponsored"
    assert detail["steps"][-1]["sponsor_2"] == "DV-2"
    listed = api.get("/candidates", stage="applied", as_of="2024-03-15").json()
    assert [c["code"] for c in listed["items"]] == ["QC-7"]


def test_figures_and_scope(cell, editor, make_user, api_as):
    reg, members, _ = cell
    advance(new_candidate(reg, editor), editor, members, "admitted")
    api = api_as(editor)
    assert api.post(
        "/targets", {"organization_code": "DB-112", "year_from": 2020, "year_to": 2025,
                     "per_year": 60}
    ).status_code == 201  # fmt: skip
    funnel = api.get("/figures/funnel", organization="DB-112", as_of="2024-06-01").json()
    assert funnel["stages"][Stage.VOTED] == 1
    report = api.get("/figures/targets", organization="DB-112", year_from=2024, year_to=2024)
    assert report.json()["years"][0]["admitted"] == 1
    assert report.json()["years"][0]["target"] == 60
    overdue = api.get("/figures/overdue", organization="DB-112", as_of="2025-09-01").json()
    assert [row["next_step"] for row in overdue] == ["confirmed"]
    outsider = api_as(make_user("ngoai", roles=["editor"], scope=reg.commune_committee_b))
    assert outsider.get("/candidates/QC-1").status_code == 404
    assert outsider.get("/candidates").json()["count"] == 0
    assert outsider.get("/figures/funnel", organization="DB-112").status_code == 400
    viewer = api_as(make_user("xem", roles=["viewer"], scope=reg.province_committee))
    response = viewer.post("/candidates/QC-1/steps", {"stage": "confirmed", "date": "2025-07-02"})
    assert response.status_code == 403
