"""Optimistic locking (``core.locking``): two editors open the same form, both submit in turn;
the second is refused with "Đã có người sửa trước bạn", the first change is kept, and the
other's change is shown. The API answers 409 ``{detail, code: "stale"}``."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.core import locking
from grassroots.members.models import Member
from tests import factories

pytestmark = pytest.mark.django_db

STALE = "Đã có người sửa trước bạn"


@pytest.fixture
def editors(make_user, reg):
    """Two editors of the province, each with a browser of their own."""
    clients = []
    for name in ("bientap1", "bientap2"):
        user = make_user(name, roles=["editor"], scope=reg.province_committee)
        browser = Client()
        browser.force_login(user)
        clients.append(browser)
    return clients


@pytest.fixture
def quan(reg):
    return factories.member(
        full_name="Lù Văn Quân",
        code="DV-001",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )


def opened(browser, url) -> dict:
    """The values a form was opened with, as the browser would post them back."""
    form = browser.get(url).context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value in (None, "") or field.name == "photo":
            continue
        data[field.name] = getattr(value, "code", None) or (
            value.isoformat() if isinstance(value, date) else value
        )
    return data


# --- Members ----------------------------------------------------------------------------------


def test_second_member_editor_is_refused_and_the_first_change_kept(editors, quan):
    first, second = editors
    url = reverse("members:edit", args=[quan.code])
    mine, theirs = opened(first, url), opened(second, url)
    assert mine["based_on"] == theirs["based_on"] == str(quan.version)

    assert first.post(url, {**mine, "occupation": "Giáo viên"}).status_code == 302
    response = second.post(url, {**theirs, "occupation": "Nông dân"})

    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    # The other's change is shown beside what this editor typed.
    assert ("Nghề nghiệp", "Giáo viên", "Nông dân") in response.context["form"].stale_rows
    assert "Giáo viên" in page and "Nông dân" in page
    quan.refresh_from_db()
    assert quan.occupation == "Giáo viên"
    # The form now carries the current version: saving again overrides on purpose.
    assert response.context["form"]["based_on"].value() == str(quan.version)
    again = {**theirs, "occupation": "Nông dân", "based_on": str(quan.version)}
    assert second.post(url, again).status_code == 302
    quan.refresh_from_db()
    assert quan.occupation == "Nông dân"


def test_member_version_moves_on_every_save(quan):
    before = Member.objects.get(pk=quan.pk).version
    quan.occupation = "Thợ mộc"
    quan.save()
    assert Member.objects.get(pk=quan.pk).version == before + 1 == quan.version


def test_check_not_stale_compares_in_the_update(quan):
    from django.db import transaction

    with transaction.atomic():
        locking.check_not_stale(quan, str(quan.version))
    with pytest.raises(locking.StaleError) as refused:
        locking.check_not_stale(Member.objects.get(pk=quan.pk), "1")
    assert refused.value.code == "stale"
    assert STALE in refused.value.messages[0]
    locking.check_not_stale(quan, None)  # internal callers: no check


# --- Versioned hierarchies --------------------------------------------------------------------


def test_stale_organisation_form_does_not_revert_another_editors_place_change(editors, reg):
    first, second = editors
    url = reverse("organizations:change", args=["CB-V1"])
    mine, theirs = opened(first, url + "?as_of=2024-01-01"), opened(second, url)
    assert mine["place"] == theirs["place"] == "V1"

    # The first editor attaches the cell to the commune from 1/1/2024.
    response = first.post(url, {**mine, "day": "2024-01-01", "place": "03434"})
    assert response.status_code == 302
    # The second, on the form opened before, renames it from 1/6/2024 with the old place.
    response = second.post(url, {**theirs, "day": "2024-06-01", "name": "Chi bộ Nậm Ngà mới"})

    assert response.status_code == 200
    assert STALE in response.content.decode()
    rows = response.context["form"].stale_rows
    assert any(label == "Địa bàn" and "Xã Nậm Hàng" in current for label, current, _ in rows)
    assert reg.cell_a.version_on(date(2024, 6, 1)).place == reg.commune_a
    assert reg.cell_a.version_on(date(2024, 6, 1)).name == "Chi bộ bản Nậm Ngà"
    assert reg.cell_a.versions.count() == 2


def test_stale_place_form_is_refused(editors, reg):
    first, second = editors
    url = reverse("places:change", args=["V1"])
    mine, theirs = opened(first, url), opened(second, url)
    assert (
        first.post(url, {**mine, "day": "2024-01-01", "name": "Bản Nậm Ngà 1"}).status_code == 302
    )
    response = second.post(url, {**theirs, "day": "2024-06-01", "name": "Bản Nậm Ngà 2"})
    assert STALE in response.content.decode()
    assert reg.village_a.version_on(date(2024, 6, 1)).name == "Bản Nậm Ngà 1"
