"""places.services: creating, renaming, re-parenting, ending, merging, splitting — and the closure
table against walking parents version by version (Hypothesis)."""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError
from grassroots.core.versioning import change_from, check_no_overlap, end_on
from grassroots.places.models import Place, PlaceClosure, PlaceLineage, PlaceVersion
from grassroots.places.selectors import place_subtree_ids
from grassroots.places.services import (
    place_change,
    place_create,
    place_end,
    place_merge,
    place_rename,
    place_reparent,
    place_split,
)
from tests import factories


@contextmanager
def rolled_back():
    """Run one Hypothesis example in a savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts():
    return (
        Place.objects.count(),
        PlaceVersion.objects.count(),
        PlaceClosure.objects.count(),
        PlaceLineage.objects.count(),
        LogEntry.objects.count(),
    )


def subtree(place, day):
    return set(place_subtree_ids(place_ids=[place.pk], day=day))


# --- Property: the closure equals walking parents version by version -----------------------------

BASE = date(2000, 1, 1)


def month(n: int) -> date:
    return BASE + timedelta(days=30 * n)


def walk_subtree(versions: list[PlaceVersion], root_id: int, day: date) -> set[int]:
    """Plain Area-style subtree: every place valid on ``day`` whose chain of parents (versions
    valid on ``day``) reaches ``root``; a chain stops at a parent that does not exist that day."""
    on_day = {v.place_id: v for v in versions if v.is_valid_on(day)}
    found = set()
    for place_id in on_day:
        current, seen = place_id, set()
        while current is not None and current in on_day and current not in seen:
            if current == root_id:
                found.add(place_id)
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
def test_place_subtree_equals_walking_parents_on_random_days(db, data):
    with rolled_back():
        places: list[Place] = []
        n_ops = data.draw(st.integers(min_value=2, max_value=14), label="operations")
        for i in range(n_ops):
            ops = ["create", "reparent", "end", "rename", "merge"] if places else ["create"]
            op = data.draw(st.sampled_from(ops), label=f"op {i}")
            day = month(data.draw(st.integers(0, 40), label=f"day {i}"))
            before = counts()
            try:
                if op == "create":
                    parent = data.draw(st.sampled_from([None, *places]), label="parent")
                    if parent is not None and data.draw(st.booleans(), label="after parent"):
                        # mostly created while the parent exists, so that chains grow deep
                        first = parent.versions.order_by("valid_from").first().valid_from
                        day = first + timedelta(days=30 * data.draw(st.integers(0, 12)))
                    places.append(
                        place_create(
                            acting_user=None,
                            code=f"Q{i}",
                            name=f"Địa bàn {i}",
                            kind="village",
                            parent=parent,
                            valid_from=day,
                        )
                    )
                elif op == "reparent":
                    place = data.draw(st.sampled_from(places), label="place")
                    parent = data.draw(st.sampled_from([None, *places]), label="new parent")
                    place_reparent(acting_user=None, place=place, parent=parent, day=day)
                elif op == "rename":
                    place = data.draw(st.sampled_from(places), label="place")
                    place_rename(acting_user=None, place=place, name=f"Tên {i}", day=day)
                elif op == "merge":
                    source = data.draw(st.sampled_from(places), label="source")
                    into = data.draw(st.sampled_from(places), label="into")
                    place_merge(acting_user=None, places=[source], into=into, day=day)
                else:
                    place = data.draw(st.sampled_from(places), label="place")
                    place_end(acting_user=None, place=place, day=day)
                    if place.pk is None:  # ended from its first day: it never existed
                        places.remove(place)
            except RuleError:
                assert counts() == before, f"refused {op} changed the database"
                # A refusal after a delete leaves the instance without its key (the delete
                # itself was rolled back): take it again from the database.
                for place in places:
                    if place.pk is None:
                        place.pk = Place.objects.get(code=place.code).pk

        versions = list(PlaceVersion.objects.filter(place__in=places))
        days = sorted(
            {v.valid_from for v in versions}
            | {v.valid_to for v in versions if v.valid_to}
            | {month(data.draw(st.integers(0, 45), label="extra day"))}
        )
        days += [d - timedelta(days=1) for d in days]
        for place in places:
            for d in days:
                assert subtree(place, d) == walk_subtree(versions, place.pk, d), (place.code, d)
        # versions of one place never overlap
        for place in places:
            own = sorted((v.valid_from, v.valid_to) for v in versions if v.place_id == place.pk)
            for (_, end), (start, _) in zip(own, own[1:], strict=False):
                assert end is not None and end <= start


# --- Services --------------------------------------------------------------------------------------


def test_create_refusals_change_nothing(reg):
    before = counts()
    cases = [
        {"code": "12", "name": "Trùng", "kind": "province", "valid_from": date(2000, 1, 1)},
        {"code": "", "name": "Trống", "kind": "village", "valid_from": date(2000, 1, 1)},
        {"code": "X1", "name": "Loại lạ", "kind": "planet", "valid_from": date(2000, 1, 1)},
        {
            "code": "X2",
            "name": "Bản sớm",
            "kind": "village",
            "parent": reg.commune_a,  # valid from 2013-06-01
            "valid_from": date(2010, 1, 1),
        },
        {
            "code": "X3",
            "name": "Ngược",
            "kind": "village",
            "valid_from": date(2010, 1, 1),
            "valid_to": date(2010, 1, 1),
        },
    ]
    codes = []
    for case in cases:
        with pytest.raises(RuleError) as exc:
            place_create(acting_user=None, **case)
        codes.append(exc.value.code)
    assert codes == [
        "duplicate_code",
        "code_required",
        "bad_kind",
        "parent_not_valid",
        "bad_interval",
    ]
    assert counts() == before


def test_change_with_bad_kind_is_refused(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        place_change(acting_user=None, place=reg.village_a, day=date(2020, 1, 1), kind="planet")
    assert exc.value.code == "bad_kind"
    assert counts() == before


def test_rename_closes_one_version_and_opens_another(reg):
    place_rename(acting_user=None, place=reg.village_a, name="Bản Nậm Ngà 1", day=date(2020, 1, 1))
    versions = list(reg.village_a.versions.order_by("valid_from"))
    assert [(v.name, v.valid_from, v.valid_to) for v in versions] == [
        ("Bản Nậm Ngà", date(2013, 6, 1), date(2020, 1, 1)),
        ("Bản Nậm Ngà 1", date(2020, 1, 1), None),
    ]
    assert versions[1].parent_id == reg.commune_a.pk  # unchanged fields carried over
    assert PlaceLineage.objects.filter(change="rename", from_place=reg.village_a).count() == 1
    # same day again is refused (correct the change instead)
    with pytest.raises(RuleError) as exc:
        place_rename(acting_user=None, place=reg.village_a, name="Khác", day=date(2020, 1, 1))
    assert exc.value.code == "same_day_change"


def test_reparent_moves_the_subtree_from_that_day(reg):
    day = date(2020, 1, 1)
    place_reparent(acting_user=None, place=reg.village_a, parent=reg.commune_b, day=day)
    assert reg.village_a.pk in subtree(reg.commune_a, day - timedelta(days=1))
    assert reg.village_a.pk not in subtree(reg.commune_a, day)
    assert reg.village_a.pk in subtree(reg.commune_b, day)
    assert reg.village_a.pk in subtree(reg.province, day)
    assert reg.village_a.pk in subtree(reg.district, day)


def test_reparent_into_own_subtree_is_refused(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        place_reparent(
            acting_user=None, place=reg.district, parent=reg.village_a, day=date(2020, 1, 1)
        )
    assert exc.value.code == "cycle"
    assert counts() == before


def test_end_refused_while_children_remain(reg):
    before = counts()
    with pytest.raises(RuleError) as exc:
        place_end(acting_user=None, place=reg.commune_a, day=date(2020, 1, 1))
    assert exc.value.code == "has_children"
    assert counts() == before
    place_end(acting_user=None, place=reg.village_a, day=date(2020, 1, 1))
    assert reg.village_a.versions.get().valid_to == date(2020, 1, 1)
    assert subtree(reg.village_a, date(2020, 1, 1)) == set()
    assert subtree(reg.village_a, date(2019, 12, 31)) == {reg.village_a.pk}


def test_merge_moves_children_ends_sources_and_records_lineage(reg):
    day = date(2020, 1, 1)
    place_merge(acting_user=None, places=[reg.commune_b], into=reg.commune_a, day=day, note="NQ")
    assert reg.commune_b.versions.get().valid_to == day
    assert reg.village_b.version_on(day).parent_id == reg.commune_a.pk
    assert subtree(reg.commune_a, day) == {reg.commune_a.pk, reg.village_a.pk, reg.village_b.pk}
    lineage = PlaceLineage.objects.get(change="merge")
    assert (lineage.from_place, lineage.to_place, lineage.date) == (
        reg.commune_b,
        reg.commune_a,
        day,
    )


def test_split_creates_parts_under_the_same_parent(reg):
    day = date(2020, 1, 1)
    parts = place_split(
        acting_user=None,
        place=reg.village_b,
        day=day,
        parts=[{"code": "V2A", "name": "Bản Pa Pầu 1"}, {"code": "V2B", "name": "Bản Pa Pầu 2"}],
    )
    assert [p.code for p in parts] == ["V2A", "V2B"]
    for p in parts:
        version = p.versions.get()
        assert (version.parent_id, version.kind, version.valid_from) == (
            reg.commune_b.pk,
            "village",
            day,
        )
    assert reg.village_b.versions.get().valid_to == day
    assert subtree(reg.commune_b, day) == {reg.commune_b.pk, parts[0].pk, parts[1].pk}
    assert PlaceLineage.objects.filter(change="split", from_place=reg.village_b).count() == 2


def test_overlapping_versions_are_refused_through_versioning(reg):
    versions = reg.village_a.versions.all()
    with pytest.raises(RuleError) as exc:
        check_no_overlap(versions, date(2015, 1, 1), None, "Địa bàn V1")
    assert exc.value.code == "overlap"
    check_no_overlap(versions, date(2000, 1, 1), date(2013, 6, 1), "Địa bàn V1")  # touching: ok
    # change_from never overlaps: the old version is closed where the new one starts
    change_from(
        versions=versions,
        day=date(2018, 1, 1),
        changes={"name": "Mới"},
        acting_user=None,
        label="V1",
    )
    rows = sorted(reg.village_a.versions.values_list("valid_from", "valid_to"))
    assert rows == [(date(2013, 6, 1), date(2018, 1, 1)), (date(2018, 1, 1), None)]
    # a change before the object exists is refused
    with pytest.raises(RuleError) as exc:
        change_from(
            versions=versions,
            day=date(2010, 1, 1),
            changes={"name": "X"},
            acting_user=None,
            label="V1",
        )
    assert exc.value.code == "not_valid"
    # ending refuses while later versions exist
    with pytest.raises(RuleError) as exc:
        end_on(versions=versions, day=date(2017, 1, 1), label="V1")
    assert exc.value.code == "later_versions"


def test_raw_overlapping_place_version_violates_the_exclusion_constraint(reg):
    current = reg.village_a.versions.get()
    overlapping = PlaceVersion(
        place=reg.village_a,
        name="Chồng lấn",
        kind="village",
        parent=current.parent,
        valid_from=date(2020, 1, 1),
    )
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
    # on both databases the services' check refuses it
    with pytest.raises(RuleError):
        check_no_overlap(reg.village_a.versions.all(), date(2020, 1, 1), None, "V1")


def test_every_service_call_is_audited_with_the_acting_user(reg, make_user):
    # an editor of the whole province (a user without scope sees nothing, changes nothing)
    user = make_user("bantochuc", roles=["editor"], scope=reg.province_committee)
    calls = [
        lambda: factories.place(
            name="Bản mới",
            kind="village",
            parent=reg.commune_a,
            valid_from=date(2014, 1, 1),
            user=user,
        ),
        lambda: place_rename(
            acting_user=user, place=reg.village_a, name="Tên", day=date(2020, 1, 1)
        ),
        lambda: place_reparent(
            acting_user=user, place=reg.village_b, parent=reg.commune_a, day=date(2020, 1, 1)
        ),
        lambda: place_end(acting_user=user, place=reg.village_b, day=date(2021, 1, 1)),
    ]
    for call in calls:
        mark = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with acting_as(user):
            call()
        written = LogEntry.objects.filter(pk__gt=mark)
        assert written.exists()
        assert {e.actor_id for e in written} == {user.pk}
    assert reg.village_a.versions.order_by("-valid_from").first().recorded_by == user


def test_a_parent_not_valid_on_the_day_has_the_organisations_code(reg):
    """The hierarchy rule shared with organisations (``core.versioning``): the same code."""
    from tests import factories

    parent = factories.place(
        name="Thôn tạm",
        kind="village",
        parent=reg.commune_a,
        code="VT",
        valid_from=date(2015, 1, 1),
        valid_to=date(2020, 1, 1),
    )
    with pytest.raises(RuleError) as exc:
        factories.place(name="Xóm", kind="other", parent=parent, valid_from=date(2021, 1, 1))
    assert exc.value.code == "parent_not_valid"
    assert "01/01/2021" in exc.value.messages[0]
