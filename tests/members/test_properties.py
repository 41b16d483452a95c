"""Property: random event histories recorded through members.services give the spans that a
deliberately plain replay gives (Hypothesis).

Histories are drawn by walking the state machine: admitted/joined from "not a member"; confirmed
from probationary; moved; exempted/exemption_ended; left with a reason; readmission after left.
Now and then an event is backdated, or names an organisation that does not exist yet, or a move
that changes nothing: the plain replay below then says whether the whole history still fits, and
the service must accept exactly the histories that fit and refuse the others, changing nothing.
"""

from contextlib import contextmanager
from datetime import date, timedelta

from auditlog.models import LogEntry
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.errors import RuleError
from grassroots.core.temporal import valid_on
from grassroots.members.models import MemberEvent, MembershipSpan
from grassroots.members.services import (
    member_admit,
    member_confirm,
    member_end_exemption,
    member_exempt,
    member_join,
    member_leave,
    member_move,
)
from tests import factories

BASE = date(2000, 1, 1)
LATE_ORG_FROM = date(2008, 1, 1)  # the third organisation exists only from this day
REASONS = ["transferred_out", "died", "removed", "expelled", "resigned", "not_confirmed"]


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Unfit(Exception):
    pass


def plain_history(events, org_from):
    """[(date, state)] after each event in (date, insertion) order; raises Unfit when an event
    does not fit. A state is None (not a member) or (status, org, place, exempted)."""
    state = None
    history = []
    dead = False
    for e in sorted(events, key=lambda e: (e["date"], e["seq"])):
        kind, org, place = e["kind"], e["org"], e["place"]
        if dead:
            raise Unfit("death is final")
        if org is not None and org_from[org] > e["date"]:
            raise Unfit("organisation not valid")
        if kind in ("admitted", "joined_official", "joined_probationary"):
            if state is not None or org is None or place is None:
                raise Unfit(kind)
            status = "official" if kind == "joined_official" else "probationary"
            state = (status, org, place, False)
        elif state is None:
            raise Unfit("not a member")
        elif kind == "confirmed":
            if state[0] != "probationary":
                raise Unfit(kind)
            state = ("official", state[1], state[2], state[3])
        elif kind == "moved":
            new = (state[0], org or state[1], place or state[2], state[3])
            if new == state:
                raise Unfit(kind)
            state = new
        elif kind == "exempted":
            if state[3]:
                raise Unfit(kind)
            state = (state[0], state[1], state[2], True)
        elif kind == "exemption_ended":
            if not state[3]:
                raise Unfit(kind)
            state = (state[0], state[1], state[2], False)
        elif kind == "left":
            if e["reason"] not in REASONS:
                raise Unfit(kind)
            if e["reason"] == "not_confirmed" and state[0] != "probationary":
                raise Unfit(kind)
            state = None
            dead = e["reason"] == "died"
        history.append((e["date"], state))
    return history


def plain_state_on(history, day):
    current = None
    for d, state in history:
        if d > day:
            break
        current = state
    return current


