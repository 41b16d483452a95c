"""Issue 11, faults 5–8: hierarchy kinds (policy), deleting a version created by mistake, ending
on the first day, restructure preview = confirmation, a move proposes the new cell's place."""

from datetime import date

import pytest
from django.urls import reverse

from grassroots.core.errors import RuleError
from grassroots.organizations.models import Organization
from grassroots.organizations.services import (
    organization_change,
    organization_found,
    organization_reparent,
)
from grassroots.places.models import Place
from grassroots.places.services import place_change, place_create
from tests import factories
from tests.interchange.test_importer import write_text

D = date(2020, 1, 1)


# --- Fault 5: allowed parent kinds ------------------------------------------------------------


def test_a_province_inside_a_village_is_refused(reg):
    with pytest.raises(RuleError) as exc:
        place_create(
            acting_user=None, code="99", name="Tỉnh lạ", kind="province", parent=reg.village_a,
            valid_from=D,
        )  # fmt: skip
    assert exc.value.code == "bad_parent_kind"
    assert "Tỉnh, thành phố không thể trực thuộc địa bàn loại Bản, thôn" in exc.value.messages[0]
    assert not Place.objects.filter(code="99").exists()


def test_a_province_may_lie_in_the_country_of_a_national_registry(reg):
    country = place_create(
        acting_user=None, code="VN", name="Toàn quốc", kind="other", valid_from=D
    )
    province = place_create(
        acting_user=None, code="98", name="Tỉnh mới", kind="province", parent=country,
        valid_from=D,
    )  # fmt: skip
    assert province.versions.get().parent == country


def test_a_commune_directly_in_a_province_is_allowed_after_2025(reg):
    place_create(
        acting_user=None, code="X1", name="Xã mới", kind="commune", parent=reg.province,
        valid_from=date(2025, 7, 1),
    )  # fmt: skip
    assert Place.objects.filter(code="X1").exists()


def test_moving_a_place_under_a_wrong_kind_is_refused(reg):
    with pytest.raises(RuleError) as exc:
        place_change(acting_user=None, place=reg.commune_b, day=D, parent=reg.village_a)
    assert exc.value.code == "bad_parent_kind"
    assert reg.commune_b.versions.count() == 1
    with pytest.raises(RuleError):  # changing the kind alone is checked too
        place_change(acting_user=None, place=reg.village_a, day=D, kind="district")


def test_a_district_committee_under_a_cell_is_refused(reg):
    with pytest.raises(RuleError) as exc:
        organization_found(
            acting_user=None, code="DB-X", name="Đảng bộ huyện lạ", kind="committee",
            place=reg.district, parent=reg.cell_a, valid_from=D,
        )  # fmt: skip
    assert exc.value.code == "bad_parent_kind"
    assert "Đảng bộ (cấp trên cơ sở) không thể trực thuộc tổ chức loại Chi bộ" in str(exc.value)
    assert not Organization.objects.filter(code="DB-X").exists()
    with pytest.raises(RuleError) as exc:
        organization_reparent(
            acting_user=None, organization=reg.cell_b, parent=reg.committee, day=D
        )
    assert exc.value.code == "bad_parent_kind"
    with pytest.raises(RuleError) as exc:
        organization_change(acting_user=None, organization=reg.cell_a, day=D, kind="committee")
    assert exc.value.code == "bad_parent_kind"


def test_changing_a_kind_rechecks_the_children(reg):
    """A commune turned into a school would hold villages: refused, naming the child."""
    with pytest.raises(RuleError) as exc:
        place_change(acting_user=None, place=reg.commune_a, day=D, kind="school")
    assert exc.value.code == "bad_parent_kind"
    assert "cấp dưới" in str(exc.value)
    assert reg.commune_a.versions.count() == 1
    # A commune committee turned into a grassroots cell would hold cells.
    with pytest.raises(RuleError) as exc:
        organization_change(
            acting_user=None, organization=reg.commune_committee_a, day=D, kind="grassroots_cell"
        )
    assert exc.value.code == "bad_parent_kind"
    assert reg.commune_committee_a.versions.count() == 1


def test_a_party_group_under_a_cell_is_allowed(reg):
    factories.org(
        name="Tổ đảng 1", kind="party_group", place=reg.village_a, parent=reg.cell_a,
        valid_from=D, code="TD-1",
    )  # fmt: skip
    assert Organization.objects.filter(code="TD-1").exists()


