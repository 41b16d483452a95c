from datetime import date

import pytest

from grassroots.core import legacy
from grassroots.interchange.exporter import write_xlsx, write_zip
from grassroots.interchange.importer import COLUMNS
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationVersion,
)
from grassroots.places.models import Place, PlaceClosure, PlaceLineage, PlaceVersion
from tests.interchange.history import history, write_package

TABLES = (
    Place,
    PlaceVersion,
    PlaceClosure,
    PlaceLineage,
    Organization,
    OrganizationVersion,
    OrganizationClosure,
    Member,
    MemberEvent,
    MembershipSpan,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def write_text(folder, files: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


BAD_PACKAGE = {
    "places.csv": (
        "code,name,kind,parent_code,valid_from,valid_to,ghi_chu\n"
        "T12,Tỉnh Lai Châu,province,,2004-01-01,,\n"
        "T112,Huyện Nậm Nhùn,kingdom,T12,2013-06-01,,\n"
        "B1,Bản Nậm Ngà,village,XX,2013-06-01,,\n"
        "B2,Bản Pa Pầu,commune,T12,2013-06-01,2020-01-01,\n"
        "B2,Bản Pa Pầu mới,commune,T12,2019-01-01,,\n"
    ),
    "organizations.csv": (
        "code,name,kind,parent_code,place_code,valid_from,valid_to\n"
        "DB-T12,Đảng bộ tỉnh Lai Châu,committee,,T12,2004-01-01,\n"
        "CB-B2,Chi bộ bản Pa Pầu,grassroots_cell,DB-T12,B2,2013-06-01,\n"
    ),
    "members.csv": (
        "member_id,full_name,gender,birth_date\n"
        "N1,Lò Văn Ánh,male,1990-05-01\n"
        "N2,Lù Thị Bình,female,1985-01-01\n"
    ),
    "member_events.csv": (
        "member_id,date,event,organization_code,place_code,reason,note\n"
        "N1,2014-01-01,joined_official,CB-B2,B2,,\n"
        "N1,2015-01-01,confirmed,,,,\n"
        "N2,2010-01-01,admitted,CB-B2,B2,,\n"
        "N3,2015-01-01,admitted,CB-B2,B2,,\n"
    ),
}


@pytest.mark.django_db
def test_a_package_with_errors_changes_nothing_and_lists_every_error(tmp_path, run_import, reg):
    before = row_counts()
    report = run_import(write_text(tmp_path / "goi", BAD_PACKAGE))
    assert [str(p) for p in report.errors] == [
        "places.csv:1: ghi_chu: cột không thuộc định dạng trao đổi.",
        "places.csv:3: kind: loại không hợp lệ: kingdom.",
        "places.csv:4: parent_code: không có mã XX trong gói dữ liệu hay trong hệ thống.",
        "places.csv:6: valid_from: Địa bàn B2: các phiên bản không được chồng lấn thời gian "
        "(01/06/2013–01/01/2020 và từ 01/01/2019).",
        "member_events.csv:3: event: Sự kiện 'công nhận chính thức' ngày 01/01/2015 không hợp "
        "lệ: đảng viên không phải là đảng viên dự bị.",
        "member_events.csv:4: organization_code: Tổ chức CB-B2 không có hiệu lực vào ngày "
        "01/01/2010.",
        "member_events.csv:4: place_code: Địa bàn B2 không có hiệu lực vào ngày 01/01/2010.",
        "member_events.csv:5: member_id: không có đảng viên N3 trong members.csv hay trong hệ "
        "thống.",
    ]
    assert not report.created
    assert row_counts() == before


@pytest.mark.django_db
def test_events_are_checked_against_the_history_already_recorded(tmp_path, run_import, reg):
    from tests.factories import member

    member(code="M9", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 1, 1),
           confirmed=date(2015, 1, 10))  # fmt: skip
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "member_events.csv": "member_id,date,event\nM9,2016-03-01,confirmed\n"
                "M9,2017-01-01,left\n"
            },
        )
    )
    assert [str(p) for p in report.errors] == [
        "member_events.csv:2: event: Sự kiện 'công nhận chính thức' ngày 01/03/2016 không hợp "
        "lệ: đảng viên không phải là đảng viên dự bị.",
        "member_events.csv:3: reason: lý do phải là một trong transferred_out, died, removed, "
        "expelled, resigned, not_confirmed.",
    ]


