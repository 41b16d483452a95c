"""Admissions per year: the one implementation of ``admissions(O, D1, D2)`` (DOMAIN.md).

Admissions are member events, so the figure lives with the members: the statistics dashboard,
the party-development figures of :mod:`grassroots.admissions.figures` (admissions against the
target), the API and the command line all count through :func:`admissions_by_year` and list
through :func:`admitted_events`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.core.prepared import Prepared
from grassroots.core.temporal import valid_on
from grassroots.members import tally
from grassroots.members.models import EventKind, MemberEvent
from grassroots.organizations.models import Organization, OrganizationClosure
from grassroots.organizations.selectors import ever_in_subtree_ids


def effective_events(kind: str | tuple[str, ...]) -> QuerySet:
    """Member events of ``kind`` that count: not superseded by a correction or a cancellation."""
    kinds = (kind,) if isinstance(kind, str) else kind
    return MemberEvent.objects.filter(kind__in=kinds, superseded_by__isnull=True)


def in_subtree_on_event_date(organization: Organization, field: str = "organization_id") -> Exists:
    """True for an event row whose ``field`` organisation is in Subtree(O, event date): one
    semi-join on the closure table, its validity covering the event's own date."""
    return Exists(
        OrganizationClosure.objects.filter(
            valid_on(OuterRef("date")),
            ancestor_id=getattr(organization, "pk", organization),
            descendant_id=OuterRef(field),
        )
    )


def admitted_events(*, organization: Organization, start: date, end: date) -> QuerySet:
    """Effective ``admitted`` events dated ``start``..``end`` (inclusive) whose organisation is in
    Subtree(O, event date)."""
    return effective_events(EventKind.ADMITTED).filter(
        in_subtree_on_event_date(organization),
        # Implied by the line above; lets the database start from the subtree's organisations
        # and their (organisation, date) index instead of every admission of the period.
        organization_id__in=ever_in_subtree_ids(organization),
        date__gte=start,
        date__lte=end,
    )


_ADMISSIONS_BY_YEAR = Prepared(
    lambda organization, start, end: (
        admitted_events(organization=organization, start=start, end=end)
        .order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
    ),
    organization=int,
    start=date,
    end=date,
)


def admissions_by_year(*, organization: Organization, start: date, end: date) -> dict[str, int]:
    """``admissions(O, D1, D2)`` per year: effective ``admitted`` events (not superseded by a
    correction or a cancellation) dated D1..D2 inclusive whose organisation is in
    Subtree(O, event date). Every year from D1's to D2's is present, zeros included."""
    counted = tally.admissions_by_year(organization, start, end)  # a committee's: its tally
    if counted is None:
        rows = _ADMISSIONS_BY_YEAR.rows(organization=organization, start=start, end=end)
        counted = {int(row["year"]): row["n"] for row in rows}
    return {str(year): counted.get(year, 0) for year in range(start.year, end.year + 1)}


def admissions(*, organization: Organization, start: date, end: date) -> dict:
    """The admissions report of O over D1..D2 (INTERCHANGE.md): the total and every year's
    count."""
    by_year = admissions_by_year(organization=organization, start=start, end=end)
    return {
        "organization": organization.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "admitted": sum(by_year.values()),
        "by_year": by_year,
    }


def admissions_records(*, organization: Organization, path: str, start: date, end: date):
    """``admitted`` (or nothing): the period's admissions; ``by_year.<year>``: that year's part
    of the period."""
    if path in ("", "admitted"):
        return registry.Records(
            "events", admitted_events(organization=organization, start=start, end=end)
        )
    head, _, year = path.partition(".")
    if head != "by_year" or not year.isdigit() or not start.year <= int(year) <= end.year:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    first = max(start, date(int(year), 1, 1))
    last = min(end, date(int(year), 12, 31))
    return registry.Records(
        "events", admitted_events(organization=organization, start=first, end=last)
    )


def _admissions_title(path: str) -> str:
    _, _, year = path.partition(".")
    return f"Đảng viên được kết nạp năm {year}" if year else "Đảng viên được kết nạp"


def _admissions_text(result: dict) -> str:
    from grassroots.core.text import format_date, format_number

    start, end = date.fromisoformat(result["from"]), date.fromisoformat(result["to"])
    head = (
        f"Tổ chức đảng {result['organization']}: kết nạp từ {format_date(start)} "
        f"đến {format_date(end)}"
    )
    rows = [["Năm", "Kết nạp"]]
    rows += [[year, format_number(n)] for year, n in result["by_year"].items()]
    rows.append(["Tổng cộng", format_number(result["admitted"])])
    return "\n".join([head, "", registry.text_table(rows)])


ADMISSIONS = registry.register(
    registry.Figure(
        name="admissions",
        label="Kết nạp đảng viên",
        definition=(
            "Số sự kiện kết nạp (không kể sự kiện đã được đính chính hay hủy) có ngày từ D1 đến "
            "D2 (kể cả hai ngày) mà tổ chức kết nạp thuộc O vào đúng ngày kết nạp. Số theo năm có "
            "đủ mọi năm từ năm của D1 đến năm của D2, kể cả năm bằng 0."
        ),
        params=registry.PERIOD,
        compute=admissions,
        records=admissions_records,
        title=_admissions_title,
        text=_admissions_text,
        module=__name__,
    )
)
