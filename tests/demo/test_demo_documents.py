"""The demo's documents and tasks: the seed's chain, numbered as printed, and a programme whose
tasks to the cells are partly done and partly overdue."""

from datetime import date

import pytest
from django.utils import timezone

from grassroots.organizations.models import Organization
from grassroots.resolutions.figures import task_figures
from grassroots.resolutions.models import Document, Task, TaskReport
from grassroots.resolutions.services import document_create
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield


@pytest.mark.django_db
def test_the_seeds_chain(demo):
    programme = Document.objects.get(number="11-CTr/HU")
    assert programme.organization.code == "DB-112" and programme.issuer_name == "Huyện ủy Nậm Nhùn"
    assert [(link.kind, link.target.number) for link in programme.links.all()] == [
        ("implements", "07-NQ/TU")
    ]
    assert Document.objects.get(number="07-NQ/TU").external
    assert Document.objects.get(number="05-CT/TW").organization is None
    scheme = Document.objects.get(number="01-ĐA/HU")
    assert scheme.links.get().target == programme
    # The numbering service continues the programme's sequence in its term.
    district = Organization.objects.get(code="DB-112")
    following = document_create(
        acting_user=None, organization=district, doc_type="CTr", issued_on=date(2022, 1, 5),
        title="Chương trình tiếp theo",
    )  # fmt: skip
    assert following.number == "12-CTr/HU"


@pytest.mark.django_db
def test_tasks_to_every_cell_some_done_some_overdue(demo):
    tasks = Task.objects.filter(programme__number="11-CTr/HU")
    cells = tasks.values("organization").distinct().count()
    assert cells > 10 and tasks.count() == 3 * cells
    province = Organization.objects.get(code="DB-12")
    today = task_figures(organization=province, day=timezone.localdate())
    assert today["done"] > today["overdue"] > 0 and today["not_done"] > 0
    assert today["assigned"] == sum(today[k] for k in ("done", "not_done", "overdue", "due"))


@pytest.mark.django_db
def test_the_demos_documents_and_tasks_read_back_unchanged(demo, tmp_path):
    """The demo's documents, links and tasks (built in bulk) exported and imported again: every
    row is recognised as stored (the import's rules accept what the demo built)."""
    from grassroots.interchange.exporter import write_folder
    from grassroots.interchange.importer import import_package
    from grassroots.interchange.reader import read_package
    from grassroots.resolutions import document_interchange

    tables = document_interchange.export_tables(
        set(Organization.objects.values_list("pk", flat=True))
    )
    write_folder(tables, tmp_path / "goi")
    report = import_package(read_package(tmp_path / "goi"))
    assert report.ok, [str(p) for p in report.errors[:5]]
    assert report.changed == 0
    # Every document of the registry, and 07-NQ/TU that the programme implements (05-CT/TW,
    # linked to no document, stays out).
    internal = Document.objects.filter(external=False).count()
    assert report.skipped["documents"] == len(tables["documents.csv"][1]) == internal + 1
    assert report.skipped["document_links"] == 2
    assert report.skipped["tasks"] == Task.objects.count() > 0
    assert report.skipped["task_reports"] == TaskReport.objects.count() > 0
