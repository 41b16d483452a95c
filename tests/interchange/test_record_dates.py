"""members.csv carries the Phiếu đảng viên's dates (admitted_on, confirmed_on): party age of a
member who arrived by transfer counts from admission; death is final in the import too."""

from datetime import date

import pytest

from grassroots.interchange.exporter import export_organization
from grassroots.members.models import Member
from grassroots.members.selectors import member_party_age
from grassroots.organizations.models import Organization
from tests.interchange.test_importer import write_text

pytestmark = pytest.mark.django_db

PLACES = (
    "code,name,kind,parent_code,valid_from,valid_to\n"
    "T12,Tỉnh Lai Châu,province,,2004-01-01,\n"
    "X1,Xã Nậm Hàng,commune,T12,2004-01-01,\n"
    "B1,Bản Nậm Ngà,village,X1,2013-06-01,\n"
)
ORGANIZATIONS = (
    "code,name,kind,parent_code,place_code,valid_from,valid_to\n"
    "DB-T12,Đảng bộ tỉnh Lai Châu,committee,,T12,2004-01-01,\n"
    "DU-X1,Đảng bộ xã Nậm Hàng,grassroots_committee,DB-T12,X1,2004-01-01,\n"
    "CB-B1,Chi bộ bản Nậm Ngà,cell,DU-X1,B1,2013-06-01,\n"
)


def package(folder, members: str, events: str):
    return write_text(
        folder,
        {
            "places.csv": PLACES,
            "organizations.csv": ORGANIZATIONS,
            "members.csv": members,
            "member_events.csv": "member_id,date,event,organization_code,place_code,reason\n"
            + events,
        },
    )


def test_import_and_export_carry_the_record_dates(tmp_path, run_import):
    report = run_import(
        package(
            tmp_path / "goi",
            "member_id,full_name,gender,birth_date,admitted_on,confirmed_on\n"
            "NN-60,Lò Văn Cựu,male,1953-02-01,1980-05-19,1981-05-19\n",
            "NN-60,2013-06-01,joined_official,CB-B1,B1,\n",
        )
    )
    assert report.ok, report.as_text()
    member = Member.objects.get(code="NN-60")
    assert (member.admitted_on, member.confirmed_on) == (date(1980, 5, 19), date(1981, 5, 19))
    assert member.spans.get().served_since == date(1980, 5, 19)
    assert member_party_age(member=member, day=date(2026, 12, 1)).years == 46

    tables = export_organization(Organization.objects.get(code="DB-T12"), tmp_path / "ra.zip")
    columns, rows = tables["members.csv"]
    row = dict(zip(columns, rows[0], strict=True))
    assert (row["admitted_on"], row["confirmed_on"]) == ("1980-05-19", "1981-05-19")
    # the round trip: importing the export changes nothing
    assert run_import(tmp_path / "ra.zip").changed == 0


def test_bad_record_dates_are_refused(tmp_path, run_import):
    report = run_import(
        package(
            tmp_path / "goi",
            "member_id,full_name,gender,birth_date,admitted_on,confirmed_on\n"
            "NN-61,Lò Văn Cựu,male,1953-02-01,1950-05-19,1949-05-19\n",
            "NN-61,2013-06-01,joined_official,CB-B1,B1,\n",
        )
    )
    assert not report.ok
    text = report.as_text()
    assert "ngày vào Đảng phải sau ngày sinh" in text
    assert "ngày chính thức không được trước ngày vào Đảng" in text
    assert not Member.objects.exists()


def test_import_refuses_an_event_after_death(tmp_path, run_import):
    report = run_import(
        package(
            tmp_path / "goi",
            "member_id,full_name,gender,birth_date\nNN-62,Lò Văn Mất,male,1953-02-01\n",
            "NN-62,2014-03-01,admitted,CB-B1,B1,\n"
            "NN-62,2025-11-15,left,,,died\n"
            "NN-62,2025-11-20,admitted,CB-B1,B1,\n",
        )
    )
    assert not report.ok
    assert "đã từ trần" in report.as_text()
    assert not Member.objects.exists()


def test_a_new_date_of_admission_alone_rederives_the_party_age(tmp_path, run_import):
    events = "NN-63,2013-06-01,joined_official,CB-B1,B1,\n"
    header = "member_id,full_name,gender,birth_date,admitted_on\n"
    assert run_import(
        package(tmp_path / "a", header + "NN-63,Lò Văn Cựu,male,1953-02-01,\n", events)
    ).ok
    member = Member.objects.get(code="NN-63")
    assert member_party_age(member=member, day=date(2026, 12, 1)).years == 13
    report = run_import(
        package(tmp_path / "b", header + "NN-63,Lò Văn Cựu,male,1953-02-01,1980-05-19\n", events)
    )
    assert report.ok, report.as_text()
    member.refresh_from_db()
    assert member.admitted_on == date(1980, 5, 19)
    assert member_party_age(member=member, day=date(2026, 12, 1)).years == 46


