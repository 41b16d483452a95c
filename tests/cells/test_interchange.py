"""meetings.csv, attendance.csv and fees.csv in the interchange format: export, import into an
empty database (the same meetings, attendance and fees), idempotence, and refusals located by
file and line with nothing written."""

import csv
from datetime import date

import pytest

from grassroots.cells.interchange import COLUMNS
from grassroots.cells.models import Attendance, FeePayment, Meeting
from grassroots.cells.services import Collected, fee_collect, income_basis_set, meeting_record
from grassroots.interchange.exporter import export_organization
from grassroots.interchange.importer import import_package
from grassroots.interchange.reader import read_package
from grassroots.resolutions.models import Document
from tests.interchange.test_exporter import empty_database

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(Meeting.objects.values_list("organization__code", "date", "kind", "theme", "note")),
        sorted(
            Attendance.objects.values_list(
                "meeting__organization__code",
                "meeting__date",
                "member__code",
                "presence",
                "exempted",
            )
        ),  # fmt: skip
        sorted(Meeting.objects.values_list("organization__code", "date", "documents__number")),
        sorted(
            FeePayment.objects.values_list(
                "member__code", "month", "organization__code", "due", "paid", "paid_on", "note"
            )
        ),
    )


@pytest.fixture
def recorded(reg, members_a, member_b):
    Document.objects.create(
        type="CT", issuer_code="TW", number="05-CT/TW", issued_on=date(2016, 5, 15), title="CT 05"
    )
    doc = Document.objects.get(number="05-CT/TW")
    for month in (1, 2, 3):
        attendance = {m.pk: "present" for m in members_a}
        attendance[members_a[month].pk] = "absent"
        meeting_record(
            acting_user=None, organization=reg.cell_a, day=date(2023, month, 6), kind="regular",
            attendance=attendance, theme=f"Tháng {month}", documents=[doc] if month == 2 else [],
        )  # fmt: skip
    meeting_record(
        acting_user=None, organization=reg.cell_b, day=date(2023, 1, 9), kind="thematic",
        attendance={member_b.pk: "excused"}, note="Chuyên đề",
    )  # fmt: skip
    income_basis_set(
        acting_user=None, member=members_a[0], kind="salary", amount=5_500_000,
        valid_from=date(2023, 1, 1),
    )  # fmt: skip
    fee_collect(
        acting_user=None, organization=reg.cell_a, month=date(2023, 1, 1),
        rows=[Collected(m, 5_000, date(2023, 1, 20)) for m in members_a],
    )  # fmt: skip
    return reg


def test_export_import_round_trip(recorded, tmp_path):
    before = _state()
    assert len(before[1]) == 19 and len(before[3]) == 6
    assert before[3][0][3] == 55_000  # due from the basis: 1% of 5,500,000
    export_organization(recorded.province_committee, tmp_path / "goi")
    with open(tmp_path / "goi" / "attendance.csv", encoding="utf-8-sig") as f:
        assert next(csv.reader(f)) == list(COLUMNS["attendance.csv"])
    FeePayment.objects.all().delete()
    Attendance.objects.all().delete()
    Meeting.objects.all().delete()
    from grassroots.cells.models import IncomeBasis

    IncomeBasis.objects.all().delete()
    empty_database()
    report = import_package(read_package(tmp_path / "goi"))
    assert report.ok, [str(p) for p in report.errors]
    assert report.created["meetings"] == 4 and report.created["fee_payments"] == 6
    assert _state() == before
    again = import_package(read_package(tmp_path / "goi"))
    assert again.ok and again.changed == 0
    assert again.skipped["meetings"] == 4 and again.skipped["fee_payments"] == 6


def _write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS[name])
        writer.writerows(rows)


def test_a_bad_row_rolls_everything_back(reg, members_a, tmp_path):
    folder = tmp_path / "p"
    _write(folder, "meetings.csv", [["CB-V1", "2023-04-05", "regular", "Tháng 4", "", ""]])
    rows = [["CB-V1", "2023-04-05", "regular", m.code, "present"] for m in members_a[:5]]
    _write(folder, "attendance.csv", rows)
    _write(folder, "fees.csv", [["MA1", "2023-04", "CB-V1", "", "2000", "2023-04-06", ""]])
    report = import_package(read_package(folder))
    # Lò Văn Hà (MA6) has no row: the meeting is refused, and the fee with it.
    assert [(p.file, p.line, p.column) for p in report.errors] == [("meetings.csv", 2, "date")]
    assert "Chưa điểm danh 1 đảng viên: Lò Văn Hà" in report.errors[0].message
    assert not Meeting.objects.exists() and not FeePayment.objects.exists()
    rows.append(["CB-V1", "2023-04-05", "regular", "MA6", "vắng"])
    _write(folder, "attendance.csv", rows)
    report = import_package(read_package(folder))
    # The bad presence, and so the meeting still lacks Lò Văn Hà.
    assert sorted((p.file, p.line, p.column) for p in report.errors) == [
        ("attendance.csv", 7, "presence"),
        ("meetings.csv", 2, "date"),
    ]
    rows[-1][-1] = "absent"
    _write(folder, "attendance.csv", rows)
    _write(folder, "fees.csv", [["MA1", "2023-04", "CB-V1", "", "2.000", "2023-04-06", ""]])
    report = import_package(read_package(folder))
    assert [(p.file, p.line, p.column) for p in report.errors] == [("fees.csv", 2, "paid")]
    assert not Meeting.objects.exists()
    _write(folder, "fees.csv", [["MA1", "2023-04", "CB-V1", "", "2000", "2023-04-06", ""]])
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    assert Attendance.objects.filter(presence="absent").get().member.code == "MA6"
    assert FeePayment.objects.get().paid == 2000
