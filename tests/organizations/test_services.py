"""organizations.services: founding, re-parenting, dissolving, merging, splitting — and the
closure table against walking parents version by version (Hypothesis)."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError
from grassroots.core.temporal import valid_on
from grassroots.core.versioning import check_no_overlap
from grassroots.members.models import MemberEvent, MembershipSpan
from grassroots.members.selectors import spans_on
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationLineage,
    OrganizationVersion,
)
from grassroots.organizations.selectors import subtree_ids
from grassroots.organizations.services import (
    organization_change,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_merge_plan,
    organization_rename,
    organization_reparent,
    organization_split,
)
from grassroots.places.selectors import place_subtree_ids
from grassroots.places.services import place_end, place_reparent
from tests import factories

JULY_2025 = date(2025, 7, 1)


@contextmanager
def rolled_back():
    """Run one Hypothesis example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts():
    return (
        Organization.objects.count(),
        OrganizationVersion.objects.count(),
        OrganizationClosure.objects.count(),
        OrganizationLineage.objects.count(),
        MemberEvent.objects.count(),
        MembershipSpan.objects.count(),
        LogEntry.objects.count(),
    )


def subtree(org, day):
    return set(subtree_ids(organization=org, day=day))


# --- Property: the closure equals walking parents version by version -----------------------------

BASE = date(2000, 1, 1)


def month(n: int) -> date:
    return BASE + timedelta(days=30 * n)


def walk_subtree(versions: list[OrganizationVersion], root_id: int, day: date) -> set[int]:
    """Plain Subtree(root, day): every organisation valid on ``day`` whose chain of parents,
    read from the versions valid on ``day``, reaches ``root``."""
    on_day = {v.organization_id: v for v in versions if v.is_valid_on(day)}
    found = set()
    for org_id in on_day:
        current, seen = org_id, set()
        while current is not None and current in on_day and current not in seen:
            if current == root_id:
                found.add(org_id)
                break
            seen.add(current)
            current = on_day[current].parent_id
    return found


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_subtree_equals_walking_parents_on_random_days(db, data):
    with rolled_back():
        area = factories.place(name="Tỉnh", kind="province", valid_from=date(1990, 1, 1))
        orgs: list[Organization] = []
        n_ops = data.draw(st.integers(min_value=2, max_value=14), label="operations")
        for i in range(n_ops):
            op = data.draw(
                st.sampled_from(["found", "reparent", "dissolve", "rename"])
                if orgs
                else st.just("found"),
                label=f"op {i}",
            )
            day = month(data.draw(st.integers(0, 40), label=f"day {i}"))
            before = counts()
            try:
                if op == "found":
                    parent = data.draw(st.sampled_from([None, *orgs]), label="parent")
                    if parent is not None and data.draw(st.booleans(), label="after parent"):
                        # mostly founded while the parent exists, so that chains grow deep
                        first = parent.versions.order_by("valid_from").first().valid_from
                        day = first + timedelta(days=30 * data.draw(st.integers(0, 12)))
                    orgs.append(
                        organization_found(
                            acting_user=None,
                            code=f"X{i}",
                            name=f"Tổ chức {i}",
                            kind="grassroots_committee",
                            place=area,
                            parent=parent,
                            valid_from=day,
                        )
                    )
                elif op == "reparent":
                    org = data.draw(st.sampled_from(orgs), label="org")
                    parent = data.draw(st.sampled_from([None, *orgs]), label="new parent")
                    organization_reparent(
                        acting_user=None, organization=org, parent=parent, day=day
                    )
                elif op == "rename":
                    org = data.draw(st.sampled_from(orgs), label="org")
                    organization_rename(
                        acting_user=None, organization=org, name=f"Tên mới {i}", day=day
                    )
                else:
                    org = data.draw(st.sampled_from(orgs), label="org")
                    organization_dissolve(acting_user=None, organization=org, day=day)
                    if org.pk is None:  # ended from its first day: it never existed
                        orgs.remove(org)
            except RuleError:
                assert counts() == before, f"refused {op} changed the database"

        versions = list(OrganizationVersion.objects.filter(organization__in=orgs))
        # every version valid on a day points at a parent that exists on that day
        for v in versions:
            if v.parent_id is None:
                continue
            # A chain founded "after its parent" may start past the horizon month(45).
            last = max(v.valid_from, (v.valid_to or month(45)) - timedelta(days=1))
            for d in {v.valid_from, last}:
                assert any(
                    p.organization_id == v.parent_id and p.is_valid_on(d) for p in versions
                ), f"{v} points at a parent that does not exist on {d}"
        days = sorted(
            {v.valid_from for v in versions}
            | {v.valid_to for v in versions if v.valid_to}
            | {month(data.draw(st.integers(0, 45), label="extra day"))}
        )
        days += [d - timedelta(days=1) for d in days]
        for org in orgs:
            for d in days:
                assert subtree(org, d) == walk_subtree(versions, org.pk, d), (org.code, d)


