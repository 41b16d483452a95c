"""The organisation pages: tree, detail, one form per service and the restructure page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.members.models import MembershipSpan
from grassroots.organizations import selectors
from grassroots.organizations.models import Organization, OrganizationLineage
from tests import factories

AFTER = date(2025, 7, 1)


@pytest.fixture
def viewer_a(make_user, reg):
    return make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a)


@pytest.fixture
def editor_a(make_user, reg):
    return make_user("sua-a", roles=["editor"], scope=reg.commune_committee_a)


@pytest.fixture
def members(reg):
    """Two official members in cell A, one probationary in cell B."""
    return [
        factories.member(
            full_name="Lò Văn Ánh",
            code="M-A1",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2019, 1, 1),
            confirmed=date(2020, 1, 1),
        ),
        factories.member(
            full_name="Tao Thị Bình",
            code="M-A2",
            gender="female",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2019, 1, 1),
            confirmed=date(2020, 1, 1),
        ),
        factories.member(
            full_name="Chang A Dế",
            code="M-B1",
            organization=reg.cell_b,
            place=reg.village_b,
            admitted=date(2024, 6, 1),
        ),
    ]


def _page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _organization_on(member, day):
    return MembershipSpan.objects.valid_on(day).get(member=member).organization


def test_tree_is_rooted_at_the_users_scope(client, reg, viewer_a):
    response = _page(client, viewer_a, reverse("organizations:tree"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đảng bộ xã Nậm Hàng" in body and "Chi bộ bản Nậm Ngà" in body
    assert "Đảng bộ xã Hua Bum" not in body and "Đảng bộ huyện Nậm Nhùn" not in body
    assert "Thành lập tổ chức" not in body  # a viewer sees no editor actions


def test_large_tree_loads_children_lazily(client, reg, admin_user, monkeypatch):
    monkeypatch.setattr(selectors, "tree_levels", _top_only)
    body = _page(client, admin_user, reverse("organizations:tree")).content.decode()
    children_url = reverse("organizations:children", args=["DB-12"])
    assert "Đảng bộ tỉnh Lai Châu" in body and "Đảng bộ huyện Nậm Nhùn" not in body
    assert f'hx-get="{children_url}?as_of=' in body
    fragment = _page(client, admin_user, children_url).content.decode()
    assert "Đảng bộ huyện Nậm Nhùn" in fragment and "<html" not in fragment


def _top_only(roots, children_of, key):
    for version in roots:
        version.children = []
    return roots


def test_tree_after_the_2025_reorganisation(client, reg, admin_user):
    """Commune committees move under the province committee on 1 July 2025, then the district
    committee ends: the tree on 2024-01-01 shows the district, on 2025-08-01 it does not."""
    client.force_login(admin_user)
    restructure = reverse("organizations:restructure")
    data = {
        "action": "reparent",
        "organizations": "DU-03434\nDU-03460",
        "parent": "DB-12",
        "day": "2025-07-01",
    }
    assert client.post(restructure, {**data, "confirm": "1"}).status_code == 302
    response = client.post(
        reverse("organizations:dissolve", args=["DB-112"]), {"day": "2025-07-01"}
    )
    assert response.status_code == 302

    tree = reverse("organizations:tree")
    before = client.get(tree, {"as_of": "2024-01-01"}).content.decode()
    after = client.get(tree, {"as_of": "2025-08-01"}).content.decode()
    assert "Đảng bộ huyện Nậm Nhùn" in before and "Đảng bộ xã Hua Bum" in before
    assert "Đảng bộ huyện Nậm Nhùn" not in after and "Đảng bộ xã Hua Bum" in after


def test_detail_shows_cells_members_and_counts(client, reg, viewer_a, members):
    url = reverse("organizations:detail", args=["DU-03434"])
    response = _page(client, viewer_a, url, as_of="2024-01-01")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Chi bộ bản Nậm Ngà" in body  # the cell on the date
    assert "Lò Văn Ánh" in body and "Tao Thị Bình" in body and "Chang A Dế" not in body
    assert '<span class="badge official">Chính thức</span>' in body
    assert response.context["official"] == 2 and response.context["probationary"] == 0
    assert "Chính thức: 2" in body
    assert "Đảng bộ huyện Nậm Nhùn" in body and "01/06/2013" in body  # history


def test_detail_counts_probationary_members(client, reg, admin_user, members):
    url = reverse("organizations:detail", args=["CB-V2"])
    response = _page(client, admin_user, url, as_of="2024-07-01")
    assert response.context["official"] == 0 and response.context["probationary"] == 1
    assert '<span class="badge probationary">Dự bị</span>' in response.content.decode()


@pytest.mark.parametrize("name", ["detail", "children", "change", "dissolve"])
def test_organisations_outside_scope_answer_404(client, reg, make_user, name):
    editor_b = make_user("sua-b", roles=["editor"], scope=reg.commune_committee_b)
    response = _page(client, editor_b, reverse(f"organizations:{name}", args=["CB-V1"]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        ("organizations:create", []),
        ("organizations:restructure", []),
        ("organizations:change", ["CB-V1"]),
        ("organizations:dissolve", ["CB-V1"]),
    ],
)
def test_forms_need_the_editor_role(client, reg, viewer_a, url):
    name, args = url
    assert _page(client, viewer_a, reverse(name, args=args)).status_code == 403


def test_found_organisation(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("organizations:create"),
        {
            "code": "CB-TH",
            "name": "Chi bộ Trường Tiểu học Nậm Hàng",
            "kind": "cell",
            "parent": "DU-03434",
            "place": "V1",
            "valid_from": "2020-09-01",
        },
    )
    assert response.status_code == 302
    version = Organization.objects.get(code="CB-TH").versions.get()
    assert version.parent == reg.commune_committee_a and version.place == reg.village_a


def test_found_refuses_a_parent_outside_the_scope(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("organizations:create"),
        {
            "code": "CB-TH",
            "name": "Chi bộ trường",
            "kind": "cell",
            "parent": "DU-03460",
            "place": "V1",
            "valid_from": "2020-09-01",
        },
    )
    assert "Không tìm thấy tổ chức mã DU-03460 trong phạm vi của bạn." in response.content.decode()
    assert not Organization.objects.filter(code="CB-TH").exists()


def test_change_reattaches_from_a_date(client, reg, editor_a):
    client.force_login(editor_a)
    url = reverse("organizations:change", args=["CB-V1"])
    assert 'value="Chi bộ bản Nậm Ngà"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "day": "2024-01-01",
            "name": "Chi bộ bản Nậm Ngà",
            "kind": "cell",
            "parent": "DU-03434",
            "place": "03434",
        },
    )
    assert response.status_code == 302
    assert reg.cell_a.version_on(date(2023, 12, 31)).place == reg.village_a
    assert reg.cell_a.version_on(date(2024, 1, 1)).place == reg.commune_a


def test_change_refuses_a_cycle(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("organizations:change", args=["DU-03434"]),
        {
            "day": "2024-01-01",
            "name": "Đảng bộ xã Nậm Hàng",
            "kind": "grassroots_committee",
            "parent": "CB-V1",
            "place": "03434",
        },
    )
    assert "Không thể đặt một tổ chức đảng trực thuộc chính nó" in response.content.decode()
    assert reg.commune_committee_a.versions.count() == 1


def test_dissolve_organisation(client, reg, editor_a):
    client.force_login(editor_a)
    response = client.post(reverse("organizations:dissolve", args=["CB-V1"]), {"day": "2024-01-01"})
    assert response.status_code == 302
    assert reg.cell_a.versions.get().valid_to == date(2024, 1, 1)


def test_dissolve_refuses_an_organisation_with_members(client, reg, editor_a, members):
    client.force_login(editor_a)
    response = client.post(reverse("organizations:dissolve", args=["CB-V1"]), {"day": "2024-01-01"})
    assert "còn 2 đảng viên sinh hoạt" in response.content.decode()
    assert reg.cell_a.versions.get().valid_to is None


def test_restructure_merge_previews_then_applies(client, reg, admin_user, members):
    client.force_login(admin_user)
    url = reverse("organizations:restructure")
    data = {"action": "merge", "sources": "CB-V2", "into": "CB-V1", "day": "2025-07-01"}
    preview = client.post(url, {**data, "preview": "1"})
    body = preview.content.decode()
    assert "Chuyển sinh hoạt đảng viên Chang A Dế từ Chi bộ bản Pa Pầu sang Chi bộ bản Nậm Ngà" in (
        body
    )
    assert "Kết thúc hoạt động Chi bộ bản Pa Pầu" in body
    assert 'name="confirm"' in body and 'type="hidden" name="sources" value="CB-V2"' in body
    assert _organization_on(members[2], AFTER) == reg.cell_b  # a preview changes nothing

    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=["CB-V1"])
    assert _organization_on(members[2], AFTER) == reg.cell_a
    assert reg.cell_b.versions.get().valid_to == AFTER
    assert OrganizationLineage.objects.filter(
        from_organization=reg.cell_b, to_organization=reg.cell_a, change="merge"
    ).exists()


def test_restructure_merge_refuses_codes_outside_the_scope(client, reg, editor_a, members):
    client.force_login(editor_a)
    response = client.post(
        reverse("organizations:restructure"),
        {
            "action": "merge",
            "sources": "CB-V2",
            "into": "CB-V1",
            "day": "2025-07-01",
            "confirm": "1",
        },
    )
    assert "Không tìm thấy tổ chức mã CB-V2" in response.content.decode()
    assert _organization_on(members[2], AFTER) == reg.cell_b


def test_restructure_split_previews_then_applies(client, reg, admin_user, members):
    client.force_login(admin_user)
    url = reverse("organizations:restructure")
    data = {
        "action": "split",
        "organization": "CB-V1",
        "day": "2025-07-01",
        "parts": "CB-V1A; Chi bộ Nậm Ngà 1\nCB-V1B; Chi bộ Nậm Ngà 2; 03434",
        "kind": "",
        "assignments": "M-A2; 2",
    }
    body = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "Thành lập Chi bộ Nậm Ngà 2 (CB-V1B)" in body
    assert "Chuyển sinh hoạt đảng viên Tao Thị Bình sang Chi bộ Nậm Ngà 2" in body
    assert not Organization.objects.filter(code="CB-V1A").exists()

    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    first, second = Organization.objects.get(code="CB-V1A"), Organization.objects.get(code="CB-V1B")
    assert _organization_on(members[0], AFTER) == first
    assert _organization_on(members[1], AFTER) == second
    assert second.version_on(AFTER).place == reg.commune_a
    assert first.version_on(AFTER).place == reg.village_a
    assert reg.cell_a.versions.get().valid_to == AFTER


def test_restructure_split_refuses_a_bad_assignment(client, reg, admin_user, members):
    client.force_login(admin_user)
    response = client.post(
        reverse("organizations:restructure"),
        {
            "action": "split",
            "organization": "CB-V1",
            "day": "2025-07-01",
            "parts": "CB-V1A; Chi bộ Nậm Ngà 1\nCB-V1B; Chi bộ Nậm Ngà 2",
            "assignments": "M-A2; 3",
            "preview": "1",
        },
    )
    assert "phải từ 1 đến 2" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()


def test_restructure_reparent_preview_and_refusal(client, reg, admin_user):
    client.force_login(admin_user)
    url = reverse("organizations:restructure")
    data = {"action": "reparent", "organizations": "DU-03434", "parent": "DB-12"}
    body = client.post(url, {**data, "day": "2025-07-01", "preview": "1"}).content.decode()
    assert (
        "Chuyển tổ chức Đảng bộ xã Nậm Hàng từ Đảng bộ huyện Nậm Nhùn sang Đảng bộ tỉnh Lai Châu"
        in body
    )
    # Before the commune committee existed: refused, nothing changes.
    response = client.post(url, {**data, "day": "2010-01-01", "confirm": "1"})
    assert "không có hiệu lực vào ngày 01/01/2010" in response.content.decode()
    assert reg.commune_committee_a.versions.count() == 1


def test_detail_queries_do_not_grow_with_the_members(client, reg, admin_user, members):
    client.force_login(admin_user)
    url = reverse("organizations:detail", args=["DU-03434"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"as_of": "2024-01-01"}).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        factories.member(
            full_name=f"Lò Văn Thêm {number}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2019, 1, 1),
        )
    assert queries() == before


def test_admin_shows_an_organisation_with_its_versions(client, reg, make_user):
    client.force_login(make_user("staff", is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:organizations_organization_changelist"), {"q": "hua bum"})
    body = listing.content.decode()
    assert listing.status_code == 200
    assert "Đảng bộ xã Hua Bum" in body and "Đảng bộ xã Nậm Hàng" not in body
    page = client.get(reverse("admin:organizations_organization_change", args=[reg.cell_a.pk]))
    assert page.status_code == 200 and "Đảng bộ xã Nậm Hàng" in page.content.decode()


def test_restructure_edit_returns_to_the_filled_form(client, reg, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("organizations:restructure"),
        {"action": "merge", "sources": "CB-V2", "into": "CB-V1", "day": "2025-07-01", "edit": "1"},
    )
    body = response.content.decode()
    assert response.context["plan"] is None and 'name="preview"' in body
    assert ">\nCB-V2</textarea>" in body and 'value="CB-V1"' in body
