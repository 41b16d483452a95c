"""Figures of party development, one function each, and their declarations in the figure
registry (:mod:`grassroots.core.figures`): ``admission-targets``, ``funnel`` and ``overdue``,
and the dashboard's party-development card. The pages, the API and the ``admissions_report``
command call the functions; the statistics pages read the registry.

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
from grassroots.admissions.models import PATH, AdmissionTarget, Candidate, CandidateStep, Stage
from grassroots.admissions.selectors import candidates_in
from grassroots.admissions.services import deadline
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.members.figures import admissions_by_year, admitted_events
from grassroots.members.models import Gender
from grassroots.organizations.models import Organization

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
    admitted = admissions_by_year(
        organization=organization, start=date(year_from, 1, 1), end=date(year_to, 12, 31)
    )
    for label, n in admitted.items():
        by_year[int(label)]["admitted"] = n
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
    candidate: Candidate
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
        if step is None or due is None:
            continue
        if due <= day if clock == Stage.TRAINED else due < day:
            rows.append(Overdue(c, c.stage_on, step.date, due, str(waiting[c.stage_on])))
    return rows


# --- The registry's figures --------------------------------------------------------------------


def targets_report(*, organization: Organization, year_from: int, year_to: int) -> dict:
    """``admission-targets``: :func:`admissions_vs_target` keyed by year."""
    rows = admissions_vs_target(organization=organization, year_from=year_from, year_to=year_to)
    return {
        "organization": organization.code,
        "year_from": year_from,
        "year_to": year_to,
        "years": {str(row.pop("year")): row for row in rows},
    }


def targets_records(
    *, organization: Organization, path: str, year_from: int, year_to: int
) -> registry.Records:
    """``years.<year>.admitted``: that year's admissions; ``years.<year>.groups.<group>``: those
    of a priority group. The target is no count of records."""
    parts = path.split(".")
    if len(parts) < 3 or parts[0] != "years" or not parts[1].isdigit():
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    year = int(parts[1])
    if not year_from <= year <= year_to:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    if parts[2:] == ["admitted"]:
        events = admitted_events(
            organization=organization, start=date(year, 1, 1), end=date(year, 12, 31)
        )
        return registry.Records("events", events)
    if len(parts) == 4 and parts[2] == "groups" and parts[3] in PRIORITY_GROUPS:
        return registry.Records(
            "events", group_events(organization=organization, year=year, group=parts[3])
        )
    raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def _targets_counted(result: dict):
    """Admissions and group counts per year; the target is no count of records."""
    for year, row in result["years"].items():
        yield f"years.{year}.admitted", row["admitted"]
        for group, n in row["groups"].items():
            yield f"years.{year}.groups.{group}", n


def _targets_title(path: str) -> str:
    parts = path.split(".")
    year = parts[1] if len(parts) > 1 else ""
    group = PRIORITY_GROUPS.get(parts[-1]) if len(parts) == 4 else None
    return f"Kết nạp năm {year}" + (f": {group.lower()}" if group else "")


def funnel_report(*, organization: Organization, day: date) -> dict:
    """``funnel``: candidates by stage on ``day``."""
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "stages": funnel(organization=organization, day=day),
    }


def funnel_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    """``stages.<stage>``: the candidates at that stage on ``day``."""
    head, _, stage = path.partition(".")
    if head != "stages" or stage not in {str(s) for s in FUNNEL_STAGES}:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    return registry.Records(
        "candidates", candidates_in(organization=organization, day=day, stage=stage)
    )


def overdue_report(*, organization: Organization, day: date) -> dict:
    """``overdue``: how many candidates' next step is past its deadline on ``day``, and which."""
    rows = overdue(organization=organization, day=day)
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "overdue": len(rows),
        "candidates": [
            {
                "candidate": row.candidate.code,
                "stage": str(row.stage),
                "since": row.since.isoformat(),
                "due": row.due.isoformat(),
                "next_step": row.next_step,
            }
            for row in rows
        ],
    }


def overdue_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    """``overdue``: those candidates."""
    if path not in ("", "overdue"):
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    ids = [row.candidate.pk for row in overdue(organization=organization, day=day)]
    return registry.Records(
        "candidates", candidates_in(organization=organization, day=day).filter(pk__in=ids)
    )


