"""The figures against a deliberately naive recomputation on random histories.

The history is generated from a seed through the real services: places and organisations that
are re-parented and change kind, cells founded over the years, members admitted, confirmed,
moved, exempted, leaving and coming back. The naive side reads every row into Python, replays
each member's effective events with ``members.replay.state_on`` and walks parents version by
version — no closure table, no span, no SQL aggregate.
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from grassroots import policy
from grassroots.core.errors import RuleError
from grassroots.members import tally
from grassroots.members.models import (
    Member,
    MemberEvent,
    PlaceTally,
    StructureTally,
    SubtreeTally,
)
from grassroots.members.replay import Fact, state_on
from grassroots.members.selectors import member_party_age
from grassroots.members.services import (
    member_event_cancel,
    member_event_correct,
    member_record_event,
    member_update,
)
from grassroots.organizations import services as organization_services
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.places import services as place_services
from grassroots.places.models import PlaceVersion
from grassroots.statistics import figures, selectors
from tests import factories

pytestmark = pytest.mark.django_db

START = date(2005, 1, 1)
REASONS = ["transferred_out", "died", "removed", "expelled", "resigned"]


def _random_day(rng: random.Random, low: date, high: date) -> date:
    return low + timedelta(days=rng.randrange((high - low).days))


@dataclass
class Generated:
    top: Organization
    committees: list  # every organisation above the cells
    cells: list


def generate(seed: int) -> Generated:
    """A random registry with history; modest sizes so it runs in seconds on both databases."""
    rng = random.Random(seed)
    province = factories.place(name="Tỉnh", kind="province", valid_from=START)
    district = factories.place(name="Huyện", kind="district", parent=province, valid_from=START)
    top = factories.org(name="Đảng bộ tỉnh", kind="committee", place=province, valid_from=START)
    district_org = factories.org(
        name="Đảng bộ huyện", kind="committee", place=district, parent=top, valid_from=START
    )
    communes, commune_orgs, leaves, cells, founded = [], [], [], [], {}
    for c in range(3):
        commune = factories.place(name=f"Xã {c}", kind="commune", parent=district, valid_from=START)
        commune_org = factories.org(
            name=f"Đảng bộ xã {c}",
            kind="grassroots_committee",
            place=commune,
            parent=district_org,
            valid_from=START,
        )
        communes.append(commune)
        commune_orgs.append(commune_org)
        founded[commune_org.pk] = START
        for i in range(rng.randint(3, 5)):
            kind = rng.choice(
                ["village", "village", "residential_group", "school", "health_station"]
            )
            leaf = factories.place(name=f"Nơi {c}.{i}", kind=kind, parent=commune, valid_from=START)
            leaves.append(leaf)
            if rng.random() < 0.6:
                day = _random_day(rng, START, date(2020, 1, 1))
                cell = factories.org(
                    name=f"Chi bộ {c}.{i}",
                    kind=rng.choice(["cell", "cell", "grassroots_cell", "cell"]),
                    place=leaf,
                    parent=commune_org,
                    valid_from=day,
                )
                cells.append(cell)
                founded[cell.pk] = day

    # Reorganisations, in date order: places and cells change commune, kinds change, a commune
    # committee goes straight under the province committee (as in 2025).
    changes = []
    for _ in range(6):
        changes.append((_random_day(rng, date(2008, 1, 1), date(2024, 1, 1)), rng.randrange(4)))
    for day, what in sorted(changes):
        if what == 0:
            place_services.place_reparent(
                acting_user=None, place=rng.choice(leaves), parent=rng.choice(communes), day=day
            )
        elif what == 1:
            candidates = [c for c in cells if founded[c.pk] < day]
            if candidates:
                organization_services.organization_reparent(
                    acting_user=None,
                    organization=rng.choice(candidates),
                    parent=rng.choice(commune_orgs),
                    day=day,
                )
        elif what == 2:
            place_services.place_change(
                acting_user=None,
                place=rng.choice(leaves),
                day=day,
                kind=rng.choice(["village", "school", "residential_group"]),
            )
        else:
            organization_services.organization_reparent(
                acting_user=None, organization=rng.choice(commune_orgs), parent=top, day=day
            )

    for n in range(20):
        member = factories.member(
            full_name=f"Lò Văn {n}",
            gender=rng.choice(["male", "female"]),
            birth_date=_random_day(rng, date(1940, 1, 1), date(1995, 1, 1)),
            ethnicity=rng.choice(["Thái", "Hà Nhì", "Kinh", ""]),
            education=rng.choice(["12/12", "9/12", ""]),
        )
        _random_life(rng, member, founded, leaves)
    committees = [top, district_org, *commune_orgs]
    _changes_after_the_members(rng, top, district, commune_orgs, cells, founded, committees)
    return Generated(top, committees, cells)


def _changes_after_the_members(rng, top, place, commune_orgs, cells, founded, committees):
    """Changes that rewrite the closure under members already recorded (the committees'
    tallies follow them), and corrections and cancellations of admissions."""
    day = _random_day(rng, date(2014, 1, 1), date(2022, 1, 1))
    organization_services.organization_reparent(
        acting_user=None, organization=rng.choice(commune_orgs), parent=top, day=day
    )
    moved = [c for c in cells if founded[c.pk] < day]
    if moved:
        organization_services.organization_reparent(
            acting_user=None,
            organization=rng.choice(moved),
            parent=rng.choice(commune_orgs),
            day=day + timedelta(days=rng.randint(1, 400)),
        )
    # A new district committee takes over a commune committee and its members: its tally
    # starts when it is founded and follows the members that come with the commune.
    new_district = factories.org(
        name="Đảng bộ huyện mới", kind="committee", place=place, parent=top, valid_from=day
    )
    organization_services.organization_reparent(
        acting_user=None,
        organization=commune_orgs[0],
        parent=new_district,
        day=day + timedelta(days=rng.randint(1, 700)),
    )
    committees.append(new_district)
    for n, cell in enumerate(rng.sample(moved or cells, 2)):  # two admissions to take back
        member_record_event(
            acting_user=None,
            member=factories.member(full_name=f"Lò Thị {n}"),
            kind="admitted",
            day=max(day, founded[cell.pk]) + timedelta(days=rng.randint(1, 300)),
            organization=cell,
            place=cell.versions.first().place,
        )
    admissions = list(MemberEvent.objects.filter(kind="admitted", superseded_by__isnull=True))
    rng.shuffle(admissions)
    cancelled = corrected = 0
    for event in admissions:  # those whose later events still fit without it
        if cancelled < 2:
            with contextlib.suppress(RuleError):
                member_event_cancel(acting_user=None, event=event)
                cancelled += 1
        elif corrected < 2:
            with contextlib.suppress(RuleError):
                member_event_correct(
                    acting_user=None,
                    event=event,
                    day=event.date - timedelta(days=rng.randint(1, 90)),
                )
                corrected += 1
    assert cancelled == 2 and corrected > 0
    # Profiles corrected afterwards: the root's structure tally follows (one born on 29
    # February enters each band on 1 March in a common year).
    edited = rng.sample(list(Member.objects.filter(spans__isnull=False).distinct()), 3)
    member_update(acting_user=None, member=edited[0], gender="female", ethnicity="Mông")
    member_update(acting_user=None, member=edited[1], birth_date=date(1964, 2, 29))
    member_update(acting_user=None, member=edited[2], education="12/12", ethnicity="")


def _random_life(rng: random.Random, member: Member, founded: dict, leaves: list) -> None:
    """Events on distinct, increasing dates that always fit the member's state."""
    day = _random_day(rng, START, date(2012, 1, 1))
    status, exempted = None, False
    orgs = Organization.objects.in_bulk(list(founded))
    while day < date(2025, 6, 1):
        open_orgs = [orgs[pk] for pk, since in founded.items() if since <= day]
        record = {"acting_user": None, "member": member, "day": day}
        if status is None:
            kind = rng.choice(["admitted", "admitted", "joined_official", "joined_probationary"])
            record.update(organization=rng.choice(open_orgs), place=rng.choice(leaves))
            status = "official" if kind == "joined_official" else "probationary"
            exempted = False
        else:
            options = ["moved", "moved", "exempted" if not exempted else "exemption_ended", "left"]
            if status == "probationary":
                options += ["confirmed", "confirmed"]
            kind = rng.choice(options)
            if kind == "confirmed":
                status = "official"
            elif kind == "moved":
                record.update(organization=rng.choice(open_orgs), place=rng.choice(leaves))
            elif kind == "left":
                reasons = REASONS + (["not_confirmed"] if status == "probationary" else [])
                record["reason"] = rng.choice(reasons)
                status = None
            else:
                exempted = kind == "exempted"
        try:
            member_record_event(kind=kind, **record)
        except Exception:  # a random move that changes nothing: draw again later
            if kind != "moved":
                raise
        if record.get("reason") == "died":
            break  # death is final
        day += timedelta(days=rng.randint(60, 1200))