def test_earlier_gaps_are_imported_exported_and_subtracted(tmp_path, run_import):
    """Membership lost 1990–1992 before the registry's history: two years less party age."""
    header = "member_id,full_name,gender,birth_date,admitted_on,earlier_gaps\n"
    events = "NN-64,2013-06-01,joined_official,CB-B1,B1,\n"
    report = run_import(
        package(
            tmp_path / "a",
            header + "NN-64,Lò Văn Cựu,male,1953-02-01,1980-05-19,1990-05-19/1992-05-19\n",
            events,
        )
    )
    assert report.ok, report.as_text()
    member = Member.objects.get(code="NN-64")
    assert member.earlier_gaps == "1990-05-19/1992-05-19"
    assert member_party_age(member=member, day=date(2026, 12, 1)).years == 44
    tables = export_organization(Organization.objects.get(code="DB-T12"), tmp_path / "ra.zip")
    columns, rows = tables["members.csv"]
    assert dict(zip(columns, rows[0], strict=True))["earlier_gaps"] == "1990-05-19/1992-05-19"
    assert run_import(tmp_path / "ra.zip").changed == 0
    # A changed gap alone re-derives the party age.
    report = run_import(
        package(
            tmp_path / "b",
            header + "NN-64,Lò Văn Cựu,male,1953-02-01,1980-05-19,1990-05-19/1991-05-19\n",
            events,
        )
    )
    assert report.ok, report.as_text()
    assert member_party_age(member=member, day=date(2026, 12, 1)).years == 45


def test_bad_earlier_gaps_are_refused(tmp_path, run_import):
    report = run_import(
        package(
            tmp_path / "goi",
            "member_id,full_name,gender,birth_date,admitted_on,earlier_gaps\n"
            "NN-65,Lò Văn Cựu,male,1953-02-01,1980-05-19,1992-05-19/1990-05-19\n"
            "NN-66,Lò Văn Cũ,male,1953-02-01,1980-05-19,1975-01-01/1976-01-01\n",
            "NN-65,2013-06-01,joined_official,CB-B1,B1,\nNN-66,2013-06-01,joined_official,CB-B1,B1,\n",
        )
    )
    assert not report.ok
    text = report.as_text()
    assert "ngày khôi phục phải sau ngày mất đảng tịch" in text
    assert "gián đoạn phải sau ngày vào Đảng" in text
    assert not Member.objects.exists()


def test_unit_types_badges_and_cards_round_trip_and_bad_ones_are_refused(tmp_path, run_import):
    """organizations.csv ``unit_type`` and member_procedures.csv (Biểu 5- and 7-BTCTW)."""
    from grassroots.members.models import MemberProcedure
    from grassroots.organizations.models import OrganizationVersion

    members = "member_id,full_name,gender,birth_date,admitted_on\nNN-60,Lò Văn Cựu,male,1953-02-01,1980-05-19\n"
    events = "NN-60,2013-06-01,joined_official,CB-B1,B1,\n"
    procedures = "member_id,date,kind,badge_years,number\n"
    typed = ORGANIZATIONS.replace("valid_to\n", "valid_to,unit_type\n", 1).replace(
        "2004-01-01,\nCB", "2004-01-01,,commune\nCB"
    )

    def run(organizations, rows, folder):
        path = package(tmp_path / folder, members, events)
        (path / "organizations.csv").write_text(organizations, encoding="utf-8")
        (path / "member_procedures.csv").write_text(procedures + rows, encoding="utf-8")
        return run_import(path)

    bad = run(typed.replace(",commune\n", ",village\n"), "", "xau")
    assert not bad.ok and "unit_type: loại hình đơn vị không hợp lệ: village" in bad.as_text()
    bad = run(typed, "NN-60,2024-02-03,badge,50,\nNN-60,2024-02-03,medal,,\n", "xau2")
    assert not bad.ok and not MemberProcedure.objects.exists()
    text = bad.as_text()
    assert "badge_years" in text and "50 năm" in text and "kind" in text, text
    assert not OrganizationVersion.objects.filter(unit_type="commune").exists()

    report = run(typed, "NN-60,2021-02-03,badge,40,\nNN-60,2014-03-01,card,,012345\n", "goi")
    assert report.ok, report.as_text()
    version = OrganizationVersion.objects.get(organization__code="DU-X1")
    assert version.unit_type == "commune"
    assert set(MemberProcedure.objects.values_list("kind", "badge_years", "number")) == {
        ("badge", 40, ""),
        ("card", None, "012345"),
    }
    tables = export_organization(Organization.objects.get(code="DB-T12"), tmp_path / "ra.zip")
    columns, rows = tables["organizations.csv"]
    typed_rows = {row[0]: row[columns.index("unit_type")] for row in rows}
    assert typed_rows == {"DB-T12": "", "DU-X1": "commune", "CB-B1": ""}
    assert len(tables["member_procedures.csv"][1]) == 2
    assert run_import(tmp_path / "ra.zip").changed == 0
    # a package of an earlier version (no unit_type column) matches the typed versions
    assert run(ORGANIZATIONS, "", "cu").changed == 0