@pytest.mark.django_db
def test_missing_required_column_and_bad_values(tmp_path, run_import):
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "members.csv": "member_id,full_name,birth_date\nM1,Lò Văn Ánh,1990-13-01\n",
                "member_events.csv": "member_id,date,event,reason\nM1,2014-01-01,admitted,died\n",
            },
        )
    )
    assert [str(p) for p in report.errors] == [
        "members.csv:1: gender: thiếu cột bắt buộc.",
        "members.csv:2: birth_date: ngày không hợp lệ: '1990-13-01' (cần YYYY-MM-DD).",
        "members.csv:2: gender: giới tính phải là Nam hoặc Nữ (male (Nam), female (Nữ)), "
        "không phải ''.",
        "member_events.csv:2: reason: chỉ sự kiện 'left' (ra khỏi danh sách) mới có lý do.",
    ]


@pytest.mark.django_db
def test_import_then_reimport_changes_nothing(tmp_path, run_import):
    folder = write_package(tmp_path / "goi", history())
    first = run_import(folder)
    assert first.ok, first.as_text()
    assert first.created["member_events"] == len(history()["member_events.csv"])
    assert first.created["members"] == 60
    assert MembershipSpan.objects.exists() and PlaceClosure.objects.exists()
    counts = row_counts()

    second = run_import(folder)
    assert second.ok
    assert second.changed == 0
    assert second.skipped["member_events"] == first.created["member_events"]
    assert second.skipped["place_versions"] == first.created["place_versions"]
    assert row_counts() == counts


@pytest.mark.django_db
def test_imported_rows_are_what_the_forms_would_write(tmp_path, run_import, editor):
    assert run_import(write_package(tmp_path / "goi", history(members=5)), user=editor).ok
    member = Member.objects.get(code="M00001")
    # Derived columns a bulk insert must fill itself (no save()).
    assert member.name_folded and member.name_key
    assert PlaceVersion.objects.filter(name_folded="ban na 1-1").exists()
    event = member.events.first()
    assert event.recorded_by == editor and event.recorded_at is not None
    # Spans agree with what the member services derive from the same events.
    from grassroots.members.services import rederive_spans

    imported = list(member.spans.values_list("organization", "status", "valid_from", "valid_to"))
    rederive_spans(member)
    assert list(member.spans.values_list("organization", "status", "valid_from", "valid_to")) == (
        imported
    )


@pytest.mark.django_db
def test_a_new_version_from_a_new_date_closes_the_current_one(tmp_path, run_import):
    run_import(write_package(tmp_path / "goi", history(members=5)))
    report = run_import(
        write_package(
            tmp_path / "doi-ten",
            {"places.csv": [["V1-1", "Bản Nà Mới", "village", "C1", "2024-01-01", ""]]},
        )
    )
    assert report.ok, report.as_text()
    assert report.created["place_versions"] == 1
    assert report.created["place_versions_closed"] == 1
    versions = PlaceVersion.objects.filter(place__code="V1-1").order_by("valid_from")
    assert [(v.name, v.valid_from, v.valid_to) for v in versions] == [
        ("Bản Nà 1-1", date(2013, 6, 1), date(2024, 1, 1)),
        ("Bản Nà Mới", date(2024, 1, 1), None),
    ]


@pytest.mark.django_db
def test_profile_changes_update_the_member(tmp_path, run_import):
    tables = history(members=3)
    run_import(write_package(tmp_path / "goi", tables))
    tables["members.csv"][0][8] = "Mường Tè"  # hometown
    report = run_import(write_package(tmp_path / "goi2", tables))
    assert report.created["members_updated"] == 1
    assert report.changed == 1
    assert Member.objects.get(code="M00001").hometown == "Mường Tè"


