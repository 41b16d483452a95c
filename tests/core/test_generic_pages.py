"""The generic scoped pages: a list's .xlsx export and print view, and the picker."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.xlsx import CONTENT_TYPE
from grassroots.members.views import MemberList
from tests import factories

ADMITTED = date(2015, 3, 2)


@pytest.fixture
def viewer_a(make_user, reg):
    return make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a)


@pytest.fixture
def editor_a(make_user, reg):
    return make_user("sua-a", roles=["editor"], scope=reg.commune_committee_a)


@pytest.fixture
def members(reg):
    a = [
        factories.member(
            code=code,
            full_name=name,
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=ADMITTED,
        )
        for code, name in [
            ("0042", "Lò Văn Quân"),
            ("0043", '=HYPERLINK("http://x")'),
            ("0044", "Đỗ Thị Ánh"),
        ]
    ]
    b = factories.member(
        code="0099",
        full_name="Vàng A Dình",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=ADMITTED,
    )
    return a, b


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Cache-Control"] == "no-store"
    return load_workbook(BytesIO(response.content)).active


def test_member_list_exports_every_row_of_the_scope(client, viewer_a, members, monkeypatch):
    monkeypatch.setattr(MemberList, "per_page", 2)  # the export is not limited to a page
    client.force_login(viewer_a)
    url = reverse("members:list")
    page = client.get(url, {"as_of": "2020-01-01"})
    headers = [c.header for c in page.context["columns"]]
    assert len(page.context["members"]) == 2

    response = client.get(url, {"as_of": "2020-01-01", "format": "xlsx", "page": "2"})
    assert 'filename="dang-vien-2020-01-01.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response)
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == headers
    assert headers[:3] == ["Họ và tên", "Mã", "Ngày sinh"]
    by_code = {row[1].value: row for row in rows[1:]}
    assert set(by_code) == {"0042", "0043", "0044"}  # not B's member
    # Codes keep their zeros and a formula-looking name stays text.
    assert by_code["0042"][1].data_type == "s"
    assert by_code["0043"][0].value == '=HYPERLINK("http://x")'
    assert by_code["0043"][0].data_type == "s"
    assert by_code["0042"][6].value == "Chi bộ bản Nậm Ngà"
    assert by_code["0042"][5].value == "Dự bị"


def test_member_export_follows_the_filters(client, viewer_a, members):
    client.force_login(viewer_a)
    response = client.get(
        reverse("members:list"), {"as_of": "2020-01-01", "format": "xlsx", "search": "do thi"}
    )
    codes = [row[1] for row in _sheet(response).iter_rows(min_row=2, values_only=True)]
    assert codes == ["0044"]


def test_member_list_print_view_has_every_row_and_no_pager(client, viewer_a, members, monkeypatch):
    monkeypatch.setattr(MemberList, "per_page", 2)
    client.force_login(viewer_a)
    response = client.get(reverse("members:list"), {"as_of": "2020-01-01", "format": "print"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lò Văn Quân" in body and "Đỗ Thị Ánh" in body and "0043" in body
    assert "Vàng A Dình" not in body
    assert "Trang sau" not in body and "data-print" in body


def test_export_needs_a_login(client, members):
    response = client.get(reverse("members:list"), {"format": "xlsx"})
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The picker ---------------------------------------------------------------------------


def _pick(client, url_name, text, **extra):
    return client.get(reverse(url_name), {"q": text, "as_of": "2020-01-01", **extra})


def test_organization_picker_finds_a_cell_without_diacritics(client, viewer_a, reg):
    client.force_login(viewer_a)
    body = _pick(client, "organizations:pick", "nam nga").content.decode()
    assert 'data-pick="CB-V1"' in body and "Chi bộ bản Nậm Ngà" in body
    assert "Đảng bộ xã Nậm Hàng" in body  # the parent, as a hint


def test_picker_offers_only_the_users_scope(client, viewer_a, reg):
    client.force_login(viewer_a)
    body = _pick(client, "organizations:pick", "pa pau").content.decode()
    assert "CB-V2" not in body and "Không tìm thấy" in body
    codes = _pick(client, "organizations:pick", "CB-", format="json").json()["results"]
    assert [c["code"] for c in codes] == ["CB-V1"]
    places = _pick(client, "places:pick", "ban", format="json").json()["results"]
    assert [p["code"] for p in places] == ["V1"]


def test_picker_reads_the_fields_own_parameter(client, viewer_a, reg):
    client.force_login(viewer_a)
    response = client.get(
        reverse("places:pick"), {"field": "parent", "parent": "NAM NGA", "as_of": "2020-01-01"}
    )
    assert 'data-pick="V1"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_picker_ignores_a_single_character_and_needs_a_login(client, viewer_a, reg):
    anonymous = _pick(client, "organizations:pick", "nam")
    assert anonymous.status_code == 302
    client.force_login(viewer_a)
    assert "data-pick" not in _pick(client, "organizations:pick", "n").content.decode()


def test_forms_offer_the_picker_and_still_take_a_code(client, editor_a, reg):
    client.force_login(editor_a)
    form = client.get(reverse("organizations:create")).content.decode()
    assert f'hx-get="{reverse("organizations:pick")}?field=parent"' in form
    assert f'hx-get="{reverse("places:pick")}?field=place"' in form
    response = client.post(
        reverse("organizations:create"),
        {
            "code": "CB-V1B",
            "name": "Chi bộ bản Nậm Ngà 2",
            "kind": "cell",
            "parent": "DU-03434",
            "place": "V1",
            "valid_from": "2021-01-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=["CB-V1B"])


def test_statistics_drilldown_exports_the_records_behind_the_number(client, viewer_a, members):
    client.force_login(viewer_a)
    params = {"figure": "members.probationary", "organization": "DU-03434", "as_of": "2020-01-01"}
    page = client.get(reverse("statistics:drilldown"), params)
    assert page.status_code == 200 and "format=xlsx" in page.content.decode()
    sheet = _sheet(client.get(reverse("statistics:drilldown"), {**params, "format": "xlsx"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Họ và tên", "Mã")
    assert sorted(r[1] for r in rows[1:]) == ["0042", "0043", "0044"]
    assert {r[5] for r in rows[1:]} == {"Chi bộ bản Nậm Ngà"}
    outside = {**params, "organization": "DU-03460", "format": "xlsx"}
    assert client.get(reverse("statistics:drilldown"), outside).status_code == 404


def test_a_read_page_answers_404_outside_the_scope_whatever_the_method(client, viewer_a, reg):
    client.force_login(viewer_a)
    outside = reverse("places:detail", args=[reg.village_b.code])
    inside = reverse("places:detail", args=[reg.village_a.code])
    assert client.post(outside).status_code == 404
    assert client.post(inside).status_code == 405
    assert client.get(inside).status_code == 200


def _list_routes():
    """Every URL pattern whose view is a generic list page."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    from grassroots.core.generic import ListPage

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                namespace = f"{p.namespace}:" if p.namespace else ""
                for name, cls in walk(p.url_patterns, prefix + namespace):
                    yield name, cls
            elif isinstance(p, URLPattern) and p.name:
                cls = getattr(p.callback, "view_class", None)
                if cls is not None and issubclass(cls, ListPage):
                    yield prefix + p.name, cls

    return sorted(walk(get_resolver().url_patterns))


