"""Figures of inspection, supervision and discipline, each computed in exactly one function
here and declared in the figure registry (:mod:`grassroots.core.figures`): the dashboard's
drill-down, ``GET /api/v1/reports/{figure}`` and ``grassroots report <figure>`` read them.

For an organisation O and the years Y1..Y2 (definitions in ``docs/inspections.md``):

- ``inspection-cases``: cases decided in each year whose organisation was in Subtree(O) on the
  decision's day, per kind; the programme items planned in each year for organisations in
  Subtree(O) on the item's first day, per kind, and of them those done (a case carries them
  out and reached its conclusion);
- ``discipline``: discipline decisions in force (not cancelled on appeal; a changed decision
  counts at its new level) decided in Y1..Y2 whose organisation was in Subtree(O) that day:
  members disciplined per level, organisations disciplined per level, violations per kind.

The counts are no confidential records; the records behind the case numbers (drill-down) are
listed only to users who may read cases (``core.scope``'s ``read_role``).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from grassroots.core import figures as registry
from grassroots.core import scope
from grassroots.core.errors import NotFound
from grassroots.inspections.models import (
    Case,
    DecisionStatus,
    DisciplineDecision,
    Kind,
    Level,
    ProgrammeItem,
    Subject,
    ViolationKind,
)
from grassroots.organizations.models import Organization

MEMBER_LEVELS = ("reprimand", "warning", "dismissal", "expulsion")
ORGANIZATION_LEVELS = ("reprimand", "warning", "dissolution")


def _years(year_from: int, year_to: int) -> range:
    return range(year_from, year_to + 1)


def cases_under(*, organization: Organization, year_from: int, year_to: int) -> QuerySet:
    """Cases decided in the years whose organisation was in Subtree(O) on the decision's day."""
    return Case.objects.filter(
        scope.in_subtree_at(organization.pk, "organization_id", "decided_on"),
        decided_on__gte=date(year_from, 1, 1),
        decided_on__lte=date(year_to, 12, 31),
    )


def items_under(*, organization: Organization, year_from: int, year_to: int) -> QuerySet:
    """Programme items planned in the years for organisations in Subtree(O) on their first day."""
    return ProgrammeItem.objects.filter(
        scope.in_subtree_at(organization.pk, "subject_organization_id", "period_start"),
        year__gte=year_from,
        year__lte=year_to,
    )


def done(items: QuerySet) -> QuerySet:
    """Items carried out: a case of theirs reached its conclusion."""
    return items.filter(cases__concluded_on__isnull=False).distinct()


def decisions_under(*, organization: Organization, year_from: int, year_to: int) -> QuerySet:
    """Decisions in force decided in the years whose organisation was in Subtree(O) that day."""
    return DisciplineDecision.objects.filter(
        scope.in_subtree_at(organization.pk, "organization_id", "decided_on"),
        decided_on__gte=date(year_from, 1, 1),
        decided_on__lte=date(year_to, 12, 31),
    ).exclude(status=DecisionStatus.CANCELLED)


def _counts(qs: QuerySet, field: str, keys) -> dict[str, int]:
    found = dict(qs.values_list(field).annotate(n=Count("id", distinct=True)).order_by())
    return {key: found.get(key, 0) for key in keys}


def cases_report(*, organization: Organization, year_from: int, year_to: int) -> dict:
    """The ``inspection-cases`` figure's object."""
    by_year = {}
    for year in _years(year_from, year_to):
        cases = cases_under(organization=organization, year_from=year, year_to=year)
        items = items_under(organization=organization, year_from=year, year_to=year)
        counts = _counts(cases, "kind", Kind.values)
        planned = _counts(items, "kind", Kind.values)
        carried = _counts(done(items), "kind", Kind.values)
        by_year[str(year)] = {
            "cases": {**counts, "total": sum(counts.values())},
            "planned": {**planned, "total": sum(planned.values())},
            "done": {**carried, "total": sum(carried.values())},
        }
    return {
        "organization": organization.code,
        "year_from": year_from,
        "year_to": year_to,
        "by_year": by_year,
    }


def discipline_report(*, organization: Organization, year_from: int, year_to: int) -> dict:
    """The ``discipline`` figure's object."""
    decisions = decisions_under(organization=organization, year_from=year_from, year_to=year_to)
    members = _counts(decisions.filter(subject=Subject.MEMBER), "level", MEMBER_LEVELS)
    organizations = _counts(
        decisions.filter(subject=Subject.ORGANIZATION), "level", ORGANIZATION_LEVELS
    )
    violations = _counts(decisions, "violation_kind", ViolationKind.values)
    return {
        "organization": organization.code,
        "year_from": year_from,
        "year_to": year_to,
        "members": {**members, "total": sum(members.values())},
        "organizations": {**organizations, "total": sum(organizations.values())},
        "violations": {**violations, "total": sum(violations.values())},
    }


