"""Figures on a small hand-built set, with exact numbers."""

import pytest

from grassroots.ratings import figures
from grassroots.ratings.services import rating_record

pytestmark = pytest.mark.django_db


def rate(org, label, level):
    rating_record(
        acting_user=None, period_kind="year", period_label=label, organization=org, level=level
    )


@pytest.fixture
def rated(reg, cells):
    """Commune A's six cells: 2023 → 2 good of 6 (33,3%); 2024 → 1 excellent + 4 good of 6
    (83,3%). Commune B's cell: good in 2024. The communes themselves: good (2023, 2024)."""
    for cell, level in zip(
        cells, ["good", "good", "completed", "completed", "completed", "not_completed"], strict=True
    ):
        rate(cell, "2023", level)
    for cell, level in zip(
        cells, ["excellent", "good", "good", "good", "good", "completed"], strict=True
    ):
        rate(cell, "2024", level)
    rate(reg.cell_b, "2024", "good")
    rate(reg.commune_committee_a, "2024", "good")
    rate(reg.commune_committee_b, "2024", "not_completed")
    return reg


def test_distribution_under_commune(rated):
    d = figures.rating_distribution(
        organization=rated.commune_committee_a,
        period_kind="year",
        period_label="2024",
        subject="organization",
    )
    # the commune itself is not counted under itself
    assert d.counts == {"excellent": 1, "good": 4, "completed": 1, "not_completed": 0}
    assert (d.total, d.good_or_better, d.share) == (6, 5, 83.3)


def test_distribution_under_district(rated):
    d = figures.rating_distribution(
        organization=rated.committee,
        period_kind="year",
        period_label="2024",
        subject="organization",
    )
    assert d.counts == {"excellent": 1, "good": 6, "completed": 1, "not_completed": 1}
    assert (d.total, d.good_or_better, d.share) == (9, 7, 77.8)


def test_trend_and_change(rated):
    trend = figures.rating_trend(
        organization=rated.commune_committee_a, years=range(2022, 2025), subject="organization"
    )
    assert [d.share for d in trend] == [None, 33.3, 83.3]
    assert [d.total for d in trend] == [0, 6, 6]
    assert figures.share_change(trend) == 50.0


def test_share_by_organization(rated):
    rows = figures.rating_share_by_organization(
        organization=rated.committee, years=range(2023, 2025), subject="organization"
    )
    assert [r.code for r in rows] == [
        "DB-112",
        "DU-03460",
        "DU-03434",
    ]  # name order: Hua Bum, Nậm Hàng
    by_code = {r.code: [(d.good_or_better, d.total) for d in r.trend] for r in rows}
    assert by_code == {
        "DB-112": [(2, 6), (7, 9)],
        "DU-03434": [(2, 6), (5, 6)],
        "DU-03460": [(0, 0), (1, 1)],
    }


def test_member_distribution(reg, members_a, member_b):
    for m, level in zip(
        members_a, ["excellent", "good", "good", "completed", "good", "good"], strict=True
    ):
        rating_record(
            acting_user=None, period_kind="year", period_label="2024", member=m, level=level
        )
    rating_record(
        acting_user=None,
        period_kind="year",
        period_label="2024",
        member=member_b,
        level="not_completed",
    )
    d = figures.rating_distribution(
        organization=reg.committee, period_kind="year", period_label="2024", subject="member"
    )
    assert d.counts == {"excellent": 1, "good": 4, "completed": 1, "not_completed": 1}
    assert d.share == 71.4
    cell = figures.rating_distribution(
        organization=reg.cell_a, period_kind="year", period_label="2024", subject="member"
    )
    assert (cell.good_or_better, cell.total) == (5, 6)
