"""The member pages: list, member page, profile and lifecycle forms, the checks page."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from grassroots.members.forms import MemberProfileForm
from grassroots.members.models import EventKind, Member, MemberEvent, Status
from grassroots.members.services import (
    member_admit,
    member_event_correct,
    member_exempt,
    member_leave,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user, reg):
    return make_user(
        "bientap", roles=["editor"], full_name="Biên Tập", scope=reg.province_committee
    )


@pytest.fixture
def viewer(make_user, reg):
    return make_user("xem", roles=["viewer"], scope=reg.province_committee)


@pytest.fixture
def quan(reg):
    """Lù Văn Quân: admitted in cell A on 1/3/2024, confirmed on 3/3/2025."""
    return factories.member(
        full_name="Lù Văn Quân",
        code="DV-001",
        ethnicity="Thái",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
        confirmed=date(2025, 3, 3),
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def detail_url(member):
    return reverse("members:detail", args=[member.code])


def event_url(member, kind):
    return reverse("members:event", args=[member.code, kind])


def db_state(member):
    """Everything a lifecycle form may change for ``member``."""
    return (
        list(member.events.values_list("pk", "kind", "date", "supersedes_id")),
        list(member.spans.values_list("status", "organization_id", "valid_from", "valid_to")),
    )


# --- List ---------------------------------------------------------------------------------------


def list_names(client, **params):
    response = client.get(reverse("members:list"), params)
    assert response.status_code == 200
    return [m.full_name for m in response.context["members"]]


@pytest.mark.parametrize("search", ["lu van quan", "Lù Văn Quân", "LU VAN", "DV-001"])
def test_list_search_ignores_diacritics_and_case(editor_client, reg, quan, search):
    factories.member(
        full_name="Lò Thị Hoa",
        gender="female",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 1, 1),
    )
    assert list_names(editor_client, search=search) == ["Lù Văn Quân"]


def test_list_filters(editor_client, reg, quan):
    factories.member(
        full_name="Lò Thị Hoa",
        gender="female",
        ethnicity="Mông",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2024, 1, 1),
    )
    assert list_names(editor_client, status="probationary") == ["Lò Thị Hoa"]
    assert list_names(editor_client, status="official") == ["Lù Văn Quân"]
    assert list_names(editor_client, gender="female") == ["Lò Thị Hoa"]
    assert list_names(editor_client, ethnicity="Thái") == ["Lù Văn Quân"]
    # An organisation's subtree: the commune committee B holds cell B.
    assert list_names(editor_client, organization=reg.commune_committee_b.code) == ["Lò Thị Hoa"]
    assert list_names(editor_client, place=reg.village_a.code) == ["Lù Văn Quân"]
    # On 1/6/2024 both were probationary.
    assert list_names(editor_client, status="probationary", as_of="2024-06-01") == [
        "Lò Thị Hoa",
        "Lù Văn Quân",
    ]
    factories.member(
        full_name="Vàng A Di",
        ethnicity="Mông Hoa",  # recorded outside the official list of 54 groups
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2024, 1, 1),
    )
    assert list_names(editor_client, ethnicity="other") == ["Vàng A Di"]
    page = editor_client.get(reverse("members:list")).content.decode()
    assert '<option value="Hà Nhì">Hà Nhì</option>' in page  # the official list, in its order
    assert page.index(">Kinh<") < page.index(">Tày<") < page.index(">Khác (ngoài danh mục)<")


def test_list_exempted_filter(editor_client, reg, quan, editor):
    member_exempt(acting_user=editor, member=quan, day=date(2025, 6, 1))
    factories.member(
        full_name="Lò Thị Hoa",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 1, 1),
    )
    assert list_names(editor_client, exempted="1") == ["Lù Văn Quân"]
    assert list_names(editor_client, exempted="0") == ["Lò Thị Hoa"]


def test_list_refuses_an_organisation_outside_the_scope(client, make_user, reg, quan):
    user = make_user("xa_b", roles=["viewer"], scope=reg.commune_committee_b)
    client.force_login(user)
    response = client.get(reverse("members:list"), {"organization": reg.cell_a.code})
    assert response.context["members"] == []
    assert "organization" in response.context["form"].errors


def test_list_orders_by_vietnamese_name_and_paginates(editor_client, reg):
    # Given names in Vietnamese order: Anh < Ánh < Bình < Đức (đ after d).
    for name in ["Vàng A Đức", "Lò Văn Ánh", "Lò Văn Anh", "Tòng Thị Bình"]:
        factories.member(
            full_name=name, organization=reg.cell_a, place=reg.village_a, admitted=date(2024, 1, 1)
        )
    for _ in range(50):
        factories.member(
            full_name="Vì Văn Xuân",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2024, 1, 1),
        )
    first = editor_client.get(reverse("members:list"))
    names = [m.full_name for m in first.context["members"]]
    assert names[:4] == ["Lò Văn Anh", "Lò Văn Ánh", "Tòng Thị Bình", "Vàng A Đức"]
    assert len(names) == 50
    assert "Trang 1/2" in first.content.decode()
    second = editor_client.get(reverse("members:list"), {"page": 2})
    assert len(second.context["members"]) == 4


def test_list_count_and_page_are_cached_until_the_data_changes(
    editor_client, editor, reg, django_assert_max_num_queries
):
    factories.member(
        full_name="Lò Văn Anh", organization=reg.cell_a, place=reg.village_a,
        admitted=date(2024, 1, 1),
    )  # fmt: skip
    assert "Lò Văn Anh" in editor_client.get(reverse("members:list")).content.decode()
    with django_assert_max_num_queries(13):  # no COUNT, no sort (+1: the access log entry)
        page = editor_client.get(reverse("members:list"))
    assert [m.full_name for m in page.context["members"]] == ["Lò Văn Anh"]
    # A new member is in the very next request: the data version changed.
    factories.member(
        full_name="Tòng Thị Bình", organization=reg.cell_a, place=reg.village_a,
        admitted=date(2024, 2, 1),
    )  # fmt: skip
    page = editor_client.get(reverse("members:list"))
    assert [m.full_name for m in page.context["members"]] == ["Lò Văn Anh", "Tòng Thị Bình"]
    # Another filter is another list.
    page = editor_client.get(reverse("members:list"), {"search": "binh"})
    assert [m.full_name for m in page.context["members"]] == ["Tòng Thị Bình"]


def test_list_shows_status_cell_and_place_without_n_plus_one(
    editor_client, reg, django_assert_max_num_queries
):
    for i in range(30):
        factories.member(
            full_name=f"Lò Văn Minh {i:02d}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2024, 1, 1),
        )
    # Session, user, role, filters, count, page, its rows, spans and two name lookups, and the
    # data version (4: the count, the page, its markup, the filters): none per row.
    with django_assert_max_num_queries(18):  # +1: the access log entry
        response = editor_client.get(reverse("members:list"))
    html = response.content.decode()
    assert html.count("Chi bộ bản Nậm Ngà") == 30
    assert html.count("Bản Nậm Ngà</td>") == 30
    assert html.count('<span class="badge probationary">Dự bị</span>') == 30
    # The next request reads the page's markup from the cache: no row, span or name query.
    with django_assert_max_num_queries(11):
        again = editor_client.get(reverse("members:list"))
    assert again.content.decode().count("Chi bộ bản Nậm Ngà") == 30


def test_a_new_scope_is_in_the_next_list_although_the_list_is_cached(client, make_user, reg, quan):
    user = make_user("xa_doi", roles=["viewer"], scope=reg.commune_committee_a)
    client.force_login(user)
    assert list_names(client) == ["Lù Văn Quân"]  # now cached for this user
    user.scope = reg.commune_committee_b  # the users' table is not under the data version
    user.save()
    assert list_names(client) == []


def test_scope_hides_members_of_another_commune(client, make_user, reg, quan):
    user = make_user("xa_b", roles=["editor"], scope=reg.commune_committee_b)
    client.force_login(user)
    assert list_names(client) == []
    assert client.get(detail_url(quan)).status_code == 404
    assert client.get(event_url(quan, "moved")).status_code == 404
    event = quan.events.first()
    assert client.get(reverse("members:correct", args=[quan.code, event.pk])).status_code == 404
    assert client.get(reverse("members:cancel", args=[quan.code, event.pk])).status_code == 404


def test_user_without_scope_sees_nothing(client, make_user, quan):
    client.force_login(make_user("noscope", roles=["viewer"]))
    assert list_names(client) == []
    assert client.get(detail_url(quan)).status_code == 404


def test_list_needs_login(client):
    response = client.get(reverse("members:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Member page --------------------------------------------------------------------------------


def test_member_page_shows_profile_state_party_age_and_actions(editor_client, quan):
    response = editor_client.get(detail_url(quan), {"as_of": "2025-06-01"})
    html = response.content.decode()
    assert "Lù Văn Quân" in html and "Thái" in html
    assert '<span class="badge official">Chính thức</span>' in html
    assert "Chi bộ bản Nậm Ngà" in html and "Bản Nậm Ngà" in html
    assert "từ 01/03/2024" in html  # party age counts from the admission
    assert response.context["party_age"].next_badge_years == 30
    kinds = [kind for kind, _ in response.context["actions"]]
    assert kinds == [EventKind.MOVED, EventKind.EXEMPTED, EventKind.LEFT]


def test_member_page_before_admission_offers_admission(editor_client, quan):
    response = editor_client.get(detail_url(quan), {"as_of": "2024-01-01"})
    assert response.context["span"] is None
    assert "Không là đảng viên" in response.content.decode()
    kinds = [kind for kind, _ in response.context["actions"]]
    assert kinds == [EventKind.ADMITTED, EventKind.JOINED_OFFICIAL, EventKind.JOINED_PROBATIONARY]


def test_viewer_sees_no_action_buttons(client, viewer, quan):
    client.force_login(viewer)
    html = client.get(detail_url(quan)).content.decode()
    assert "Lù Văn Quân" in html
    assert reverse("members:edit", args=[quan.code]) not in html
    assert event_url(quan, "moved") not in html


# --- Create and edit ----------------------------------------------------------------------------

PROFILE = {
    "code": "DV-100",
    "full_name": "  Tòng   Văn Mạnh ",
    "gender": "male",
    "birth_date": "15/08/1995",
    "ethnicity": "Thái",
}
ADMISSION = {"admitted_on": "2024-03-01", "organization": "CB-V1", "place": "V1"}


def test_create_member_and_admit_at_once(editor_client, reg, editor):
    response = editor_client.post(reverse("members:create"), {**PROFILE, **ADMISSION})
    member = Member.objects.get(code="DV-100")
    assert response.status_code == 302 and response["Location"] == detail_url(member)
    assert member.full_name == "Tòng Văn Mạnh" and member.birth_date == date(1995, 8, 15)
    event = member.events.get()
    assert (event.kind, event.date, event.recorded_by) == ("admitted", date(2024, 3, 1), editor)
    assert member.spans.get().status == Status.PROBATIONARY


def test_create_warns_about_admission_age_after_saving(editor_client, reg):
    data = {**PROFILE, **ADMISSION, "birth_date": "2010-01-01"}
    response = editor_client.post(reverse("members:create"), data, follow=True)
    assert Member.objects.filter(code="DV-100").exists()
    html = response.content.decode()
    assert "Cảnh báo: Tuổi khi kết nạp là 14 tuổi" in html


def test_create_without_admission_saves_only_the_profile(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("members:create"), PROFILE)
    member = Member.objects.get(code="DV-100")
    assert response["Location"] == detail_url(member)
    assert not member.events.exists()


def test_scoped_editor_must_admit_the_new_member(editor_client):
    # A bare profile would be outside the editor's scope (scope follows the member's history).
    response = editor_client.post(reverse("members:create"), PROFILE)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"admitted_on", "organization", "place"}
    assert not Member.objects.filter(code="DV-100").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"birth_date": "31/02/1995"}, "Ngày không hợp lệ"),
        ({"organization": "KHONG-CO"}, "Không tìm thấy tổ chức mã KHONG-CO trong phạm vi của bạn."),
        # The organisation did not exist yet in 2010: the service refuses, nothing is saved.
        ({"admitted_on": "2010-03-01"}, "không có hiệu lực vào ngày 01/03/2010"),
    ],
)
def test_create_refused_changes_nothing(editor_client, reg, extra, message):
    response = editor_client.post(reverse("members:create"), {**PROFILE, **ADMISSION, **extra})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Member.objects.filter(code="DV-100").exists()


def test_create_refuses_a_duplicate_code(editor_client, quan):
    data = {**PROFILE, **ADMISSION, "code": quan.code}
    response = editor_client.post(reverse("members:create"), data)
    assert "Mã đảng viên DV-001 đã tồn tại." in response.content.decode()
    assert Member.objects.filter(code=quan.code).count() == 1


def test_admission_fields_are_all_or_nothing_for_a_user_who_sees_everything(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("members:create"), {**PROFILE, "admitted_on": "2024-03-01"})
    assert (
        "cần nhập đủ ngày kết nạp (vào Đảng), tổ chức đảng và địa bàn" in response.content.decode()
    )
    assert not Member.objects.filter(code="DV-100").exists()


def test_edit_profile(editor_client, quan):
    url = reverse("members:edit", args=[quan.code])
    form = editor_client.get(url).context["form"]
    assert form.initial["full_name"] == "Lù Văn Quân"
    data = {**{k: v for k, v in form.initial.items() if v}, "birth_date": "1990-05-01"}
    data["occupation"] = "Giáo viên"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    quan.refresh_from_db()
    assert quan.occupation == "Giáo viên" and quan.full_name == "Lù Văn Quân"


def test_edit_profile_refused_changes_nothing(editor_client, quan):
    url = reverse("members:edit", args=[quan.code])
    data = {**MemberProfileForm.initial_for(quan), "full_name": " ", "occupation": "Giáo viên"}
    response = editor_client.post(url, {k: v for k, v in data.items() if v})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    quan.refresh_from_db()
    assert (quan.full_name, quan.occupation) == ("Lù Văn Quân", "")


def test_edit_profile_uploads_a_photo_shown_on_the_member_page(
    editor_client, quan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    photo = SimpleUploadedFile("quan.png", buffer.getvalue(), content_type="image/png")
    data = {k: v for k, v in MemberProfileForm.initial_for(quan).items() if v}
    response = editor_client.post(
        reverse("members:edit", args=[quan.code]), {**data, "photo": photo}
    )
    assert response.status_code == 302
    quan.refresh_from_db()
    assert quan.photo.name.startswith("members/photos/quan")
    assert f'src="{quan.photo.url}"' in editor_client.get(detail_url(quan)).content.decode()


def test_viewer_cannot_post_forms(client, viewer, reg, quan):
    client.force_login(viewer)
    event = quan.events.first()
    before = db_state(quan)
    posts = [
        (reverse("members:create"), PROFILE),
        (reverse("members:edit", args=[quan.code]), {**PROFILE, "full_name": "Khác"}),
        (event_url(quan, "moved"), {"date": "2025-06-01", "place": reg.village_b.code}),
        (reverse("members:correct", args=[quan.code, event.pk]), {"date": "2024-03-02"}),
        (reverse("members:cancel", args=[quan.code, event.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert db_state(quan) == before
    assert not Member.objects.filter(code="DV-100").exists()
    quan.refresh_from_db()
    assert quan.full_name == "Lù Văn Quân"


# --- Lifecycle forms ----------------------------------------------------------------------------


@pytest.fixture
def probationary(reg):
    return factories.member(
        full_name="Lò Thị Hoa",
        code="DV-002",
        gender="female",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )


@pytest.fixture
def newcomer(reg):
    """Vàng A Páo: transferred out of cell B in 2020, so not a member in 2024 (a profile with no
    history at all is outside every scope)."""
    member = factories.member(
        full_name="Vàng A Páo",
        code="DV-003",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2015, 1, 5),
        confirmed=date(2016, 1, 5),
    )
    member_leave(acting_user=None, member=member, day=date(2020, 1, 1), reason="transferred_out")
    return member


def spans_of(member):
    """The member's spans since 2024 (the fixtures' earlier history left aside)."""
    return list(
        member.spans.filter(valid_from__gte=date(2024, 1, 1)).values_list(
            "status", "organization__code", "exempted", "valid_from"
        )
    )


@pytest.mark.parametrize(
    ("member_fixture", "kind", "data", "spans_after"),
    [
        (
            "newcomer",
            "admitted",
            {"date": "2024-03-01", "organization": " CB-V1 ", "place": "V1"},
            [("probationary", "CB-V1", False, date(2024, 3, 1))],
        ),
        (
            "newcomer",
            "joined_official",
            {"date": "2024-03-01", "organization": "CB-V2", "place": "V2"},
            [("official", "CB-V2", False, date(2024, 3, 1))],
        ),
        (
            "newcomer",
            "joined_probationary",
            {"date": "2024-03-01", "organization": "CB-V2", "place": "V2"},
            [("probationary", "CB-V2", False, date(2024, 3, 1))],
        ),
        (
            "probationary",
            "confirmed",
            {"date": "2025-03-03"},
            [
                ("probationary", "CB-V1", False, date(2024, 3, 1)),
                ("official", "CB-V1", False, date(2025, 3, 3)),
            ],
        ),
        (
            "probationary",
            "moved",
            {"date": "2024-09-01", "organization": "CB-V2", "place": "V2"},
            [
                ("probationary", "CB-V1", False, date(2024, 3, 1)),
                ("probationary", "CB-V2", False, date(2024, 9, 1)),
            ],
        ),
        (
            "probationary",
            "exempted",
            {"date": "2024-09-01"},
            [
                ("probationary", "CB-V1", False, date(2024, 3, 1)),
                ("probationary", "CB-V1", True, date(2024, 9, 1)),
            ],
        ),
        (
            "probationary",
            "left",
            {"date": "2024-09-01", "reason": "died"},
            [("probationary", "CB-V1", False, date(2024, 3, 1))],
        ),
    ],
)
def test_lifecycle_form_records_the_event(
    request, editor_client, editor, reg, member_fixture, kind, data, spans_after
):
    member = request.getfixturevalue(member_fixture)
    url = event_url(member, kind)
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {**data, "note": "Theo quyết định số 01"})
    assert response.status_code == 302, response.context["form"].errors
    event = member.events.latest("id")
    assert (event.kind, event.recorded_by, event.note) == (kind, editor, "Theo quyết định số 01")
    assert spans_of(member) == spans_after


def test_exemption_can_end(editor_client, probationary, editor):
    member_exempt(acting_user=editor, member=probationary, day=date(2024, 9, 1))
    response = editor_client.post(
        event_url(probationary, "exemption_ended"), {"date": "2024-12-01"}
    )
    assert response.status_code == 302
    assert [s[2] for s in spans_of(probationary)] == [False, True, False]


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("confirmed", {"date": "2025-06-01"}, "không phải là đảng viên dự bị"),
        ("admitted", {"date": "2025-06-01", "organization": "CB-V1", "place": "V1"}, "đang là"),
        ("exemption_ended", {"date": "2025-06-01"}, "không được miễn"),
        ("moved", {"date": "2025-06-01", "organization": "CB-V1"}, "không có thay đổi"),
        ("left", {"date": "2025-06-01"}, "Lý do"),
        ("moved", {"date": "2023-01-01", "organization": "CB-V2"}, "không phải là đảng viên"),
        ("confirmed", {"date": "không phải ngày"}, "Ngày không hợp lệ"),
    ],
)
def test_refused_lifecycle_form_changes_nothing(editor_client, quan, kind, data, message):
    before = db_state(quan)
    response = editor_client.post(event_url(quan, kind), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors
    assert db_state(quan) == before


def test_event_form_shows_the_current_state_with_codes(editor_client, quan):
    response = editor_client.get(event_url(quan, "moved"), {"as_of": "2025-06-01"})
    html = response.content.decode()
    assert "Chi bộ bản Nậm Ngà (CB-V1) · Bản Nậm Ngà (V1)" in html
    assert response.context["form"].initial["date"] == date(2025, 6, 1)


def test_unknown_event_kind_is_404(editor_client, quan):
    assert editor_client.get(event_url(quan, "cancelled")).status_code == 404
    assert editor_client.get(event_url(quan, "promoted")).status_code == 404


def test_event_form_refuses_an_organisation_outside_the_scope(client, make_user, reg, newcomer):
    user = make_user("xa_b", roles=["editor"], scope=reg.commune_committee_b)
    member_admit(
        acting_user=user,
        member=newcomer,
        day=date(2024, 1, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    client.force_login(user)
    before = db_state(newcomer)
    response = client.post(
        event_url(newcomer, "moved"), {"date": "2024-06-01", "organization": reg.cell_a.code}
    )
    assert (
        f"Không tìm thấy tổ chức mã {reg.cell_a.code} trong phạm vi của bạn."
        in response.content.decode()
    )
    assert db_state(newcomer) == before


# --- Correct and cancel -------------------------------------------------------------------------


def test_correction_keeps_both_events_on_the_member_page(editor_client, quan, editor):
    admitted = quan.events.get(kind="admitted")
    url = reverse("members:correct", args=[quan.code, admitted.pk])
    assert editor_client.get(url).context["form"].initial["date"] == date(2024, 3, 1)
    response = editor_client.post(url, {"date": "2024-02-15", "note": "Sai ngày quyết định"})
    assert response.status_code == 302
    correction = admitted.superseded_by
    assert (correction.kind, correction.date, correction.organization) == (
        "admitted",
        date(2024, 2, 15),
        admitted.organization,
    )
    assert quan.spans.order_by("valid_from").first().valid_from == date(2024, 2, 15)
    html = editor_client.get(detail_url(quan)).content.decode()
    assert "01/03/2024" in html and "15/02/2024" in html
    assert "đã đính chính" in html
    assert f'href="#event-{correction.pk}"' in html
    assert f'<li id="event-{admitted.pk}">' in html
    # A superseded event offers no further correction.
    assert reverse("members:correct", args=[quan.code, admitted.pk]) not in html


def test_refused_correction_changes_nothing(editor_client, quan):
    confirmed = quan.events.get(kind="confirmed")
    before = db_state(quan)
    # Confirmation before admission does not fit the history.
    response = editor_client.post(
        reverse("members:correct", args=[quan.code, confirmed.pk]), {"date": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert db_state(quan) == before


def test_cancel_an_event(editor_client, quan, editor):
    confirmed = quan.events.get(kind="confirmed")
    url = reverse("members:cancel", args=[quan.code, confirmed.pk])
    assert 'data-confirm="Hủy sự kiện này?"' in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"note": "Ghi trùng"})
    assert response.status_code == 302
    cancel = MemberEvent.objects.get(supersedes=confirmed)
    assert (cancel.kind, cancel.note, cancel.recorded_by) == (
        EventKind.CANCELLED,
        "Ghi trùng",
        editor,
    )
    assert list(quan.spans.values_list("status", flat=True)) == ["probationary"]
    html = editor_client.get(detail_url(quan)).content.decode()
    assert "đã hủy" in html and "Ghi trùng" in html


def test_cancel_refused_changes_nothing(editor_client, quan):
    admitted = quan.events.get(kind="admitted")
    before = db_state(quan)
    # Without the admission, the confirmation no longer fits.
    response = editor_client.post(reverse("members:cancel", args=[quan.code, admitted.pk]), {})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    assert db_state(quan) == before


def test_a_superseded_event_cannot_be_corrected_again(editor_client, quan, editor):
    admitted = quan.events.get(kind="admitted")
    member_event_correct(acting_user=editor, event=admitted, day=date(2024, 2, 1))
    before = db_state(quan)
    response = editor_client.post(
        reverse("members:correct", args=[quan.code, admitted.pk]), {"date": "2024-02-10"}
    )
    assert "đã được đính chính trước đó" in response.content.decode()
    assert db_state(quan) == before


# --- Checks -------------------------------------------------------------------------------------


def test_checks_page_lists_a_cell_below_three_official_members(editor_client, reg, quan):
    for name in ["Lò Văn Anh", "Lò Văn Bình", "Lò Văn Cường"]:
        factories.member(
            full_name=name,
            organization=reg.cell_b,
            place=reg.village_b,
            admitted=date(2023, 1, 1),
            confirmed=date(2024, 1, 2),
        )
    response = editor_client.get(reverse("members:checks"), {"as_of": "2025-06-01"})
    html = response.content.decode()
    groups = {check.code: rows for check, rows in response.context["groups"]}
    below = groups["cell_below_minimum"]
    assert [(row.label, row.url) for row in below] == [
        (reg.cell_a.code, reverse("organizations:detail", args=[reg.cell_a.code]))
    ]
    assert "Chi bộ bản Nậm Ngà: 1 đảng viên chính thức" in html
    assert "Chi bộ dưới 3 đảng viên chính thức" in html


def test_checks_page_links_to_members(editor_client, reg):
    young = factories.member(
        full_name="Lò Văn Trẻ",
        birth_date=date(2008, 1, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )
    response = editor_client.get(reverse("members:checks"), {"as_of": "2024-06-01"})
    groups = {check.code: rows for check, rows in response.context["groups"]}
    assert [(r.label, r.url) for r in groups["admission_age"]] == [
        ("Lò Văn Trẻ", detail_url(young))
    ]
    assert f'<a href="{detail_url(young)}">Lò Văn Trẻ</a>' in response.content.decode()


def test_checks_page_respects_the_scope(client, make_user, reg):
    factories.member(
        full_name="Lò Văn Trẻ",
        birth_date=date(2008, 1, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )
    client.force_login(make_user("xa_b", roles=["viewer"], scope=reg.commune_committee_b))
    response = client.get(reverse("members:checks"), {"as_of": "2024-06-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lò Văn Trẻ" not in html and "Chi bộ bản Nậm Ngà" not in html
    assert "Chi bộ bản Pa Pầu: 0 đảng viên chính thức" in html


# --- Admin --------------------------------------------------------------------------------------


def test_admin_shows_members_read_only(client, make_user, quan):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    listing = client.get("/admin/members/member/", {"q": "quan"})
    assert "Lù Văn Quân" in listing.content.decode()
    page = client.get(f"/admin/members/member/{quan.pk}/change/").content.decode()
    assert "Công nhận chính thức" in page  # the events inline
    assert 'name="full_name"' not in page  # nothing to edit


def test_checks_export_one_line_per_case(editor_client, reg):
    from io import BytesIO

    from openpyxl import load_workbook

    factories.member(
        full_name="Lò Văn Trẻ",
        birth_date=date(2008, 1, 1),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2024, 3, 1),
    )
    response = editor_client.get(
        reverse("members:checks"), {"as_of": "2024-06-01", "format": "xlsx"}
    )
    assert response["Cache-Control"] == "no-store"
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Cảnh báo", "Đối tượng", "Chi tiết")
    assert ("Tuổi khi kết nạp ngoài 18–60", "Lò Văn Trẻ") in [row[:2] for row in rows[1:]]