#: Query parameters a list page needs to say which list it is.
LIST_PARAMS = {"admissions:admitted": {"organization": "DB-112", "year": "2015"}}


def test_every_list_page_exports_xlsx_and_prints(client, admin_user, members):
    routes = _list_routes()
    names = {name for name, _ in routes}
    assert {
        "members:list",
        "members:checks",
        "admissions:list",
        "admissions:admitted",
        "admissions:targets",
        "ratings:list",
        "interchange:jobs",
    } <= names
    client.force_login(admin_user)
    for name, cls in routes:
        params = {"as_of": "2020-01-01", **LIST_PARAMS.get(name, {})}
        sheet = _sheet(client.get(reverse(name), {**params, "format": "xlsx"}))
        headers = [c.value for c in next(sheet.iter_rows())]
        columns = cls.columns or cls().get_columns()  # declared, or built by the page
        assert headers == [c.header for c in columns], name
        printed = client.get(reverse(name), {**params, "format": "print"})
        assert printed.status_code == 200 and "data-print" in printed.content.decode(), name


def test_a_box_of_several_codes_searches_the_words_after_the_last_comma(client, editor_a, reg):
    client.force_login(editor_a)
    form = client.get(reverse("organizations:restructure"), {"action": "merge"}).content.decode()
    assert f'hx-get="{reverse("organizations:pick")}?field=sources"' in form
    response = client.get(
        reverse("organizations:pick"),
        {"field": "sources", "sources": "DU-03434, nam nga", "as_of": "2020-01-01"},
    )
    assert 'data-pick="CB-V1"' in response.content.decode()
    # The codes typed are still read as before.
    response = client.post(
        reverse("organizations:restructure"),
        {
            "action": "merge",
            "sources": "CB-V1, ",
            "into": "DU-03434",
            "day": "2021-01-01",
            "note": "",
        },
    )
    assert response.status_code == 200 and response.context["form"].is_valid()
    assert [o.code for o in response.context["form"].cleaned_data["sources"]] == ["CB-V1"]
