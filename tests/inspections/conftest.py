"""Inspection fixtures: the small registry, an inspector and an editor of commune A, members."""

from datetime import date

import pytest

from tests import factories


@pytest.fixture
def inspector(reg, make_user):
    """An editor of commune A with the inspector role."""
    return make_user("kiemtra-a", roles=["editor", "inspector"], scope=reg.commune_committee_a)


@pytest.fixture
def editor(reg, make_user):
    """An editor of commune A without the inspector role."""
    return make_user("bientap-a", roles=["editor"], scope=reg.commune_committee_a)


@pytest.fixture
def official(reg):
    """An official member of cell A since 2016."""
    return factories.member(
        full_name="Lò Văn Thắng",
        code="MA1",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2015, 3, 1),
        confirmed=date(2016, 3, 1),
    )


@pytest.fixture
def probationary(reg):
    """A probationary member of cell A, admitted on 1 June 2023."""
    return factories.member(
        full_name="Tao Thị Bình",
        code="MA2",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2023, 6, 1),
    )
