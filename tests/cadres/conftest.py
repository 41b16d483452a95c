"""Cadres fixtures: the small registry, members of the district and the cells, an editor of the
district."""

from datetime import date

import pytest

from tests import factories


@pytest.fixture
def people(reg):
    """Eight members of cell A since 2015, alternately men and women, born 1970–1995."""
    names = ["An", "Bình", "Chung", "Dung", "Giang", "Hà", "Khánh", "Lan"]
    return [
        factories.member(
            full_name=f"Lò {'Thị' if i % 2 else 'Văn'} {name}",
            code=f"CA{i}",
            gender="female" if i % 2 else "male",
            birth_date=date(1970 + 3 * i, 3, 10),
            ethnicity="Thái" if i < 5 else "Kinh",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 1),
            confirmed=date(2016, 3, 1),
        )
        for i, name in enumerate(names)
    ]


@pytest.fixture
def editor(make_user, reg):
    return make_user("tochuc", roles=["editor"], scope=reg.committee)


@pytest.fixture
def commune_editor(make_user, reg):
    return make_user("xa-a", roles=["editor"], scope=reg.commune_committee_a)