# --- Founding and re-parenting --------------------------------------------------------------------


def test_found_refuses_a_parent_not_valid_on_the_date(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        factories.org(
            name="Chi bộ sớm",
            kind="cell",
            place=reg.village_a,
            parent=reg.commune_committee_a,  # founded 2013-06-01
            valid_from=date(2010, 1, 1),
        )
    assert exc.value.code == "parent_not_valid"  # the places' code too
    assert counts() == before


def test_reparent_into_own_subtree_is_refused_and_changes_nothing(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        organization_reparent(
            acting_user=None, organization=reg.committee, parent=reg.cell_a, day=date(2020, 1, 1)
        )
    assert exc.value.code == "cycle"
    assert counts() == before


def test_swapping_two_organisations_over_time_is_not_a_cycle(reg):
    """A above B until 2020, B above A from 2021: never a cycle on one day."""
    d = date(2014, 1, 1)
    a = factories.org(name="A", kind="committee", place=reg.commune_a, valid_from=d)
    b = factories.org(name="B", kind="committee", place=reg.commune_a, parent=a, valid_from=d)
    organization_reparent(acting_user=None, organization=b, parent=None, day=date(2020, 1, 1))
    organization_reparent(acting_user=None, organization=a, parent=b, day=date(2021, 1, 1))
    assert subtree(a, date(2019, 1, 1)) == {a.pk, b.pk}
    assert subtree(b, date(2022, 1, 1)) == {a.pk, b.pk}
    assert subtree(a, date(2022, 1, 1)) == {a.pk}


def test_reparent_under_an_organisation_that_has_ended_later_is_refused(reg):
    """The new version would point at a parent that no longer exists after its end."""
    short = factories.org(
        name="Đảng bộ tạm",
        kind="grassroots_committee",
        place=reg.commune_a,
        parent=reg.committee,
        valid_from=date(2014, 1, 1),
    )
    organization_dissolve(acting_user=None, organization=short, day=date(2016, 1, 1))
    before = counts()
    with pytest.raises(RuleError):
        organization_reparent(
            acting_user=None, organization=reg.cell_b, parent=short, day=date(2015, 1, 1)
        )
    assert counts() == before


def test_change_with_bad_kind_is_refused(reg):
    with pytest.raises(RuleError) as exc:
        organization_change(
            acting_user=None, organization=reg.cell_a, day=date(2020, 1, 1), kind="club"
        )
    assert exc.value.code == "bad_kind"


def test_overlapping_versions_are_refused(reg):
    versions = reg.cell_a.versions.all()
    with pytest.raises(RuleError) as exc:
        check_no_overlap(versions, date(2019, 1, 1), date(2020, 1, 1), "Tổ chức CB-V1")
    assert exc.value.code == "overlap"
    check_no_overlap(versions, date(2001, 1, 1), date(2013, 6, 1), "Tổ chức CB-V1")  # before: ok
    organization_rename(acting_user=None, organization=reg.cell_a, name="Mới", day=date(2020, 1, 1))
    spans = [(v.valid_from, v.valid_to) for v in reg.cell_a.versions.order_by("valid_from")]
    assert spans == [(date(2013, 6, 1), date(2020, 1, 1)), (date(2020, 1, 1), None)]


def test_raw_overlapping_organization_version_violates_the_exclusion_constraint(reg):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    from django.db import IntegrityError

    current = reg.cell_a.versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationVersion.objects.create(
            organization=reg.cell_a,
            name="Chồng lấn",
            kind="cell",
            parent=current.parent,
            place=current.place,
            valid_from=date(2020, 1, 1),
        )


# --- The 2025 reorganisation ----------------------------------------------------------------------


def _members_under(org, day):
    from grassroots.accounts.models import User

    nobody = User(is_superuser=True)
    return set(spans_on(user=nobody, day=day, organization=org).values_list("member_id", flat=True))


def test_2025_district_committee_ends_and_communes_move_under_the_province(reg):
    a = factories.member(
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 3, 1),
        confirmed=date(2021, 3, 1),
    )
    b = factories.member(
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2020, 3, 1),
        confirmed=date(2021, 3, 1),
    )
    for commune in (reg.commune_a, reg.commune_b):
        place_reparent(acting_user=None, place=commune, parent=reg.province, day=JULY_2025)
    place_end(acting_user=None, place=reg.district, day=JULY_2025)
    for committee in (reg.commune_committee_a, reg.commune_committee_b):
        organization_reparent(
            acting_user=None, organization=committee, parent=reg.province_committee, day=JULY_2025
        )
    organization_dissolve(acting_user=None, organization=reg.committee, day=JULY_2025)

    below = {
        reg.commune_committee_a.pk,
        reg.commune_committee_b.pk,
        reg.cell_a.pk,
        reg.cell_b.pk,
    }
    assert subtree(reg.committee, date(2024, 6, 1)) == below | {reg.committee.pk}
    after = subtree(reg.province_committee, date(2025, 8, 1))
    assert below <= after
    assert reg.committee.pk not in after
    assert subtree(reg.committee, date(2025, 8, 1)) == set()
    assert subtree(reg.committee, date(2025, 6, 30)) == below | {reg.committee.pk}
    # members in the cells keep counting, now under the province
    assert _members_under(reg.committee, date(2024, 6, 1)) == {a.pk, b.pk}
    assert _members_under(reg.province_committee, date(2025, 8, 1)) == {a.pk, b.pk}
    assert _members_under(reg.committee, date(2025, 8, 1)) == set()
    # the places follow the same shape
    villages = {reg.village_a.pk, reg.village_b.pk}
    assert villages <= set(place_subtree_ids(place_ids=[reg.district.pk], day=date(2024, 6, 1)))
    assert set(place_subtree_ids(place_ids=[reg.district.pk], day=date(2025, 8, 1))) == set()
    assert villages <= set(place_subtree_ids(place_ids=[reg.province.pk], day=date(2025, 8, 1)))


