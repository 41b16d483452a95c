"""The demo's year of cell life (2023, Nậm Nhùn's cells): meetings with realistic gaps, fees by
the policy, removal cases on the checks page — and built quickly, in bulk."""

from datetime import date

import pytest
from django.db.models import Sum

from grassroots.cells import figures, selectors
from grassroots.cells.models import FeePayment, FeeRemittance, Meeting
from grassroots.cells.services import fee_due
from grassroots.organizations.models import Organization


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


def test_a_year_of_meetings_with_gaps(demo, db):
    district = Organization.objects.get(code="DB-112")
    assert Meeting.objects.count() > 1000
    report = figures.meetings_report(organization=district, day=date(2023, 12, 31))
    assert len(report["by_month"]) == 12
    held = [row["held"] for row in report["by_month"].values()]
    cells = [row["cells"] for row in report["by_month"].values()]
    assert all(0.8 * c <= h < c for h, c in zip(held, cells, strict=True))  # gaps, not a void
    assert 0 < report["maintained"] < report["cells"]
    assert 85 <= report["attendance_rate"] < 95
    assert Meeting.objects.filter(kind="thematic", date__month=5).count() > 50


def test_fees_follow_the_policy_and_are_sent_upward(demo, db):
    from grassroots.cells.models import IncomeBasis

    bases = {b.member_id: b for b in IncomeBasis.objects.all()}
    for payment in FeePayment.objects.all()[:2000]:
        basis = bases[payment.member_id]
        assert payment.due == fee_due(kind=basis.kind, amount=int(basis.amount)) == payment.paid
    collected = FeePayment.objects.aggregate(s=Sum("paid"))["s"]
    assert FeeRemittance.objects.aggregate(s=Sum("amount"))["s"] == collected
    district = Organization.objects.get(code="DB-112")
    report = figures.fees_report(organization=district, day=date(2023, 12, 31))
    assert report["paid"] == collected and report["arrears"] == 0
    assert report["unpaid_members"] > 0


def test_removal_cases_appear(demo, db):
    cases = selectors.absent_months(user=None, day=date(2023, 12, 31))
    assert 0 < len(cases) < 100
    assert all(len(c.months) >= 3 for c in cases)
    assert selectors.unpaid_months(user=None, day=date(2023, 12, 31))


def test_the_study_campaign_and_the_review(demo, db):
    from grassroots.cells.models import StudyCampaign, StudySession
    from grassroots.core import figures as registry

    district = Organization.objects.get(code="DB-112")
    campaign = StudyCampaign.objects.get()
    assert campaign.document.number == "05-CT/TW" and campaign.plan_required
    assert StudySession.objects.filter(campaign=campaign).count() > 50
    row = registry.get("study").compute(organization=district, day=date(2023, 12, 31))["campaigns"][
        str(campaign.pk)
    ]
    assert 0 < row["studied"] < row["attended"] < row["targeted"]
    assert 50 < row["studied_share"] < 95
    review = registry.get("form6f").compute(organization=district, day=date(2023, 12, 31))
    members, organizations = review["members"], review["organizations"]
    assert 0 < members["not_done"] < members["done"]
    assert 0 < organizations["not_done"] < organizations["done"]
    assert (
        sum(r["members"]["total"] for r in review["by_organization"].values()) == members["total"]
    )