registry.register(
    registry.Figure(
        name="admission-targets",
        label="Kết nạp đảng viên so với chỉ tiêu",
        definition=(
            "Mỗi năm: số đảng viên kết nạp trong năm (cách tính như chỉ tiêu Kết nạp đảng viên, "
            "từ 1/1 đến 31/12), chỉ tiêu kết nạp của O cho năm đó và tỷ lệ đạt, cùng số kết nạp "
            "trong từng nhóm ưu tiên: thanh niên dưới 30 tuổi vào ngày kết nạp, nữ, người dân tộc "
            "thiểu số (dân tộc khác Kinh), người tại chỗ (quần chúng được đánh dấu tại chỗ)."
        ),
        params=registry.YEARS,
        compute=targets_report,
        records=targets_records,
        title=_targets_title,
        drill_paths=_targets_counted,
        module=__name__,
    )
)
registry.register(
    registry.Figure(
        name="funnel",
        label="Quần chúng ưu tú theo bước",
        definition=(
            "Số quần chúng mà chi bộ theo dõi thuộc O tại ngày D, theo bước của họ tại ngày D "
            "(bước gần nhất có ngày đến hết ngày D)."
        ),
        params=registry.ON_DAY,
        compute=funnel_report,
        records=funnel_records,
        title=lambda path: (
            f"Quần chúng: {Stage(path.partition('.')[2]).label.lower()}"
            if path.partition(".")[2] in Stage.values
            else "Quần chúng ưu tú"
        ),
        module=__name__,
    )
)
registry.register(
    registry.Figure(
        name="overdue",
        label="Quần chúng có bước quá hạn",
        definition=(
            "Quần chúng thuộc O tại ngày D mà bước tiếp theo đã quá thời hạn tại ngày D: biểu "
            "quyết trước khi giấy chứng nhận học lớp nhận thức về Đảng hết hạn, quyết định kết "
            "nạp, lễ kết nạp, công nhận chính thức."
        ),
        params=registry.ON_DAY,
        compute=overdue_report,
        records=overdue_records,
        drill_paths=lambda result: [("overdue", result["overdue"])],
        title=lambda path: "Quần chúng có bước quá hạn",
        module=__name__,
    )
)


# --- The dashboard's card ----------------------------------------------------------------------


def dashboard_context(*, organization: Organization, day: date) -> dict:
    """What the statistics dashboard shows of party development (template
    ``admissions/_dashboard_card.html``): this year's admissions against the target, the funnel
    on ``day`` and the number of overdue steps, each with the URL of its records."""
    from urllib.parse import urlencode

    from django.urls import reverse

    # The year to ``day``: a page about day D counts nothing dated after D.
    start = date(day.year, 1, 1)
    admitted_so_far = registry.get("admissions").compute_uncached(
        organization, start=start, end=day
    )["admitted"]
    target = target_for(organization, day.year)
    year = {
        "admitted": admitted_so_far,
        "target": target,
        "attained": (admitted_so_far / target) if target else None,
        "met": None if target is None else admitted_so_far >= target,
    }
    stages = registry.get("funnel").compute_uncached(organization, day=day)["stages"]
    late = registry.get("overdue").compute_uncached(organization, day=day)["overdue"]
    pipeline = f"{reverse('admissions:pipeline')}?{urlencode({'organization': organization.code})}"
    admitted = (
        reverse("statistics:drilldown")
        + "?"
        + urlencode(
            {
                "figure": "admissions.admitted",
                "organization": organization.code,
                "from": start.isoformat(),
                "to": day.isoformat(),
                "as_of": day.isoformat(),
            }
        )
    )
    candidates = reverse("admissions:list")
    return {
        "admissions_card": {
            "year": {"year": day.year, "start": start, "end": day, **year},
            "admitted_url": admitted,
            "pipeline_url": pipeline,
            "in_progress": sum(
                n
                for stage, n in stages.items()
                if stage not in (Stage.CONFIRMED, Stage.NOT_CONFIRMED, Stage.DROPPED)
            ),
            "candidates_url": f"{candidates}?{urlencode({'organization': organization.code})}",
            "overdue": late,
        }
    }


registry.register_card(
    registry.Card("admissions", "admissions/_dashboard_card.html", dashboard_context, order=40)
)
