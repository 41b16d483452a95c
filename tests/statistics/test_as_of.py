"""A page about day D counts nothing dated after D (issue 11, fault 3), and no template comment
leaks into the HTML."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(/statistics/records/\?[^"]+)">([\d.]+)</a>')
DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
DAY = date(2023, 11, 23)


@pytest.fixture
def admitted_in_2023():
    reg = factories.registry()
    for i, day in enumerate(
        (date(2023, 3, 1), date(2023, 11, 20), date(2023, 11, 28), date(2023, 12, 15))
    ):
        factories.member(
            full_name=f"Lò Văn Kết {i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=day,
        )
    return reg


def _card(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("</section>", 1)[0]


def test_the_year_to_date_ends_at_the_chosen_day(client, admitted_in_2023, admin_user):
    client.force_login(admin_user)
    page = client.get(
        reverse("statistics:dashboard"), {"organization": "DB-112", "as_of": DAY.isoformat()}
    ).content.decode()
    development = _card(page, "Phát triển đảng viên năm 2023")
    (first,) = LINK.findall(development)[:1]
    assert int(first[1]) == 2  # 01/03 and 20/11; not 28/11 nor 15/12
    movements = _card(page, "Biến động từ")
    admitted = re.search(r'Kết nạp</th><td class="num"><a href="[^"]+">(\d+)</a>', movements).group(
        1
    )
    assert int(admitted) == 2

    links = [(html.unescape(url), int(n.replace(".", ""))) for url, n in LINK.findall(page)]
    assert len(links) > 10
    for url, number in links:
        drill = client.get(url)
        assert drill.status_code == 200, url
        body = drill.content.decode().split("<tbody>", 1)[-1].split("</tbody>", 1)[0]
        assert body.count("<tr>") == number, url
        for d, m, y in DATE.findall(body):
            assert date(int(y), int(m), int(d)) <= DAY, url


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("statistics:dashboard", {"organization": "DB-112", "as_of": "2023-11-23"}),
        ("statistics:dashboard", {"organization": "CB-V1", "as_of": "2013-06-30"}),
        ("statistics:definitions", {}),
        ("ratings:list", {}),
        ("ratings:figures", {}),
        ("admissions:pipeline", {"organization": "DB-112"}),
        ("core:home", {}),
    ],
)
def test_no_template_comment_shows_in_the_html(client, admitted_in_2023, admin_user, name, query):
    client.force_login(admin_user)
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "{#" not in page and "#}" not in page