# --- The naive side ------------------------------------------------------------------------


class Naive:
    """Every figure recomputed from all rows in plain Python."""

    def __init__(self):
        self.org_versions = _by_key(OrganizationVersion.objects.all(), "organization_id")
        self.place_versions = _by_key(PlaceVersion.objects.all(), "place_id")
        self.members = list(Member.objects.all())
        events = MemberEvent.objects.filter(superseded_by__isnull=True).exclude(kind="cancelled")
        self.events = list(events.order_by("date", "id"))
        self.facts = {}
        for e in self.events:
            self.facts.setdefault(e.member_id, []).append(
                Fact(e.date, e.kind, e.organization_id, e.place_id, e.reason, e.pk)
            )

    @staticmethod
    def version_on(versions, pk, day):
        for v in versions.get(pk, []):
            if v.valid_from <= day and (v.valid_to is None or day < v.valid_to):
                return v
        return None

    def in_subtree(self, org_id, root_id, day) -> bool:
        current = org_id
        for _ in range(50):
            version = self.version_on(self.org_versions, current, day)
            if version is None:
                return False
            if current == root_id:
                return True
            current = version.parent_id
        raise AssertionError("cycle")

    def in_area(self, place_id, root_place_id, day) -> bool:
        current = place_id
        for _ in range(50):
            version = self.version_on(self.place_versions, current, day)
            if version is None:
                return False
            if current == root_place_id:
                return True
            current = version.parent_id
        raise AssertionError("cycle")

    @functools.cache  # noqa: B019 - one Naive per test
    def states(self, day) -> list:
        """(member, state) of every member on ``day``."""
        pairs = [(m, state_on(self.facts.get(m.pk, []), day)) for m in self.members]
        return [(m, s) for m, s in pairs if s.status is not None]

    def coverage(self, root, day) -> dict:
        members = {"official": 0, "probationary": 0, "exempted": 0}
        for _m, s in self.states(day):
            if self.in_subtree(s.organization_id, root.pk, day):
                members[s.status] += 1
                members["exempted"] += s.exempted
        cells = sum(
            1
            for pk in self.org_versions
            if self.in_subtree(pk, root.pk, day)
            and self.version_on(self.org_versions, pk, day).kind in ("cell", "grassroots_cell")
        )
        places = {
            k: dict.fromkeys(selectors.PLACE_CONDITIONS, 0) for k in selectors.COVERAGE_PLACE_KINDS
        }
        root_version = self.version_on(self.org_versions, root.pk, day)
        states = [s for _m, s in self.states(day)]
        for pk in self.place_versions:
            version = self.version_on(self.place_versions, pk, day)
            if root_version is None or version is None or version.kind not in places:
                continue
            if not self.in_area(pk, root_version.place_id, day):
                continue
            covered = any(
                (v := self.version_on(self.org_versions, o, day)) is not None
                and v.place_id == pk
                and v.kind in ("cell", "grassroots_cell", "grassroots_committee")
                for o in self.org_versions
            )
            here = [s for s in states if s.place_id == pk]
            row = places[version.kind]
            row["total"] += 1
            row["without_cell"] += not covered
            row["without_members"] += not here
            row["below_three_official"] += sum(s.status == "official" for s in here) < 3
        return {
            "organization": root.code,
            "as_of": day.isoformat(),
            "members": members,
            "cells": cells,
            "places": places,
        }

    def admissions(self, root, start, end) -> int:
        return sum(
            1
            for e in self.events
            if e.kind == "admitted"
            and start <= e.date <= end
            and self.in_subtree(e.organization_id, root.pk, e.date)
        )

    def age_bands(self, root, day) -> dict:
        bands = dict.fromkeys([band[0] for band in selectors.AGE_BANDS], 0)
        for m, s in self.states(day):
            if self.in_subtree(s.organization_id, root.pk, day):
                years = policy.age_in_months(m.birth_date, day) // 12
                bands[_band(selectors.AGE_BANDS, years)] += 1
        return bands

    def profile(self, root, day, field) -> dict:
        counted = Counter(
            getattr(m, field)
            for m, s in self.states(day)
            if self.in_subtree(s.organization_id, root.pk, day)
        )
        return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))

    def party_age_bands(self, root, day) -> dict:
        bands = dict.fromkeys([band[0] for band in selectors.PARTY_AGE_BANDS], 0)
        for m, s in self.states(day):
            if self.in_subtree(s.organization_id, root.pk, day):
                years = member_party_age(member=m, day=day).years
                bands[_band(selectors.PARTY_AGE_BANDS, years)] += 1
        return bands

    def movements(self, root, start, end) -> dict:
        counts = dict.fromkeys(selectors.MOVEMENTS, 0)
        left = {}
        for e in self.events:
            if not start <= e.date <= end:
                continue
            facts = self.facts[e.member_id]
            before = state_on(facts, e.date - timedelta(days=1))
            after = state_on(facts, e.date)
            inside_before = before.status and self.in_subtree(
                before.organization_id, root.pk, e.date
            )
            inside_after = after.status and self.in_subtree(after.organization_id, root.pk, e.date)
            if e.kind in ("admitted", "confirmed") and inside_after:
                counts[e.kind] += 1
            elif e.kind.startswith("joined_") and inside_after:
                counts["joined"] += 1
            elif e.kind == "moved" and inside_after and not inside_before:
                counts["moved_in"] += 1
            elif e.kind == "moved" and inside_before and not inside_after:
                counts["moved_out"] += 1
            elif e.kind == "left" and inside_before:
                left[e.reason] = left.get(e.reason, 0) + 1
        return counts, left