@pytest.mark.django_db
def test_admission_age_is_a_warning(tmp_path, run_import):
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "places.csv": "code,name,kind,valid_from\nV,Bản Nậm Ngà,village,2000-01-01\n",
                "organizations.csv": "code,name,kind,place_code,valid_from\n"
                "CB,Chi bộ bản Nậm Ngà,grassroots_cell,V,2000-01-01\n",
                "members.csv": "member_id,full_name,gender,birth_date\n"
                "M1,Lò Văn Ánh,male,2000-05-01\n",
                "member_events.csv": "member_id,date,event,organization_code,place_code\n"
                "M1,2017-01-01,admitted,CB,V\n",
            },
        )
    )
    assert report.ok
    assert [str(w) for w in report.warnings] == [
        "member_events.csv:2: date: Tuổi khi kết nạp là 16 tuổi 8 tháng, ngoài khoảng 18–60 "
        "tuổi (Điều lệ Đảng, Điều 1)."
    ]
    assert MemberEvent.objects.count() == 1


# TCVN3 has no capital toned vowels (they were drawn by an upper case font): no "Ánh" here.
NAMES = ["Lò Văn Quân", "Lường Thị Nguyệt", "Đèo Văn Hùng", "Tao Thị Thắm"]


def _members_csv(names: list[str]) -> str:
    lines = ["member_id,full_name,gender,birth_date,ethnicity"]
    lines += [f"M{i},{name},male,1990-01-01,Thái" for i, name in enumerate(names, 1)]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "label"), [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_encoded_members_file_imports_as_unicode(tmp_path, run_import, encoding, label):
    folder = tmp_path / "goi"
    folder.mkdir()
    legacy_text = legacy.from_unicode(_members_csv(NAMES), encoding)
    (folder / "members.csv").write_bytes(legacy_text.encode("cp1252", errors="surrogateescape"))
    report = run_import(folder)
    assert report.ok, report.as_text()
    assert sorted(Member.objects.values_list("full_name", flat=True)) == sorted(NAMES)
    assert f"cột full_name (members.csv): đã chuyển từ {label} sang Unicode" in [
        str(c) for c in report.conversions
    ]
    assert f"cột full_name (members.csv): đã chuyển từ {label} sang Unicode" in report.as_text()


@pytest.mark.django_db
def test_legacy_text_in_a_unicode_file_is_converted_per_column(tmp_path, run_import):
    mojibake = [legacy.from_unicode(name, "tcvn3") for name in NAMES]
    report = run_import(write_text(tmp_path / "goi", {"members.csv": _members_csv(mojibake)}))
    assert report.ok, report.as_text()
    assert sorted(Member.objects.values_list("full_name", flat=True)) == sorted(NAMES)
    assert [str(c) for c in report.conversions] == [
        "cột full_name (members.csv): đã chuyển từ TCVN3 sang Unicode"
    ]


def _tables_for_writers(tables):
    return {name: (list(COLUMNS[name]), [[_cell(v) for v in row] for row in rows])
            for name, rows in tables.items()}  # fmt: skip


def _cell(value):
    return value.isoformat() if isinstance(value, date) else str(value)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_xlsx_and_zip_packages(tmp_path, run_import, kind):
    tables = history(members=10)
    path = tmp_path / f"goi.{kind}"
    (write_xlsx if kind == "xlsx" else write_zip)(_tables_for_writers(tables), path)
    report = run_import(path)
    assert report.ok, report.as_text()
    assert report.created["member_events"] == len(tables["member_events.csv"])
    assert Member.objects.count() == 10
    assert run_import(path).changed == 0


@pytest.mark.django_db
def test_xlsx_errors_name_the_sheet_and_row(tmp_path, run_import):
    tables = history(members=2)
    tables["members.csv"][1][2] = "trai"
    path = tmp_path / "goi.xlsx"
    write_xlsx(_tables_for_writers(tables), path)
    report = run_import(path)
    assert [str(p) for p in report.errors] == [
        "members.csv:3: gender: giới tính phải là Nam hoặc Nữ (male (Nam), female (Nữ)), "
        "không phải 'trai'."
    ]


@pytest.mark.django_db
def test_an_unreadable_package_is_reported(tmp_path, run_import):
    path = tmp_path / "goi.zip"
    path.write_bytes(b"not a zip")
    report = run_import(path)
    assert not report.ok
    assert "Không đọc được tệp goi.zip" in report.as_text()


@pytest.mark.django_db
def test_an_editor_imports_only_inside_their_scope(tmp_path, run_import, make_user):
    tables = history(communes=2, villages=3, members=10)
    assert run_import(write_package(tmp_path / "goi", tables)).ok
    commune_editor = make_user(
        "xa1", roles=["editor"], scope=Organization.objects.get(code="DU-C1")
    )
    member_in_c2 = next(
        row[0] for row in tables["member_events.csv"] if row[3].startswith("CB-V2-")
    )
    before = row_counts()
    report = run_import(
        write_package(
            tmp_path / "ngoai",
            {
                "places.csv": [
                    ["V1-9", "Bản Mới", "village", "C1", "2024-01-01", ""],
                    ["V2-9", "Bản Khác", "village", "C2", "2024-01-01", ""],
                ],
                "member_events.csv": [[member_in_c2, "2026-06-30", "moved", "CB-V2-1", "V2-1"]],
            },
        ),
        user=commune_editor,
    )
    assert [str(p) for p in report.errors] == [
        "places.csv:3: code: Địa bàn V2-9 nằm ngoài phạm vi dữ liệu của bạn.",
        "member_events.csv:2: organization_code: Tổ chức CB-V2-1 nằm ngoài phạm vi dữ liệu "
        "của bạn.",
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_cycle_of_parents_is_refused(tmp_path, run_import):
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "places.csv": "code,name,kind,parent_code,valid_from\n"
                "A,Xã A,other,B,2020-01-01\n"
                "B,Xã B,other,A,2020-01-01\n"
            },
        )
    )
    assert len(report.errors) == 1
    assert str(report.errors[0]).endswith("trở thành cấp dưới của chính nó.")
    assert not report.created
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_cells_are_normalised_and_extra_cells_refused(tmp_path, run_import):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Lường  Thị Nguyệt ")
    ok = run_import(
        write_text(
            tmp_path / "goi",
            {
                "members.csv": f"member_id,full_name,gender,birth_date\nM1,{decomposed},female,1990-01-01\n"
            },
        )
    )
    assert ok.ok
    assert Member.objects.get().full_name == "Lường Thị Nguyệt"

    report = run_import(
        write_text(
            tmp_path / "thua",
            {
                "members.csv": "member_id,full_name,gender,birth_date\nM2,Lò Văn Ánh,male,1990-01-01,x\n"
            },
        )
    )
    assert [str(p) for p in report.errors] == [
        "members.csv:2: (trống): dòng có nhiều giá trị hơn số cột."
    ]


@pytest.mark.django_db
def test_gender_typed_as_its_vietnamese_label_is_read_as_the_code(tmp_path, run_import):
    tables = history(members=2)
    tables["members.csv"][0][2] = "Nam"
    tables["members.csv"][1][2] = "nữ"
    report = run_import(write_package(tmp_path / "goi", tables))
    assert report.ok, report.as_text()
    genders = dict(Member.objects.values_list("code", "gender"))
    assert genders[tables["members.csv"][0][0]] == "male"
    assert genders[tables["members.csv"][1][0]] == "female"


@pytest.mark.django_db
def test_a_bad_event_kind_is_explained_with_vietnamese_labels(tmp_path, run_import):
    tables = history(members=1)
    tables["member_events.csv"][1][2] = "ket-nap"
    report = run_import(write_package(tmp_path / "goi", tables))
    messages = [str(p) for p in report.errors if p.column == "event"]
    assert len(messages) == 1
    assert "'ket-nap'" in messages[0]
    assert "admitted (Kết nạp)" in messages[0]
    assert "cancelled" not in messages[0]
