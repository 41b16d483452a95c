"""The ratings headline on partial data (issue 11, fault 9): the coverage is shown, and no trend
is claimed below the policy's share."""

import pytest
from django.urls import reverse

from grassroots.ratings import figures
from grassroots.ratings.services import rating_record
from tests import factories

pytestmark = pytest.mark.django_db


def _rate(organization, year, level):
    rating_record(
        acting_user=None,
        period_kind="year",
        period_label=str(year),
        organization=organization,
        level=level,
    )


def _page(client, admin_user):
    client.force_login(admin_user)
    query = {
        "organization": "DB-112",
        "year_from": 2023,
        "year_to": 2024,
        "subject": "organization",
    }
    response = client.get(reverse("ratings:figures"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_no_trend_on_one_organisation_of_four(client, admin_user):
    reg = factories.registry()
    _rate(reg.cell_a, 2023, "completed")
    _rate(reg.cell_a, 2024, "good")
    page = _page(client, admin_user)
    assert "điểm phần trăm" not in page  # was "tăng 100,0 điểm phần trăm"
    assert "1/4 tổ chức đảng đã xếp loại" in page
    assert "Không nêu xu hướng" in page and "80%" in page
    report = figures.rating_report(
        organization=reg.committee, year_from=2023, year_to=2024, subject="organization"
    )
    assert report["share_change"] is None
    assert report["trend"][0]["eligible"] == 4 and report["trend"][0]["coverage"] == 25.0


def test_the_trend_is_claimed_when_all_are_rated(client, admin_user):
    reg = factories.registry()
    others = [reg.cell_b, reg.commune_committee_a, reg.commune_committee_b]
    _rate(reg.cell_a, 2023, "completed")
    _rate(reg.cell_a, 2024, "good")
    for organization in others:
        _rate(organization, 2023, "good")
        _rate(organization, 2024, "good")
    page = _page(client, admin_user)
    assert "4/4 tổ chức đảng đã xếp loại" in page
    assert "Không nêu xu hướng" not in page
    assert "tăng 25,0 điểm phần trăm" in page
