"""The demo reproduces every figure of DOMAIN.md's seed table for Đảng bộ huyện Nậm Nhùn.

The demo is built once per module (through ``bootstrap`` on an empty registry) inside a
transaction rolled back at the end. Figures are computed here with plain ORM queries following
DOMAIN.md's definitions word by word, and again through ``grassroots.statistics.figures``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q
from django.test import override_settings

from grassroots.accounts.models import User
from grassroots.core.temporal import valid_on
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from grassroots.organizations.models import (
    PLACE_COVERING_KINDS,
    Organization,
    OrganizationClosure,
    OrganizationVersion,
)
from grassroots.organizations.selectors import area_place_ids, subtree_ids
from grassroots.places.models import Place, PlaceVersion

D2013, D2023 = date(2013, 6, 30), date(2023, 11, 23)
REFORM = date(2025, 7, 1)


@pytest.fixture(scope="module")
def demo(built_demo):
    return built_demo


@pytest.fixture
def district(demo, db):
    return Organization.objects.get(code="DB-112")


# --- DOMAIN.md's definitions, by hand ---------------------------------------------------------


def places(org, day, kind) -> dict[str, int]:
    area = set(area_place_ids(organization=org, day=day))
    ids = set(
        PlaceVersion.objects.filter(valid_on(day), kind=kind, place_id__in=area).values_list(
            "place_id", flat=True
        )
    )
    covered = set(
        OrganizationVersion.objects.filter(
            valid_on(day), kind__in=PLACE_COVERING_KINDS, place_id__in=ids
        ).values_list("place_id", flat=True)
    )
    members, official = Counter(), Counter()
    for place_id, status in MembershipSpan.objects.filter(
        valid_on(day), place_id__in=ids
    ).values_list("place_id", "status"):
        members[place_id] += 1
        official[place_id] += status == "official"
    return {
        "total": len(ids),
        "without_cell": len(ids - covered),
        "without_members": sum(1 for p in ids if not members[p]),
        "below_three_official": sum(1 for p in ids if official[p] < 3),
    }


def admissions(org, start, end) -> int:
    in_subtree = OrganizationClosure.objects.filter(
        ancestor=org,
        descendant_id=OuterRef("organization_id"),
        valid_from__lte=OuterRef("date"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("date")))
    return (
        MemberEvent.objects.filter(
            kind="admitted", date__gte=start, date__lte=end, superseded_by__isnull=True
        )
        .filter(Exists(in_subtree))
        .count()
    )


# --- the seed's figures -------------------------------------------------------------------------


def test_june_2013(district):
    villages = places(district, D2013, "village")
    assert (villages["total"], villages["without_cell"], villages["without_members"]) == (70, 20, 6)
    schools = places(district, D2013, "school")
    assert (schools["total"], schools["below_three_official"]) == (32, 11)
    stations = places(district, D2013, "health_station")
    assert (stations["total"], stations["without_cell"]) == (11, 8)


def test_november_2023(district):
    villages = places(district, D2023, "village")
    assert (villages["total"], villages["without_cell"], villages["without_members"]) == (69, 0, 0)
    assert places(district, D2023, "school")["without_cell"] == 0
    assert places(district, D2023, "health_station")["without_cell"] == 0
    assert places(district, D2023, "school")["total"] == 32
    assert places(district, D2023, "health_station")["total"] == 11


def test_admissions(district):
    assert admissions(district, date(2013, 6, 1), D2023) == 1023
    for year in range(2020, 2026):
        assert admissions(district, date(year, 1, 1), date(year, 12, 31)) >= 60, year


def test_through_statistics(district):
    from grassroots.statistics import figures

    report = figures.coverage(organization="DB-112", day=D2013)
    assert report["places"]["village"]["total"] == 70
    assert report["places"]["village"]["without_cell"] == 20
    assert report["places"]["village"]["without_members"] == 6
    assert report["places"]["school"]["total"] == 32
    assert report["places"]["school"]["below_three_official"] == 11
    assert report["places"]["health_station"]["total"] == 11
    assert report["places"]["health_station"]["without_cell"] == 8
    report = figures.coverage(organization=district, day=D2023)
    assert report["places"]["village"]["total"] == 69
    assert report["places"]["village"]["without_cell"] == 0
    assert report["places"]["village"]["without_members"] == 0
    assert report["places"]["school"]["without_cell"] == 0
    assert report["places"]["health_station"]["without_cell"] == 0
    assert (
        figures.admissions(organization="DB-112", start=date(2013, 6, 1), end=D2023)["admitted"]
        == 1023
    )
    by_year = figures.admissions(
        organization="DB-112", start=date(2020, 1, 1), end=date(2025, 12, 31)
    )["by_year"]
    assert all(by_year[str(y)] >= 60 for y in range(2020, 2026)), by_year


# --- the 2025 reorganisation ----------------------------------------------------------------


def test_reorganisation(district):
    province = Organization.objects.get(code="DB-12")
    communes = set(Organization.objects.filter(code__startswith="DU-").values_list("pk", flat=True))
    assert len(communes) == 11
    # 2024: DB-112 as it was, under DB-12; its area is the district.
    assert communes <= set(subtree_ids(organization=district, day=date(2024, 12, 31)))
    assert places(district, date(2024, 12, 31), "village")["total"] == 69
    # From 2025-07-01 DB-112 and place 112 are gone; communes sit directly under DB-12.
    assert not district.versions.valid_on(REFORM).exists()
    assert district.versions.get().valid_to == REFORM
    assert not Place.objects.get(code="112").versions.valid_on(REFORM).exists()
    assert list(subtree_ids(organization=district, day=REFORM)) == []
    direct = OrganizationVersion.objects.valid_on(REFORM).filter(parent=province)
    assert set(direct.values_list("organization_id", flat=True)) == communes
    assert set(direct.values_list("place__code", flat=True)) <= {
        "2025:03434", "2025:03460", "2025:03472", "2025:03487", "2025:03503"
    }  # fmt: skip
    assert places(province, REFORM, "village")["total"] == 69
    assert MembershipSpan.objects.filter(valid_on(REFORM), organization=district).count() == 0


def test_divisions_and_sample_flags(district):
    assert PlaceVersion.objects.filter(kind="commune", valid_to=REFORM).count() == 106
    assert PlaceVersion.objects.filter(valid_on(REFORM), kind="commune").count() == 38
    nam_nhun = PlaceVersion.objects.filter(parent__code="112").order_by("place__code")
    assert nam_nhun.count() == 11
    assert "Xã Hua Bun" in set(nam_nhun.values_list("name", flat=True))
    assert {v.valid_from for v in nam_nhun} == {date(2013, 1, 1)}
    assert Place.objects.get(code="12").versions.get().valid_from == date(2004, 1, 1)
    assert not Place.objects.filter(code__in=["12", "112", "03460"], is_sample=True).exists()
    assert Place.objects.filter(is_sample=True).count() == 70 + 32 + 11 + 11
    assert not Organization.objects.filter(is_sample=False).exists()
    assert not Member.objects.filter(is_sample=False).exists()
    assert district.versions.get().valid_from == date(2013, 6, 1)


def test_histories_are_lifelike(district):
    assert 1800 <= Member.objects.count() <= 2200
    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    assert kinds["confirmed"] > 1000 and kinds["moved"] > 100 and kinds["exempted"] > 0
    reasons = Counter(MemberEvent.objects.filter(kind="left").values_list("reason", flat=True))
    assert reasons["died"] and reasons["transferred_out"] and reasons["not_confirmed"]
    assert {"Thái", "Hà Nhì", "Mông", "Dao", "Cống", "Kinh"} <= set(
        Member.objects.values_list("ethnicity", flat=True)
    )
    # one audit entry of its creation per member (a module's demo may change a few later: the
    # expulsion of the inspections demo), naming the administrator
    from auditlog.models import LogEntry

    entries = LogEntry.objects.filter(content_type__model="member")
    assert entries.filter(action=LogEntry.Action.CREATE).count() == Member.objects.count()
    created = entries.filter(action=LogEntry.Action.CREATE)
    assert set(created.values_list("actor__username", flat=True)) == {"admin"}


def test_plan_is_deterministic():
    from grassroots.demo.plan import make_plan

    first, second = make_plan(), make_plan()
    assert [(p.full_name, p.birth_date, p.events) for p in first.people] == [
        (p.full_name, p.birth_date, p.events) for p in second.people
    ]


def test_users_and_bootstrap_output(demo, db):
    assert "tên đăng nhập 'admin'" in demo.output
    viewer = User.objects.get(username="xanamhang")
    assert viewer.scope.code == "DU-03475" and viewer.has_role("viewer")
    assert not viewer.can_edit
    editor = User.objects.get(username="bantochuc")
    assert editor.scope.code == "DB-12" and editor.can_edit
    password = (demo.var / "demo_xanamhang_password").read_text().strip()
    assert f"tên đăng nhập 'xanamhang', mật khẩu '{password}'" in demo.output
    assert viewer.check_password(password)
    assert "bantochuc" in demo.output


def test_demo_again_changes_nothing(demo, db):
    counts = (Place.objects.count(), Member.objects.count(), MemberEvent.objects.count())
    out = StringIO()
    with override_settings(VAR_DIR=demo.var):
        call_command("demo", stdout=out)
        call_command("bootstrap", stdout=out)
    assert "Dữ liệu mẫu đã có" in out.getvalue()
    assert (Place.objects.count(), Member.objects.count(), MemberEvent.objects.count()) == counts


def test_members_who_arrived_by_transfer_carry_their_admission(demo, db):
    """Issue 11, fault 1 on the demo: a veteran who arrived in 2013 counts party age from the
    admission on the record, not from the arrival; no arrival lacks the date."""
    from grassroots.members.selectors import member_party_age

    arrived = Member.objects.filter(
        events__kind__in=("joined_official", "joined_probationary")
    ).distinct()
    assert arrived.exists()
    assert not arrived.filter(admitted_on__isnull=True).exists()
    member = Member.objects.get(code="NN-00060")
    first = member.events.order_by("date", "id").first()
    assert member.admitted_on < first.date
    age = member_party_age(member=member, day=D2023)
    assert age.since == member.admitted_on
    assert age.years >= (D2023 - member.admitted_on).days // 366
