"""The demo's Đại hội III resolution reviewed through 2022 gives the seed (DOMAIN.md): 20 of 30
met or exceeded, and the six percentages of the seed's sentences — two of its indicators computed
live from the demo's members (admissions) and ratings (good or better)."""

from __future__ import annotations

import json
from fractions import Fraction
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from grassroots.members.models import EventKind, MemberEvent
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import subtree_ids
from grassroots.ratings.models import GOOD_OR_BETTER, Rating, Subject
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield SimpleNamespace(var=built_demo.var)


def _report(*args) -> dict:
    out = StringIO()
    call_command("report", "indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_mid_term_review_gives_the_seed(demo, db):
    result = _report("--resolution", "DB-112-DH3", "--through", "2022", "--json")
    assert result["resolution"] == "DB-112-DH3" and result["organization"] == "DB-112"
    assert (result["term_from"], result["term_to"], result["through"]) == (2021, 2025, 2022)
    assert result["total"] == 30
    assert result["met_or_exceeded"] == 20
    assert result["exceeded"] + result["met"] == 20
    assert result["not_met"] == 10 and result["no_data"] == 0
    by_name = {i["name"]: i for i in result["indicators"]}
    seed = {
        "Sản lượng lương thực có hạt": 5.4,
        "Trồng mới rừng": 191.1,
        "Tỷ lệ giảm hộ nghèo bình quân": 121.1,
        "Đào tạo nghề cho lao động nông thôn": 158.3,
        "Giải quyết việc làm mới": 271.3,
        "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên": 13.5,
    }
    for name, percent in seed.items():
        assert by_name[name]["percent"] == percent, name
        assert by_name[name]["status"] == "exceeded", name
    admissions = by_name["Kết nạp đảng viên mới"]
    assert admissions["target"] == 60 and admissions["status"] in ("met", "exceeded")


def test_the_live_indicators_are_the_demo_s_members_and_ratings(demo, db):
    """By hand, from the registry: admitted events of the years and the ratings of each year."""
    district = Organization.objects.get(code="DB-112")
    result = _report("--resolution", "DB-112-DH3", "--through", "2022", "--json")
    by_code = {i["code"]: i for i in result["indicators"]}
    admitted, shares = [], []
    from datetime import date

    for year in (2021, 2022):
        n = sum(
            1
            for event in MemberEvent.objects.filter(
                kind=EventKind.ADMITTED, date__year=year, superseded_by__isnull=True
            )
            if event.organization_id in set(subtree_ids(organization=district, day=event.date))
        )
        admitted.append(n)
        under = set(subtree_ids(organization=district, day=date(year, 12, 31))) - {district.pk}
        rated = Rating.objects.filter(
            subject=Subject.ORGANIZATION,
            period_kind="year",
            period_label=str(year),
            organization_id__in=under,
        )
        good = rated.filter(level__in=GOOD_OR_BETTER).count()
        shares.append(Fraction(100 * good, rated.count()))
    assert min(admitted) >= 60
    assert by_code["XD-02"]["actual"] == pytest.approx(sum(admitted) / 2)
    mean_share = sum(shares) / 2
    assert by_code["XD-01"]["actual"] == pytest.approx(float(mean_share), abs=1e-4)


def test_the_page_and_the_api_show_the_seed(demo, db, client, django_user_model):
    from django.urls import reverse

    admin = django_user_model.objects.filter(is_superuser=True).first()
    client.force_login(admin)
    page = client.get(reverse("resolutions:congress_detail", args=["DB-112-DH3"]))
    body = page.content.decode()
    assert "Đánh giá đến hết năm 2022: 20/30 chỉ tiêu đạt và vượt" in body
    for text in ("vượt 191,1%", "vượt 5,4%", "vượt 121,1%", "vượt 158,3%", "vượt 271,3%"):
        assert text in body
    assert "vượt 13,5%" in body
    answer = client.get(
        "/api/v1/reports/indicators", {"resolution": "DB-112-DH3", "through": 2022}
    ).json()
    assert answer == _report("--resolution", "DB-112-DH3", "--through", "2022", "--json")
