"""The demo's cadres: Nậm Nhùn's congress III committee, a secretary for every cell, the
2025–2030 plan within its rules, rotations from the district to the communes; built in bulk."""

import time
from datetime import date
from types import SimpleNamespace

import pytest
from django.db.models import Count

from grassroots.cadres import figures
from grassroots.cadres.models import Appointment, Congress, Plan, PlanEntry, PlanReview, Rotation
from grassroots.demo.build import demo_actor
from grassroots.demo.cadres import build_cadres
from grassroots.organizations.models import Organization
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        again = build_cadres(acting_user=demo_actor())
        # Timed on its own: everything of the module written again from scratch.
        PlanReview.objects.all().delete()
        PlanEntry.objects.all().delete()
        Plan.objects.all().delete()
        Rotation.objects.all().delete()
        Appointment.objects.all().delete()
        Congress.objects.all().delete()
        started = time.perf_counter()
        written = build_cadres(acting_user=demo_actor())
        seconds = time.perf_counter() - started
        yield SimpleNamespace(again=again, written=written, seconds=seconds)


def test_demo_cadres(demo, db):
    assert demo.again == 0  # idempotent
    assert demo.written > 100
    district = Organization.objects.get(code="DB-112")
    congress = Congress.objects.get(organization=district, number=3)
    assert str(congress) == "Đại hội lần thứ III (2020–2025)"
    committee = figures.committee_report(organization=district, day=date(2021, 1, 1))
    assert committee["size"] == 33 and committee["standing"] == 9
    assert committee["secretary"] == 1 and committee["deputies"] == 2
    assert committee["inspection"] == 7
    assert committee["women"] >= 5 and committee["ethnic_minority"] > 0
    # every cell with a member on the day has its secretary
    for day in (date(2014, 1, 1), date(2023, 11, 23)):
        report = figures.secretaries_report(organization=district, day=day)
        assert report["cells"] > 50
        assert report["without_secretary"] == 0, day
    # the plan keeps its rules
    plan = Plan.objects.get(term_from=2025)
    per_position = PlanEntry.objects.filter(plan=plan).values("position").annotate(n=Count("id"))
    assert plan.entries.count() >= 10
    assert max(row["n"] for row in per_position) <= 3
    assert plan.reviews.filter(year=2025).exists()
    rotations = figures.rotations_report(organization=district, year_from=2016, year_to=2024)
    assert sum(y["direction"]["upper_to_lower"] for y in rotations["by_year"].values()) >= 18
    assert "district→commune" in rotations["by_year"]["2020"]["routes"]
