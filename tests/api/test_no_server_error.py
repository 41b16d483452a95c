"""No input answers a server error (issue 17, fault 6): each probe that once gave a 500, an
undocumented status or an English HTML page, now answers a documented 4xx in the one shape
``{"detail", "code"}`` with a Vietnamese message, and changes nothing."""

import logging
from datetime import date

import pytest
from django.urls import reverse
from ninja import NinjaAPI
from ninja.testing import TestClient

from grassroots.core.api import install_error_handlers
from grassroots.members.models import Member


def refused(response, status=422):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"}
    return body


# --- Years, offsets and dates out of range ---------------------------------------------------


@pytest.mark.parametrize("year", ["0", "-241", "1899", "2201", "99999999999999999999"])
def test_a_year_out_of_range_in_the_targets_figure_is_refused(api_as, admin_user, reg, year):
    api = api_as(admin_user)
    body = refused(
        api.get("/admissions/figures/targets", organization="DB-112", year_from=year, year_to=year)
    )
    assert body["code"] == "invalid_request"
    assert body["detail"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert "year_from" in body["detail"]


@pytest.mark.parametrize("year", ["0", "-241", "10000"])
def test_a_year_out_of_range_in_the_ratings_figure_is_refused(api_as, admin_user, reg, year):
    api = api_as(admin_user)
    refused(api.get("/ratings/figures", organization="DB-112", year_from=year, year_to="2024"))
    refused(api.get("/ratings/figures", organization="DB-112", year_to=year))


def test_years_in_range_still_answer(api_as, admin_user, reg):
    api = api_as(admin_user)
    response = api.get(
        "/admissions/figures/targets", organization="DB-112", year_from=2020, year_to=2021
    )
    assert response.status_code == 200, response.content
    response = api.get("/ratings/figures", organization="DB-112", year_from=2020, year_to=2021)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("offset", [str(2**63), str(2**63 + 1), str(2**64), "1000000001"])
def test_an_offset_beyond_any_list_is_refused(api_as, admin_user, reg, offset):
    for path in ("/members/", "/places/", "/organizations/", "/ratings/"):
        body = refused(api_as(admin_user).get(path, offset=offset))
        assert "offset" in body["detail"]


def test_an_id_beyond_the_database_integers_is_refused(api_as, admin_user, reg):
    refused(api_as(admin_user).get(f"/ratings/{2**64}"))


@pytest.mark.parametrize("as_of", ["0", "1", "-1", "20240101", "2024-W01-1", "0001-01-01"])
def test_as_of_must_be_a_real_date_in_sane_years(api_as, admin_user, reg, as_of):
    api = api_as(admin_user)
    for path in ("/members/", "/places/", "/organizations/", "/places/12"):
        body = refused(api.get(path, as_of=as_of))
        assert "as_of" in body["detail"]


def test_as_of_as_a_date_still_reads_that_day(api_as, admin_user, reg):
    body = api_as(admin_user).get("/places/12", as_of="2020-01-01").json()
    assert body["as_of"] == "2020-01-01"


def test_parse_date_takes_only_real_dates_in_sane_years():
    from grassroots.core.temporal import parse_date

    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("29/02/2024") == date(2024, 2, 29)
    assert parse_date(date(2024, 2, 29)) == date(2024, 2, 29)
    for bad in ("0", 0, "20240229", "2024-W09-4", "0001-01-01", "01/01/0001", "1/1/1899",
                date(1, 1, 1), date(9999, 12, 31), "9999-12-31", "2024-02-30"):  # fmt: skip
        assert parse_date(bad) is None, bad


# --- The header's date kept in the session ---------------------------------------------------


def test_a_header_date_out_of_range_is_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("core:set_as_of"), {"as_of": "2013-06-30", "next": "/"})

    response = client.post(
        reverse("core:set_as_of"), {"as_of": "0001-01-01", "next": "/"}, follow=True
    )

    assert response.status_code == 200
    assert client.session["as_of"] == "2013-06-30"  # nothing changed
    assert any("Ngày xem không hợp lệ" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("stored", ["0001-01-01", "9999-12-31", "0", "rác"])
def test_a_bad_date_kept_in_the_session_is_ignored(client, admin_user, reg, stored):
    client.force_login(admin_user)
    session = client.session
    session["as_of"] = stored
    session.save()

    for name in ("statistics:dashboard", "admissions:pipeline"):
        response = client.get(reverse(name))
        assert response.status_code == 200, (name, response.status_code)
        assert response.context["as_of"] == date.today() or response.context["as_of"].year > 2000
    assert "as_of" not in client.session  # dropped: it cannot break the next visit either


# --- Control characters ----------------------------------------------------------------------


def test_a_nul_in_a_name_is_refused_and_nothing_is_created(api_as, admin_user, reg):
    before = Member.objects.count()
    body = refused(
        api_as(admin_user).post(
            "/members/",
            {
                "full_name": "Lù\x00 Văn Quân",
                "gender": "male",
                "birth_date": "1990-05-01",
                "first_event": {
                    "event": "admitted",
                    "date": "2024-03-01",
                    "organization_code": "CB-V1",
                    "place_code": "V1",
                },
            },
        )
    )
    assert body["code"] == "control_characters"
    assert "ký tự điều khiển" in body["detail"]
    assert Member.objects.count() == before


@pytest.mark.parametrize("value", ["\x00", "Lù\x00", "a\x1bb"])
def test_a_control_character_in_a_search_or_code_is_refused(api_as, admin_user, reg, value):
    api = api_as(admin_user)
    assert refused(api.get("/members/", search=value))["code"] == "control_characters"
    assert refused(api.get("/members/", organization=value))["code"] == "control_characters"
    assert refused(api.get("/places/", parent=value))["code"] == "control_characters"


def test_a_control_character_in_a_page_query_is_a_bad_request(client, admin_user, reg):
    client.force_login(admin_user)
    response = client.get(reverse("members:list"), {"search": "Lù\x00"})
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.content.decode()


def test_tabs_and_line_breaks_are_not_control_characters(api_as, admin_user, reg):
    response = api_as(admin_user).get("/members/", search="Lù\tVăn")
    assert response.status_code == 200, response.content


# --- Statuses documented, 500 in the one shape -----------------------------------------------


def test_every_operation_documents_every_error_status():
    from grassroots.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = {str(status) for status in operation["responses"]}
            assert {"400", "401", "404", "422", "500"} <= statuses, (method, path, statuses)
            if method != "get":
                assert {"403", "409"} <= statuses, (method, path, statuses)


def test_a_server_error_answers_the_one_shape_and_logs_the_traceback(caplog):
    api = NinjaAPI(urls_namespace="test-server-error")
    install_error_handlers(api)

    @api.get("/boom")
    def boom(request):
        raise ZeroDivisionError("the bug")

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = TestClient(api).get("/boom")

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Lỗi máy chủ: yêu cầu chưa được thực hiện. Hãy thử lại sau hoặc báo quản trị viên.",
        "code": "server_error",
    }
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError


@pytest.mark.parametrize("label", ["0000", "9999", "0001-Q1", "0000-2024"])
def test_a_rating_period_in_an_absurd_year_is_refused(api_as, admin_user, quan, label):
    kind = "quarter" if "Q" in label else "term" if "-" in label else "year"
    response = api_as(admin_user).post(
        "/ratings/",
        {"period": kind, "period_label": label, "subject": "member", "code": quan.code},
    )
    body = refused(response, 400)
    assert body["code"] == "period_label"
    assert "năm phải từ 1900 đến 2200" in body["detail"]
