"""candidates.csv, candidate_steps.csv, targets.csv and ratings.csv in the interchange format:
export, import into an empty database (same candidates, steps and figures), idempotence,
refusals located by file and line with nothing written."""

import csv
from datetime import date

import pytest

from grassroots.admissions import figures, services
from grassroots.admissions.models import AdmissionTarget, Candidate, CandidateStep
from grassroots.interchange.exporter import export_organization
from grassroots.interchange.importer import import_package
from grassroots.interchange.reader import read_package
from grassroots.organizations.models import Organization
from tests.admissions.conftest import advance, new_candidate
from tests.interchange.test_exporter import empty_database

pytestmark = pytest.mark.django_db


def _state():
    org = Organization.objects.get(code="DB-112")
    return (
        sorted(Candidate.objects.values_list("code", "stage", "member__code")),
        sorted(
            CandidateStep.objects.values_list(
                "candidate__code",
                "stage",
                "date",
                "sponsor_1__code",
                "sponsor_2__code",
                "eligible",
                "votes_for",
                "decision_number",
                "reason",
            )
        ),  # fmt: skip
        sorted(AdmissionTarget.objects.values_list("organization__code", "year_from", "per_year")),
        [figures.funnel(organization=org, day=d) for d in (date(2024, 5, 25), date(2025, 8, 1))],
        figures.admissions_vs_target(organization=org, year_from=2024, year_to=2025),
    )


def test_export_import_round_trip(cell, editor, tmp_path):
    reg, members, _ = cell
    advance(new_candidate(reg, editor), editor, members, "admitted")
    c = CandidateStep.objects.get(stage="admitted").candidate
    services.candidate_confirm(
        acting_user=editor, candidate=c, day=date(2025, 7, 3), confirmed=True
    )
    advance(new_candidate(reg, editor, code="QC-2", full_name="Lò Văn Tâm"), editor, members,
            "voted")  # fmt: skip
    dropped = new_candidate(reg, editor, code="QC-3", full_name="Tòng Văn Ơn")
    services.candidate_drop(
        acting_user=editor, candidate=dropped, day=date(2024, 2, 2), reason="Đi làm ăn xa"
    )
    services.target_set(
        acting_user=editor, organization=reg.committee, year_from=2020, year_to=2025, per_year=60
    )
    before = _state()
    export_organization(reg.committee, tmp_path / "goi")
    with open(tmp_path / "goi" / "candidate_steps.csv", encoding="utf-8-sig") as f:
        assert next(csv.reader(f))[:3] == ["candidate_id", "date", "step"]
    CandidateStep.objects.all().delete()
    Candidate.objects.all().delete()
    AdmissionTarget.objects.all().delete()
    editor.scope = None
    editor.save(update_fields=["scope"])
    empty_database()
    report = import_package(read_package(tmp_path / "goi"))
    assert report.ok, [str(p) for p in report.errors]
    assert report.created["candidates"] == 3 and report.created["admission_targets"] == 1
    assert _state() == before
    again = import_package(read_package(tmp_path / "goi"))
    assert again.ok and again.changed == 0
    assert again.skipped["candidate_steps"] == report.created["candidate_steps"]


def _write(folder, name, columns, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(rows)


def test_refused_step_rolls_back(cell, editor, tmp_path):
    from grassroots.admissions.interchange import COLUMNS

    folder = tmp_path / "p"
    _write(folder, "candidates.csv", COLUMNS["candidates.csv"], [
        ["QC-5", "Lò Thị Nga", "female", "2000-01-01", "Thái", "", "", "", "womens_union", "1",
         "CB-V1", "V1", "2024-01-05"],
    ])  # fmt: skip
    step = ["QC-5", "", "", "", "", "", "", "", "", "", "", ""]
    rows = [
        [*step[:1], "2024-02-01", "trained", *step[3:]],
        [*step[:1], "2024-03-01", "applied", *step[3:]],
        [*step[:1], "2024-04-01", "verified", *step[3:]],
        ["QC-5", "2024-05-02", "sponsored", "DV-1", "DV-2", "", "", "", "", "", "", ""],
        ["QC-5", "2024-05-20", "voted", "", "", "", "3", "1", "", "", "", ""],
    ]
    _write(folder, "candidate_steps.csv", COLUMNS["candidate_steps.csv"], rows)
    _write(folder, "targets.csv", COLUMNS["targets.csv"], [["DB-112", "2020", "2025", "60", "",
                                                            "", ""]])  # fmt: skip
    report = import_package(read_package(folder))
    assert [str(p) for p in report.errors] == [
        "candidate_steps.csv:6: step: Chỉ 1/3 đảng viên chính thức tán thành, chưa đạt 2/3: "
        "chi bộ chưa đề nghị kết nạp."
    ]
    assert not Candidate.objects.exists() and not AdmissionTarget.objects.exists()
    rows[-1][7] = "2"
    _write(folder, "candidate_steps.csv", COLUMNS["candidate_steps.csv"], rows)
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    assert Candidate.objects.get(code="QC-5").stage == "voted"


def test_ratings_file_goes_to_the_ratings_service(cell, tmp_path):
    from grassroots.admissions.interchange import COLUMNS

    folder = tmp_path / "r"
    _write(folder, "ratings.csv", COLUMNS["ratings.csv"], [
        ["year", "2024", "member", "DV-1", "good", "80", ""],
        ["year", "2024", "member", "KHONG-CO", "good", "", ""],
    ])  # fmt: skip
    report = import_package(read_package(folder))
    assert [(p.file, p.line, p.column) for p in report.errors] == [("ratings.csv", 3, "code")]
    _write(folder, "ratings.csv", COLUMNS["ratings.csv"], [
        ["year", "2024", "member", "DV-1", "good", "80", ""],
    ])  # fmt: skip
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    assert report.created["ratings"] == 1


def test_vietnamese_labels_are_read_as_codes_and_bad_codes_explained(cell, editor, tmp_path):
    from grassroots.admissions.interchange import COLUMNS

    folder = tmp_path / "p"
    _write(folder, "candidates.csv", COLUMNS["candidates.csv"], [
        ["QC-6", "Lò Thị Nga", "Nữ", "2000-01-01", "Thái", "", "", "", "Hội Liên hiệp Phụ nữ",
         "1", "CB-V1", "V1", "2024-01-05"],
    ])  # fmt: skip
    steps = [["QC-6", "2024-02-01", "hoc-lop", *[""] * 9]]
    _write(folder, "candidate_steps.csv", COLUMNS["candidate_steps.csv"], steps)
    report = import_package(read_package(folder))
    messages = [str(p) for p in report.errors]
    assert len(messages) == 1, messages
    assert messages[0].startswith("candidate_steps.csv:2: step: bước không hợp lệ: 'hoc-lop'")
    assert "trained (" in messages[0]

    _write(folder, "candidate_steps.csv", COLUMNS["candidate_steps.csv"], [])
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    candidate = Candidate.objects.get(code="QC-6")
    assert (candidate.gender, candidate.source) == ("female", "womens_union")