def test_the_import_checks_the_kinds(tmp_path, reg):
    from grassroots.interchange.services import import_job_create, import_job_run

    folder = write_text(
        tmp_path / "goi",
        {
            "places.csv": "code,name,kind,parent_code,valid_from\n"
            "P9,Tỉnh lạ,province,V1,2020-01-01\n",
            "organizations.csv": "code,name,kind,parent_code,place_code,valid_from\n"
            "DB-9,Đảng bộ lạ,committee,CB-V1,112,2020-01-01\n",
        },
    )
    job = import_job_create(acting_user=None, source_name=str(folder))
    report = import_job_run(job=job, source=folder)
    messages = [str(p) for p in report.errors]
    assert any(
        m.startswith("places.csv:2: parent_code: Tỉnh, thành phố không thể") for m in messages
    )
    assert any(m.startswith("organizations.csv:2: parent_code: Đảng bộ") for m in messages)
    assert not Place.objects.filter(code="P9").exists()


@pytest.mark.parametrize(
    ("url", "parent", "kind"),
    [
        ("places:create", "03434", "village"),
        ("places:create", "112", "commune"),
        ("places:create", "12", "district"),
        ("organizations:create", "DU-03434", "cell"),
        ("organizations:create", "DB-112", "grassroots_committee"),
        ("organizations:create", "CB-V1", "party_group"),
    ],
)
def test_a_child_form_defaults_to_the_natural_child_kind(
    client, reg, admin_user, url, parent, kind
):
    client.force_login(admin_user)
    html = client.get(reverse(url) + f"?parent={parent}").content.decode()
    assert f'<option value="{kind}" selected>' in html


# --- Fault 6: a version created by mistake is deleted; ending on the first day -----------------


def test_a_place_created_by_mistake_is_deleted_and_audited(client, reg, admin_user):
    from auditlog.models import LogEntry

    from grassroots.core.audit import acting_as
    from grassroots.places.services import place_delete

    new = factories.place(
        name="Bản nhầm", kind="village", parent=reg.commune_a, code="NHAM", valid_from=D
    )
    client.force_login(admin_user)
    detail = client.get(reverse("places:detail", args=["NHAM"])).content.decode()
    assert "Xoá phiên bản tạo nhầm" in detail
    response = client.post(reverse("places:delete", args=["NHAM"]), {"confirm": "on"})
    assert response.status_code == 302
    assert not Place.objects.filter(code="NHAM").exists()
    assert LogEntry.objects.filter(object_pk=str(new.pk), action=LogEntry.Action.DELETE).exists()
    # A place something refers to (its villages, its organisations) is not deleted.
    with acting_as(None), pytest.raises(RuleError) as exc:
        place_delete(acting_user=None, place=reg.commune_a)
    assert exc.value.code == "in_use"
    assert "phiên bản địa bàn" in str(exc.value)
    response = client.post(reverse("places:delete", args=["V1"]), {"confirm": "on"})
    assert response.status_code == 200
    assert "đang được tham chiếu" in response.content.decode()
    assert Place.objects.filter(code="V1").exists()


def test_an_organisation_created_by_mistake_is_deleted_unless_used(client, reg, admin_user):
    from grassroots.organizations.services import organization_delete

    factories.org(
        name="Chi bộ nhầm", kind="cell", place=reg.village_a, parent=reg.commune_committee_a,
        code="CB-NHAM", valid_from=D,
    )  # fmt: skip
    client.force_login(admin_user)
    response = client.post(reverse("organizations:delete", args=["CB-NHAM"]), {"confirm": "on"})
    assert response.status_code == 302
    assert not Organization.objects.filter(code="CB-NHAM").exists()
    factories.member(
        code="M-N", organization=reg.cell_b, place=reg.village_b, admitted=date(2015, 1, 1)
    )
    with pytest.raises(RuleError) as exc:
        organization_delete(acting_user=None, organization=reg.cell_b)
    assert exc.value.code == "in_use"
    assert Organization.objects.filter(code="CB-V2").exists()
    # One with a later change is ended, not deleted.
    organization_change(acting_user=None, organization=reg.cell_a, day=D, name="Chi bộ mới")
    with pytest.raises(RuleError) as exc:
        organization_delete(acting_user=None, organization=reg.cell_a)
    assert exc.value.code == "has_history"


def test_ending_on_the_first_day_is_allowed_and_before_it_explained(reg):
    from grassroots.places.services import place_end

    new = factories.place(
        name="Bản ngắn", kind="village", parent=reg.commune_a, code="NGAN", valid_from=D
    )
    place_end(acting_user=None, place=new, day=date(2020, 1, 2))  # last day: the first day
    assert new.versions.get().valid_to == date(2020, 1, 2)
    # No longer from its very first day: it never existed, so it goes (nothing refers to it).
    other = factories.place(
        name="Bản nhầm", kind="village", parent=reg.commune_a, code="NHAM", valid_from=D
    )
    place_end(acting_user=None, place=other, day=D)
    assert not Place.objects.filter(code="NHAM").exists()


