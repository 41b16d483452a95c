"""The demo's documents and tasks: the seed's chain, numbered as printed, and a programme whose
tasks to the cells are partly done and partly overdue."""

from datetime import date

import pytest
from django.utils import timezone

from grassroots.organizations.models import Organization
from grassroots.resolutions.figures import task_figures
from grassroots.resolutions.models import Document, Task
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
