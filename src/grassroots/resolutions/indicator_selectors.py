"""Reading resolutions and reviewing their indicators (DOMAIN.md, "Congress resolutions and
their indicators").

The review is exact: yearly values are read as fractions (a manual value's decimal, an
admissions count, the good-or-better share ``100 × good / rated``), so the percent is
``(ratio − 1) × 100`` rounded to one decimal half away from zero with no floating-point error.
Figure-sourced values come live from the functions behind the registry's figures
(``members.figures.admissions_by_year`` — the ``admissions`` figure — and
``ratings.figures.rating_trend`` — the yearly distributions of the ``ratings`` figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from grassroots.core import scope
from grassroots.core.errors import NotFound
from grassroots.members.figures import admissions_by_year
from grassroots.organizations.models import Organization
from grassroots.ratings.figures import rating_trend
from grassroots.ratings.models import Subject
from grassroots.resolutions.indicator_models import (
    Indicator,
    IndicatorDirection,
    IndicatorMethod,
    IndicatorSource,
    IndicatorStatus,
    IndicatorValue,
    Resolution,
)

#: Decimal places of ``actual`` and ``expected`` in the review's JSON (the percent has one).
JSON_PLACES = 4


# --- Scope -----------------------------------------------------------------------------------


def resolution_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Resolution.objects.visible_to(user, action, on).select_related("organization")


def indicator_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return Indicator.objects.visible_to(user, action, on).select_related("resolution")


def value_visible_to(user, action: str = scope.VIEW, on: date | None = None) -> QuerySet:
    return IndicatorValue.objects.visible_to(user, action, on).select_related(
        "indicator", "document", "entered_by"
    )


def resolution_by_code(code: str, *, user=None) -> Resolution:
    """The resolution with ``code`` among those the user may see (no user: all);
    :class:`NotFound` when unknown or outside the scope."""
    found = resolution_visible_to(user).filter(code=code).first() if code else None
    if found is None:
        raise NotFound(f"Không tìm thấy nghị quyết có mã {code}.", code="unknown_resolution")
    return found


def resolution_list(*, user, organization: Organization | None = None, search: str = ""):
    qs = resolution_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if search:
        from django.db.models import Q

        qs = qs.filter(Q(code__icontains=search) | Q(title__icontains=search))
    return qs


# --- The review: one indicator ---------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    actual: Fraction | None
    expected: Fraction
    percent: Decimal | None
    status: str


def round_tenths(x: Fraction) -> Decimal:
    """``x`` rounded to one decimal, half away from zero."""
    tenths = abs(x) * 10
    whole = int(tenths + Fraction(1, 2))  # floor for a non-negative number
    sign = -1 if x < 0 else 1
    return Decimal(sign * whole).scaleb(-1)


def assess(
    *,
    direction: str,
    method: str,
    target: Fraction,
    values: Sequence[Fraction | None],
    term_length: int,
) -> Assessment:
    """DOMAIN.md's review of one indicator over the n = ``len(values)`` years Y1..Y of a term of
    ``term_length`` years."""
    n = len(values)
    expected = target * n / term_length if method == IndicatorMethod.TOTAL else target
    if n == 0 or any(v is None for v in values):
        return Assessment(None, expected, None, IndicatorStatus.NO_DATA)
    known: list[Fraction] = [v for v in values if v is not None]
    if method == IndicatorMethod.TOTAL:
        actual = sum(known, Fraction(0))
    elif method == IndicatorMethod.ANNUAL:
        actual = sum(known, Fraction(0)) / n
    else:
        actual = known[-1]
    if direction == IndicatorDirection.AT_MOST:
        if actual == 0:
            return Assessment(actual, expected, None, IndicatorStatus.EXCEEDED)
        ratio = expected / actual
    else:
        ratio = actual / expected
    percent = round_tenths((ratio - 1) * 100)
    if percent > 0:
        status = IndicatorStatus.EXCEEDED
    elif percent == 0:
        status = IndicatorStatus.MET
        percent = Decimal("0.0")  # never "-0.0"
    else:
        status = IndicatorStatus.NOT_MET
    return Assessment(actual, expected, percent, status)


# --- Yearly values ---------------------------------------------------------------------------


def figure_values(source: str, organization: Organization, years: range) -> dict[int, Fraction]:
    """The yearly values of a figure-sourced indicator for O's subtree, computed now; a year
    without a value (no organisation rated) is absent."""
    if not years:
        return {}
    if source == IndicatorSource.ADMISSIONS:
        by_year = admissions_by_year(
            organization=organization,
            start=date(years[0], 1, 1),
            end=date(years[-1], 12, 31),
        )
        return {int(year): Fraction(n) for year, n in by_year.items()}
    if source == IndicatorSource.GOOD_OR_BETTER:
        trend = rating_trend(organization=organization, years=years, subject=Subject.ORGANIZATION)
        return {
            int(d.period_label): Fraction(100 * d.good_or_better, d.total) for d in trend if d.total
        }
    raise ValueError(f"unknown source {source!r}")


def indicator_values(
    resolution: Resolution, indicators: Sequence[Indicator], years: range
) -> dict[int, dict[int, Fraction]]:
    """``{indicator id: {year: value}}`` for ``years``: stored values of the manual indicators,
    live figures for the others (each figure computed once)."""
    out: dict[int, dict[int, Fraction]] = {i.pk: {} for i in indicators}
    manual = [i.pk for i in indicators if i.source == IndicatorSource.MANUAL]
    rows = IndicatorValue.objects.filter(
        indicator_id__in=manual, year__gte=years.start, year__lt=years.stop
    ).values_list("indicator_id", "year", "value")
    for indicator_id, year, value in rows:
        out[indicator_id][year] = Fraction(value)
    computed: dict[str, dict[int, Fraction]] = {}
    for indicator in indicators:
        if indicator.source != IndicatorSource.MANUAL:
            if indicator.source not in computed:
                computed[indicator.source] = figure_values(
                    indicator.source, resolution.organization, years
                )
            out[indicator.pk] = dict(computed[indicator.source])
    return out


# --- The review: a resolution ----------------------------------------------------------------


@dataclass
class ReviewRow:
    indicator: Indicator
    values: dict[int, Fraction]
    assessment: Assessment


@dataclass
class Review:
    resolution: Resolution
    through: int
    rows: list[ReviewRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.assessment.status == status)

    @property
    def met_or_exceeded(self) -> int:
        return self.count(IndicatorStatus.MET) + self.count(IndicatorStatus.EXCEEDED)


def check_through(resolution: Resolution, through: int) -> None:
    from grassroots.core.figures import InvalidParameter

    if not resolution.term_from <= through <= resolution.term_to:
        raise InvalidParameter(
            f"Năm {{}} phải trong nhiệm kỳ {resolution.term_from}–{resolution.term_to}.",
            "through",
        )


def review(resolution: Resolution, through: int, *, value_years: range | None = None) -> Review:
    """The review of every indicator of ``resolution`` through the year ``through``.
    ``value_years`` (default: the years reviewed) are the years whose values are read, for a
    page that shows more years than it reviews."""
    check_through(resolution, through)
    years = range(resolution.term_from, through + 1)
    indicators = list(resolution.indicators.order_by("position", "code"))
    read = years
    if value_years is not None:
        read = range(min(years.start, value_years.start), max(years.stop, value_years.stop))
    values = indicator_values(resolution, indicators, read)
    length = resolution.term_to - resolution.term_from + 1
    out = Review(resolution, through)
    for indicator in indicators:
        by_year = values[indicator.pk]
        out.rows.append(
            ReviewRow(
                indicator,
                by_year,
                assess(
                    direction=indicator.direction,
                    method=indicator.method,
                    target=Fraction(indicator.target),
                    values=[by_year.get(y) for y in years],
                    term_length=length,
                ),
            )
        )
    return out


def json_number(value: Fraction | Decimal | None, places: int = JSON_PLACES) -> Any:
    """A JSON number: an integer when whole, else rounded to ``places`` decimals (half away
    from zero); None stays None."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = value
        if exact == exact.to_integral_value():
            return int(exact)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def review_json(result: Review) -> dict[str, Any]:
    """INTERCHANGE.md's object (``grassroots report indicators --json``)."""
    resolution = result.resolution
    return {
        "resolution": resolution.code,
        "organization": resolution.organization.code,
        "term_from": resolution.term_from,
        "term_to": resolution.term_to,
        "through": result.through,
        "total": len(result.rows),
        "met_or_exceeded": result.met_or_exceeded,
        "exceeded": result.count(IndicatorStatus.EXCEEDED),
        "met": result.count(IndicatorStatus.MET),
        "not_met": result.count(IndicatorStatus.NOT_MET),
        "no_data": result.count(IndicatorStatus.NO_DATA),
        "indicators": [
            {
                "code": row.indicator.code,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "direction": row.indicator.direction,
                "method": row.indicator.method,
                "target": json_number(row.indicator.target),
                "actual": json_number(row.assessment.actual),
                "expected": json_number(row.assessment.expected),
                "percent": (
                    None if row.assessment.percent is None else float(row.assessment.percent)
                ),
                "status": str(row.assessment.status),
            }
            for row in result.rows
        ],
    }


def display_number(value: Fraction | Decimal | float | int | None, places: int = 2) -> str:
    """A number the Vietnamese way (``1.746,6``) with at most ``places`` decimals, trailing
    zeros dropped; blank for None."""
    from grassroots.core.text import format_number

    if value is None:
        return ""
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = Decimal(str(value))
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    exponent = rounded.as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(rounded, decimals=decimals)
