"""Each figure on the hand-built history of ``history.py``, with numbers worked out by hand."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.errors import NotFound
from grassroots.members.models import PLACE_TALLY_CAP, PlaceTally
from grassroots.organizations import services as organization_services
from grassroots.places import services as place_services
from grassroots.statistics import figures
from tests import factories
from tests.statistics.history import build_history

pytestmark = pytest.mark.django_db

END_2020 = date(2020, 12, 31)


@pytest.fixture
def history():
    return build_history()


def test_coverage_of_the_district(history):
    assert (
        figures.coverage(organization="DB-112", day=END_2020)
        == {
            "organization": "DB-112",
            "as_of": "2020-12-31",
            # Three officials + the exempted one in cell A, the teacher and Hải in cell B; Én on probation.
            "members": {"official": 6, "probationary": 1, "exempted": 1},
            "cells": 3,  # cell A, cell B, the health station's cell (grassroots committees are not cells)
            "places": {
                "village": {
                    "total": 3,
                    "without_cell": 1,  # V3
                    "without_members": 1,  # V3
                    "below_three_official": 2,  # V2 (Hải only; Én is probationary) and V3
                },
                "residential_group": {
                    "total": 0,
                    "without_cell": 0,
                    "without_members": 0,
                    "below_three_official": 0,
                },
                # The teacher's cell is B, but the school (commune A) is their place.
                "school": {
                    "total": 1,
                    "without_cell": 1,
                    "without_members": 0,
                    "below_three_official": 1,
                },
                "health_station": {
                    "total": 1,
                    "without_cell": 0,
                    "without_members": 1,
                    "below_three_official": 1,
                },
            },
        }
    )


def test_coverage_of_a_commune_and_on_other_days(history):
    commune_a = figures.coverage(organization=history.reg.commune_committee_a, day=END_2020)
    assert commune_a["members"] == {"official": 4, "probationary": 0, "exempted": 1}
    assert commune_a["cells"] == 1
    assert commune_a["places"]["village"] == {
        "total": 2,
        "without_cell": 1,
        "without_members": 1,
        "below_three_official": 1,
    }
    assert commune_a["places"]["school"]["total"] == 1
    assert commune_a["places"]["health_station"]["total"] == 0
    # Before the first admission (events dated ≤ D count: 10/01/2014 is the first day).
    before = figures.coverage(organization="DB-112", day=date(2014, 1, 9))
    assert before["members"] == {"official": 0, "probationary": 0, "exempted": 0}
    first_day = figures.coverage(organization="DB-112", day=date(2014, 1, 10))
    assert first_day["members"]["probationary"] == 4
    # Bình moved to cell B on 01/06/2022, Hải died on 01/02/2022, Long is on probation.
    later = figures.coverage(organization=history.reg.commune_committee_a, day=date(2022, 6, 1))
    assert later["members"]["official"] == 3
    assert figures.members_by_status(organization=history.reg.committee, day=date(2022, 6, 1)) == {
        "official": 5,
        "probationary": 2,
        "exempted": 1,
    }


def test_admissions_count_effective_events_only(history):
    report = figures.admissions(
        organization="DB-112", start=date(2013, 6, 1), end=date(2023, 11, 23)
    )
    # 4 in 2014, Hải 2019, Én 2020, Long 2021 (corrected from 1/2 to 1/3: once); Khánh cancelled.
    assert report == {
        "organization": "DB-112",
        "from": "2013-06-01",
        "to": "2023-11-23",
        "admitted": 7,
        "by_year": {
            "2013": 0,
            "2014": 4,
            "2015": 0,
            "2016": 0,
            "2017": 0,
            "2018": 0,
            "2019": 1,
            "2020": 1,
            "2021": 1,
            "2022": 0,
            "2023": 0,
        },
    }
    # Bounds are inclusive; the corrected date is the one that counts.
    assert (
        figures.admissions(organization="DB-112", start=date(2021, 3, 1), end=date(2021, 3, 1))[
            "admitted"
        ]
        == 1
    )
    assert (
        figures.admissions(organization="DB-112", start=date(2021, 2, 1), end=date(2021, 2, 28))[
            "admitted"
        ]
        == 0
    )
    assert figures.admissions(organization="CB-V1", start=date(2014, 1, 10), end=date(2014, 1, 10))[
        "by_year"
    ] == {"2014": 4}


def test_breakdowns(history):
    org = history.reg.committee
    assert figures.members_by_profile(organization=org, day=END_2020, dimension="gender") == {
        "male": 5,
        "female": 2,
    }
    assert figures.members_by_profile(organization=org, day=END_2020, dimension="ethnicity") == {
        "Thái": 4,
        "": 1,
        "Hà Nhì": 1,
        "Kinh": 1,
    }
    # Ánh 30, Bình 35, Giang 30 | Chung 50, Hải 60 | Dũng 70 | Én 22.
    assert figures.members_by_age_band(organization=org, day=END_2020) == {
        "lt30": 1,
        "30-45": 3,
        "46-60": 2,
        "gt60": 1,
    }
    # Admitted 10/01/2014: 9 full years on 09/01/2024, 10 on the anniversary 10/01/2024 (as
    # member_party_age counts). Én, the teacher and Long are below 10.
    assert figures.members_by_party_age_band(organization=org, day=date(2024, 1, 9)) == {
        "lt10": 7,
        "10-19": 0,
        "20-29": 0,
        "ge30": 0,
    }
    assert figures.members_by_party_age_band(organization=org, day=date(2024, 1, 10)) == {
        "lt10": 3,
        "10-19": 4,
        "20-29": 0,
        "ge30": 0,
    }


def test_movements(history):
    period = {"start": date(2020, 1, 1), "end": date(2022, 12, 31)}
    district = figures.movements(organization=history.reg.committee, **period)
    assert {k: v for k, v in district.items() if k != "left"} == {
        "admitted": 2,
        "confirmed": 1,
        "joined": 0,
        "moved_in": 0,
        "moved_out": 0,
    }
    assert district["left"]["died"] == 1 and sum(district["left"].values()) == 1
    commune_a = figures.movements(organization=history.reg.commune_committee_a, **period)
    commune_b = figures.movements(organization=history.reg.commune_committee_b, **period)
    assert (commune_a["moved_out"], commune_a["moved_in"]) == (1, 0)
    assert (commune_b["moved_out"], commune_b["moved_in"]) == (0, 1)
    assert commune_b["admitted"] == 2 and commune_a["admitted"] == 0


def test_figures_take_a_few_queries_whatever_the_size(history):
    for i in range(10):
        factories.member(
            full_name=f"Lò Văn Mới {i}",
            organization=history.reg.cell_a,
            place=history.reg.village_a,
            admitted=date(2019, 1, 1),
        )
    with CaptureQueriesContext(connection) as queries:
        figures.coverage(organization="DB-112", day=END_2020)
        figures.admissions(organization="DB-112", start=date(2013, 1, 1), end=END_2020)
    assert len(queries) <= 6  # organisation ×2, members, cells, places, admissions


def test_a_place_tally_has_a_row_where_a_capped_count_changes(history):
    """Village V1: four on probation from 10/01/2014, the four official from 10/01/2015; Bình's
    move on 01/06/2022 leaves three official, which the count capped at three does not see."""
    rows = PlaceTally.objects.filter(place=history.reg.village_a).order_by("valid_from")
    assert [(r.valid_from, r.valid_to, r.members, r.official) for r in rows] == [
        (date(2014, 1, 10), date(2015, 1, 10), 3, 0),
        (date(2015, 1, 10), None, 3, 3),
    ]
    assert not PlaceTally.objects.filter(place=history.village_c).exists()  # V3: nobody, ever


@pytest.mark.parametrize(("minimum", "below"), [(3, 2), (4, 3)])
def test_a_minimum_above_the_tally_cap_is_counted_from_the_spans(history, settings, minimum, below):
    """On 01/07/2022 V1 has three official members (V2 one, V3 none): below four, not three.
    Three is read from the places' tallies, four (above their cap) from the spans."""
    assert 3 <= PLACE_TALLY_CAP < 4
    settings.GRASSROOTS_POLICY = {"CELL_MIN_OFFICIAL_MEMBERS": minimum}
    villages = figures.places_by_kind(organization=history.reg.committee, day=date(2022, 7, 1))
    assert villages["village"]["below_three_official"] == below


