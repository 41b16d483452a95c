import html
import re

import pytest
from django.urls import reverse

from tests.statistics.history import build_history

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(/statistics/records/\?[^"]+)">([\d.]+)</a>')


@pytest.fixture
def history():
    return build_history()


def _rows(page: str) -> int:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")


def _drill_links(page: str) -> list[tuple[str, int]]:
    return [
        (html.unescape(url), int(number.replace(".", ""))) for url, number in LINK.findall(page)
    ]


@pytest.mark.parametrize(
    ("organization", "as_of"),
    [("DB-112", "2022-12-31"), ("DB-112", "2021-06-30"), ("DU-03434", "2022-12-31")],
)
def test_every_number_links_to_as_many_records(client, history, admin_user, organization, as_of):
    client.force_login(admin_user)
    response = client.get(
        reverse("statistics:dashboard"), {"organization": organization, "as_of": as_of}
    )
    assert response.status_code == 200
    page = response.content.decode()
    links = _drill_links(page)
    # 4 member figures, 16 place figures, 11 movements, breakdowns, 3 per year, the total.
    assert len(links) >= 4 + 16 + 11 + 3 * 10
    assert sum(n for _url, n in links) > 0
    for url, number in links:
        drill = client.get(url)
        assert drill.status_code == 200, url
        assert _rows(drill.content.decode()) == number, url


def test_dashboard_defaults_and_content(client, history, make_user):
    user = make_user("xa-a", scope=history.reg.commune_committee_a)
    client.force_login(user)
    response = client.get(reverse("statistics:dashboard"), {"as_of": "2020-12-31"})
    assert response.context["organization"] == history.reg.commune_committee_a
    page = response.content.decode()
    assert "Đảng bộ xã Nậm Hàng" in page
    assert page.count("<svg") == 2 and "<title" in page
    assert " style=" not in page and "<script>" not in page  # Content-Security-Policy
    codes = [code for code, _name in response.context["choices"]]
    assert "DU-03434" in codes and "DU-03460" not in codes


def test_pages_are_scoped(client, history, make_user):
    client.force_login(make_user("xa-b", scope=history.reg.commune_committee_b))
    dashboard, drilldown = reverse("statistics:dashboard"), reverse("statistics:drilldown")
    assert client.get(dashboard, {"organization": "DU-03434"}).status_code == 404
    assert client.get(dashboard, {"organization": "DU-03460"}).status_code == 200
    outside = {"figure": "members.official", "organization": "DU-03434", "as_of": "2020-12-31"}
    assert client.get(drilldown, outside).status_code == 404
    inside = {**outside, "organization": "DU-03460"}
    assert client.get(drilldown, inside).status_code == 200
    assert client.get(drilldown, {**inside, "figure": "nonsense"}).status_code == 404
    assert client.get(drilldown, {**inside, "figure": "places.village.nonsense"}).status_code == 404
    assert client.get(drilldown, {**inside, "figure": "admissions"}).status_code == 404  # no period


def test_pages_need_a_login(client, history):
    for name in ("dashboard", "definitions", "drilldown"):
        response = client.get(reverse(f"statistics:{name}"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_definitions_page(client, admin_user):
    from grassroots.statistics.definitions import DEFINITIONS

    client.force_login(admin_user)
    page = client.get(reverse("statistics:definitions")).content.decode()
    for definition in DEFINITIONS:
        assert html.escape(definition.how) in page


def test_dashboard_query_count_is_bounded(
    client, history, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    # Session and user, picker, ~12 figure queries, one per year of history (2013–2022), and the
    # party-development card (target, funnel, overdue steps: 8).
    with django_assert_max_num_queries(16 + 10 + 8):
        client.get(
            reverse("statistics:dashboard"), {"organization": "DB-112", "as_of": "2022-12-31"}
        )
