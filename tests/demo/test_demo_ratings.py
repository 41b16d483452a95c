"""The demo's ratings (2020–2024) agree with the seed: the share of organisations rated "good or
better" under Đảng bộ huyện Nậm Nhùn rises by 13,5 points or more, within the quota."""

from types import SimpleNamespace

import pytest

from grassroots.demo.build import demo_actor
from grassroots.demo.ratings import build_ratings
from grassroots.organizations.models import Organization
from grassroots.ratings import figures
from grassroots.ratings.models import Level, Rating
from grassroots.ratings.services import quota_exceeded, quota_group
from tests.factories import rolled_back


@pytest.fixture(scope="module")
def demo(built_demo, django_db_blocker):
    with rolled_back(django_db_blocker):
        # the demo wrote them already: a second build writes nothing
        yield SimpleNamespace(again=build_ratings(acting_user=demo_actor()))


def test_demo_ratings_follow_the_seed(demo, db):
    assert demo.again == 0  # deterministic and idempotent
    district = Organization.objects.get(code="DB-112")
    trend = figures.rating_trend(
        organization=district, years=range(2020, 2025), subject="organization"
    )
    assert all(d.total > 50 for d in trend)
    shares = [d.share for d in trend]
    assert shares == sorted(shares)
    assert shares[-1] - shares[0] >= 13.5
    members = figures.rating_trend(organization=district, years=range(2020, 2025), subject="member")
    assert all(d.total > 0 for d in members)


def test_demo_ratings_keep_the_quota(demo, db):
    seen = set()
    for rating in Rating.objects.all():
        key = tuple(sorted(quota_group(rating).items()))
        if key in seen:
            continue
        seen.add(key)
        group = Rating.objects.filter(**quota_group(rating))
        assert not quota_exceeded(
            excellent=group.filter(level=Level.EXCELLENT).count(),
            good=group.filter(level=Level.GOOD).count(),
        ), key
    assert Rating.objects.filter(level=Level.EXCELLENT).exists()
