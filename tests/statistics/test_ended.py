"""A dissolved organisation's dashboard after its end says so (issue 11, fault 4)."""

import html
from datetime import date

import pytest
from django.urls import reverse

from grassroots.organizations.services import organization_merge
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged():
    reg = factories.registry()
    factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2015, 3, 1))
    organization_merge(
        acting_user=None, sources=[reg.cell_a], into=reg.cell_b, day=date(2020, 1, 1)
    )
    return reg


def test_a_dissolved_organisation_says_when_it_ended(client, merged, admin_user):
    client.force_login(admin_user)
    url = reverse("statistics:dashboard")
    page = html.unescape(
        client.get(url, {"organization": "CB-V1", "as_of": "2021-06-30"}).content.decode()
    )
    assert "đã kết thúc hoạt động sau ngày 31/12/2019" in page
    assert "organization=CB-V1&as_of=2019-12-31" in page
    assert "organization=CB-V2" in page  # the successor
    assert "Sáp nhập ngày 01/01/2020" in page

    # The button sets the header's date to the last day.
    response = client.post(
        reverse("core:set_as_of"),
        {"as_of": "2019-12-31", "next": f"{url}?organization=CB-V1"},
    )
    page = client.get(response.url).content.decode()
    assert 'value="2019-12-31"' in page
    assert "đã kết thúc" not in page


def test_a_living_organisation_has_no_notice(client, merged, admin_user):
    client.force_login(admin_user)
    page = client.get(
        reverse("statistics:dashboard"), {"organization": "CB-V2", "as_of": "2021-06-30"}
    ).content.decode()
    assert "đã kết thúc" not in page
    page = client.get(
        reverse("statistics:dashboard"), {"organization": "CB-V1", "as_of": "2019-12-31"}
    ).content.decode()
    assert "đã kết thúc" not in page
