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


def _titled_numbers(page: str) -> list[tuple[str, int]]:
    rows = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num"><a href="[^"]+">([\d.]+)</a>', page
    )
    return [(html.unescape(title), int(n.replace(".", ""))) for title, n in rows]


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
    codes = re.findall(r'<option value="([^"]+)"( selected)?>', page)
    assert ("DU-03434", " selected") in codes and "DU-03460" not in {c for c, _ in codes}


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
    from grassroots.core import figures as registry
    from grassroots.statistics.definitions import CONCEPTS

    client.force_login(admin_user)
    page = client.get(reverse("statistics:definitions")).content.decode()
    for concept in CONCEPTS:
        assert html.escape(concept.how) in page
    for figure in registry.all_figures():
        assert f"<code>{figure.name}</code>" in page and html.escape(figure.label) in page
        for paragraph in figure.definition.split("\n\n"):
            assert html.escape(paragraph) in page


def test_dashboard_query_count_is_bounded(
    client, history, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    params = {"organization": "DB-112", "as_of": "2022-12-31"}
    # Session and user, picker, ~12 figure queries, one per year of history (2013–2022), the
    # party-development card (target, funnel, overdue steps: 8) and the data version (3).
    with django_assert_max_num_queries(16 + 10 + 8 + 4):
        first = client.get(reverse("statistics:dashboard"), params)
    # Until the data changes the figures come from the cache: session, user, scope, the
    # organisation and its version, the data version.
    with django_assert_max_num_queries(8):
        again = client.get(reverse("statistics:dashboard"), params)
    main = re.compile(rb"<h1>.*", re.DOTALL)  # the page below the header (its CSRF token varies)
    assert main.search(again.content).group() == main.search(first.content).group()


def test_dashboard_shows_a_change_in_the_next_request(client, history, admin_user):
    """The cache is keyed by the data version: a recorded event is in the very next page."""
    from datetime import date

    from grassroots.members import services

    client.force_login(admin_user)
    params = {"organization": "DB-112", "as_of": "2022-12-31"}

    def official() -> int:
        page = client.get(reverse("statistics:dashboard"), params).content.decode()
        return dict(_titled_numbers(page))["Đảng viên chính thức"]

    before = official()
    assert official() == before  # cached
    member = history.members["Lò Văn Ánh"]
    services.member_record_event(
        acting_user=admin_user, member=member, kind="left", day=date(2022, 3, 1), reason="died"
    )
    assert official() == before - 1
