"""The place pages: tree, detail and one form per service, with scope and roles."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core import trees
from grassroots.places.models import LineageChange, Place, PlaceLineage
from tests import factories


@pytest.fixture
def viewer_a(make_user, reg):
    return make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a)


@pytest.fixture
def editor_a(make_user, reg):
    return make_user("sua-a", roles=["editor"], scope=reg.commune_committee_a)


@pytest.fixture
def viewer_b(make_user, reg):
    return make_user("xem-b", roles=["viewer"], scope=reg.commune_committee_b)


def _page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_tree_is_rooted_at_the_users_scope(client, reg, viewer_a):
    response = _page(client, viewer_a, reverse("places:tree"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Xã Nậm Hàng" in body and "Bản Nậm Ngà" in body
    assert "Xã Hua Bum" not in body and "Huyện Nậm Nhùn" not in body
    assert "Thêm địa bàn" not in body  # a viewer sees no editor actions


def test_tree_follows_the_as_of_date(client, reg, admin_user):
    url = reverse("places:tree")
    before = _page(client, admin_user, url, as_of="2010-01-01").content.decode()
    after = _page(client, admin_user, url, as_of="2020-01-01").content.decode()
    assert "Tỉnh Lai Châu" in before and "Huyện Nậm Nhùn" not in before
    assert "Huyện Nậm Nhùn" in after and "Xã Hua Bum" in after


def test_large_tree_loads_children_lazily(client, reg, admin_user, monkeypatch):
    monkeypatch.setattr(trees, "TREE_EAGER_NODES", 2)
    body = _page(client, admin_user, reverse("places:tree"), as_of="2020-01-01").content.decode()
    children_url = reverse("places:children", args=["112"])
    assert "Huyện Nậm Nhùn" in body and "Xã Hua Bum" not in body
    assert f'hx-get="{children_url}?as_of=2020-01-01"' in body
    fragment = _page(client, admin_user, children_url, as_of="2020-01-01").content.decode()
    assert "Xã Hua Bum" in fragment and "Xã Nậm Hàng" in fragment and "<html" not in fragment
    # The next level is offered lazily too.
    assert f'hx-get="{reverse("places:children", args=["03434"])}?as_of=2020-01-01"' in fragment


def test_detail_shows_history_children_and_organisations(client, reg, viewer_a):
    response = _page(client, viewer_a, reverse("places:detail", args=["03434"]), as_of="2020-01-01")
    body = response.content.decode()
    assert response.status_code == 200
    assert "01/06/2013" in body  # the version's interval, dd/mm/yyyy
    assert "Huyện Nậm Nhùn" in body  # the parent, by name
    assert "Bản Nậm Ngà" in body  # a child on the date
    assert "Đảng bộ xã Nậm Hàng" in body  # the organisation attached on the date


def test_detail_shows_lineage(client, reg, admin_user):
    PlaceLineage.objects.create(
        date=date(2025, 7, 1), from_place=reg.commune_b, to_place=reg.commune_a, change="merge"
    )
    body = _page(client, admin_user, reverse("places:detail", args=["03434"])).content.decode()
    assert "Sáp nhập" in body and "nhận từ" in body and "Xã Hua Bum" in body


@pytest.mark.parametrize("name", ["detail", "children", "change", "end", "split"])
def test_places_outside_scope_answer_404(client, reg, make_user, name):
    editor_b = make_user("sua-b", roles=["editor"], scope=reg.commune_committee_b)
    response = _page(client, editor_b, reverse(f"places:{name}", args=["03434"]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["create", "merge"])
def test_forms_need_the_editor_role(client, reg, viewer_a, name):
    assert _page(client, viewer_a, reverse(f"places:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["change", "end", "split"])
def test_object_forms_need_the_editor_role(client, reg, viewer_a, name):
    response = _page(client, viewer_a, reverse(f"places:{name}", args=["V1"]))
    assert response.status_code == 403


def test_create_place(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:create"),
        {
            "code": "V9",
            "name": "Bản Huổi Van",
            "kind": "village",
            "parent": "03434",
            "valid_from": "2020-01-01",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "places:detail", args=["V9"]
    )
    version = Place.objects.get(code="V9").versions.get()
    assert version.parent == reg.commune_a and version.name == "Bản Huổi Van"


def test_create_refuses_a_parent_outside_the_scope(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:create"),
        {
            "code": "V9",
            "name": "Bản Huổi Van",
            "kind": "village",
            "parent": "03460",
            "valid_from": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "Không tìm thấy địa bàn mã 03460 trong phạm vi của bạn." in response.content.decode()
    assert not Place.objects.filter(code="V9").exists()


def test_create_reports_a_refused_rule(client, reg, editor_a):
    client.force_login(editor_a)
    data = {"code": "V1", "name": "Trùng mã", "kind": "village", "parent": "03434"}
    response = client.post(reverse("places:create"), {**data, "valid_from": "2020-01-01"})
    assert "Mã địa bàn V1 đã tồn tại." in response.content.decode()
    assert Place.objects.get(code="V1").versions.count() == 1


def test_change_renames_from_a_date(client, reg, editor_a):
    client.force_login(editor_a)
    url = reverse("places:change", args=["V1"])
    form = client.get(url, {"as_of": "2020-01-01"})
    assert 'value="Bản Nậm Ngà"' in form.content.decode()  # prefilled with the current version
    response = client.post(
        url, {"day": "2024-01-01", "name": "Bản Nậm Ngà Mới", "kind": "village", "parent": "03434"}
    )
    assert response.status_code == 302
    assert reg.village_a.version_on(date(2023, 12, 31)).name == "Bản Nậm Ngà"
    assert reg.village_a.version_on(date(2024, 1, 1)).name == "Bản Nậm Ngà Mới"


def test_change_keeps_a_parent_outside_the_scope(client, reg, editor_a):
    # The commune lies in the district, which the commune's editor cannot see: keeping it is fine.
    client.force_login(editor_a)
    response = client.post(
        reverse("places:change", args=["03434"]),
        {"day": "2024-01-01", "name": "Xã Nậm Hàng", "kind": "commune", "parent": "112"},
    )
    assert response.status_code == 302
    assert reg.commune_a.versions.count() == 1  # nothing changed, so no new version


def test_change_refuses_a_day_the_place_did_not_exist(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:change", args=["V1"]),
        {"day": "2010-01-01", "name": "Tên khác", "kind": "village", "parent": "03434"},
    )
    assert "không có hiệu lực vào ngày 01/01/2010" in response.content.decode()
    assert reg.village_a.versions.count() == 1


def test_end_place(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("places:end", args=["V1"]), {"day": "2024-01-01"})
    assert response.status_code == 302
    assert reg.village_a.versions.get().valid_to == date(2024, 1, 1)


def test_end_refuses_a_place_with_children(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("places:end", args=["03434"]), {"day": "2024-01-01"})
    assert "Còn địa bàn trực thuộc" in response.content.decode()
    assert reg.commune_a.versions.get().valid_to is None


def test_split_place(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:split", args=["V1"]),
        {
            "day": "2024-01-01",
            "parts": "V1A; Bản Nậm Ngà 1\nV1B; Bản Nậm Ngà 2\n",
            "kind": "",
            "end_original": "on",
        },
    )
    assert response.status_code == 302
    assert reg.village_a.versions.get().valid_to == date(2024, 1, 1)
    new = Place.objects.get(code="V1B").versions.get()
    assert new.name == "Bản Nậm Ngà 2" and new.kind == "village" and new.parent == reg.commune_a
    assert PlaceLineage.objects.filter(from_place=reg.village_a, change="split").count() == 2


def test_split_refuses_badly_written_parts(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:split", args=["V1"]),
        {"day": "2024-01-01", "parts": "V1A Bản Nậm Ngà 1", "end_original": "on"},
    )
    assert "Dòng 1 không đúng dạng" in response.content.decode()
    assert Place.objects.count() == 6 and reg.village_a.versions.get().valid_to is None


def test_merge_places(client, reg, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("places:merge"), {"places": "03460", "into": "03434", "day": "2025-07-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("places:detail", args=["03434"])
    assert reg.commune_b.versions.get().valid_to == date(2025, 7, 1)
    assert reg.village_b.version_on(date(2025, 7, 1)).parent == reg.commune_a
    assert PlaceLineage.objects.filter(
        from_place=reg.commune_b, to_place=reg.commune_a, change=LineageChange.MERGE
    ).exists()


def test_merge_refuses_codes_outside_the_scope(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("places:merge"), {"places": "03460, V1", "into": "03434", "day": "2025-07-01"}
    )
    assert "Không tìm thấy địa bàn mã 03460" in response.content.decode()
    assert reg.commune_b.versions.get().valid_to is None
    assert reg.village_a.versions.get().valid_to is None


def test_tree_queries_do_not_grow_with_the_tree(client, reg, admin_user):
    client.force_login(admin_user)
    url = reverse("places:tree")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for number in range(10):
        factories.place(
            name=f"Bản {number}", kind="village", parent=reg.commune_a, valid_from=date(2013, 6, 1)
        )
    assert queries() == before


def test_admin_lists_places_and_finds_them_without_diacritics(client, reg, make_user):
    client.force_login(make_user("staff", is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:places_place_changelist"), {"q": "nam hang"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Xã Nậm Hàng" in body and "Xã Hua Bum" not in body
    page = client.get(reverse("admin:places_place_change", args=[reg.commune_a.pk]))
    assert page.status_code == 200 and "Huyện Nậm Nhùn" in page.content.decode()


def test_a_user_without_scope_sees_no_place(client, reg, make_user):
    body = _page(client, make_user("khong", roles=["viewer"]), reverse("places:tree"))
    assert "Không có địa bàn nào" in body.content.decode()
    assert "Tỉnh Lai Châu" not in body.content.decode()
