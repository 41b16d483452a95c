"""The official forms: JSON shapes of INTERCHANGE.md, form 1's balance against a naive
recomputation on random histories with reorganisations, and dated profile values."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from grassroots.core import figures as registry
from grassroots.members import profile
from grassroots.members import services as member_services
from grassroots.members.models import MemberProcedure
from grassroots.members.replay import state_on
from grassroots.organizations import services as organization_services
from grassroots.organizations.models import OrganizationVersion, UnitType
from grassroots.reports import official
from tests import factories
from tests.statistics.test_naive import START, Naive, _random_day, generate

pytestmark = pytest.mark.django_db

INCREASE_KEYS = ["admitted", "transferred_in", "restored", "reorganised_in"]
DECREASE_KEYS = ["died", "expelled", "removed", "resigned", "transferred_out", "reorganised_out"]


def _report(*args) -> dict:
    out = StringIO()
    call_command("report", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def naive_form1(naive: Naive, root, start: date, end: date) -> dict:
    """Form 1 from every row in Python: states replayed per member, parents walked per day."""

    def inside(state, day):
        return bool(state.status) and naive.in_subtree(state.organization_id, root.pk, day)

    def members(day):
        return sum(
            1 for _m, s in naive.states(day) if naive.in_subtree(s.organization_id, root.pk, day)
        )

    increase = dict.fromkeys(INCREASE_KEYS, 0)
    decrease = dict.fromkeys(DECREASE_KEYS, 0)
    removed_probationary = 0
    for e in naive.events:
        if not start <= e.date <= end:
            continue
        facts = naive.facts[e.member_id]
        before = state_on(facts, e.date - timedelta(days=1))
        after = state_on(facts, e.date)
        was, now = inside(before, e.date), inside(after, e.date)
        earlier = [f for f in facts if f.date < e.date]
        restoring = any(f.kind == "left" and f.reason in ("expelled", "removed") for f in earlier)
        if e.kind == "admitted" and now:
            increase["admitted"] += 1
        elif e.kind.startswith("joined_") and now:
            increase["restored" if restoring else "transferred_in"] += 1
        elif e.kind == "moved" and now and not was:
            increase["transferred_in"] += 1
        elif e.kind == "moved" and was and not now:
            decrease["transferred_out"] += 1
        elif e.kind == "left" and was:
            reason = "removed" if e.reason in ("removed", "not_confirmed") else e.reason
            decrease[reason] += 1
            removed_probationary += reason == "removed" and before.status == "probationary"
    # reorganisations: on every day an organisation version starts or ends, the members whose
    # state of the day before was outside the subtree that day and inside it the next (or back)
    days = set()
    for versions in naive.org_versions.values():
        for v in versions:
            days |= {v.valid_from, v.valid_to}
    for day in sorted(d for d in days if d is not None and start <= d <= end):
        previous = day - timedelta(days=1)
        for _m, s in naive.states(previous):
            was = naive.in_subtree(s.organization_id, root.pk, previous)
            now = naive.in_subtree(s.organization_id, root.pk, day)
            increase["reorganised_in"] += now and not was
            decrease["reorganised_out"] += was and not now
    return {
        "form": "1-BTCTW",
        "organization": root.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "start": members(start - timedelta(days=1)),
        "increase": increase,
        "decrease": decrease,
        "of_which": {"removed_probationary": removed_probationary},
        "end": members(end),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_form1_balances_and_matches_the_naive_recomputation(seed):
    generated = generate(seed)
    naive = Naive()
    rng = random.Random(seed)
    periods = [(START, date(2025, 12, 31)), (date(2010, 1, 1), date(2016, 6, 30))]
    # the periods around each reorganisation, where members cross with no event of theirs
    for v in OrganizationVersion.objects.filter(valid_from__gt=START)[:4]:
        periods.append((v.valid_from - timedelta(days=rng.randint(0, 200)), v.valid_from))
    for _ in range(3):
        a, b = sorted(_random_day(rng, START, date(2026, 1, 1)) for _ in range(2))
        periods.append((a, b))
    reorganised = 0
    for root in [*generated.committees, *generated.cells[:3]]:
        for start, end in periods:
            result = official.form1(root, start, end)
            assert (
                result["start"]
                + sum(result["increase"].values())
                - sum(result["decrease"].values())
                == result["end"]
            ), (root.code, start, end, result)
            assert result == naive_form1(naive, root, start, end), (root.code, start, end)
            reorganised += (
                result["increase"]["reorganised_in"] + result["decrease"]["reorganised_out"]
            )
    assert reorganised > 0  # the histories do move members by reorganisation


def test_form_json_shapes_and_drill_down(reg):
    member = factories.member(
        full_name="Lò Thị Hoa",
        gender="female",
        birth_date=date(1994, 3, 1),
        ethnicity="Thái",
        religion="Không",
        youth_union_date=date(2010, 3, 26),
        occupation_group="agriculture",
        general_education="upper_secondary",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 5, 19),
    )
    factories.member(
        full_name="Nguyễn Văn Nam",
        birth_date=date(1960, 1, 1),
        ethnicity="Kinh",
        religion="Công giáo",
        admitted_on=date(1975, 4, 30),
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2014, 1, 1),
        confirmed=date(2015, 1, 1),
    )
    form1 = _report("form1", "--org", "DU-03434", "--from", "2020-01-01", "--to", "2020-12-31")
    assert list(form1) == [
        "form",
        "organization",
        "from",
        "to",
        "start",
        "increase",
        "decrease",
        "of_which",
        "end",
    ]
    assert list(form1["increase"]) == INCREASE_KEYS and list(form1["decrease"]) == DECREASE_KEYS
    assert (form1["start"], form1["increase"]["admitted"], form1["end"]) == (1, 1, 2)

    form2 = _report("form2", "--org", "DU-03434", "--from", "2020-01-01", "--to", "2020-12-31")
    keys = [
        "form",
        "organization",
        "from",
        "to",
        "total",
        "women",
        "ethnic_minority",
        "religious",
        "youth_union",
        "age",
        "mean_age",
        "occupation",
        "general_education",
        "specialist_training",
        "academic_title",
        "political_theory",
        "admitted_era",
    ]
    assert list(form2) == keys
    assert form2["form"] == "2-BTCTW" and form2["total"] == 1 and form2["women"] == 1
    assert form2["age"]["18-30"] == 1 and form2["mean_age"] == 26.0
    assert form2["youth_union"] == 1 and form2["ethnic_minority"] == 1 and form2["religious"] == 0
    assert form2["occupation"]["agriculture"] == 1

    form3 = _report("form3", "--org", "DU-03434", "--as-of", "2020-12-31")
    assert list(form3) == [
        "form",
        "organization",
        "as_of",
        "total",
        "women",
        "probationary",
        *keys[6:],
    ]
    assert form3["total"] == 2 and form3["probationary"] == 1 and form3["religious"] == 1
    assert form3["age"]["56-60"] == 1 and form3["age"]["over_60"] == 0
    assert sum(form3["age"].values()) == 2
    assert form3["mean_age"] == 43.0
    assert form3["admitted_era"]["1954_07_21_to_1975_04_30"] == 1
    assert form3["admitted_era"]["from_1975_05_01"] == 1
    assert set(form3["occupation"]) == {c.value for c in official.BREAKDOWNS["occupation"][1]}

    figure = registry.get("form3")
    values = figure.parse({"as_of": "2020-12-31"})
    for path, number in figure.counted(form3):
        records = figure.drill(reg.commune_committee_a, path, **values)
        assert records.queryset.count() == number, path
    women = figure.drill(reg.commune_committee_a, "women", **values).queryset
    assert list(women) == [member]


def test_a_form_for_a_past_day_reads_the_values_of_that_day(reg):
    member = factories.member(
        general_education="lower_secondary",
        occupation_group="agriculture",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2014, 1, 1),
        confirmed=date(2015, 1, 1),
    )
    member_services.member_profile_change(
        acting_user=None,
        member=member,
        day=date(2019, 9, 1),
        field="general_education",
        value="upper_secondary",
    )
    member_services.member_profile_change(
        acting_user=None,
        member=member,
        day=date(2021, 1, 1),
        field="political_theory",
        value="elementary",
    )
    before = official.form3(reg.commune_committee_a, date(2018, 12, 31))
    after = official.form3(reg.commune_committee_a, date(2021, 12, 31))
    assert before["general_education"]["lower_secondary"] == 1
    assert before["general_education"]["upper_secondary"] == 0
    assert before["political_theory"]["elementary"] == 0
    assert after["general_education"]["upper_secondary"] == 1
    assert after["general_education"]["lower_secondary"] == 0
    assert after["political_theory"]["elementary"] == 1


@pytest.fixture
def small_registry(reg):
    """Members of both communes with ethnicities, religions, transfers, badges and cards."""
    s = member_services
    veteran = factories.member(
        full_name="Lò Thị Xuân",
        gender="female",
        birth_date=date(1955, 1, 1),
        ethnicity="Thái",
        religion="Phật giáo",
        admitted_on=date(1980, 1, 1),
    )
    s.member_join(
        acting_user=None,
        member=veteran,
        day=date(2014, 1, 1),
        organization=reg.cell_a,
        place=reg.village_a,
    )
    s.member_procedure_record(
        acting_user=None, member=veteran, day=date(2024, 2, 3), kind="badge", badge_years=40
    )
    plain = factories.member(
        ethnicity="Kinh",
        religion="Không",
        organization=reg.cell_b,
        place=reg.village_b,
        admitted=date(2016, 1, 1),
        confirmed=date(2017, 1, 1),
    )
    s.member_procedure_record(
        acting_user=None, member=plain, day=date(2024, 5, 1), kind="card", number="012345"
    )
    s.member_procedure_record(
        acting_user=None, member=plain, day=date(2023, 5, 1), kind="card", number="012300"
    )
    plain.refresh_from_db()
    assert plain.party_card_number == "012345"  # the newest card's, not the one entered last
    mover = factories.member(
        gender="female",
        ethnicity="Hà Nhì",
        religion="Công giáo",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2018, 1, 1),
        confirmed=date(2019, 1, 1),
    )
    s.member_move(
        acting_user=None,
        member=mover,
        day=date(2024, 6, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    s.member_procedure_record(
        acting_user=None, member=mover, day=date(2024, 3, 1), kind="card", number="0777"
    )
    leaver = factories.member(
        ethnicity="Mường",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2019, 1, 1),
        confirmed=date(2020, 1, 1),
    )
    s.member_leave(acting_user=None, member=leaver, day=date(2024, 8, 1), reason="transferred_out")
    arrival = factories.member(ethnicity="Tay cũ", religion="Tin Lành", birth_date=date(1980, 1, 1))
    s.member_join(
        acting_user=None,
        member=arrival,
        day=date(2024, 3, 1),
        organization=reg.cell_b,
        place=reg.village_b,
    )
    factories.member(ethnicity="Dao", organization=reg.cell_b, place=reg.village_b)  # no history
    # 5-BTCTW: commune A is a "Xã" from 2024, commune B has no type, an enterprise cell
    organization_services.organization_change(
        acting_user=None,
        organization=reg.commune_committee_a,
        day=date(2024, 1, 1),
        unit_type="commune",
    )
    enterprise = organization_services.organization_found(
        acting_user=None,
        code="CB-DN",
        name="Chi bộ Công ty Thủy điện",
        kind="grassroots_cell",
        place=reg.commune_b,
        parent=reg.committee,
        valid_from=date(2015, 1, 1),
        unit_type="state_enterprise",
    )
    factories.member(organization=enterprise, place=reg.commune_b, admitted=date(2020, 1, 1))
    return reg


def naive_form4(naive: Naive, root, day: date) -> dict:
    groups: dict[str, dict[str, int]] = {}

    def count(key: str, member) -> None:
        pair = groups.setdefault(key, {"total": 0, "women": 0})
        pair["total"] += 1
        pair["women"] += member.gender == "female"

    for m, s in naive.states(day):
        if not naive.in_subtree(s.organization_id, root.pk, day):
            continue
        count("", m)
        if m.ethnicity:
            listed = m.ethnicity in profile.ETHNICITY_CHOICES
            count(f"ethnicity.{m.ethnicity if listed else 'other'}", m)
            if m.ethnicity != "Kinh":
                count("ethnic_minority", m)
        if m.religion and m.religion != "Không":
            count("religious", m)
            count(f"religion.{m.religion}", m)
    empty = {"total": 0, "women": 0}
    return {
        "form": "4-BTCTW",
        "organization": root.code,
        "as_of": day.isoformat(),
        **groups.get("", empty),
        "ethnic_minority": groups.get("ethnic_minority", empty),
        "ethnicity": {
            e: groups.get(f"ethnicity.{e}", empty) for e in (*profile.ETHNICITY_CHOICES, "other")
        },
        "religious": groups.get("religious", empty),
        "religion": {
            k.split(".", 1)[1]: v for k, v in sorted(groups.items()) if k.startswith("religion.")
        },
    }


def naive_form7(naive: Naive, root, start: date, end: date) -> dict:
    badges = {str(y): 0 for y in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)}
    cards = 0
    for p in MemberProcedure.objects.all():
        state = state_on(naive.facts.get(p.member_id, []), p.date)
        inside = state.status and naive.in_subtree(state.organization_id, root.pk, p.date)
        if start <= p.date <= end and inside:
            if p.kind == "badge":
                badges[str(p.badge_years)] += 1
            else:
                cards += 1
    form1 = naive_form1(naive, root, start, end)
    return {
        "form": "7-BTCTW",
        "organization": root.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "badges": badges,
        "cards": cards,
        "transfers": {
            "transferred_in": form1["increase"]["transferred_in"],
            "transferred_out": form1["decrease"]["transferred_out"],
        },
    }


def naive_form5(naive: Naive, root, day: date) -> dict:
    def version(pk):
        return naive.version_on(naive.org_versions, pk, day)

    def owner(pk):
        """The nearest grassroots organisation at or above ``pk`` on ``day``."""
        current = pk
        while current is not None and (v := version(current)) is not None:
            if v.kind in ("grassroots_committee", "grassroots_cell"):
                return current
            current = v.parent_id
        return None

    keys = ("grassroots_committees", "grassroots_cells", "cells", "members")
    units = [*UnitType.values, "unspecified"]
    by_unit = {u: dict.fromkeys(keys, 0) for u in units}

    def unit_of(pk):
        return version(pk).unit_type or "unspecified"

    for pk in naive.org_versions:
        v = version(pk)
        if v is None:
            continue
        g = owner(pk)
        if g is None or not naive.in_subtree(g, root.pk, day):
            continue
        if g == pk:
            key = (
                "grassroots_committees" if v.kind == "grassroots_committee" else "grassroots_cells"
            )
            by_unit[unit_of(g)][key] += 1
        elif v.kind == "cell":
            by_unit[unit_of(g)]["cells"] += 1
    for _m, state in naive.states(day):
        g = owner(state.organization_id)
        if g is not None and naive.in_subtree(g, root.pk, day):
            by_unit[unit_of(g)]["members"] += 1
    return {
        "form": "5-BTCTW",
        "organization": root.code,
        "as_of": day.isoformat(),
        **{k: sum(numbers[k] for numbers in by_unit.values()) for k in keys},
        "by_unit_type": by_unit,
    }


NAIVE = {
    "form4": lambda naive, root, period: naive_form4(naive, root, period[1]),
    "form5": lambda naive, root, period: naive_form5(naive, root, period[1]),
    "form7": lambda naive, root, period: naive_form7(naive, root, *period),
}
PERIODS = [(date(2024, 1, 1), date(2024, 12, 31)), (date(2023, 1, 1), date(2024, 5, 31))]


@pytest.mark.parametrize("name", list(NAIVE))
def test_forms_match_a_naive_recomputation_and_drill_down(small_registry, name):
    reg = small_registry
    naive = Naive()
    figure = registry.get(name)
    nonzero = set()
    for root in (
        reg.province_committee,
        reg.commune_committee_a,
        reg.commune_committee_b,
        reg.cell_a,
    ):
        for start, end in PERIODS:
            raw = {"as_of": end.isoformat(), "from": start.isoformat(), "to": end.isoformat()}
            values = figure.parse(raw)
            result = figure.compute(organization=root, **values)
            assert result == NAIVE[name](naive, root, (start, end)), (root.code, start, end)
            for path, number in figure.counted(result):
                if number:
                    nonzero.add(path)
                    records = figure.drill(root, path, **values)
                    assert records.queryset.count() == number, (root.code, path)
    # the command line prints the same object (INTERCHANGE.md: ``--as-of`` or ``--from/--to``)
    dates = (
        ["--as-of", "2024-12-31"]
        if name != "form7"
        else ["--from", "2024-01-01", "--to", "2024-12-31"]
    )
    printed = _report(name, "--org", reg.province_committee.code, *dates)
    assert printed == NAIVE[name](naive, reg.province_committee, PERIODS[0])
    # the registry exercises every kind of number of the form
    expected = {
        "form4": {"women", "ethnicity.other.total", "religion.Tin Lành.total", "religious.women"},
        "form5": {
            "by_unit_type.commune.cells",
            "by_unit_type.commune.members",
            "by_unit_type.unspecified.grassroots_committees",
            "by_unit_type.state_enterprise.grassroots_cells",
            "by_unit_type.state_enterprise.members",
        },
        "form7": {"badges.40", "cards", "transfers.transferred_in", "transfers.transferred_out"},
    }[name]
    assert expected <= nonzero, expected - nonzero