def test_dissolve_refused_while_child_organisations_remain(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        organization_dissolve(
            acting_user=None, organization=reg.commune_committee_a, day=date(2020, 1, 1)
        )
    assert exc.value.code == "has_children"
    assert counts() == before


def test_dissolve_refused_while_members_remain(reg):
    factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2020, 3, 1))
    before = counts()
    with pytest.raises(RuleError) as exc:
        organization_dissolve(acting_user=None, organization=reg.cell_a, day=date(2022, 1, 1))
    assert exc.value.code == "has_members"
    assert counts() == before
    # before the member arrived it could have ended
    organization_dissolve(acting_user=None, organization=reg.cell_b, day=date(2022, 1, 1))
    assert reg.cell_b.versions.get().valid_to == date(2022, 1, 1)


def test_merge_moves_members_and_child_organisations_and_dissolves_the_source(reg):
    day = date(2024, 1, 1)
    direct = factories.member(
        organization=reg.commune_committee_b, place=reg.commune_b, admitted=date(2020, 3, 1)
    )
    in_cell = factories.member(
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2020, 3, 1),
        confirmed=date(2021, 3, 1),
    )
    plan = organization_merge_plan(
        sources=[reg.commune_committee_b], into=reg.commune_committee_a, day=day
    )
    assert [c.pk for c, _, _ in plan.child_moves] == [reg.cell_b.pk]
    assert [h.item.pk for h, _, _ in plan.holding_moves] == [direct.pk]

    organization_merge(
        acting_user=None, sources=[reg.commune_committee_b], into=reg.commune_committee_a, day=day
    )
    assert reg.commune_committee_b.versions.order_by("-valid_from").first().valid_to == day
    assert reg.cell_b.version_on(day).parent_id == reg.commune_committee_a.pk
    assert reg.cell_b.version_on(day - timedelta(days=1)).parent_id == reg.commune_committee_b.pk
    assert direct.spans.get(valid_on(day)).organization_id == reg.commune_committee_a.pk
    assert direct.spans.get(valid_on(day)).place_id == reg.commune_b.pk  # place kept
    assert in_cell.spans.get(valid_on(day)).organization_id == reg.cell_b.pk
    lineage = OrganizationLineage.objects.get(change="merge")
    assert (lineage.from_organization, lineage.to_organization, lineage.date) == (
        reg.commune_committee_b,
        reg.commune_committee_a,
        day,
    )
    assert subtree(reg.commune_committee_a, day) >= {reg.cell_a.pk, reg.cell_b.pk}
    assert subtree(reg.commune_committee_b, day) == set()
    assert _members_under(reg.commune_committee_a, day) == {direct.pk, in_cell.pk}