def test_ending_a_used_node_on_its_first_day_is_refused_and_explained(client, reg, admin_user):
    from grassroots.places.services import place_end

    village = factories.place(
        name="Bản mới", kind="village", parent=reg.commune_a, code="MOI", valid_from=D
    )
    factories.org(
        name="Chi bộ bản mới", kind="cell", place=village, parent=reg.commune_committee_a,
        code="CB-MOI", valid_from=D,
    )  # fmt: skip
    with pytest.raises(RuleError) as exc:
        place_end(acting_user=None, place=village, day=D)
    assert exc.value.code == "in_use"
    assert "chưa từng tồn tại" in str(exc.value)
    assert Place.objects.filter(code="MOI").exists()
    client.force_login(admin_user)
    # Unused, it goes, and the page says so.
    factories.org(
        name="Chi bộ nhầm", kind="cell", place=reg.village_a, parent=reg.commune_committee_a,
        code="CB-NHAM2", valid_from=D,
    )  # fmt: skip
    response = client.post(
        reverse("organizations:dissolve", args=["CB-NHAM2"]), {"day": D.isoformat()}, follow=True
    )
    assert not Organization.objects.filter(code="CB-NHAM2").exists()
    assert "chưa từng tồn tại" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("organizations:tree")


def test_the_organisation_page_offers_the_delete_while_it_has_one_version(client, reg, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("organizations:detail", args=["CB-V1"])).content.decode()
    assert reverse("organizations:delete", args=["CB-V1"]) in html


# --- Fault 7: the restructure preview runs the confirmation's checks --------------------------


def test_a_merge_preview_lists_the_member_it_cannot_move_and_the_confirmation_agrees(
    client, reg, admin_user
):
    late = factories.member(
        full_name="Chang A Dế", code="M-LATE", organization=reg.cell_b, place=reg.village_b,
        admitted=date(2025, 8, 1),
    )  # fmt: skip
    client.force_login(admin_user)
    url = reverse("organizations:restructure")
    data = {"action": "merge", "sources": "CB-V2", "into": "CB-V1", "day": "2025-07-01"}
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert 'name="confirm"' not in preview  # nothing to confirm: it would fail
    assert "Không thể sáp nhập từ ngày 01/07/2025" in preview
    assert "hoặc dùng sáp nhập" not in preview
    assert f'href="{reverse("members:detail", args=["M-LATE"])}"' in preview
    confirm = client.post(url, {**data, "confirm": "1"})
    assert confirm.status_code == 200
    assert "Không thể sáp nhập từ ngày 01/07/2025" in confirm.content.decode()
    assert reg.cell_b.versions.get().valid_to is None
    assert late.code == "M-LATE"


def test_a_preview_runs_the_checks_only_the_confirmation_made_before(client, reg, admin_user):
    """Merging a commune committee into a cell moves its cells under a cell: the kinds rule,
    checked by the re-parenting the merge runs, refuses it in the preview too."""
    client.force_login(admin_user)
    url = reverse("organizations:restructure")
    data = {"action": "merge", "sources": "DU-03460", "into": "CB-V1", "day": "2025-07-01"}
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "không thể trực thuộc tổ chức loại Chi bộ" in preview
    assert 'name="confirm"' not in preview
    assert reg.cell_b.versions.get().parent == reg.commune_committee_b  # rolled back
    assert reg.commune_committee_b.versions.get().valid_to is None


# --- Fault 8: a move proposes the new cell's place and says when the place is kept ------------


@pytest.mark.parametrize("keep", [False, True])
def test_a_move_to_a_cell_in_another_village_takes_its_place(client, reg, admin_user, keep):
    from grassroots.members.selectors import member_span_on

    moved = factories.member(
        code="M-MV", organization=reg.cell_a, place=reg.village_a, admitted=date(2015, 1, 1),
        confirmed=date(2016, 1, 1),
    )  # fmt: skip
    client.force_login(admin_user)
    url = reverse("members:event", args=["M-MV", "moved"])
    form = client.get(url).content.decode()
    assert "Giữ địa bàn hiện tại khi đổi tổ chức" in form
    data = {"date": "2024-01-01", "organization": "CB-V2", "place": "", "note": ""}
    if keep:
        data["keep_place"] = "on"
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    span = member_span_on(member=moved, day=date(2024, 1, 2))
    assert span.organization == reg.cell_b
    if keep:
        assert span.place == reg.village_a
        assert "Địa bàn giữ nguyên: Bản Nậm Ngà" in body
    else:
        assert span.place == reg.village_b
        assert "Địa bàn đổi theo tổ chức mới: Bản Pa Pầu" in body
