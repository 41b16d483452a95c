"""A cell with three official members, and a candidate ready to move along the path."""

from datetime import date

import pytest

from grassroots.admissions import services
from tests import factories


@pytest.fixture
def editor(make_user, reg):
    return make_user(
        "bithu", roles=["editor"], full_name="Bí thư chi bộ", scope=reg.province_committee
    )


@pytest.fixture
def cell(reg, editor):
    """Three official members of cell A (admitted 2015, official 2016) and one of cell B."""
    members = [
        factories.member(
            full_name=name,
            code=code,
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 2),
            confirmed=date(2016, 3, 2),
        )
        for name, code in (
            ("Lò Văn Ánh", "DV-1"),
            ("Tòng Thị Bình", "DV-2"),
            ("Lù Văn Cường", "DV-3"),
        )
    ]
    other = factories.member(
        full_name="Vàng A Dũng",
        code="DV-9",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2015, 3, 2),
        confirmed=date(2016, 3, 2),
    )
    return reg, members, other


def new_candidate(reg, editor, **kw):
    data = {
        "code": "QC-1",
        "full_name": "Lò Thị Hoa",
        "gender": "female",
        "birth_date": date(2000, 3, 1),
        "source": "youth_union",
        "organization": reg.cell_a,
        "place": reg.village_a,
        "identified_on": date(2024, 1, 10),
        "ethnicity": "Thái",
    }
    data.update(kw)
    return services.candidate_create(acting_user=editor, **data)


def advance(candidate, editor, members, until: str, **dates):
    """Move ``candidate`` through the path up to ``until`` with default dates."""
    steps = [
        ("trained", services.candidate_train, {"day": date(2024, 2, 1)}),
        ("applied", services.candidate_apply, {"day": date(2024, 3, 1)}),
        ("verified", services.candidate_verify, {"day": date(2024, 4, 1)}),
        (
            "sponsored",
            services.candidate_sponsor,
            {"day": date(2024, 5, 2), "sponsor_1": members[0], "sponsor_2": members[1]},
        ),
        (
            "voted",
            services.candidate_vote,
            {"day": date(2024, 5, 20), "eligible": 3, "votes_for": 3},
        ),
        (
            "decided",
            services.candidate_decide,
            {"day": date(2024, 6, 20), "decision_number": "15-QĐ/ĐU"},
        ),
        ("admitted", services.candidate_admit, {"day": date(2024, 7, 1)}),
    ]
    for stage, service, kwargs in steps:
        if stage in dates:
            kwargs = {**kwargs, "day": dates[stage]}
        service(acting_user=editor, candidate=candidate, **kwargs)
        candidate.refresh_from_db()
        if stage == until:
            return candidate
    return candidate
