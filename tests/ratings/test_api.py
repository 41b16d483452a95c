import pytest

from grassroots.accounts.services import api_token_create
from grassroots.ratings import figures
from grassroots.ratings.models import Rating
from grassroots.ratings.services import rating_record

pytestmark = pytest.mark.django_db

URL = "/api/v1/ratings/"


@pytest.fixture
def api(client):
    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        headers = {"Authorization": f"Bearer {key}"}

        class Api:
            def get(self, path, **params):
                return client.get(path, params, headers=headers)

            def post(self, path, body):
                return client.post(path, body, content_type="application/json", headers=headers)

        return Api()

    return make


def rate(org, label="2024", level="good"):
    return rating_record(
        acting_user=None, period_kind="year", period_label=label, organization=org, level=level
    )[0]


def test_list_is_scoped_and_filtered(reg, make_user, api):
    rate(reg.cell_a)
    rate(reg.cell_b, level="excellent")
    rate(reg.cell_b, label="2023", level="completed")
    b = api(make_user("xa-b", scope=reg.commune_committee_b))
    body = b.get(URL).json()
    assert body["count"] == 2
    assert {i["code"] for i in body["items"]} == {"CB-V2"}
    body = b.get(URL, level="good_or_better").json()
    assert [(i["code"], i["period_label"], i["level"]) for i in body["items"]] == [
        ("CB-V2", "2024", "excellent")
    ]
    assert b.get(URL, organization="DU-03434").status_code == 400


def test_create_rating_and_errors(reg, make_user, api):
    editor = api(make_user("bt", roles=["editor"], scope=reg.committee))
    body = {"period": "year", "period_label": "2024", "subject": "organization", "code": "CB-V1"}
    response = editor.post(URL, {**body, "score": 91})
    assert response.status_code == 201
    data = response.json()
    assert data["rating"]["level"] == "excellent" and data["rating"]["score"] == "91.00"
    assert [w["code"] for w in data["warnings"]] == ["excellent_quota"]
    response = editor.post(URL, {**body, "level": "good", "score": 95})
    assert response.status_code == 400 and response.json()["code"] == "score_level_mismatch"
    viewer = api(make_user("xem", roles=["viewer"], scope=reg.committee))
    assert viewer.post(URL, {**body, "level": "good"}).status_code == 403
    outsider = api(make_user("b", roles=["editor"], scope=reg.commune_committee_b))
    response = outsider.post(URL, {**body, "level": "good"})
    assert response.status_code == 400 and response.json()["code"] == "unknown_code"
    assert Rating.objects.get().level == "excellent"


def test_figures(reg, cells, make_user, api):
    for cell in cells[:5]:
        rate(cell)
    rate(cells[5], level="not_completed")
    user = api(make_user("xem", scope=reg.committee))
    response = user.get(URL + "figures", organization="DU-03434", year_from=2023, year_to=2024)
    assert response.status_code == 200
    data = response.json()
    expected = figures.rating_report(
        organization=reg.commune_committee_a, year_from=2023, year_to=2024, subject="organization"
    )
    assert data == expected
    assert data["trend"][1]["share_good_or_better"] == 83.3
    assert data["trend"][1]["counts"] == {
        "excellent": 0,
        "good": 5,
        "completed": 0,
        "not_completed": 1,
    }
    b = api(make_user("xa-b", scope=reg.commune_committee_b))
    assert b.get(URL + "figures", organization="DU-03434").status_code == 404


def test_list_item_shape(reg, make_user, api):
    rating_record(
        acting_user=None,
        period_kind="quarter",
        period_label="2024-Q2",
        organization=reg.cell_a,
        score=55,
        note="Ghi chú",
    )
    item = api(make_user("xem", scope=reg.committee)).get(URL).json()["items"][0]
    assert item == {
        "id": item["id"],
        "period": "quarter",
        "period_label": "2024-Q2",
        "subject": "organization",
        "code": "CB-V1",
        "organization": "CB-V1",
        "level": "completed",
        "score": "55.00",
        "note": "Ghi chú",
        "version": 1,
    }
    one = api(make_user("xem2", scope=reg.committee)).get(f"{URL}{item['id']}").json()
    assert one == item
    outsider = api(make_user("b", scope=reg.commune_committee_b))
    assert outsider.get(f"{URL}{item['id']}").status_code == 404
