"""terms.csv, documents.csv, document_links.csv and tasks.csv in the interchange format: the
round trip (export, import into an empty registry, export again: the same files), a bad row
refused with its file and line and nothing written, numbering after an import, and scope."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from grassroots.interchange.exporter import export_organization, export_tables
from grassroots.interchange.importer import import_package
from grassroots.interchange.reader import read_package
from grassroots.organizations.models import Organization
from grassroots.resolutions.document_interchange import (
    COLUMNS,
    DOCUMENTS,
    LINKS,
    REPORTS,
    TASKS,
    TERMS,
)
from grassroots.resolutions.models import (
    Document,
    DocumentCounter,
    DocumentLink,
    Task,
    TaskReport,
    Term,
)
from grassroots.resolutions.services import document_link, task_assign, task_report, term_record
from tests.interchange.history import write_package
from tests.interchange.test_exporter import empty_database
from tests.resolutions.documents_world import make_document

pytestmark = pytest.mark.django_db

FILES = (TERMS, DOCUMENTS, LINKS, TASKS, REPORTS)


@pytest.fixture
def world(reg):
    """Terms, documents of the district and of commune A (one outside the registry), their
    links, and tasks: one done, one open, one assigned by the commune."""
    term_record(
        acting_user=None, organization=reg.committee, starts_on=date(2020, 8, 20), label="2020-2025"
    )
    external = make_document(None, "NQ", number="07-NQ/TU", issued_on=date(2021, 1, 12),
                             title="Về phát triển rừng", issuer_name="Tỉnh ủy Lai Châu")  # fmt: skip
    congress = make_document(reg.committee, "NQ", issuer_code="ĐH", issued_on=date(2020, 8, 19))
    resolution = make_document(reg.committee, "NQ", signer="Lò Văn Hùng")
    programme = make_document(
        reg.committee, "CTr", issued_on=date(2021, 4, 2), title="Chương trình hành động",
        summary="Dòng một\n\n- dòng hai, =A1",
    )  # fmt: skip
    plan = make_document(reg.commune_committee_a, "KH", issued_on=date(2021, 5, 3))
    document_link(acting_user=None, source=programme, target=external, kind="implements")
    document_link(acting_user=None, source=programme, target=resolution, kind="implements")
    document_link(acting_user=None, source=plan, target=programme, kind="guides")
    done, open_ = task_assign(
        acting_user=None, programme=programme, title="Trồng mới rừng", deadline=date(2021, 12, 31),
        organizations=[reg.cell_a, reg.commune_committee_b], expected_result="200 ha\n300 ha",
    )  # fmt: skip
    task_report(acting_user=None, task=done, day=date(2021, 6, 1), percent=50, note="Một nửa")
    task_report(acting_user=None, task=done, day=date(2021, 11, 2), percent=100, note="Xong",
                status="done")  # fmt: skip
    task_report(acting_user=None, task=open_, day=date(2021, 6, 1), percent=30, note="Đang làm")
    task_assign(acting_user=None, programme=plan, title="Học tập nghị quyết",
                deadline=date(2021, 6, 30), organizations=[reg.cell_a])  # fmt: skip
    return {"congress": congress, "programme": programme}


def _empty_documents():
    Task.objects.all().delete()
    DocumentLink.objects.all().delete()
    Document.objects.all().delete()
    Term.objects.all().delete()
    DocumentCounter.objects.all().delete()


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_export_import_export_gives_the_same_files(reg, world, tmp_path):
    export_organization(reg.province_committee, tmp_path / "one")
    first = _files(tmp_path / "one")
    assert set(FILES) <= set(first)
    documents = read_package(tmp_path / "one").tables[DOCUMENTS].rows
    assert [(r["organization_code"], r["number"]) for _, r in documents] == [
        ("", "07-NQ/TU"),
        ("DB-112", "01-NQ/ĐH"),
        ("DB-112", "01-NQ/HU"),
        ("DB-112", "01-CTr/HU"),
        ("DU-03434", "01-KH/ĐU"),
    ]
    congress = next(r for _, r in documents if r["number"] == "01-NQ/ĐH")
    assert congress["term_start"] == "2015-11-01"  # the day before the recorded term
    summary = next(r for _, r in documents if r["number"] == "01-CTr/HU")["summary"]
    assert summary == "Dòng một\\n\\n- dòng hai, =A1"
    _empty_documents()
    empty_database()
    report = import_package(read_package(tmp_path / "one"))
    assert report.ok, [str(p) for p in report.errors]
    assert (report.created["terms"], report.created["documents"]) == (1, 5)
    assert (report.created["document_links"], report.created["tasks"]) == (3, 3)
    assert report.created["task_reports"] == 3
    export_organization(Organization.objects.get(code="DB-12"), tmp_path / "two")
    assert _files(tmp_path / "two") == first
    programme = Document.objects.get(number="01-CTr/HU")
    assert programme.summary == "Dòng một\n\n- dòng hai, =A1"
    done = Task.objects.get(organization__code="CB-V1", programme=programme)
    assert (done.status, done.percent, done.closed_on) == ("done", 100, date(2021, 11, 2))
    assert done.expected_result == "200 ha\n300 ha"
    assert list(done.reports.values_list("date", "percent", "note", "status")) == [
        (date(2021, 6, 1), 50, "Một nửa", "open"),
        (date(2021, 11, 2), 100, "Xong", "done"),
    ]
    # Every row written left its audit record, as on the pages.
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        action=LogEntry.Action.CREATE,
        object_pk__in=[str(pk) for pk in Document.objects.values_list("pk", flat=True)],
    )
    assert logged.count() == 5
    assert "văn bản: 5" in report.as_text() and "nhiệm vụ: 3" in report.as_text()
    again = import_package(read_package(tmp_path / "one"))
    assert again.ok and again.changed == 0
    assert (again.skipped["documents"], again.skipped["tasks"]) == (5, 3)
    assert again.skipped["document_links"] == 3 and again.skipped["terms"] == 1
    assert again.skipped["task_reports"] == 3


def _package(tmp_path, **tables):
    return write_package(tmp_path / "p", {name + ".csv": rows for name, rows in tables.items()})


def test_a_bad_row_is_reported_by_its_line_and_nothing_is_imported(reg, tmp_path):
    folder = _package(
        tmp_path,
        terms=[["DB-112", "2020-08-20", "2020-2025"]],
        documents=[
            ["DB-112", "01-CTr/HU", "CTr", "2021-04-02", "2020-08-20", "Chương trình", "", "", "",
             "", ""],
            ["", "07-NQ/TU", "NQ", "2021-01-12", "", "Về phát triển rừng", "", "", "", "", ""],
            ["DB-112", "1-CTr/HU", "CTr", "2021-05-02", "", "Chương trình khác", "", "", "", "",
             ""],
        ],
        document_links=[["DB-112", "01-CTr/HU", "", "implements", "", "07-NQ/TU", ""]],
        tasks=[["DB-112", "01-CTr/HU", "2021-04-02", "CB-V1", "Trồng rừng", "", "2021-12-31",
                "open", "20", ""]],
    )  # fmt: skip
    report = import_package(read_package(folder))
    # 1-CTr/HU is 01-CTr/HU: the number is taken in the term.
    assert [(p.file, p.line, p.column) for p in report.errors] == [(DOCUMENTS, 4, "number")]
    assert "Số 01-CTr/HU đã được cấp" in report.errors[0].message
    assert not Term.objects.exists() and not Document.objects.exists()
    assert not Task.objects.exists() and not DocumentCounter.objects.exists()
    # A task closed without its day, an assignee outside the issuer, a link to nothing.
    folder = _package(
        tmp_path,
        documents=[["DU-03434", "01-KH/ĐU", "KH", "2021-05-03", "", "Kế hoạch", "", "", "", "",
                    ""]],
        document_links=[["DU-03434", "01-KH/ĐU", "", "guides", "DB-112", "09-CTr/HU", ""]],
        tasks=[
            ["DU-03434", "01-KH/ĐU", "", "CB-V1", "Học tập", "", "2021-06-30", "done", "", ""],
            ["DU-03434", "01-KH/ĐU", "", "CB-V2", "Học tập", "", "2021-06-30", "open", "", ""],
        ],
    )  # fmt: skip
    report = import_package(read_package(folder))
    assert [(p.file, p.line, p.column) for p in report.errors] == [
        (LINKS, 2, "target_number"),
        (TASKS, 2, "closed_on"),
        (TASKS, 3, "organization_code"),
    ]
    assert "không tìm thấy văn bản số 09-CTr/HU" in report.errors[0].message
    assert not Document.objects.exists()
    # A report after the report that closed the task.
    task = ["DU-03434", "01-KH/ĐU", "", "CB-V1", "Học tập", "2021-06-30"]
    folder = _package(
        tmp_path / "closed",
        documents=[["DU-03434", "01-KH/ĐU", "KH", "2021-05-03", "", "Kế hoạch", "", "", "", "",
                    ""]],
        tasks=[[*task[:5], "", "2021-06-30", "done", "", "2021-06-20"]],
        task_reports=[[*task, "2021-06-20", "100", "Xong", "done"],
                      [*task, "2021-06-25", "100", "Bổ sung", "open"]],
    )  # fmt: skip
    report = import_package(read_package(folder))
    assert [(p.file, p.line, p.column) for p in report.errors] == [(REPORTS, 3, "date")]
    assert not Task.objects.exists() and not TaskReport.objects.exists()


def test_imported_numbers_are_kept_and_the_next_document_follows_them(reg, tmp_path):
    first = make_document(reg.committee, "NQ")  # the counter exists: 01-NQ/HU
    folder = _package(
        tmp_path,
        documents=[
            ["DB-112", "05-NQ/HU", "NQ", "2021-06-01", "", "Nghị quyết 5", "", "", "", "", ""],
            ["DB-112", "3-KH/HU", "KH", "2021-06-01", "", "Kế hoạch 3", "", "", "", "", ""],
        ],
    )  # fmt: skip
    report = import_package(read_package(folder))
    assert report.ok, [str(p) for p in report.errors]
    assert first.number == "01-NQ/HU"
    assert make_document(reg.committee, "NQ", issued_on=date(2021, 7, 1)).number == "06-NQ/HU"
    assert make_document(reg.committee, "KH", issued_on=date(2021, 7, 1)).number == "04-KH/HU"
    # Importing the package again changes nothing (3-KH/HU is the stored 03-KH/HU).
    again = import_package(read_package(folder))
    assert again.ok and again.changed == 0 and again.skipped["documents"] == 2
    # A number already given in the term is refused.
    folder = _package(
        tmp_path,
        documents=[["DB-112", "06-NQ/HU", "NQ", "2021-08-01", "", "Trùng", "", "", "", "", ""]],
    )
    report = import_package(read_package(folder))
    assert [(p.file, p.line, p.column) for p in report.errors] == [(DOCUMENTS, 2, "number")]


def test_a_subtree_exports_only_its_documents_and_tasks(reg, world, make_user, tmp_path):
    tables = export_tables(reg.commune_committee_a)
    assert [r[:2] for r in tables[DOCUMENTS][1]] == [["DU-03434", "01-KH/ĐU"]]
    assert [(r[0], r[3]) for r in tables[TASKS][1]] == [("DU-03434", "CB-V1")]
    assert REPORTS not in tables  # the district's tasks to the commune's cells are reported there
    # The commune's plan guides the district's programme, which is not the commune's.
    assert LINKS not in tables and TERMS not in tables
    assert export_tables(reg.cell_a).keys().isdisjoint(FILES)
    district = export_tables(reg.committee)
    assert len(district[DOCUMENTS][1]) == 5 and len(district[TASKS][1]) == 3
    assert len(district[REPORTS][1]) == 3
    assert district[DOCUMENTS][0] == list(COLUMNS[DOCUMENTS])
    # A user of commune B imports only inside their scope.
    editor_b = make_user("xab", roles=["editor"], scope=reg.commune_committee_b)
    folder = _package(
        tmp_path,
        terms=[["DU-03434", "2020-08-01", ""]],
        documents=[["DU-03434", "02-KH/ĐU", "KH", "2021-06-03", "", "Kế hoạch", "", "", "", "",
                    ""]],
    )  # fmt: skip
    report = import_package(read_package(folder), acting_user=editor_b)
    assert [(p.file, p.line, p.column) for p in report.errors] == [
        (TERMS, 2, "organization_code"),
        (DOCUMENTS, 2, "organization_code"),
    ]
    assert not Document.objects.filter(number="02-KH/ĐU").exists()


def test_the_app_declares_two_parts_documents_first():
    from grassroots.core import registry
    from grassroots.interchange.reader import FILE_NAMES
    from grassroots.resolutions import document_interchange, indicator_interchange

    parts = registry.interchange_parts()
    assert parts.index(document_interchange) + 1 == parts.index(indicator_interchange)
    # Meetings name documents: the documents' files are imported first.
    assert FILE_NAMES.index(DOCUMENTS) < FILE_NAMES.index("meetings.csv")
    assert FILE_NAMES.index(TERMS) < FILE_NAMES.index(DOCUMENTS) < FILE_NAMES.index(TASKS)
