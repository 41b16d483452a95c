"""Action programmes and their tasks: assignment (to organisations or every cell below),
progress reports, closing, the figures with drill-down, scope, the home page, pages and API."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound, RuleError
from grassroots.resolutions import selectors
from grassroots.resolutions.figures import task_figures, task_figures_by_child
from grassroots.resolutions.models import Task, TaskReport
from grassroots.resolutions.services import task_assign, task_report
from tests import factories
from tests.resolutions.documents_world import PDF, make_document

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def programme(reg):
    return make_document(reg.committee, "CTr", issued_on=TODAY - timedelta(days=100))


@pytest.fixture
def extra_cell(reg):
    return factories.org(
        name="Chi bộ bản Huổi Van",
        kind="cell",
        place=reg.village_a,
        parent=reg.commune_committee_a,
        code="CB-V1-2",
        valid_from=date(2013, 6, 1),
    )


def assign(programme, deadline, **kwargs):
    kwargs.setdefault("title", "Rà soát, bổ sung quy hoạch")
    return task_assign(
        acting_user=kwargs.pop("user", None), programme=programme, deadline=deadline, **kwargs
    )


def test_every_cell_below_gets_one_task(reg, programme, extra_cell, make_user):
    officer = make_user("hu", roles=["editor"], scope=reg.committee)
    tasks = assign(programme, TODAY + timedelta(days=10), every_cell=True, user=officer)
    assert sorted(t.organization.code for t in tasks) == ["CB-V1", "CB-V1-2", "CB-V2"]
    assert all(LogEntry.objects.get_for_object(t).count() == 1 for t in tasks)
    # Organisations named and "every cell" together give each one task.
    more = assign(
        programme, TODAY, every_cell=True, organizations=[reg.cell_a, reg.commune_committee_a]
    )
    assert len(more) == 4


def test_assignment_refusals_change_nothing(reg, programme, make_user):
    commune_officer = make_user("xa", roles=["editor"], scope=reg.commune_committee_a)
    plan_of_commune = make_document(
        reg.commune_committee_a, "KH", issued_on=TODAY - timedelta(days=5)
    )
    resolution = make_document(reg.committee, "NQ")
    cases = (
        ({"programme": resolution, "deadline": TODAY, "organizations": [reg.cell_a]}, "not_a_programme"),
        ({"programme": programme, "deadline": TODAY - timedelta(days=365), "organizations": [reg.cell_a]}, "deadline"),
        ({"programme": programme, "deadline": TODAY}, "no_assignee"),
        ({"programme": plan_of_commune, "deadline": TODAY, "organizations": [reg.cell_b]}, "assignee_outside"),
    )  # fmt: skip
    for kwargs, code in cases:
        with pytest.raises(RuleError) as exc:
            task_assign(acting_user=None, title="Nhiệm vụ", **kwargs)
        assert exc.value.code == code
    # A commune officer cannot assign tasks of the district's programme.
    with pytest.raises(NotFound):
        task_assign(
            acting_user=commune_officer, programme=programme, title="X", deadline=TODAY,
            organizations=[reg.cell_a],
        )  # fmt: skip
    assert not Task.objects.exists()


def test_progress_reports_and_closing(reg, programme, make_user):
    secretary = make_user("bithu", roles=["editor"], scope=reg.cell_a)
    (task,) = assign(programme, TODAY + timedelta(days=5), organizations=[reg.cell_a])
    first = task_report(
        acting_user=secretary, task=task, day=TODAY - timedelta(days=3), percent=40,
        note="Đã họp chi bộ triển khai.",
        attachment=SimpleUploadedFile("bien-ban.pdf", PDF), based_on=task.version,
    )  # fmt: skip
    assert first.attachment_name == "bien-ban.pdf"
    task.refresh_from_db()
    assert (task.percent, task.status) == (40, "open")
    for kwargs, code in (
        ({"day": TODAY - timedelta(days=4)}, "report_order"),
        ({"day": TODAY + timedelta(days=1)}, "report_in_future"),
        ({"percent": 101}, "percent"),
        ({"note": " "}, "required"),
        ({"attachment": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, "file_type"),
    ):
        values = {"day": TODAY, "percent": 50, "note": "Tiếp tục", **kwargs}
        with pytest.raises(RuleError) as exc:
            task_report(acting_user=secretary, task=task, **values)
        assert exc.value.code == code
    done = task_report(
        acting_user=secretary, task=task, day=TODAY, percent=90, note="Xong", status="done"
    )
    task.refresh_from_db()
    assert (task.status, task.percent, task.closed_on, done.percent) == ("done", 100, TODAY, 100)
    with pytest.raises(RuleError) as exc:
        task_report(acting_user=secretary, task=task, day=TODAY, percent=100, note="Thêm")
    assert exc.value.code == "task_closed"
    assert TaskReport.objects.count() == 2
    # Another cell's secretary cannot report on it.
    other = make_user("bithu-b", roles=["editor"], scope=reg.cell_b)
    (task_b,) = assign(programme, TODAY, organizations=[reg.cell_b])
    with pytest.raises(NotFound):
        task_report(acting_user=other, task=task, day=TODAY, percent=1, note="x")
    task_report(acting_user=other, task=task_b, day=TODAY, percent=10, note="Bắt đầu")


def test_figures_count_due_overdue_and_done_across_the_subtree(reg, programme, extra_cell):
    overdue = assign(programme, TODAY - timedelta(days=10), organizations=[reg.cell_a, reg.cell_b])
    (due,) = assign(programme, TODAY + timedelta(days=10), organizations=[extra_cell])
    (done,) = assign(programme, TODAY - timedelta(days=20), organizations=[reg.commune_committee_a])
    task_report(
        acting_user=None,
        task=done,
        day=TODAY - timedelta(days=25),
        percent=100,
        note="Xong",
        status="done",
    )
    (failed,) = assign(
        programme, TODAY - timedelta(days=20), organizations=[reg.commune_committee_b]
    )
    task_report(
        acting_user=None,
        task=failed,
        day=TODAY - timedelta(days=2),
        percent=30,
        note="Dừng",
        status="not_done",
    )
    district = task_figures(organization=reg.committee, day=TODAY)
    assert {k: district[k] for k in ("assigned", "done", "not_done", "overdue", "due")} == {
        "assigned": 5, "done": 1, "not_done": 1, "overdue": 2, "due": 1,
    }  # fmt: skip
    commune_a = task_figures(organization=reg.commune_committee_a, day=TODAY)
    assert (commune_a["assigned"], commune_a["overdue"], commune_a["due"], commune_a["done"]) == (
        3,
        1,
        1,
        1,
    )
    # On an earlier day the closed tasks were still open: the failed one was overdue then.
    earlier = task_figures(organization=reg.committee, day=TODAY - timedelta(days=5))
    assert (earlier["not_done"], earlier["overdue"], earlier["done"]) == (0, 1 + 2, 1)
    # Before the programme was issued, nothing was assigned.
    assert (
        task_figures(organization=reg.committee, day=TODAY - timedelta(days=101))["assigned"] == 0
    )
    rows = task_figures_by_child(organization=reg.committee, day=TODAY)
    assert [(r["code"], r["overdue"]) for r in rows] == [("DU-03460", 1), ("DU-03434", 1)]
    figure = registry.get("tasks")
    for path, number in figure.counted(district):
        assert figure.drill(reg.committee, path, day=TODAY).queryset.count() == number
    assert set(figure.drill(reg.committee, "overdue", day=TODAY).queryset) == set(overdue)
    assert due.status == "open"


def test_scope_a_cell_sees_its_own_tasks_a_committee_its_subtree(reg, programme, make_user):
    tasks = assign(
        programme, TODAY, organizations=[reg.cell_a, reg.cell_b, reg.commune_committee_a]
    )
    cell = make_user("cell", scope=reg.cell_a)
    commune = make_user("commune", scope=reg.commune_committee_a)
    district = make_user("district", scope=reg.committee)
    assert {t.organization.code for t in selectors.task_visible_to(cell)} == {"CB-V1"}
    assert {t.organization.code for t in selectors.task_visible_to(commune)} == {
        "CB-V1",
        "DU-03434",
    }
    assert set(selectors.task_visible_to(district)) == set(tasks)


def test_overdue_tasks_appear_on_the_assignees_home_page(client, reg, programme, make_user):
    (late,) = assign(
        programme, TODAY - timedelta(days=3), title="Nộp báo cáo sơ kết", organizations=[reg.cell_a]
    )
    assign(
        programme, TODAY - timedelta(days=3), title="Việc của bản khác", organizations=[reg.cell_b]
    )
    client.force_login(make_user("bithu", scope=reg.cell_a))
    page = client.get("/").content.decode()
    assert "Nộp báo cáo sơ kết" in page and "Quá hạn" in page and "Việc của bản khác" not in page
    task_report(acting_user=None, task=late, day=TODAY, percent=100, note="Xong", status="done")
    assert "Nộp báo cáo sơ kết" not in client.get("/").content.decode()
    # The district's officer sees the count across the subtree, linked to the list.
    client.force_login(make_user("hu", scope=reg.committee))
    page = client.get("/").content.decode()
    assert "1 nhiệm vụ quá hạn" in page and "state=overdue" in page


def test_pages_assign_list_report_and_figures(client, reg, programme, extra_cell, make_user):
    officer = make_user("hu", roles=["editor"], scope=reg.committee)
    client.force_login(officer)
    url = reverse("resolutions:task_assign", args=[programme.pk])
    response = client.post(
        url, {"title": "Học tập nghị quyết", "deadline": "2000-01-01", "every_cell": "on"}
    )
    assert (
        response.status_code == 200
        and "Thời hạn phải từ ngày ban hành" in response.content.decode()
    )
    assert not Task.objects.exists()
    response = client.post(
        url,
        {
            "title": "Học tập nghị quyết",
            "deadline": (TODAY - timedelta(days=1)).isoformat(),
            "every_cell": "on",
        },
    )
    assert response.status_code == 302 and Task.objects.count() == 3
    detail = client.get(
        reverse("resolutions:document_detail", args=[programme.pk])
    ).content.decode()
    assert detail.count("Học tập nghị quyết") == 3
    figures_page = client.get(reverse("resolutions:task_figures"), {"organization": "DB-112"})
    assert figures_page.status_code == 200
    listed = client.get(
        reverse("resolutions:tasks"), {"organization": "DB-112", "state": "overdue"}
    )
    assert listed.content.decode().count("Học tập nghị quyết") == 3

    secretary = make_user("bithu", roles=["editor"], scope=reg.cell_a)
    client.force_login(secretary)
    task = Task.objects.get(organization=reg.cell_a)
    # The cell reads the programme's number and title on its task, not the district's page.
    detail = client.get(reverse("resolutions:task_detail", args=[task.pk])).content.decode()
    assert programme.number in detail and programme.title in detail
    assert reverse("resolutions:document_detail", args=[programme.pk]) not in detail
    assert (
        client.get(
            reverse("resolutions:task_detail", args=[Task.objects.get(organization=reg.cell_b).pk])
        ).status_code
        == 404
    )
    response = client.post(
        reverse("resolutions:task_report", args=[task.pk]),
        {
            "day": TODAY.isoformat(),
            "percent": 100,
            "note": "Đã học tập",
            "status": "done",
            "based_on": task.version,
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    assert task_figures(organization=reg.committee, day=TODAY)["overdue"] == 2


def test_api(client, reg, programme, make_user):
    officer = make_user("hu", roles=["editor"], scope=reg.committee)
    client.force_login(officer)
    response = client.post(
        f"/api/v1/resolutions/documents/{programme.pk}/tasks",
        {
            "title": "Kiện toàn chi ủy",
            "deadline": TODAY.isoformat(),
            "organizations": ["CB-V1", "CB-V2"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert [t["organization"] for t in response.json()] == ["CB-V1", "CB-V2"]
    task_id = response.json()[0]["id"]
    listed = client.get(
        "/api/v1/resolutions/tasks", {"organization": "DU-03434", "state": "due"}
    ).json()
    assert [t["id"] for t in listed["items"]] == [task_id]
    assert client.get("/api/v1/resolutions/tasks", {"state": "khac"}).status_code == 400
    report = client.post(
        f"/api/v1/resolutions/tasks/{task_id}/reports",
        {"date": TODAY.isoformat(), "percent": 30, "note": "Đang làm", "version": 99},
        content_type="application/json",
    )
    assert report.status_code == 409
    report = client.post(
        f"/api/v1/resolutions/tasks/{task_id}/reports",
        {"date": TODAY.isoformat(), "percent": 30, "note": "Đang làm"},
        content_type="application/json",
    )
    assert report.status_code == 201 and report.json()["task"]["percent"] == 30
    figures = client.get(
        "/api/v1/reports/tasks", {"organization": "DB-112", "as_of": TODAY.isoformat()}
    ).json()
    assert (figures["assigned"], figures["due"]) == (2, 2)
