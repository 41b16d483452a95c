"""Figures of party development, one function each; the pages, the API and the
``admissions_report`` command call them.

- ``funnel(O, D)``: candidates whose cell is in Subtree(O, D), counted by their stage on D (the
  latest step dated ≤ D).
- ``admissions_vs_target(O, Y1, Y2)``: for each year, ``admissions(O, 1/1, 31/12)`` (DOMAIN.md),
  the target of O covering that year, and the admissions in each priority group: youth (under 30
  on the admission date), women, ethnic minorities (an ethnicity other than Kinh), local people
  (admitted from a candidate marked local).
- ``overdue(O, D)``: candidates in Subtree(O, D) whose next step is past its deadline on D.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from grassroots import policy
from grassroots.admissions.models import PATH, AdmissionTarget, CandidateStep, Stage
from grassroots.admissions.selectors import candidates_in
from grassroots.admissions.services import deadline
from grassroots.members.models import Gender
from grassroots.organizations.models import Organization
from grassroots.statistics.selectors import admitted_events

#: Funnel rows: the path, then the ends off it.
FUNNEL_STAGES = (*PATH, Stage.NOT_CONFIRMED, Stage.DROPPED)
PRIORITY_GROUPS = {
    "youth": "Thanh niên dưới 30 tuổi",
    "women": "Nữ",
    "ethnic_minority": "Người dân tộc thiểu số",
    "local": "Người tại chỗ",
}
MAJORITY_ETHNICITY = "Kinh"


def funnel(*, organization: Organization, day: date) -> dict[str, int]:
    counted = dict(
        candidates_in(organization=organization, day=day)
        .order_by()
        .values("stage_on")
        .annotate(n=Count("pk"))
        .values_list("stage_on", "n")
    )
    return {str(stage): counted.get(stage, 0) for stage in FUNNEL_STAGES}


def priority_conditions() -> dict[str, Q]:
    """Filters on admitted events for the priority groups read from the profile (youth needs
    the age on each event's date, counted in Python with :func:`policy.age_in_months`)."""
    return {
        "women": Q(member__gender=Gender.FEMALE),
        "ethnic_minority": ~Q(member__ethnicity__in=("", MAJORITY_ETHNICITY)),
        "local": Q(member__candidate__is_local=True),
    }


def target_for(organization: Organization, year: int) -> int | None:
    target = AdmissionTarget.objects.filter(
        organization=organization, year_from__lte=year, year_to__gte=year
    ).first()
    return target.for_year(year) if target else None


def admissions_vs_target(*, organization: Organization, year_from: int, year_to: int) -> list[dict]:
    """One row per year: admitted, target, attained (share of the target, None without one) and
    ``groups``: admissions in each priority group."""
    events = admitted_events(
        organization=organization, start=date(year_from, 1, 1), end=date(year_to, 12, 31)
    ).order_by()
    by_year: dict[int, dict] = {
        y: {"admitted": 0, "groups": dict.fromkeys(PRIORITY_GROUPS, 0)}
        for y in range(year_from, year_to + 1)
    }
    for year, n in (
        events.annotate(year=ExtractYear("date")).values("year").annotate(n=Count("pk"))
    ).values_list("year", "n"):
        by_year[year]["admitted"] = n
    for group, condition in priority_conditions().items():
        for year, n in (
            events.filter(condition)
            .annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(n=Count("pk"))
            .values_list("year", "n")
        ):
            by_year[year]["groups"][group] = n
    # youth needs the age on each event's date, in months (policy.age_in_months)
    youth = policy.get("YOUTH_MAX_AGE_MONTHS")
    for day, birth in events.values_list("date", "member__birth_date"):
        if policy.age_in_months(birth, day) < youth:
            by_year[day.year]["groups"]["youth"] += 1
    rows = []
    for year, row in by_year.items():
        target = target_for(organization, year)
        rows.append(
            {
                "year": year,
                "admitted": row["admitted"],
                "target": target,
                "attained": (row["admitted"] / target) if target else None,
                "met": None if target is None else row["admitted"] >= target,
                "groups": row["groups"],
            }
        )
    return rows


def group_events(*, organization: Organization, year: int, group: str):
    """The admitted events behind one group count (drill-down)."""
    events = admitted_events(
        organization=organization, start=date(year, 1, 1), end=date(year, 12, 31)
    )
    if group == "youth":
        youth = policy.get("YOUTH_MAX_AGE_MONTHS")
        ids = [
            pk
            for pk, day, birth in events.values_list("pk", "date", "member__birth_date")
            if policy.age_in_months(birth, day) < youth
        ]
        return events.filter(pk__in=ids)
    return events.filter(priority_conditions()[group])


@dataclass(frozen=True)
class Overdue:
    candidate: object
    stage: str
    since: date
    due: date
    next_step: str


def overdue(*, organization: Organization, day: date) -> list[Overdue]:
    """Candidates whose next step's deadline has passed on ``day``: the vote before the
    certificate expires, the decision, the ceremony, the confirmation."""
    waiting = {
        Stage.TRAINED: Stage.VOTED,
        Stage.APPLIED: Stage.VOTED,
        Stage.VERIFIED: Stage.VOTED,
        Stage.SPONSORED: Stage.VOTED,
        Stage.VOTED: Stage.DECIDED,
        Stage.DECIDED: Stage.ADMITTED,
        Stage.ADMITTED: Stage.CONFIRMED,
    }
    candidates = list(
        candidates_in(organization=organization, day=day)
        .filter(stage_on__in=list(waiting))
        .select_related("organization")
        .order_by("name_key", "id")
    )
    steps = {
        (s.candidate_id, s.stage): s
        for s in CandidateStep.objects.filter(candidate__in=candidates, date__lte=day)
    }
    rows = []
    for c in candidates:
        clock = Stage.TRAINED if waiting[c.stage_on] == Stage.VOTED else c.stage_on
        step = steps.get((c.pk, clock))
        due = deadline(step) if step else None
        expired = due is not None and (due <= day if clock == Stage.TRAINED else due < day)
        if expired:
            rows.append(Overdue(c, c.stage_on, step.date, due, str(waiting[c.stage_on])))
    return rows


def dashboard_context(*, organization: Organization, day: date) -> dict:
    """What the statistics dashboard shows of party development (template
    ``admissions/_dashboard_card.html``): this year's admissions against the target, the funnel
    on ``day`` and the number of overdue steps, each with the URL of its records."""
    from urllib.parse import urlencode

    from django.urls import reverse

    (year,) = admissions_vs_target(organization=organization, year_from=day.year, year_to=day.year)
    pipeline = f"{reverse('admissions:pipeline')}?{urlencode({'organization': organization.code})}"
    admitted = (
        reverse("admissions:admitted")
        + "?"
        + urlencode({"organization": organization.code, "year": day.year})
    )
    candidates = reverse("admissions:list")
    return {
        "admissions_card": {
            "year": year,
            "admitted_url": admitted,
            "pipeline_url": pipeline,
            "in_progress": sum(
                n
                for stage, n in funnel(organization=organization, day=day).items()
                if stage not in (Stage.CONFIRMED, Stage.NOT_CONFIRMED, Stage.DROPPED)
            ),
            "candidates_url": f"{candidates}?{urlencode({'organization': organization.code})}",
            "overdue": len(overdue(organization=organization, day=day)),
        }
    }
