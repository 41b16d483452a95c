"""Cells fixtures: the small registry with six members in cell A and one in cell B."""

from datetime import date

import pytest

from tests import factories


@pytest.fixture
def members_a(reg):
    """Six members of cell A since 2015 (official since 2016)."""
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


@pytest.fixture
def editor_a(make_user, reg):
    """An editor whose scope is commune A's committee."""
    return make_user("bithu", roles=["editor"], scope=reg.commune_committee_a)


@pytest.fixture
def editor_b(make_user, reg):
    return make_user("bithub", roles=["editor"], scope=reg.commune_committee_b)
