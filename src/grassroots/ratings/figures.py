"""Rating figures, each computed in exactly one function here: the distribution per level, the
share "hoàn thành tốt nhiệm vụ trở lên" (good or better), per organisation and year, and the trend
over years. Pages, API and the ``ratings_report`` command call these; they read without a user
(callers check the organisation is visible first). The report is declared in the figure registry
(:mod:`grassroots.core.figures`) as ``ratings``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from grassroots import policy
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.core.temporal import valid_on
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids
from grassroots.ratings.models import GOOD_OR_BETTER, Level, PeriodKind, Subject
from grassroots.ratings.selectors import ratings_under
from grassroots.ratings.services import parse_period


@dataclass
class Distribution:
    """Counts per level (every level present, zero when none) for one period."""

    period_kind: str
    period_label: str
    counts: dict[str, int] = field(default_factory=dict)
    #: How many organisations (or members) were to be rated for the period: the coverage's
    #: denominator (:func:`to_rate`).
    eligible: int = 0
    #: Set by the figures page: each level's count with the link to its ratings, and the links
    #: behind the good-or-better and the total numbers.
    cells: list[tuple[int, str]] = field(default_factory=list)
    good_link: str = ""
    total_link: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(self.counts[level] for level in GOOD_OR_BETTER)

    @property
    def share(self) -> float | None:
        """Share good-or-better in percent (0–100), rounded to 0.1; None without ratings."""
        if not self.total:
            return None
        return round(100 * self.good_or_better / self.total, 1)

    @property
    def coverage(self) -> float | None:
        """Share of those to rate that were rated, in percent rounded to 0.1; None with none to
        rate."""
        if not self.eligible:
            return None
        return round(100 * min(self.total, self.eligible) / self.eligible, 1)

    @property
    def covered(self) -> bool:
        """Enough of those to rate were rated for a trend to be claimed (policy
        ``RATING_TREND_MIN_COVERAGE_PERCENT``)."""
        coverage = self.coverage
        return coverage is not None and coverage >= policy.get("RATING_TREND_MIN_COVERAGE_PERCENT")

    def levels(self) -> list[tuple[str, str, int]]:
        """``(code, label, count)`` in level order, for templates."""
        return [(level.value, level.label, self.counts[level]) for level in Level]

    def as_dict(self) -> dict:
        return {
            "period": self.period_kind,
            "period_label": self.period_label,
            "counts": dict(self.counts),
            "total": self.total,
            "good_or_better": self.good_or_better,
            "share_good_or_better": self.share,
            "eligible": self.eligible,
            "coverage": self.coverage,
        }


def rating_distribution(
    *, organization: Organization, period_kind: str, period_label: str, subject: str
) -> Distribution:
    """How many ratings of ``subject`` under ``organization`` fall in each level for a period."""
    period = parse_period(period_kind, period_label)
    rows = (
        ratings_under(organization=organization, period=period, subject=subject)
        .values("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {level.value: 0 for level in Level}
    for row in rows:
        counts[row["level"]] = row["n"]
    eligible = to_rate(organization=organization, period=period, subject=subject)
    return Distribution(period.kind, period.label, counts, eligible=eligible)


def to_rate(*, organization: Organization, period, subject: str) -> int:
    """How many are to be rated for ``period`` under ``organization``: the organisations of
    Subtree(O) on the period's last day other than O, or the members in it on that day."""
    under = subtree_ids(organization=organization, day=period.last_day)
    if subject == Subject.ORGANIZATION:
        return under.exclude(descendant_id=organization.pk).distinct().count()
    return (
        MembershipSpan.objects.filter(valid_on(period.last_day), organization_id__in=under)
        .values("member_id")
        .distinct()
        .count()
    )


def rating_trend(*, organization: Organization, years: range, subject: str) -> list[Distribution]:
    """The yearly distribution for each year of ``years`` (the trend)."""
    return [
        rating_distribution(
            organization=organization,
            period_kind=PeriodKind.YEAR,
            period_label=str(year),
            subject=subject,
        )
        for year in years
    ]


def share_change(trend: list[Distribution]) -> float | None:
    """Percentage points the good-or-better share gained from the first to the last year with
    ratings (the seed's "vượt 13,5%"); None with fewer than two such years, or when either of
    the two years compared was rated below the coverage of policy
    ``RATING_TREND_MIN_COVERAGE_PERCENT`` (no trend is claimed on partial data)."""
    rated = [d for d in trend if d.share is not None]
    if len(rated) < 2 or not (rated[0].covered and rated[-1].covered):
        return None
    return round(rated[-1].share - rated[0].share, 1)  # type: ignore[operator]


