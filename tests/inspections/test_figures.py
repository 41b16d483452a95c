"""The figures through the registry: the same object from the API and the command line, counts
that follow appeals, planned vs done, and the case drill-down only for inspectors."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from grassroots.accounts.services import api_token_create
from grassroots.core.models import AccessLog
from grassroots.inspections import services

pytestmark = pytest.mark.django_db

YEARS = {"organization": "DU-03434", "year_from": 2023, "year_to": 2023}


@pytest.fixture
def world(reg, official, probationary):
    programme = services.programme_create(
        acting_user=None, organization=reg.commune_committee_a, kind="year", year_from=2023,
        title="Chương trình kiểm tra, giám sát năm 2023",
    )  # fmt: skip
    item = services.programme_item_add(
        acting_user=None, programme=programme, kind="inspection_tasks", subject="organization",
        organization=reg.cell_a, topic="Thực hiện nhiệm vụ", period_start=date(2023, 3, 1),
        period_end=date(2023, 4, 30),
    )  # fmt: skip
    services.programme_item_add(
        acting_user=None, programme=programme, kind="inspection_finance", subject="organization",
        organization=reg.cell_a, topic="Đảng phí", period_start=date(2023, 9, 1),
        period_end=date(2023, 9, 30),
    )  # fmt: skip
    case = services.case_open(
        acting_user=None, code="KT-1", kind="inspection_tasks", subject="organization",
        organization=reg.cell_a, topic="Thực hiện nhiệm vụ", deciding_body="Đảng ủy xã",
        decision_number="1-QĐ/ĐU", decided_on=date(2023, 3, 1), item=item,
    )  # fmt: skip
    for n, step in enumerate(("planned", "notified", "verified", "reported"), start=2):
        services.case_step(acting_user=None, case=case, step=step, day=date(2023, 3, n))
    services.case_step(
        acting_user=None, case=case, step="concluded", day=date(2023, 4, 1),
        conclusion="violation", violation_kind="duties",
    )  # fmt: skip
    common = {"acting_user": None, "subject": "member", "deciding_body": "Chi bộ",
              "decision_number": "2-QĐ/CB", "votes_for": 5, "votes_total": 5}  # fmt: skip
    services.discipline_decide(
        **common, code="KL-1", member=official, level="warning", violation_kind="land",
        violation_date=date(2022, 1, 1), decided_on=date(2023, 5, 1),
    )  # fmt: skip
    reprimand = services.discipline_decide(
        **common, code="KL-2", member=probationary, level="reprimand", violation_kind="duties",
        violation_date=date(2023, 7, 1), decided_on=date(2023, 8, 1),
    )  # fmt: skip
    return reprimand


def _report(*args) -> dict:
    out = StringIO()
    call_command("report", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_api_and_the_command_line_give_the_same_numbers(client, world, inspector):
    _token, key = api_token_create(user=inspector, name="tests")
    api = client.get(
        "/api/v1/reports/discipline", YEARS, headers={"Authorization": f"Bearer {key}"}
    ).json()
    cli = _report("discipline", "--org", "DU-03434", "--year-from", "2023", "--year-to", "2023")
    assert api == cli
    assert api["members"] == {
        "reprimand": 1, "warning": 1, "dismissal": 0, "expulsion": 0, "total": 2
    }  # fmt: skip
    assert api["violations"]["land"] == 1 and api["violations"]["total"] == 2
    cases = _report(
        "inspection-cases", "--org", "DU-03434", "--year-from", "2023", "--year-to", "2023"
    )
    year = cases["by_year"]["2023"]
    assert year["cases"]["inspection_tasks"] == 1 and year["cases"]["total"] == 1
    assert year["planned"]["total"] == 2 and year["done"]["total"] == 1
    assert year["done"]["inspection_tasks"] == 1 and year["done"]["inspection_finance"] == 0


def test_a_decision_cancelled_on_appeal_leaves_the_figure(world):
    appeal = services.appeal_lodge(acting_user=None, decision=world, lodged_on=date(2023, 8, 5))
    services.appeal_decide(
        acting_user=None, appeal=appeal, decided_on=date(2023, 9, 1), outcome="cancelled"
    )
    figure = _report("discipline", "--org", "DU-03434", "--year-from", "2023", "--year-to", "2023")
    assert figure["members"]["reprimand"] == 0 and figure["members"]["total"] == 1


def test_case_records_are_drilled_down_only_by_inspectors_and_logged(
    client, world, inspector, editor
):
    query = {**YEARS, "figure": "inspection-cases.by_year.2023.cases.total"}
    client.force_login(editor)
    assert client.get(reverse("statistics:drilldown"), query).status_code == 404
    client.force_login(inspector)
    before = AccessLog.objects.count()
    response = client.get(reverse("statistics:drilldown"), query)
    assert response.status_code == 200 and "KT-1" in response.content.decode()
    assert AccessLog.objects.count() == before + 1
    planned = client.get(
        reverse("statistics:drilldown"),
        {**YEARS, "figure": "inspection-cases.by_year.2023.planned.total"},
    )
    assert planned.status_code == 200 and "Đảng phí" in planned.content.decode()
