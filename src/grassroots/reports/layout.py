"""An official form laid out as on paper, the same for the page, the .xlsx and the PDF:
the committee and "BAN TỔ CHỨC" top left, "Biểu số N-BTCTW" top right, the title and the
period, the rows with "Kỳ này | Cùng kỳ năm trước | %", and the signature block.

"Cùng kỳ năm trước" is the same form with every date one year earlier; % = this period × 100 /
same period last year (blank when last year is 0)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from grassroots import policy
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.core.text import format_date, format_number
from grassroots.organizations.models import Organization
from grassroots.reports import labels

FORMS = ("form1", "form2", "form3", "form4", "form5", "form7")


#: The rows that add up the rows below them (no records of their own).
SUMS = ("increase", "decrease", "mean_age", "badges")


@dataclass(frozen=True)
class Period:
    """A reporting period: a year (``2024``) or its first six months (``2024-H1``)."""

    label: str
    start: date
    end: date

    @property
    def text(self) -> str:
        if self.label.endswith("-H1"):
            return f"6 tháng đầu năm {self.start.year}"
        return f"năm {self.start.year}"


def parse_period(raw: str) -> Period:
    """``2024`` or ``2024-H1``; :class:`NotFound` with a Vietnamese message otherwise."""
    raw = (raw or "").strip().upper()
    match = re.fullmatch(r"(\d{4})(-H1)?", raw)
    if not match or not 1900 <= int(match[1]) <= 2200:
        raise NotFound(
            f"Kỳ báo cáo không hợp lệ: '{raw}' (dùng dạng 2024 hoặc 2024-H1).", code="period"
        )
    year = int(match[1])
    if match[2]:
        return Period(f"{year}-H1", date(year, 1, 1), date(year, 6, 30))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def period_params(name: str, period: Period) -> dict[str, str]:
    """The figure's parameters for a period: the period's days, or its last day."""
    if name in ("form3", "form4", "form5"):
        return {"as_of": period.end.isoformat()}
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _year_before(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: policy.add_months(value, -12) if isinstance(value, date) else value
        for key, value in values.items()
    }


def _number(result: dict, path: str) -> int | float | None:
    value: Any = result
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    if isinstance(value, dict):
        return sum(v for v in value.values() if isinstance(v, int))
    return value if isinstance(value, int | float) else None


def percent(this: int | float | None, before: int | float | None) -> float | None:
    if this is None or not before:
        return None
    return round(this * 100 / before, 1)


@dataclass(frozen=True)
class Line:
    number: str
    label: str
    level: int
    path: str | None
    this: int | float | None
    before: int | float | None
    percent: float | None
    link: str | None

    @property
    def decimals(self) -> int:
        return 1 if isinstance(self.this, float) else 0

    def shown(self, value: int | float | None) -> str:
        return "" if value is None else format_number(value, self.decimals)

    @property
    def this_text(self) -> str:
        return self.shown(self.this)

    @property
    def before_text(self) -> str:
        return self.shown(self.before)

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else format_number(self.percent, 1)


@dataclass(frozen=True)
class Sheet:
    name: str
    code: str
    title: str
    organization: Organization
    organization_name: str
    committee: str
    period_text: str
    params: dict[str, str]
    result: dict
    lines: list[Line]

    @property
    def heading_rows(self) -> list[tuple[str, str]]:
        return [(self.committee.upper(), f"Biểu số {self.code}"), ("BAN TỔ CHỨC", "")]


def build(name: str, organization: Organization, values: dict[str, Any], period_text: str) -> Sheet:
    """The form ``name`` of ``organization`` with the compute keywords ``values``."""
    if name not in FORMS:
        raise NotFound("Không có biểu này.", code="unknown_form")
    figure = registry.get(name)
    result = figure.report(organization, **values)
    before = figure.report(organization, **_year_before(values))
    params = figure.query(organization.code, values)
    day = figure.scope_day(values) or date.today()
    version = organization.version_on(day)
    org_name = version.name if version is not None else organization.code
    lines = []
    for number, label, path, level in labels.rows(name, result, before):
        this = _number(result, path) if path else None
        link = None
        if path and path not in SUMS and isinstance(this, int):
            query = {"figure": f"{name}.{path}", **params}
            link = f"{reverse('statistics:drilldown')}?{urlencode(query)}"
        last = _number(before, path) if path else None
        lines.append(Line(number, label, level, path, this, last, percent(this, last), link))
    code, title = labels.TITLES[name]
    return Sheet(
        name=name,
        code=code,
        title=title,
        organization=organization,
        organization_name=org_name,
        committee=org_name,
        period_text=period_text,
        params=params,
        result=result,
        lines=lines,
    )


def describe(name: str, values: dict[str, Any]) -> str:
    if "day" in values:
        return f"Số liệu tại ngày {format_date(values['day'])}"
    return f"Từ ngày {format_date(values['start'])} đến ngày {format_date(values['end'])}"