def test_split_founds_parts_moves_members_and_dissolves_the_original(reg):
    day = date(2024, 1, 1)
    m1 = factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2020, 3, 1))
    m2 = factories.member(organization=reg.cell_a, place=reg.village_a, admitted=date(2020, 3, 1))
    school = factories.place(
        name="Trường", kind="school", parent=reg.commune_a, valid_from=date(2014, 1, 1)
    )
    parts = [
        {"code": "CB-V1A", "name": "Chi bộ bản Nậm Ngà 1"},
        {"code": "CB-V1B", "name": "Chi bộ trường", "place": school},
    ]
    created = organization_split(
        acting_user=None, organization=reg.cell_a, day=day, parts=parts, assignments={m2.code: 1}
    )
    first, second = created
    assert reg.cell_a.versions.get().valid_to == day
    assert first.version_on(day).parent_id == reg.commune_committee_a.pk
    assert second.version_on(day).place_id == school.pk
    assert first.version_on(day).place_id == reg.village_a.pk
    assert m1.spans.get(valid_on(day)).organization_id == first.pk
    assert m2.spans.get(valid_on(day)).organization_id == second.pk
    assert set(
        OrganizationLineage.objects.filter(change="split").values_list("to_organization", flat=True)
    ) == {first.pk, second.pk}
    assert subtree(reg.commune_committee_a, day) >= {first.pk, second.pk}
    assert reg.cell_a.pk not in subtree(reg.commune_committee_a, day)


def test_split_needs_two_parts(reg):
    before = counts()
    with pytest.raises(RuleError):
        organization_split(
            acting_user=None,
            organization=reg.cell_a,
            day=date(2024, 1, 1),
            parts=[{"code": "X", "name": "X"}],
        )
    assert counts() == before


# --- Audit ----------------------------------------------------------------------------------------


def test_every_service_call_is_audited_with_the_acting_user(reg, make_user):
    # an editor of the whole province (a user without scope sees nothing, changes nothing)
    user = make_user("bantochuc", roles=["editor"], scope=reg.province_committee)

    def entries_since(mark):
        return LogEntry.objects.filter(pk__gt=mark)

    def mark():
        return LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    calls = [
        lambda: organization_found(
            acting_user=user,
            code="CB-MOI",
            name="Chi bộ mới",
            kind="cell",
            place=reg.village_a,
            parent=reg.commune_committee_a,
            valid_from=date(2020, 1, 1),
        ),
        lambda: organization_rename(
            acting_user=user, organization=reg.cell_a, name="Chi bộ Nậm Ngà", day=date(2021, 1, 1)
        ),
        lambda: organization_reparent(
            acting_user=user,
            organization=reg.cell_b,
            parent=reg.commune_committee_a,
            day=date(2021, 1, 1),
        ),
        lambda: organization_dissolve(
            acting_user=user, organization=reg.commune_committee_b, day=date(2022, 1, 1)
        ),
    ]
    for call in calls:
        start = mark()
        with acting_as(user):
            call()
        written = entries_since(start)
        assert written.exists()
        assert all(e.actor_id == user.pk for e in written)
    version = reg.cell_a.versions.order_by("-valid_from").first()
    assert version.recorded_by == user