def _by_key(queryset, key):
    grouped = {}
    for row in queryset:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _band(bands, years):
    for key, _label, low, high in bands:
        if (low is None or years >= low) and (high is None or years < high):
            return key
    raise AssertionError(years)


@pytest.mark.parametrize("seed", [1, 2])
def test_figures_match_the_naive_recomputation(seed):
    generated = generate(seed)
    naive = Naive()
    # The committees (the province's, the district's, the new district's) are read
    # from their tallies; the grassroots committees from the spans.
    tallied = {c.pk for c in generated.committees if tally.is_tallied(c)}
    # The province's committee, the root, also reads its structure from its tally.
    roots = {c.pk for c in generated.committees if tally.structure_on(c, START) is not None}
    assert roots == {generated.committees[0].pk}
    assert tallied == {generated.committees[0].pk, generated.committees[1].pk,
                       generated.committees[-1].pk}  # fmt: skip
    assert len(generated.committees) == 6
    rng = random.Random(seed)
    days = [_random_day(rng, START, date(2026, 1, 1)) for _ in range(5)] + [date(2025, 12, 31)]
    # Around the birthdays of the one born on 29 February 1964 (46 in 2010, 61 in 2025).
    days += [date(2010, 2, 28), date(2010, 3, 1), date(2025, 2, 28), date(2025, 3, 1)]
    for root in generated.committees:
        for day in days:
            assert figures.coverage(organization=root, day=day) == naive.coverage(root, day), (
                root.code,
                day,
            )
            assert figures.members_by_age_band(organization=root, day=day) == naive.age_bands(
                root, day
            )
            assert figures.members_by_party_age_band(
                organization=root, day=day
            ) == naive.party_age_bands(root, day)
            for field in ("gender", "ethnicity", "education"):
                assert figures.members_by_profile(
                    organization=root, day=day, dimension=field
                ) == naive.profile(root, day, field)
        for start, end in ((START, date(2025, 12, 31)), (date(2010, 3, 1), date(2016, 8, 31))):
            report = figures.admissions(organization=root, start=start, end=end)
            assert report["admitted"] == naive.admissions(root, start, end)
            assert sum(report["by_year"].values()) == report["admitted"]
            moves = figures.movements(organization=root, start=start, end=end)
            counts, left = naive.movements(root, start, end)
            assert {k: moves[k] for k in selectors.MOVEMENTS} == counts
            assert {k: v for k, v in moves["left"].items() if v} == left
            assert moves["admitted"] == report["admitted"]


