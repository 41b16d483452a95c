"""core.hierarchy.compute_closure as a pure function, against walking parents day by day.

The oracle is deliberately plain: on a day D, a node exists when one of its versions is valid on
D; its ancestors are found by following the parent of the version valid on D, one step at a
time, until a root or a parent that does not exist on D. A cycle on some day must be refused
(CycleError); a "cycle" whose links are never valid on the same day is not a cycle.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core.hierarchy import CycleError, _coalesce, compute_closure
from grassroots.core.temporal import is_valid_on

BASE = date(2020, 1, 1)
HORIZON = 24  # days 0..HORIZON-1 carry changes; the oracle looks one day past them


def day(n: int) -> date:
    return BASE + timedelta(days=n)


@st.composite
def version_sets(draw, max_nodes=6):
    """node -> [(parent, valid_from, valid_to)], non-overlapping per node, gaps allowed."""
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    versions = {}
    for node in range(n):
        cuts = sorted(draw(st.sets(st.integers(0, HORIZON - 1), min_size=1, max_size=4)))
        open_end = draw(st.booleans())
        bounds = cuts + ([None] if open_end else [])
        if len(bounds) < 2:
            bounds.append(None)
        rows = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            if not draw(st.booleans()) and rows:  # a gap now and then
                continue
            parent = draw(
                st.one_of(st.none(), st.integers(0, n - 1).filter(lambda p, node=node: p != node))
            )
            rows.append((parent, day(start), None if end is None else day(end)))
        versions[node] = rows
    return versions


def parent_on(versions, node, d):
    for parent, start, end in versions.get(node, []):
        if is_valid_on(start, end, d):
            return parent, True
    return None, False


def walk(versions, node, d):
    """{(ancestor, depth)} of ``node`` on ``d`` (itself at depth 0); None when a cycle is met;
    empty when the node does not exist on ``d``."""
    _, exists = parent_on(versions, node, d)
    if not exists:
        return set()
    found = {(node, 0)}
    seen = {node}
    current, depth = node, 0
    while True:
        parent, _ = parent_on(versions, current, d)
        if parent is None:
            return found
        if not parent_on(versions, parent, d)[1]:
            return found  # the parent does not exist on d: the chain stops
        if parent in seen:
            return None
        depth += 1
        seen.add(parent)
        found.add((parent, depth))
        current = parent


def closure_on(rows, d):
    return {(anc, depth) for anc, depth, start, end in rows if is_valid_on(start, end, d)}


@settings(max_examples=300, deadline=None)
@given(version_sets())
def test_compute_closure_matches_walking_parents_day_by_day(versions):
    days = [day(n) for n in range(HORIZON + 1)]
    cyclic = any(walk(versions, node, d) is None for node in versions for d in days)
    if cyclic:
        with pytest.raises(CycleError):
            compute_closure(versions)
        return
    closure = compute_closure(versions)
    assert set(closure) == set(versions)
    for node in versions:
        for d in days:
            assert closure_on(closure[node], d) == walk(versions, node, d), (node, d)
        # rows are coalesced: no two rows of one (ancestor, depth) touch or overlap
        assert sorted(closure[node], key=str) == sorted(_coalesce(closure[node]), key=str)


@settings(max_examples=200, deadline=None)
@given(version_sets(max_nodes=5), st.data())
def test_known_rows_of_outside_parents_are_used(versions, data):
    """Closing over a part of the nodes with the rest given as ``known`` gives the same rows."""
    try:
        full = compute_closure(versions)
    except CycleError:
        return
    # the "outside" nodes: a set closed upwards (every parent of an outside node is outside)
    outside = set(data.draw(st.sets(st.sampled_from(sorted(versions)))))
    changed = True
    while changed:
        changed = False
        for node in list(outside):
            for parent, _, _ in versions[node]:
                if parent is not None and parent not in outside:
                    outside.add(parent)
                    changed = True
    inside = {n: v for n, v in versions.items() if n not in outside}
    known = {n: full[n] for n in outside}
    part = compute_closure(inside, known)
    for node in inside:
        assert sorted(part[node]) == sorted(full[node])


def test_cycle_on_one_day_is_refused():
    versions = {
        1: [(None, day(0), day(5)), (2, day(5), None)],
        2: [(1, day(0), None)],
    }
    with pytest.raises(CycleError):
        compute_closure(versions)


def test_links_that_form_a_cycle_at_different_times_are_not_a_cycle():
    """A above B until day 10, then B above A: a swap over time, never a cycle on one day."""
    versions = {
        1: [(None, day(0), day(10)), (2, day(10), None)],
        2: [(1, day(0), day(10)), (None, day(10), None)],
    }
    closure = compute_closure(versions)
    assert closure_on(closure[2], day(3)) == {(2, 0), (1, 1)}
    assert closure_on(closure[1], day(3)) == {(1, 0)}
    assert closure_on(closure[1], day(12)) == {(1, 0), (2, 1)}
    assert closure_on(closure[2], day(12)) == {(2, 0)}


def test_depth_and_interval_of_a_reparented_grandchild():
    versions = {
        1: [(None, day(0), None)],
        2: [(None, day(0), None)],
        3: [(1, day(0), day(4)), (2, day(4), None)],
        4: [(3, day(2), day(8))],
    }
    closure = compute_closure(versions)
    assert sorted(closure[4]) == [
        (1, 2, day(2), day(4)),
        (2, 2, day(4), day(8)),
        (3, 1, day(2), day(8)),
        (4, 0, day(2), day(8)),
    ]