def uncovered(trend: list[Distribution]) -> list[Distribution]:
    """The years with ratings whose coverage is below the policy's share: why no trend is
    claimed."""
    return [d for d in trend if d.share is not None and not d.covered]


@dataclass
class OrganizationRow:
    """One organisation's yearly distributions (its subtree, itself excluded for organisations)."""

    code: str
    name: str
    trend: list[Distribution]
    #: Set by the figures page: the link to this organisation's own figures.
    figures_link: str = ""


def rating_share_by_organization(
    *, organization: Organization, years: range, subject: str
) -> list[OrganizationRow]:
    """``organization`` and each organisation directly under it at the end of the last year,
    with their yearly distributions."""
    from datetime import date

    last_day = date(years[-1], 12, 31)
    children = (
        OrganizationVersion.objects.valid_on(last_day)
        .filter(parent=organization)
        .select_related("organization")
        .order_by("name_folded", "organization__code")
    )
    own = organization.version_on(last_day) or organization.latest_version
    heads = [(organization, own.name if own else organization.code)]
    heads += [(v.organization, v.name) for v in children]
    return [
        OrganizationRow(
            org.code, name, rating_trend(organization=org, years=years, subject=subject)
        )
        for org, name in heads
    ]


def rating_report(*, organization, year_from: int, year_to: int, subject: str) -> dict:
    """The figures as one object: the API's answer and ``grassroots ratings_report --json``."""
    rows = rating_share_by_organization(
        organization=organization, years=range(year_from, year_to + 1), subject=subject
    )
    trend = rows[0].trend
    return {
        "organization": organization.code,
        "subject": subject,
        "year_from": year_from,
        "year_to": year_to,
        "trend": [d.as_dict() for d in trend],
        "share_change": share_change(trend),
        "by_organization": [
            {"code": r.code, "name": r.name, "years": [d.as_dict() for d in r.trend]} for r in rows
        ],
    }


# --- The registry's figure ---------------------------------------------------------------------


def _ratings_records(
    *, organization: Organization, path: str, subject: str, year_from: int, year_to: int
) -> registry.Records:
    """``trend.<year>.total``: the year's ratings under O; ``trend.<year>.counts.<level>``: those
    at that level; ``trend.<year>.good_or_better``: those good or better. (The shares are no
    counts of records.)"""
    parts = path.split(".")
    if len(parts) < 3 or parts[0] != "trend" or not parts[1].isdigit():
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    year = int(parts[1])
    if not year_from <= year <= year_to:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    ratings = ratings_under(
        organization=organization,
        period=parse_period(PeriodKind.YEAR, str(year)),
        subject=subject,
    )
    rest = parts[2:]
    if rest == ["total"]:
        return registry.Records("ratings", ratings)
    if rest == ["good_or_better"]:
        return registry.Records("ratings", ratings.filter(level__in=GOOD_OR_BETTER))
    if len(rest) == 2 and rest[0] == "counts" and rest[1] in Level.values:
        return registry.Records("ratings", ratings.filter(level=rest[1]))
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def _ratings_counted(result: dict):
    """Per year of the organisation's trend: the total, each level, good or better."""
    for year in result["trend"]:
        label = year["period_label"]
        yield f"trend.{label}.total", year["total"]
        yield f"trend.{label}.good_or_better", year["good_or_better"]
        for level, n in year["counts"].items():
            yield f"trend.{label}.counts.{level}", n


def _ratings_title(path: str) -> str:
    parts = path.split(".")
    year = parts[1] if len(parts) > 1 else ""
    level = dict(Level.choices).get(parts[-1]) if len(parts) == 4 else None
    if parts[-1] == "good_or_better":
        level = "Hoàn thành tốt nhiệm vụ trở lên"
    return f"Xếp loại chất lượng năm {year}" + (f": {level.lower()}" if level else "")


registry.register(
    registry.Figure(
        name="ratings",
        label="Xếp loại chất lượng tổ chức đảng và đảng viên",
        definition=(
            "Mỗi năm: số tổ chức đảng (không kể O) hoặc đảng viên thuộc O vào ngày cuối năm được "
            "xếp loại ở từng mức, tổng số, số hoàn thành tốt nhiệm vụ trở lên và tỷ lệ của nhóm "
            "này; cùng các số đó cho từng tổ chức trực thuộc O, và mức thay đổi tỷ lệ từ năm đầu "
            "đến năm cuối có xếp loại."
        ),
        params=(
            registry.Param(
                "subject",
                "subject",
                "choice",
                "đối tượng xếp loại: organization hoặc member",
                choices=tuple(Subject.values),
                default=Subject.ORGANIZATION,
            ),
            *registry.YEARS,
        ),
        compute=rating_report,
        records=_ratings_records,
        title=_ratings_title,
        drill_paths=_ratings_counted,
        module=__name__,
    )
)