def test_unknown_organisation_and_scope(history, make_user):
    with pytest.raises(NotFound):
        figures.coverage(organization="KHONG-CO", day=END_2020)
    scoped = make_user("xa-b", scope=history.reg.commune_committee_b)
    with pytest.raises(NotFound):
        figures.coverage(organization="DU-03434", day=END_2020, user=scoped)
    with pytest.raises(NotFound):
        figures.admissions(organization="DB-112", start=END_2020, end=END_2020, user=scoped)
    assert figures.coverage(organization="DU-03460", day=END_2020, user=scoped)["cells"] == 2


def test_2025_reorganisation_keeps_2024_figures_under_db_112():
    reg = factories.registry()
    for village, cell in ((reg.village_a, reg.cell_a), (reg.village_b, reg.cell_b)):
        for i in range(2):
            factories.member(
                full_name=f"Lò Văn {village.code}{i}",
                organization=cell,
                place=village,
                admitted=date(2020, 5, 1),
                confirmed=date(2021, 5, 1),
            )
    factories.member(
        full_name="Lò Thị Mới",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2025, 9, 1),
    )
    reform = date(2025, 7, 1)
    for committee, commune in (
        (reg.commune_committee_a, reg.commune_a),
        (reg.commune_committee_b, reg.commune_b),
    ):
        organization_services.organization_reparent(
            acting_user=None, organization=committee, parent=reg.province_committee, day=reform
        )
        place_services.place_reparent(
            acting_user=None, place=commune, parent=reg.province, day=reform
        )
    organization_services.organization_dissolve(
        acting_user=None, organization=reg.committee, day=reform
    )
    place_services.place_end(acting_user=None, place=reg.district, day=reform)

    before = figures.coverage(organization="DB-112", day=date(2024, 12, 31))
    assert before["members"] == {"official": 4, "probationary": 0, "exempted": 0}
    assert before["cells"] == 2
    assert before["places"]["village"]["total"] == 2
    assert figures.coverage(organization="DB-112", day=date(2025, 6, 30)) == {
        **before,
        "as_of": "2025-06-30",
    }
    after = figures.coverage(organization="DB-112", day=reform)
    assert after["members"]["official"] == 0 and after["places"]["village"]["total"] == 0
    province = figures.coverage(organization="DB-12", day=reform)
    assert province["members"]["official"] == 4 and province["cells"] == 2
    # Admissions follow the tree on each event's date.
    whole = {"start": date(2013, 1, 1), "end": date(2025, 12, 31)}
    assert figures.admissions(organization="DB-112", **whole)["admitted"] == 4
    assert figures.admissions(organization="DB-12", **whole)["admitted"] == 5
    assert figures.admissions(organization="DU-03434", **whole)["by_year"]["2025"] == 1