def counts():
    return MemberEvent.objects.count(), MembershipSpan.objects.count(), LogEntry.objects.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_spans_equal_a_plain_replay_of_random_histories(db, data):
    with rolled_back():
        start = date(1990, 1, 1)
        prov = factories.place(name="Tỉnh", kind="commune", valid_from=start)
        places = [
            factories.place(name=f"Bản {i}", kind="village", parent=prov, valid_from=start)
            for i in range(2)
        ]
        top = factories.org(
            name="Đảng bộ", kind="grassroots_committee", place=prov, valid_from=start
        )
        orgs = [
            factories.org(
                name=f"Chi bộ {i}", kind="cell", place=places[0], parent=top, valid_from=start
            )
            for i in range(2)
        ]
        orgs.append(
            factories.org(
                name="Chi bộ mới",
                kind="cell",
                place=places[1],
                parent=top,
                valid_from=LATE_ORG_FROM,
            )
        )
        org_from = {o.pk: (LATE_ORG_FROM if i == 2 else start) for i, o in enumerate(orgs)}
        member = factories.member(birth_date=date(1975, 5, 5))

        accepted: list[dict] = []
        seq = 0
        last_day = BASE
        for i in range(data.draw(st.integers(1, 12), label="events")):
            if accepted and data.draw(st.integers(0, 4), label=f"backdate {i}") == 0:
                day = BASE + timedelta(days=data.draw(st.integers(0, (last_day - BASE).days)))
            else:
                day = last_day + timedelta(days=data.draw(st.integers(0, 500), label=f"gap {i}"))
            history = plain_history(accepted, org_from)
            current = plain_state_on(history, day)
            if current is None:
                kind = data.draw(
                    st.sampled_from(["admitted", "joined_official", "joined_probationary"])
                )
            else:
                kinds = ["moved", "left", "exemption_ended" if current[3] else "exempted"]
                if current[0] == "probationary":
                    kinds.append("confirmed")
                kind = data.draw(st.sampled_from(kinds), label=f"kind {i}")
            org = place = None
            reason = ""
            if kind in ("admitted", "joined_official", "joined_probationary"):
                org = data.draw(st.sampled_from(orgs))
                place = data.draw(st.sampled_from(places))
            elif kind == "moved":
                org = data.draw(st.sampled_from([None, *orgs]))
                place = data.draw(st.sampled_from([None, *places]))
            elif kind == "left":
                choices = REASONS if current[0] == "probationary" else REASONS[:-1]
                reason = data.draw(st.sampled_from(choices))
            event = {
                "date": day,
                "kind": kind,
                "org": org.pk if org else None,
                "place": place.pk if place else None,
                "reason": reason,
                "seq": seq,
            }
            seq += 1
            try:
                plain_history([*accepted, event], org_from)
                fits = True
            except Unfit:
                fits = False

            before = counts()
            try:
                if kind == "admitted":
                    member_admit(
                        acting_user=None, member=member, day=day, organization=org, place=place
                    )
                elif kind.startswith("joined"):
                    member_join(
                        acting_user=None,
                        member=member,
                        day=day,
                        organization=org,
                        place=place,
                        official=kind == "joined_official",
                    )
                elif kind == "confirmed":
                    member_confirm(acting_user=None, member=member, day=day)
                elif kind == "moved":
                    member_move(
                        acting_user=None, member=member, day=day, organization=org, place=place
                    )
                elif kind == "exempted":
                    member_exempt(acting_user=None, member=member, day=day)
                elif kind == "exemption_ended":
                    member_end_exemption(acting_user=None, member=member, day=day)
                else:
                    member_leave(acting_user=None, member=member, day=day, reason=reason)
            except RuleError as exc:
                assert not fits, f"refused an event that fits: {event} ({exc})"
                assert counts() == before
                continue
            assert fits, f"accepted an event that does not fit: {event}"
            accepted.append(event)
            last_day = max(last_day, day)

        history = plain_history(accepted, org_from)
        event_days = {e["date"] for e in accepted}
        days = event_days | {d - timedelta(days=1) for d in event_days}
        days |= {
            BASE + timedelta(days=data.draw(st.integers(0, 7000), label="day")) for _ in range(5)
        }
        spans = list(member.spans.order_by("valid_from"))
        for d in sorted(days):
            on_day = [s for s in spans if s.is_valid_on(d)]
            assert len(on_day) <= 1, f"overlapping spans on {d}"
            got = (
                (
                    on_day[0].status,
                    on_day[0].organization_id,
                    on_day[0].place_id,
                    on_day[0].exempted,
                )
                if on_day
                else None
            )
            assert got == plain_state_on(history, d), d
            assert member.spans.filter(valid_on(d)).count() == len(on_day)
        # spans are maximal: two touching spans never carry the same state
        for a, b in zip(spans, spans[1:], strict=False):
            if a.valid_to == b.valid_from:
                assert (a.status, a.organization_id, a.place_id, a.exempted) != (
                    b.status,
                    b.organization_id,
                    b.place_id,
                    b.exempted,
                )
