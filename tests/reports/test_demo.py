"""The demo's sent reports hold the seed's numbers that the news quote."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from grassroots.reports.models import Submission
from grassroots.reports.services import compare, digest


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        call_command("bootstrap", stdout=StringIO())
        yield
        transaction.set_rollback(True)


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
