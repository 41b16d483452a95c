"""Prepared querysets give what the queryset gives, for any arguments, and refuse a builder
whose SQL is not the same for every argument."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count

from grassroots.core.prepared import Prepared, aggregating
from grassroots.core.temporal import valid_on
from grassroots.organizations.models import OrganizationClosure

pytestmark = pytest.mark.django_db


def _subtree(organization, day):
    return OrganizationClosure.objects.filter(valid_on(day), ancestor_id=organization)


def test_rows_equal_the_querysets_for_every_organisation_and_date(reg):
    prepared = Prepared(
        lambda organization, day: aggregating(_subtree(organization, day), n=Count("pk")),
        organization=int,
        day=date,
    )
    checked = 0
    for organization in (
        reg.province_committee,
        reg.committee,
        reg.commune_committee_a,
        reg.cell_a,
    ):
        for day in (date(2000, 1, 1), date(2013, 6, 30), date(2026, 1, 1)):
            expected = _subtree(organization.pk, day).count()
            assert prepared.one(organization=organization, day=day) == {"n": expected}
            checked += expected
    assert checked > 0


def test_grouped_rows(reg):
    prepared = Prepared(
        lambda organization, day: (
            _subtree(organization, day)
            .order_by()
            .values("descendant__versions__kind")
            .annotate(n=Count("pk"))
        ),
        organization=int,
        day=date,
    )
    rows = prepared.rows(organization=reg.committee.pk, day=date(2020, 1, 1))
    expected = list(
        _subtree(reg.committee.pk, date(2020, 1, 1))
        .order_by()
        .values("descendant__versions__kind")
        .annotate(n=Count("pk"))
    )
    assert sorted(r["n"] for r in rows) == sorted(r["n"] for r in expected) and rows


def test_a_parameter_derived_from_an_argument_is_refused(reg):
    prepared = Prepared(
        lambda organization, day: aggregating(
            _subtree(organization, day - timedelta(days=1)), n=Count("pk")
        ),
        organization=int,
        day=date,
    )
    with pytest.raises(ImproperlyConfigured, match="derived"):
        prepared.one(organization=reg.committee, day=date(2020, 1, 1))


def test_two_arguments_of_one_type_keep_their_places(reg):
    prepared = Prepared(
        lambda organization, start, end: aggregating(
            OrganizationClosure.objects.filter(
                ancestor_id=organization, valid_from__gte=start, valid_from__lte=end
            ),
            n=Count("pk"),
        ),
        organization=int,
        start=date,
        end=date,
    )
    for start, end in ((date(2000, 1, 1), date(2013, 1, 1)), (date(2013, 1, 1), date(2030, 1, 1))):
        expected = OrganizationClosure.objects.filter(
            ancestor_id=reg.province_committee.pk, valid_from__gte=start, valid_from__lte=end
        ).count()
        got = prepared.one(organization=reg.province_committee, start=start, end=end)
        assert got == {"n": expected}
    assert prepared.one(
        organization=reg.province_committee, start=date(2030, 1, 1), end=date(2000, 1, 1)
    ) == {"n": 0}


def test_several_querysets_run_as_one_statement(reg, django_assert_num_queries):
    prepared = Prepared(
        lambda organization, day: (
            aggregating(_subtree(organization, day), n=Count("pk")),
            _subtree(organization, day).order_by().values("depth").annotate(k=Count("pk")),
        ),
        organization=int,
        day=date,
    )
    prepared.rows(organization=reg.committee, day=date(2020, 1, 1))  # prepares
    with django_assert_num_queries(1):
        rows = prepared.rows(organization=reg.committee, day=date(2020, 1, 1))
    total = _subtree(reg.committee.pk, date(2020, 1, 1)).count()
    assert total and all(row["n"] == total for row in rows)
    assert sum(row["k"] for row in rows) == total
    # No rows in the last queryset: one row, the others' columns kept.
    (empty,) = prepared.rows(organization=reg.committee, day=date(1900, 1, 1))
    assert empty == {"n": 0, "depth": None, "k": None}
