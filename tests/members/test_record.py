"""The member record of the Phiếu đảng viên: its columns in members.csv, dated changes (Mẫu
3-HSĐV) through the service, the page and the API."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from grassroots.core.errors import RuleError
from grassroots.interchange.importer import COLUMNS
from grassroots.members import profile
from grassroots.members.models import Member, MemberProfileChange
from grassroots.members.services import member_profile_change
from tests import factories
from tests.interchange.history import history, write_package

pytestmark = pytest.mark.django_db


def test_the_54_ethnic_groups_and_the_codes():
    assert len(profile.ETHNIC_GROUPS) == 54 == len(set(profile.ETHNIC_GROUPS))
    assert {"Kinh", "Thái", "Hà Nhì", "Mông", "Dao", "Cống", "Si La", "La Hủ"} <= set(
        profile.ETHNIC_GROUPS
    )
    assert len(profile.OccupationGroup.values) == 14  # the 13 groups and retired
    for column in ("occupation_group", "general_education", "political_theory", "youth_union_date"):
        assert column in COLUMNS["members.csv"]


def test_members_csv_takes_the_record_columns_and_refuses_bad_codes(tmp_path):
    tables = history(communes=1, members=2)
    header = list(COLUMNS["members.csv"])
    row = tables["members.csv"][0]
    row += [""] * (len(header) - len(row))
    row[header.index("occupation_group")] = "agriculture"
    row[header.index("youth_union_date")] = "2008-03-26"
    row[header.index("political_theory")] = "elementary"
    call_command("import", str(write_package(tmp_path / "ok", tables)))
    member = Member.objects.get(code=row[0])
    assert member.occupation_group == "agriculture" and member.youth_union_date == date(2008, 3, 26)
    assert member.political_theory == "elementary"

    row[header.index("general_education")] = "lớp 12"
    with pytest.raises(CommandError):
        call_command("import", str(write_package(tmp_path / "bad", tables)))
    assert Member.objects.get(code=row[0]).general_education == ""


def test_profile_change_rules(reg):
    member = factories.member(
        organization=reg.cell_a, place=reg.village_a, admitted=date(2015, 1, 1)
    )
    change = member_profile_change(
        acting_user=None,
        member=member,
        day=date(2020, 1, 1),
        field="political_theory",
        value="advanced",
    )
    assert change.value_label == "Cao cấp, cử nhân" and change.field_label == "lý luận chính trị"
    with pytest.raises(RuleError, match="không hợp lệ"):
        member_profile_change(
            acting_user=None,
            member=member,
            day=date(2021, 1, 1),
            field="political_theory",
            value="x",
        )
    with pytest.raises(RuleError, match="không được bổ sung theo ngày"):
        member_profile_change(
            acting_user=None, member=member, day=date(2021, 1, 1), field="full_name", value="A"
        )
    with pytest.raises(RuleError, match="Đã có một thay đổi"):
        member_profile_change(
            acting_user=None,
            member=member,
            day=date(2020, 1, 1),
            field="political_theory",
            value="elementary",
        )
    assert MemberProfileChange.objects.count() == 1


def test_page_and_api_show_the_record_and_its_changes(client, reg, make_user):
    member = factories.member(
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2015, 1, 1),
        occupation_group="agriculture",
    )
    editor = make_user("xa", roles=["editor"], scope=reg.commune_committee_a)
    outsider = make_user("xb", roles=["editor"], scope=reg.commune_committee_b)
    url = reverse("members:profile_change", args=[member.code])
    client.force_login(outsider)
    assert (
        client.post(
            url, {"date": "2020-05-01", "field": "general_education", "value": "upper_secondary"}
        ).status_code
        == 404
    )
    client.force_login(editor)
    response = client.post(
        url, {"date": "2020-05-01", "field": "general_education", "value": "lớp 12"}
    )
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    response = client.post(
        url, {"date": "2020-05-01", "field": "general_education", "value": "upper_secondary"}
    )
    assert response.status_code == 302
    page = client.get(reverse("members:detail", args=[member.code])).content.decode()
    assert "Bổ sung hồ sơ (Mẫu 3-HSĐV)" in page and "Trung học phổ thông" in page
    assert "Nông, lâm, ngư nghiệp" in page
    api = client.get(f"/api/v1/members/{member.code}").json()
    assert api["occupation_group"] == "agriculture"
    assert api["profile_changes"][0]["field"] == "general_education"


def test_member_profile_changes_csv_imports_once_and_refuses_bad_rows(tmp_path):
    import csv

    tables = history(communes=1, members=2)
    code = tables["members.csv"][0][0]
    folder = write_package(tmp_path / "goi", tables)
    rows = [
        ["member_id", "date", "field", "value"],
        [code, "2019-09-01", "general_education", "upper_secondary"],
        [code, "2021-01-01", "political_theory", "elementary"],
    ]
    with open(folder / "member_profile_changes.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    call_command("import", str(folder))
    call_command("import", str(folder))  # the same package again changes nothing
    assert MemberProfileChange.objects.filter(member__code=code).count() == 2

    rows.append([code, "2022-01-01", "political_theory", "cao cấp"])
    with open(folder / "member_profile_changes.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(CommandError):
        call_command("import", str(folder))
    assert MemberProfileChange.objects.count() == 2

    out = tmp_path / "ra"
    call_command("export", "--org", "DB-112", str(out))
    exported = (out / "member_profile_changes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert exported[0] == "member_id,date,field,value" and len(exported) == 3