def _no_figure() -> NotFound:
    return NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def cases_records(
    *, organization: Organization, path: str, year_from: int, year_to: int
) -> registry.Records:
    """``by_year.<year>.cases.<kind|total>``: cases; ``by_year.<year>.planned|done.<kind|total>``:
    programme items."""
    parts = path.split(".")
    if len(parts) != 4 or parts[0] != "by_year" or not parts[1].isdigit():
        raise _no_figure()
    year, what, kind = int(parts[1]), parts[2], parts[3]
    if not year_from <= year <= year_to or (kind != "total" and kind not in Kind.values):
        raise _no_figure()
    filt = Q() if kind == "total" else Q(kind=kind)
    if what == "cases":
        cases = cases_under(organization=organization, year_from=year, year_to=year)
        return registry.Records("cases", cases.filter(filt))
    if what in ("planned", "done"):
        items = items_under(organization=organization, year_from=year, year_to=year).filter(filt)
        return registry.Records("programme_items", done(items) if what == "done" else items)
    raise _no_figure()


def discipline_records(
    *, organization: Organization, path: str, year_from: int, year_to: int
) -> registry.Records:
    """``members.<level|total>``, ``organizations.<level|total>``, ``violations.<kind|total>``:
    the decisions counted."""
    parts = path.split(".")
    if len(parts) != 2:
        raise _no_figure()
    group, key = parts
    decisions = decisions_under(organization=organization, year_from=year_from, year_to=year_to)
    if group == "members" and (key == "total" or key in MEMBER_LEVELS):
        qs = decisions.filter(subject=Subject.MEMBER)
        return registry.Records("discipline", qs if key == "total" else qs.filter(level=key))
    if group == "organizations" and (key == "total" or key in ORGANIZATION_LEVELS):
        qs = decisions.filter(subject=Subject.ORGANIZATION)
        return registry.Records("discipline", qs if key == "total" else qs.filter(level=key))
    if group == "violations" and (key == "total" or key in ViolationKind.values):
        qs = decisions if key == "total" else decisions.filter(violation_kind=key)
        return registry.Records("discipline", qs)
    raise _no_figure()


def _cases_title(path: str) -> str:
    parts = path.split(".")
    if len(parts) != 4:
        return "Kiểm tra, giám sát"
    what = {"cases": "Cuộc kiểm tra, giám sát", "planned": "Theo chương trình: kế hoạch",
            "done": "Theo chương trình: đã thực hiện"}.get(parts[2], "")  # fmt: skip
    kind = "tổng số" if parts[3] == "total" else dict(Kind.choices).get(parts[3], "")
    return f"{what} năm {parts[1]} — {str(kind).lower()}"


def _discipline_title(path: str) -> str:
    parts = path.split(".")
    if len(parts) != 2:
        return "Kỷ luật"
    group = {"members": "Đảng viên bị kỷ luật", "organizations": "Tổ chức đảng bị kỷ luật",
             "violations": "Vi phạm"}.get(parts[0], "")  # fmt: skip
    labels = {**dict(Level.choices), **dict(ViolationKind.choices), "total": "Tổng số"}
    return f"{group}: {str(labels.get(parts[1], '')).lower()}"


registry.register(
    registry.Figure(
        name="inspection-cases",
        label="Kiểm tra, giám sát theo loại và năm; kế hoạch và thực hiện chương trình",
        definition=(
            "Mỗi năm, theo từng loại: số cuộc kiểm tra, giám sát có quyết định trong năm, của tổ "
            "chức đảng (hoặc đảng viên thuộc tổ chức) nằm trong O vào ngày quyết định; số nội "
            "dung kiểm tra, giám sát theo chương trình dự kiến trong năm đối với tổ chức nằm "
            "trong O vào ngày bắt đầu, và trong đó số đã thực hiện (có cuộc kiểm tra đã kết "
            "luận)."
        ),
        params=registry.YEARS,
        compute=cases_report,
        records=cases_records,
        title=_cases_title,
        module=__name__,
    )
)

registry.register(
    registry.Figure(
        name="discipline",
        label="Kỷ luật đảng viên và tổ chức đảng; vi phạm theo loại",
        definition=(
            "Các quyết định kỷ luật còn hiệu lực (không bị hủy khi giải quyết khiếu nại; quyết "
            "định bị thay đổi tính theo hình thức mới) có ngày quyết định trong các năm, của tổ "
            "chức đảng (hoặc đảng viên thuộc tổ chức) nằm trong O vào ngày đó: số đảng viên bị "
            "kỷ luật theo hình thức, số tổ chức đảng bị kỷ luật theo hình thức, số vi phạm theo "
            "loại."
        ),
        params=registry.YEARS,
        compute=discipline_report,
        records=discipline_records,
        title=_discipline_title,
        module=__name__,
    )
)
