"""appointments.csv, plans.csv and rotations.csv: export, import into an empty database (the same
rows), idempotence, and a refused planning rule rolls the whole import back."""

import csv
from datetime import date

import pytest

from grassroots.cadres import services
from grassroots.cadres.interchange import COLUMNS
from grassroots.cadres.models import Appointment, Congress, Person, Plan, PlanEntry, Rotation
from grassroots.interchange.exporter import export_organization
from grassroots.interchange.importer import import_package
from grassroots.interchange.reader import read_package
from tests.interchange.test_exporter import empty_database

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(
            Appointment.objects.values_list(
                "organization__code",
                "position__code",
                "member__code",
                "person__code",
                "how",
                "valid_from",
                "valid_to",
                "end_reason",
                "congress__number",
            )
        ),  # fmt: skip
        sorted(
            Congress.objects.values_list("organization__code", "number", "term_from", "ends_on")
        ),
        sorted(
            PlanEntry.objects.values_list(
                "plan__organization__code",
                "plan__term_from",
                "position__code",
                "member__code",
                "added_on",
                "removed_on",
                "removal_reason",
                "discipline",
            )
        ),  # fmt: skip
        sorted(
            Rotation.objects.values_list(
                "member__code",
                "kind",
                "direction",
                "from_organization__code",
                "to_organization__code",
                "starts_on",
                "planned_end",
                "actual_end",
            )
        ),  # fmt: skip
    )


def _delete_cadres():
    PlanEntry.objects.all().delete()
    Plan.objects.all().delete()
    Rotation.objects.all().delete()
    Appointment.objects.all().delete()
    Congress.objects.all().delete()
    Person.objects.all().delete()


def test_export_import_round_trip(reg, people, tmp_path):
    congress = services.congress_create(
        acting_user=None, organization=reg.commune_committee_a, number=3, term_from=2020,
        term_to=2025, starts_on=date(2020, 7, 10), ends_on=date(2020, 7, 11),
    )  # fmt: skip
    services.congress_record_result(
        acting_user=None, congress=congress, executive=people[:4], secretary=people[0],
        deputies=[people[1]],
    )  # fmt: skip
    cell_secretary = services.appointment_create(
        acting_user=None, organization=reg.cell_a, position="secretary", member=people[5],
        valid_from=date(2016, 1, 1),
    )  # fmt: skip
    services.appointment_end(
        acting_user=None, appointment=cell_secretary, day=date(2021, 1, 1), reason="moved"
    )
    person = services.person_create(
        acting_user=None, code="NN-1", organization=reg.cell_a, full_name="Lường Văn Bản",
        gender="male", birth_date=date(1978, 2, 2), ethnicity="Thái",
    )  # fmt: skip
    services.appointment_create(
        acting_user=None, organization=reg.cell_a, position="village_head", person=person,
        valid_from=date(2019, 1, 1), how="elected",
    )  # fmt: skip
    plan = services.plan_create(
        acting_user=None, organization=reg.commune_committee_a, term_from=2025, term_to=2030,
        term_starts_on=date(2025, 8, 1), approved_on=date(2024, 6, 1),
    )  # fmt: skip
    for member in people[2:5]:
        services.plan_entry_add(
            acting_user=None, plan=plan, position="secretary", member=member, day=date(2024, 6, 1)
        )
    entry = PlanEntry.objects.get(member=people[2])
    services.plan_entry_remove(
        acting_user=None, entry=entry, day=date(2024, 12, 1), reason="standards"
    )
    services.plan_entry_add(
        acting_user=None, plan=plan, position="secretary", member=people[6], day=date(2024, 12, 1)
    )
    services.remove_from_plans_for_discipline(people[3], "warning", date(2025, 2, 1), None)
    rotation = services.rotation_create(
        acting_user=None, member=people[7], kind="rotation", direction="upper_to_lower",
        from_organization=reg.committee, to_organization=reg.commune_committee_a,
        starts_on=date(2019, 3, 1), planned_end=date(2022, 3, 1), to_post="Phó Bí thư",
    )  # fmt: skip
    services.rotation_end(acting_user=None, rotation=rotation, day=date(2022, 4, 1))
    before = _state()
    export_organization(reg.province_committee, tmp_path / "goi")
    for name in ("appointments.csv", "plans.csv", "rotations.csv"):
        with open(tmp_path / "goi" / name, encoding="utf-8-sig") as f:
            assert next(csv.reader(f)) == list(COLUMNS[name])
    _delete_cadres()
    empty_database()
    report = import_package(read_package(tmp_path / "goi"))
    assert report.ok, [str(p) for p in report.errors]
    assert report.created["appointments"] == len(before[0])
    assert report.created["plan_entries"] == 4 and report.created["rotations"] == 1
    assert _state() == before
    again = import_package(read_package(tmp_path / "goi"))
    assert again.ok and again.changed == 0
    assert again.skipped["appointments"] == len(before[0])


def _write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS[name])
        writer.writerows(rows)


def test_a_fourth_person_for_a_position_rejects_the_whole_import(reg, people, tmp_path):
    head = ["DU-03434", "2025", "2030", "2025-08-01", "2024-06-01", "secretary"]
    rows = [[*head, p.code, "2024-06-01", "", "", "", "", ""] for p in people[:4]]
    _write(tmp_path / "p", "plans.csv", rows)
    _write(tmp_path / "p", "rotations.csv", [
        [people[0].code, "rotation", "upper_to_lower", "DB-112", "", "DU-03434", "", "2020-01-01",
         "", "", "", ""],
    ])  # fmt: skip
    report = import_package(read_package(tmp_path / "p"))
    assert [(p.file, p.line, p.column) for p in report.errors] == [("plans.csv", 5, "position")]
    assert "không quá 3 người" in report.errors[0].message
    assert not Plan.objects.exists() and not Rotation.objects.exists()
    _write(tmp_path / "p", "plans.csv", rows[:3])
    report = import_package(read_package(tmp_path / "p"))
    assert report.ok, [str(p) for p in report.errors]
    assert PlanEntry.objects.count() == 3 and Rotation.objects.count() == 1


def test_unknown_values_are_located(reg, people, tmp_path):
    _write(tmp_path / "a", "appointments.csv", [
        ["CB-V1", "chu-tich", people[0].code, "", "", "", "", "", "elected", "2020-01-01", "", "",
         "", "", "", "", "", ""],
        ["CB-V1", "secretary", people[0].code, "", "", "", "", "", "bau", "2020-01-01", "", "",
         "", "", "", "", "", ""],
    ])  # fmt: skip
    report = import_package(read_package(tmp_path / "a"))
    assert [(p.line, p.column) for p in report.errors] == [(2, "position"), (3, "how")]
    assert not Appointment.objects.exists()
