from datetime import date

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_as_of_defaults_to_today_and_can_be_chosen(client, make_user):
    from grassroots.core.middleware import today

    client.force_login(make_user("u"))
    home = reverse("core:home")
    assert client.get(home).context["as_of"] == today()
    response = client.post(reverse("core:set_as_of"), {"as_of": "2013-06-30", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    page = client.get(home)
    assert page.context["as_of"] == date(2013, 6, 30)
    assert "30/06/2013" in page.content.decode()
    # A query parameter wins over the session (drill-down links carry it)
    assert client.get(home + "?as_of=2023-11-23").context["as_of"] == date(2023, 11, 23)
    client.post(reverse("core:set_as_of"), {"reset": "1", "next": home})
    assert client.get(home).context["as_of"] == today()


@pytest.mark.django_db
def test_as_of_rejects_foreign_redirect(client, make_user):
    client.force_login(make_user("u"))
    response = client.post(
        reverse("core:set_as_of"), {"as_of": "2013-06-30", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_valid_on_helper_matches_python_twin():
    from grassroots.core.temporal import intersect, is_valid_on, parse_date

    assert is_valid_on(date(2013, 6, 1), None, date(2013, 6, 1))
    assert not is_valid_on(date(2013, 6, 1), date(2025, 7, 1), date(2025, 7, 1))
    assert is_valid_on(date(2013, 6, 1), date(2025, 7, 1), date(2025, 6, 30))
    assert intersect(date(2020, 1, 1), None, date(2019, 1, 1), date(2021, 1, 1)) == (
        date(2020, 1, 1),
        date(2021, 1, 1),
    )
    assert intersect(date(2020, 1, 1), date(2020, 2, 1), date(2020, 2, 1), None) is None
    assert parse_date("23/11/2023") == date(2023, 11, 23)
    assert parse_date("2023-11-23") == date(2023, 11, 23)
    assert parse_date("31/02/2023") is None and parse_date("") is None


def test_template_filters_format_vietnamese():
    from django.template import engines

    template = engines["django"].from_string(
        "{{ n|vn_number }} {{ p|vn_percent }} {{ d|vn_date }} {{ r|vn_share }}"
    )
    context = {"n": 1023, "p": 5.4, "d": date(2023, 11, 23), "r": 88 / 60}
    assert template.render(context) == "1.023 5,4% 23/11/2023 146,7%"
