"""The reporting calendar: periods (policy ``REPORT_PERIODS``: the first six months and the
year), the deadline of each unit (policy ``REPORT_DEADLINE_DAYS``: days after the period end, by
level — grassroots organisations, districts, provinces) and, for a committee, which of the units
directly below it have sent a form for a period: sent (when, by whom), late (sent after the
deadline), missing (not sent; overdue once the deadline has passed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from grassroots import policy
from grassroots.core import figures as registry
from grassroots.core.temporal import valid_on
from grassroots.organizations.models import Organization, OrganizationKind, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids
from grassroots.reports.layout import Period, parse_period, period_params
from grassroots.reports.models import Submission

GRASSROOTS_KINDS = (
    OrganizationKind.GRASSROOTS_COMMITTEE,
    OrganizationKind.GRASSROOTS_CELL,
    OrganizationKind.CELL,
    OrganizationKind.PARTY_GROUP,
)
STATUS_LABELS = {
    "sent": "Đã gửi",
    "late": "Gửi muộn",
    "missing": "Chưa gửi",
    "overdue": "Quá hạn, chưa gửi",
}


def level(version: OrganizationVersion) -> str:
    """``grassroots``, ``district`` (a committee under another) or ``province`` (a committee
    at the top)."""
    if version.kind in GRASSROOTS_KINDS:
        return "grassroots"
    return "district" if version.parent_id else "province"


def deadline(version: OrganizationVersion, period: Period) -> date:
    days = policy.get("REPORT_DEADLINE_DAYS")[level(version)]
    return period.end + timedelta(days=days)


def last_period(day: date) -> Period:
    """The last period that ended before ``day``: the year before in January–July, else the
    first six months of the year."""
    if day > date(day.year, 6, 30):
        return parse_period(f"{day.year}-H1")
    return parse_period(str(day.year - 1))


@dataclass(frozen=True)
class UnitStatus:
    version: OrganizationVersion
    deadline: date
    submission: Submission | None
    status: str
    live: dict | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


REPORTING_KINDS = (
    OrganizationKind.COMMITTEE,
    OrganizationKind.GRASSROOTS_COMMITTEE,
    OrganizationKind.GRASSROOTS_CELL,
)


def units(committee: Organization, day: date) -> list[OrganizationVersion]:
    """The reporting units below ``committee`` on ``day``: the committees and grassroots
    organisations of its subtree (not the cells inside a grassroots committee), districts
    first."""
    found = (
        OrganizationVersion.objects.filter(
            valid_on(day),
            organization_id__in=subtree_ids(organization=committee, day=day),
            kind__in=REPORTING_KINDS,
        )
        .exclude(organization=committee)
        .select_related("organization")
    )
    return sorted(found, key=lambda v: (v.kind != OrganizationKind.COMMITTEE, v.name_folded))


def status_of(
    version: OrganizationVersion, figure: str, period: Period, today: date | None = None
) -> tuple[str, Submission | None]:
    today = today or timezone.localdate()
    sent = (
        Submission.objects.filter(
            organization_id=version.organization_id, figure=figure, period=period.label
        )
        .order_by("-submitted_at", "-pk")
        .first()
    )
    due = deadline(version, period)
    if sent is not None:
        late = timezone.localdate(sent.submitted_at) > due
        return ("late" if late else "sent"), sent
    return ("overdue" if today > due else "missing"), None


def committee_calendar(
    committee: Organization, figure: str, period: Period, *, live: bool = True
) -> list[UnitStatus]:
    """Each unit directly below ``committee`` on the period's last day, with what it sent."""
    fig = registry.get(figure)
    values = fig.parse(period_params(figure, period))
    rows = []
    for version in units(committee, period.end):
        status, submission = status_of(version, figure, period)
        result = fig.report(version.organization, **values) if live else None
        rows.append(UnitStatus(version, deadline(version, period), submission, status, result))
    return rows


def sums(rows: list[UnitStatus], figure: str) -> list[tuple[str, str, int, int]]:
    """Per number of the form, over the grassroots units (forms are summed from the base level
    up): (path, title, sum of what was sent, live sum)."""
    fig = registry.get(figure)
    sent: dict[str, int] = {}
    live: dict[str, int] = {}
    order: list[str] = []
    for row in rows:
        if level(row.version) != "grassroots":
            continue
        if row.live is not None:
            for path, n in fig.counted(row.live):
                if path not in live:
                    order.append(path)
                live[path] = live.get(path, 0) + n
        if row.submission is not None:
            for path, n in fig.counted(row.submission.report):
                sent[path] = sent.get(path, 0) + n
    return [(path, fig.title_of(path), sent.get(path, 0), live[path]) for path in order]


def reminders(organization: Organization, *, today: date | None = None) -> list[dict[str, Any]]:
    """The forms ``organization`` has not sent for the last period, with their deadline."""
    today = today or timezone.localdate()
    period = last_period(today)
    version = organization.version_on(period.end)
    if version is None:
        return []
    found = []
    for figure in ("form1", "form2", "form3"):
        status, _sent = status_of(version, figure, period, today)
        if status in ("missing", "overdue"):
            found.append(
                {
                    "figure": figure,
                    "label": registry.get(figure).label,
                    "period": period,
                    "deadline": deadline(version, period),
                    "overdue": status == "overdue",
                }
            )
    return found
