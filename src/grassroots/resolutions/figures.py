"""Task figures, computed in exactly one function here: the tasks assigned across an
organisation's subtree on a day, and how many of them are done, not done, overdue and still
due (:func:`task_figures`); the same per organisation directly under it
(:func:`task_figures_by_child`). Declared in the figure registry as ``tasks``: the dashboard's
drill-down, ``GET /api/v1/reports/tasks`` and ``grassroots report tasks`` read it."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from grassroots.core import figures as registry
from grassroots.core.temporal import valid_on
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.resolutions.selectors import STATES, state_q, tasks_under

LABELS = {
    "assigned": "Nhiệm vụ được giao",
    "done": "Đã hoàn thành",
    "not_done": "Không hoàn thành",
    "overdue": "Quá hạn chưa hoàn thành",
    "due": "Đang trong hạn",
}


def _counts(tasks, day: date) -> dict[str, int]:
    found = tasks.aggregate(**{state: Count("pk", filter=state_q(state, day)) for state in STATES})
    return {state: found[state] or 0 for state in STATES}


def task_figures(*, organization: Organization, day: date) -> dict:
    """For O and D: tasks of programmes issued on or before D assigned to an organisation of
    Subtree(O, D) (``assigned``); of them ``done`` and ``not_done`` (closed so on or before D),
    ``overdue`` (not closed by D, deadline before D) and ``due`` (not closed by D, deadline on or
    after D). assigned = done + not_done + overdue + due."""
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        **_counts(tasks_under(organization=organization, day=day), day),
    }


def task_figures_by_child(*, organization: Organization, day: date) -> list[dict]:
    """:func:`task_figures` for each organisation directly under O on D (by name)."""
    children = (
        OrganizationVersion.objects.filter(valid_on(day), parent=organization)
        .select_related("organization")
        .order_by("name")
    )
    rows = []
    for version in children:
        child = version.organization
        rows.append(
            {"code": child.code, "name": version.name, **task_figures(organization=child, day=day)}
        )
    return rows


def _records(*, organization: Organization, path: str, day: date) -> registry.Records:
    state = registry.path_part(path, STATES)
    tasks = tasks_under(organization=organization, day=day).filter(state_q(state, day))
    return registry.Records("tasks", tasks)


def _title(path: str) -> str:
    return LABELS.get(path, "Nhiệm vụ")


def _counted(result: dict):
    for state in STATES:
        yield state, result[state]


registry.register(
    registry.Figure(
        name="tasks",
        label="Nhiệm vụ theo chương trình, kế hoạch",
        definition=(
            "Các nhiệm vụ của chương trình, kế hoạch, đề án ban hành đến ngày D được giao cho "
            "một tổ chức đảng thuộc O vào ngày D (assigned); trong đó đã hoàn thành (done) và "
            "không hoàn thành (not_done) là những nhiệm vụ kết thúc như vậy đến ngày D; quá hạn "
            "(overdue) là chưa kết thúc vào ngày D mà thời hạn trước ngày D; đang trong hạn (due) "
            "là chưa kết thúc và thời hạn từ ngày D trở đi. assigned = done + not_done + overdue "
            "+ due."
        ),
        params=registry.ON_DAY,
        compute=task_figures,
        records=_records,
        title=_title,
        drill_paths=_counted,
        module=__name__,
    )
)
