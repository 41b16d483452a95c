from datetime import date

import pytest

from grassroots.statistics import figures
from tests.statistics.history import build_history

pytestmark = pytest.mark.django_db

COVERAGE = "/api/v1/reports/coverage"
ADMISSIONS = "/api/v1/reports/admissions"


@pytest.fixture
def history():
    return build_history()


def test_reports_give_the_figure_objects(client, history, admin_user):
    client.force_login(admin_user)
    response = client.get(COVERAGE, {"organization": "DB-112", "as_of": "2020-12-31"})
    assert response.status_code == 200
    assert response.json() == figures.coverage(organization="DB-112", day=date(2020, 12, 31))
    response = client.get(
        ADMISSIONS, {"organization": "DB-112", "from": "2013-06-01", "to": "2023-11-23"}
    )
    assert response.status_code == 200
    assert response.json() == figures.admissions(
        organization="DB-112", start=date(2013, 6, 1), end=date(2023, 11, 23)
    )
    assert list(response.json()) == ["organization", "from", "to", "admitted", "by_year"]


def test_reports_are_scoped(client, history, make_user):
    client.force_login(make_user("xa-b", scope=history.reg.commune_committee_b))
    inside = client.get(COVERAGE, {"organization": "DU-03460", "as_of": "2020-12-31"})
    assert inside.status_code == 200 and inside.json()["cells"] == 2
    for code in ("DU-03434", "DB-112", "KHONG-CO"):
        assert (
            client.get(COVERAGE, {"organization": code, "as_of": "2020-12-31"}).status_code == 404
        )
        outside = client.get(
            ADMISSIONS, {"organization": code, "from": "2013-01-01", "to": "2020-12-31"}
        )
        assert outside.status_code == 404


def test_reports_need_a_login_and_valid_dates(client, history, admin_user):
    assert (
        client.get(COVERAGE, {"organization": "DB-112", "as_of": "2020-12-31"}).status_code == 401
    )
    client.force_login(admin_user)
    assert client.get(COVERAGE, {"organization": "DB-112", "as_of": "31-12"}).status_code == 422
    backwards = {"organization": "DB-112", "from": "2020-01-01", "to": "2019-01-01"}
    assert client.get(ADMISSIONS, backwards).status_code == 422


def test_openapi_documents_the_query_names(client, admin_user):
    client.force_login(admin_user)  # the document needs a login
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/admissions"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"organization", "from", "to"}
