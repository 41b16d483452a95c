"""Bulk entry of a whole cell's ratings on one grid page (issue 11, fault 9)."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.core.errors import RuleError
from grassroots.ratings.models import Rating
from grassroots.ratings.services import ratings_record_grid
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell(reg):
    members = [
        factories.member(
            full_name=name, organization=reg.cell_a, place=reg.village_a, admitted=date(2015, 1, 5)
        )
        for name in ("Lò Văn An", "Lò Thị Bình", "Tao Văn Chung")
    ]
    return reg, members


def test_the_grid_rates_every_member_of_the_cell_at_once(client, cell, admin_user):
    reg, members = cell
    client.force_login(admin_user)
    url = reverse("ratings:grid") + "?organization=CB-V1&year=2024"
    page = client.get(url).content.decode()
    for m in members:
        assert f'name="level_{m.pk}"' in page and m.full_name in page
    data = {f"level_{members[0].pk}": "excellent", f"level_{members[1].pk}": "good"}
    response = client.post(url, data)
    assert response.status_code == 302
    rated = dict(Rating.objects.filter(period_label="2024").values_list("member__code", "level"))
    assert rated == {members[0].code: "excellent", members[1].code: "good"}


def test_the_grid_is_all_or_nothing_with_row_errors(client, cell, admin_user):
    reg, members = cell
    outsider = factories.member(
        full_name="Lò Văn Ngoài", organization=reg.cell_b, place=reg.village_b,
        admitted=date(2015, 1, 5),
    )  # fmt: skip
    with pytest.raises(RuleError) as refused:
        ratings_record_grid(
            acting_user=None,
            period_kind="year",
            period_label="2024",
            organization=reg.cell_a,
            levels=[(members[0], "good"), (outsider, "good"), (members[1], "excellent")],
        )
    assert refused.value.messages == [
        f"Dòng 2 (Lò Văn Ngoài, {outsider.code}): không thuộc {reg.cell_a} vào cuối kỳ."
    ]
    assert Rating.objects.count() == 0

    client.force_login(admin_user)
    url = reverse("ratings:grid") + "?organization=CB-V1&year=2024"
    data = {f"level_{members[0].pk}": "good", f"level_{members[1].pk}": "khong-co"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert Rating.objects.count() == 0


def test_the_grid_without_a_cell_says_so(client, reg, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("ratings:grid"), {"organization": "KHONG"}).content.decode()
    assert "Không tìm thấy chi bộ mã KHONG" in page
    response = client.post(reverse("ratings:grid") + "?organization=KHONG", {})
    assert response.status_code == 200 and Rating.objects.count() == 0
