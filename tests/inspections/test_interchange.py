"""inspection_cases.csv and discipline.csv: export, import into an empty database (the same
cases, steps and decisions, the expulsion linked to the member's event carried by the package),
idempotence; a refused row rolls the whole import back, located by file and line."""

import csv
from datetime import date

import pytest

from grassroots.inspections import services
from grassroots.inspections.interchange import COLUMNS
from grassroots.inspections.models import Appeal, Case, DisciplineDecision
from grassroots.interchange.exporter import export_organization
from grassroots.interchange.importer import import_package
from grassroots.interchange.reader import read_package
from tests import factories
from tests.interchange.test_exporter import empty_database

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(
            Case.objects.values_list(
                "code", "kind", "member__code", "organization__code", "decided_on", "planned_on",
                "concluded_on", "conclusion", "violation_kind", "findings",
            )
        ),
        sorted(
            DisciplineDecision.objects.values_list(
                "code", "subject", "member__code", "organization__code", "level", "decided_on",
                "votes_for", "votes_total", "case__code", "left_event__date", "left_event__reason",
            )
        ),
    )  # fmt: skip


def test_export_import_round_trip(reg, official, tmp_path):
    other = factories.member(
        full_name="Vàng A Sùng", code="MA3", organization=reg.cell_a, place=reg.village_a,
        admitted=date(2014, 3, 1), confirmed=date(2015, 3, 1),
    )  # fmt: skip
    case = services.case_open(
        acting_user=None, code="KT-1", kind="inspection_signs", subject="member", member=other,
        topic="Vi phạm đạo đức", deciding_body="Ủy ban Kiểm tra", decision_number="3-QĐ/UBKT",
        decided_on=date(2023, 2, 1),
    )  # fmt: skip
    for step, day in (("planned", 2), ("notified", 3), ("verified", 10), ("reported", 20)):
        services.case_step(acting_user=None, case=case, step=step, day=date(2023, 2, day))
    services.case_step(
        acting_user=None, case=case, step="concluded", day=date(2023, 3, 1),
        conclusion="discipline", violation_kind="ethics", findings="Vi phạm nghiêm trọng.",
    )  # fmt: skip
    common = {"acting_user": None, "subject": "member", "violation_kind": "ethics",
              "violation_date": date(2022, 11, 1), "deciding_body": "Đảng ủy xã"}  # fmt: skip
    services.discipline_decide(
        **common, code="KL-1", member=official, level="reprimand",
        decided_on=date(2023, 4, 1), decision_number="4-QĐ/ĐU", votes_for=5, votes_total=7,
    )  # fmt: skip
    services.discipline_decide(
        **common, code="KL-2", member=other, level="expulsion", case=case,
        decided_on=date(2023, 4, 2), decision_number="5-QĐ/ĐU", votes_for=6, votes_total=9,
    )  # fmt: skip
    before = _state()
    export_organization(reg.committee, tmp_path / "goi")
    with open(tmp_path / "goi" / "discipline.csv", encoding="utf-8-sig") as f:
        assert next(csv.reader(f)) == list(COLUMNS["discipline.csv"])
    Appeal.objects.all().delete()
    DisciplineDecision.objects.all().delete()
    Case.objects.all().delete()
    empty_database()
    report = import_package(read_package(tmp_path / "goi"))
    assert report.ok, [str(p) for p in report.errors]
    assert report.created["inspection_cases"] == 1
    assert report.created["discipline_decisions"] == 2
    assert _state() == before
    again = import_package(read_package(tmp_path / "goi"))
    assert again.ok and again.changed == 0
    assert again.skipped["discipline_decisions"] == 2


def _write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS[name])
        writer.writerows(rows)


def test_a_refused_row_rolls_everything_back(official, tmp_path):
    folder = tmp_path / "p"
    _write(folder, "inspection_cases.csv", [
        ["KT-9", "inspection_tasks", "organization", "CB-V1", "Thực hiện nhiệm vụ", "Đảng ủy xã",
         "9-QĐ/ĐU", "2023-05-02", "", "2023-05-03", "", "", "", "", "", "", ""],
    ])  # fmt: skip
    row = ["KL-9", "member", "MA1", "reprimand", "duties", "2023-01-01", "2023-06-01",
           "Chi bộ", "1-QĐ/CB", "4", "8", "", ""]  # fmt: skip
    _write(folder, "discipline.csv", [row])
    report = import_package(read_package(folder))
    assert [str(p) for p in report.errors] == [
        "discipline.csv:2: votes_for: Quyết định kỷ luật cần quá 1/2 số thành viên tán thành "
        "(Quy định 296-QĐ/TW); mới có 4/8."
    ]
    assert not Case.objects.exists() and not DisciplineDecision.objects.exists()
    row[9] = "5"
    _write(folder, "discipline.csv", [row])
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    assert Case.objects.get(code="KT-9").planned_on == date(2023, 5, 3)
    assert DisciplineDecision.objects.get(code="KL-9").votes_for == 5
