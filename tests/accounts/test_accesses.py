"""Reads of personal data leave a trace (issue 17, fault 5): one access log entry per request,
with the count and the filter, shown to administrators on the accesses page."""

import getpass
import socket
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.accounts.services import api_token_create
from grassroots.core.access import record_access
from grassroots.core.models import AccessLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(reg):
    return [
        factories.member(
            full_name=f"Lò Văn Minh {i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2024, 1, 1),
        )
        for i in range(3)
    ]


@pytest.fixture
def editor(make_user, reg):
    return make_user("bientap", roles=["editor"], scope=reg.committee)


def _only_entry() -> AccessLog:
    entries = list(AccessLog.objects.all())
    assert len(entries) == 1, entries
    return entries[0]


def test_member_page_is_recorded_once(client, editor, people):
    client.force_login(editor)
    response = client.get(reverse("members:detail", args=[people[0].code]))
    assert response.status_code == 200
    entry = _only_entry()
    assert (entry.user, entry.username, entry.count, entry.subject) == (
        editor, "bientap", 1, people[0].code,
    )  # fmt: skip
    assert "no-store" in response["Cache-Control"]


def test_member_list_page_print_and_xlsx_are_one_entry_each_with_count_and_filter(
    client, editor, people, reg
):
    client.force_login(editor)
    url = reverse("members:list")
    client.get(url, {"organization": reg.cell_a.code})
    entry = _only_entry()
    assert entry.count == 3 and entry.action == "view"
    assert entry.filter == f"organization={reg.cell_a.code}"
    printed = client.get(url, {"format": "print", "search": "minh"})
    assert "no-store" in printed["Cache-Control"]
    download = client.get(url, {"format": "xlsx"})
    assert "no-store" in download["Cache-Control"]
    entries = list(AccessLog.objects.order_by("pk"))
    assert [(e.action, e.count, e.filter) for e in entries] == [
        ("view", 3, f"organization={reg.cell_a.code}"),
        ("print", 3, "search=minh"),
        ("xlsx", 3, ""),
    ]


def test_a_list_without_people_is_not_recorded(client, editor, people):
    client.force_login(editor)
    assert client.get(reverse("organizations:tree")).status_code == 200
    assert not AccessLog.objects.exists()


def test_api_list_and_detail_are_recorded(client, editor, people):
    _token, key = api_token_create(user=editor, name="t")
    headers = {"Authorization": f"Bearer {key}"}
    listed = client.get("/api/v1/members/", {"limit": 2, "search": "minh"}, headers=headers)
    assert listed.status_code == 200 and listed.json()["count"] == 3
    detail = client.get(f"/api/v1/members/{people[1].code}", headers=headers)
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"]
    entries = list(AccessLog.objects.order_by("pk"))
    assert [(e.user, e.action, e.count, e.subject, e.filter) for e in entries] == [
        (editor, "api", 2, "", "search=minh"),
        (editor, "api", 1, people[1].code, ""),
    ]
    # Places hold no personal data.
    client.get("/api/v1/places/", headers=headers)
    assert AccessLog.objects.count() == 2


def test_drilldown_and_its_download_are_recorded(client, editor, people, reg):
    client.force_login(editor)
    query = {"figure": "members.probationary", "organization": reg.committee.code}
    assert client.get(reverse("statistics:drilldown"), query).status_code == 200
    client.get(reverse("statistics:drilldown"), {**query, "format": "xlsx"})
    entries = list(AccessLog.objects.order_by("pk"))
    assert [(e.action, e.count) for e in entries] == [("view", 3), ("xlsx", 3)]
    assert entries[0].subject == reg.committee.code


def test_organization_page_listing_its_members_is_recorded(client, editor, people, reg):
    client.force_login(editor)
    client.get(reverse("organizations:detail", args=[reg.cell_a.code]))
    entry = _only_entry()
    assert (entry.count, entry.subject) == (3, reg.cell_a.code)


def test_export_zip_is_recorded_and_not_cached(client, editor, people, reg):
    client.force_login(editor)
    response = client.get(reverse("interchange:export"), {"organization": reg.committee.code})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entry = _only_entry()
    assert (entry.action, entry.count, entry.subject) == ("export", 3, reg.committee.code)


def test_commands_without_user_record_the_operating_system_user(tmp_path, people, reg):
    call_command("export", "--org", reg.committee.code, str(tmp_path / "pkg"))
    entry = _only_entry()
    assert entry.user is None
    assert entry.username == f"{getpass.getuser()}@{socket.gethostname()}"
    assert (entry.action, entry.count) == ("export", 3)
    call_command("import", str(tmp_path / "pkg"))
    imported = AccessLog.objects.get(action="import")
    assert imported.username == entry.username and imported.count > 0


def test_export_command_with_user_names_them(tmp_path, people, reg, editor):
    call_command("export", "--org", reg.committee.code, "--user", "bientap", str(tmp_path / "p"))
    assert _only_entry().user == editor


def test_accesses_page_is_for_administrators_only(client, editor, admin_user, people):
    record_access(None, user=editor, what="Đảng viên", count=7, filter="search=minh")
    client.force_login(editor)
    assert client.get(reverse("accounts:accesses")).status_code == 403
    client.force_login(admin_user)
    response = client.get(reverse("accounts:accesses"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Truy cập dữ liệu cá nhân" in body and "bientap" in body and "search=minh" in body
    menu = client.get(reverse("core:home")).content.decode()
    assert reverse("accounts:accesses") in menu


def test_accesses_page_filters_by_user_and_date_and_exports(client, editor, admin_user):
    record_access(None, user=editor, what="Đảng viên", count=7)
    old = record_access(None, user=admin_user, what="Đảng viên", count=9)
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client.force_login(admin_user)
    url = reverse("accounts:accesses")
    assert [a.count for a in client.get(url, {"user": "bientap"}).context["rows"]] == [7]
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert [a.count for a in client.get(url, {"start": since}).context["rows"]] == [7]
    refused = client.get(url, {"start": since, "end": "2000-01-01"})
    assert refused.status_code == 200 and refused.context["rows"] == []
    download = client.get(url, {"format": "xlsx", "user": "bientap"})
    assert "no-store" in download["Cache-Control"]
    from io import BytesIO

    sheet = load_workbook(BytesIO(download.content)).active
    assert [c.value for c in sheet[1]][:2] == ["Thời gian", "Người dùng"]
    assert sheet.max_row == 2 and sheet.cell(2, 2).value == "bientap"


def test_access_menu_is_hidden_from_others(client, editor):
    client.force_login(editor)
    assert reverse("accounts:accesses") not in client.get(reverse("core:home")).content.decode()


def test_candidate_and_rating_pages_are_recorded(client, editor, reg):
    from grassroots.admissions.services import candidate_create
    from grassroots.ratings.services import rating_record

    candidate = candidate_create(
        acting_user=None,
        code="QC-1",
        full_name="Lò Thị Hoa",
        gender="female",
        birth_date=date(2000, 1, 1),
        source="youth_union",
        organization=reg.cell_a,
        place=reg.village_a,
        identified_on=date(2022, 3, 1),
    )
    rating, _ = rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2021",
        organization=reg.cell_a,
        level="good",
    )
    client.force_login(editor)
    pages = [
        reverse("admissions:detail", args=[candidate.code]),
        reverse("admissions:list"),
        reverse("ratings:list"),
        reverse("ratings:detail", args=[rating.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    whats = [entry.what for entry in AccessLog.objects.order_by("pk")]
    assert len(whats) == len(pages)
    assert whats[0].startswith("Quần chúng ưu tú") and whats[2].startswith("Xếp loại")