def _tally_rows() -> dict:
    return {
        (row.organization_id, row.date): (
            row.official, row.probationary, row.exempted, row.admitted
        )
        for row in SubtreeTally.objects.all()
        if row.date == tally.TALLY_ANCHOR or (row.official, row.probationary, row.exempted,
                                              row.admitted) != (0, 0, 0, 0)
    }  # fmt: skip


@pytest.mark.parametrize(("seed", "chunk"), [(3, tally.CHUNK), (4, 3)])
def test_the_tallies_kept_change_by_change_equal_a_rebuild(seed, chunk, monkeypatch):
    """Every service kept the tallies current, change by change: rebuilding them from the
    spans, the admissions and the closure in one set-based pass gives the same rows (also when
    the members and organisations are read a few at a time, as a large re-parenting reads
    them)."""
    monkeypatch.setattr(tally, "CHUNK", chunk)
    generate(seed)
    kept, kept_places, kept_structure = _tally_rows(), _place_tally_rows(), _structure_rows()
    assert len(kept) > 20
    assert len(kept_places) > 10
    assert len(kept_structure) > 50
    tally.rebuild()
    tally.rebuild_places()
    tally.rebuild_structure()
    assert _tally_rows() == kept
    assert _place_tally_rows() == kept_places
    assert _structure_rows() == kept_structure


def _structure_rows() -> set:
    return {
        row
        for row in StructureTally.objects.values_list(
            "organization", "date", "dimension", "value", "change"
        )
        if row[4] or row[2] == ""  # a change that came back to zero is no row in a rebuild
    }


def _place_tally_rows() -> set:
    return set(PlaceTally.objects.values_list("place", "valid_from", "valid_to", "members",
                                              "official"))  # fmt: skip
