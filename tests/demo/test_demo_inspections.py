"""The demo's inspection and discipline: the 2023 yearly programme, a case in every state, a
few decisions, one expulsion recorded through the members services; within its time budget."""

from types import SimpleNamespace

import pytest

from grassroots.core import figures as registry
from grassroots.demo.build import demo_actor
from grassroots.demo.inspections import build_inspections
from grassroots.inspections.models import Case, DisciplineDecision, Programme, Step
from grassroots.members.models import EventKind, LeftReason
from grassroots.organizations.models import Organization
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        # ``bootstrap`` built the demo, this module's part included: building again adds nothing
        again = build_inspections(acting_user=demo_actor())
        yield SimpleNamespace(again=again)


def test_demo_programme_cases_and_decisions(demo, db):
    assert demo.again == 0
    programme = Programme.objects.get(is_sample=True)
    assert (programme.kind, programme.year_from) == ("year", 2023)
    assert programme.items.count() >= 6
    assert {case.step for case in Case.objects.all()} == set(Step)
    expulsion = DisciplineDecision.objects.get(level="expulsion")
    event = expulsion.left_event
    assert (event.kind, event.reason) == (EventKind.LEFT, LeftReason.EXPELLED)
    district = Organization.objects.get(code="DB-112")
    figure = registry.get("discipline").compute(organization=district, year_from=2023, year_to=2023)
    assert figure["members"]["expulsion"] == 1
    assert figure["organizations"]["total"] == 2
    cases = registry.get("inspection-cases").compute(
        organization=district, year_from=2023, year_to=2023
    )
    assert cases["by_year"]["2023"]["cases"]["total"] == 6
    assert cases["by_year"]["2023"]["done"]["total"] == 1
