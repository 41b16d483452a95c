"""The demo's party development: the term target against the actual admissions, and candidates
in every stage of the path."""

from datetime import date

from grassroots.admissions import figures
from grassroots.admissions.figures import FUNNEL_STAGES
from grassroots.admissions.models import AdmissionTarget, Candidate
from tests.demo.test_demo import demo, district  # noqa: F401  (the demo, built once here)

AS_OF = date(2025, 6, 30)


def test_target_against_actual(district):  # noqa: F811
    target = AdmissionTarget.objects.get(organization=district)
    assert (target.year_from, target.year_to, target.per_year) == (2020, 2025, 60)
    rows = figures.admissions_vs_target(organization=district, year_from=2020, year_to=2024)
    from grassroots.statistics import figures as statistics_figures

    by_year = statistics_figures.admissions_by_year(
        organization=district, start=date(2020, 1, 1), end=date(2024, 12, 31)
    )
    for row in rows:
        assert row["admitted"] == by_year[str(row["year"])]
        assert row["target"] == 60 and row["met"] is True, row
        assert row["attained"] == row["admitted"] / 60
        assert 0 < row["groups"]["ethnic_minority"] <= row["admitted"]
        assert 0 < row["groups"]["youth"] <= row["admitted"]


def test_candidates_in_every_stage(district):  # noqa: F811
    funnel = figures.funnel(organization=district, day=AS_OF)
    assert all(funnel[stage] > 0 for stage in FUNNEL_STAGES), funnel
    assert Candidate.objects.filter(is_sample=True).count() == sum(funnel.values())
    # admitted and confirmed candidates are the histories of members the demo admitted
    for c in Candidate.objects.filter(member__isnull=False):
        assert c.member.events.filter(kind="admitted", date=c.steps.get(stage="admitted").date)
    (late,) = figures.overdue(organization=district, day=AS_OF)
    assert late.next_step == "decided" and late.due < AS_OF
