"""The demo's sent reports hold the seed's numbers that the news quote."""

from __future__ import annotations

import json

import pytest

from grassroots.reports.models import Submission
from grassroots.reports.services import compare, digest
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield


def test_seed_numbers_are_in_sent_reports(demo, db):
    sent = {
        (s.figure, json.dumps(s.params, sort_keys=True)): s
        for s in Submission.objects.filter(organization_code="DB-112")
    }

    def report(figure, **params):
        key = json.dumps({"organization": "DB-112", **params}, sort_keys=True)
        submission = sent[(figure, key)]
        assert submission.sha256 == digest(submission.content)
        assert compare(submission)["differences"] == []
        return submission.report

    june_2013 = report("coverage", as_of="2013-06-30")
    assert june_2013["places"]["village"]["without_cell"] == 20
    assert june_2013["places"]["village"]["total"] == 70
    nov_2023 = report("coverage", as_of="2023-11-23")
    assert nov_2023["places"]["village"]["total"] == 69
    assert nov_2023["places"]["village"]["without_cell"] == 0
    assert report("admissions", **{"from": "2013-06-01", "to": "2023-11-23"})["admitted"] == 1023


def test_communes_sent_their_forms_and_records_are_filled(demo, db):
    from grassroots.members.models import Member, MemberProfileChange
    from grassroots.organizations.models import Organization
    from grassroots.reports.calendar import committee_calendar
    from grassroots.reports.layout import parse_period

    district = Organization.objects.get(code="DB-112")
    rows = committee_calendar(district, "form3", parse_period("2023"), live=False)
    statuses = [row.status for row in rows]
    assert statuses.count("overdue") == 1 and len(statuses) >= 5
    assert all(s in ("sent", "late") for s in statuses if s != "overdue")
    members = Member.objects.filter(is_sample=True)
    assert not members.filter(occupation_group="").exists()
    assert members.filter(general_education="upper_secondary").exists()
    assert MemberProfileChange.objects.filter(field="political_theory").count() > 50
    sent_form3 = [row.submission.report for row in rows if row.submission]
    assert sum(r["total"] for r in sent_form3) > 0
    assert all(sum(r["occupation"].values()) == r["total"] for r in sent_form3)
    # Biểu 5-BTCTW: every grassroots organisation has its unit type; 7-BTCTW: badges and cards
    from grassroots.reports import official

    form5 = official.form5(district, parse_period("2023").end)
    assert form5["grassroots_committees"] >= 5
    assert form5["by_unit_type"]["unspecified"]["grassroots_committees"] == 0
    assert form5["by_unit_type"]["commune"]["members"] > 0
    form7 = official.form7(district, *(lambda p: (p.start, p.end))(parse_period("2023")))
    assert form7["cards"] > 0
