"""Ratings fixtures: the small registry plus a few members and sibling cells."""

from datetime import date

import pytest

from tests import factories


@pytest.fixture
def cells(reg):
    """Five more cells under commune A (six in all, same kind, same parent)."""
    return [reg.cell_a] + [
        factories.org(
            name=f"Chi bộ số {i}",
            kind="cell",
            place=reg.village_a,
            parent=reg.commune_committee_a,
            code=f"CB-A{i}",
            valid_from=date(2013, 6, 1),
        )
        for i in range(2, 7)
    ]


@pytest.fixture
def members_a(reg):
    """Six members of cell A since 2015."""
    return [
        factories.member(
            full_name=f"Lò Văn {name}",
            code=f"MA{i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 1),
            confirmed=date(2016, 3, 1),
        )
        for i, name in enumerate(["An", "Bình", "Chung", "Dũng", "Giang", "Hà"], start=1)
    ]


@pytest.fixture
def member_b(reg):
    return factories.member(
        full_name="Lò Thị Mai",
        code="MB1",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2015, 3, 1),
        confirmed=date(2016, 3, 1),
    )
