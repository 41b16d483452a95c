"""Closure tables with validity, maintained from versioned parent links.

A hierarchy is described by its version model (rows ``node, parent, valid_from, valid_to``) and its
closure model (rows ``ancestor, descendant, depth, valid_from, valid_to``). Whenever versions of
some nodes change, :func:`rebuild_closure` recomputes the closure rows of those nodes and of every
node that was ever below them, in the caller's transaction.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

from django.db import models

from grassroots.core.temporal import OPEN_END, intersect


@dataclass(frozen=True)
class Hierarchy:
    """Where a hierarchy's data lives: version model + field names, closure model."""

    version_model: type[models.Model]
    node_field: str  # e.g. "place" on PlaceVersion
    parent_field: str  # e.g. "parent" on PlaceVersion
    closure_model: type[models.Model]


class CycleError(ValueError):
    """A node would become its own ancestor."""


Row = tuple[int, int, date, date | None]  # ancestor, depth, valid_from, valid_to
Version = tuple[int | None, date, date | None]  # parent, valid_from, valid_to
#: One row written to a closure table: ancestor, descendant, depth, valid_from, valid_to.
ClosureRow = tuple[int, int, int, date, date | None]

#: Called around every rewrite of closure rows, as ``listener(closure_model, affected)`` (the
#: descendants whose rows are rewritten; None: the whole table); each returns a context manager
#: entered before the old rows are deleted and left after the new ones are written, in the same
#: transaction. Upper apps keep what they derive from a closure table current this way (the
#: members' subtree tallies).
Listener = Callable[[type[models.Model], set[int] | None], AbstractContextManager[None]]
REWRITE_LISTENERS: list[Listener] = []
#: ``insert(model, fields, rows)``: writes closure rows, returns how many.
Insert = Callable[[type[models.Model], tuple[str, ...], Iterator[ClosureRow]], int]


def _coalesce(rows: list[Row]) -> list[Row]:
    """Merge touching or overlapping intervals of the same (ancestor, depth)."""
    by_key: dict[tuple[int, int], list[tuple[date, date]]] = defaultdict(list)
    for ancestor, depth, start, end in rows:
        by_key[(ancestor, depth)].append((start, end or OPEN_END))
    merged: list[Row] = []
    for (ancestor, depth), intervals in by_key.items():
        intervals.sort()
        cur_start, cur_end = intervals[0]
        for start, end in intervals[1:]:
            if start <= cur_end:
                cur_end = max(cur_end, end)
            else:
                merged.append(
                    (ancestor, depth, cur_start, None if cur_end == OPEN_END else cur_end)
                )
                cur_start, cur_end = start, end
        merged.append((ancestor, depth, cur_start, None if cur_end == OPEN_END else cur_end))
    return merged


def compute_closure(
    versions: dict[int, list[Version]],
    known: dict[int, list[Row]] | None = None,
) -> dict[int, list[Row]]:
    """Closure rows for every node in ``versions`` (node → [(parent, from, to)]).

    ``known`` holds the already-correct closure rows of parents outside ``versions``. Pure
    function: the property tests compare it with walking parents version by version.

    A parent's rows are computed only over the interval during which the child's version points
    at it, so links that would form a cycle at *different* times (A above B until 2020, B above
    A after) are accepted; a cycle on some day raises :class:`CycleError`.
    """
    known = dict(known or {})
    memo: dict[tuple[int, date, date], list[Row]] = {}
    visiting: set[int] = set()
    extent = {
        node: (min(s for _, s, _ in vs), max(e or OPEN_END for _, _, e in vs))
        for node, vs in versions.items()
        if vs
    }

    def clip(rows: list[Row], lo: date, hi: date) -> list[Row]:
        out = []
        for ancestor, depth, start, end in rows:
            span = intersect(start, end, lo, hi)
            if span:
                out.append((ancestor, depth, span[0], span[1]))
        return out

    def rows_of(node: int, lo: date, hi: date) -> list[Row]:
        """The node's rows clipped to ``[lo, hi)`` (``hi`` OPEN_END for open)."""
        if node not in versions:
            return clip(known.get(node, []), lo, hi)
        if node not in extent:
            return []
        lo, hi = max(lo, extent[node][0]), min(hi, extent[node][1])
        if lo >= hi:
            return []
        key = (node, lo, hi)
        if key in memo:
            return memo[key]
        if node in visiting:
            # reached again through links all valid during [lo, hi): a cycle on those days
            raise CycleError(node)
        visiting.add(node)
        rows: list[Row] = []
        for parent, start, end in versions[node]:
            own = intersect(start, end, lo, hi)
            if own is None:
                continue
            rows.append((node, 0, own[0], own[1]))
            if parent is None:
                continue
            for ancestor, depth, p_start, p_end in rows_of(parent, own[0], own[1] or OPEN_END):
                if ancestor == node:
                    raise CycleError(node)
                rows.append((ancestor, depth + 1, p_start, p_end))
        visiting.discard(node)
        memo[key] = _coalesce(rows)
        return memo[key]

    return {node: rows_of(node, date.min, OPEN_END) for node in versions}


def descendants_ever(hierarchy: Hierarchy, node_ids: set[int]) -> set[int]:
    """The given nodes and every node that had one of them as an ancestor at any time, read
    from the versions (the truth), not from a possibly stale closure."""
    model = hierarchy.version_model
    found = set(node_ids)
    frontier = set(node_ids)
    while frontier:
        children = set(
            model._default_manager.filter(
                **{f"{hierarchy.parent_field}_id__in": frontier}
            ).values_list(f"{hierarchy.node_field}_id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


#: Above this many affected nodes the whole closure is recomputed from the versions (the result
#: is the same: the closure is a function of the versions), which avoids queries with hundreds
#: of thousands of parameters.
WHOLE = 5000
#: Nodes computed together: the closure of a whole country is never held at once.
BATCH = 20_000
CLOSURE_FIELDS = ("ancestor", "descendant", "depth", "valid_from", "valid_to")


def rebuild_closure(
    hierarchy: Hierarchy, node_ids: set[int] | None = None, insert: Insert | None = None
) -> int:
    """Recompute the closure rows of ``node_ids`` and all their descendants (all nodes when
    None). Returns the number of rows written. Raises :class:`CycleError` on a cycle.

    ``insert(model, fields, rows)`` writes the rows (``CLOSURE_FIELDS`` values, dates as
    dates) and returns how many it wrote; by default model instances in batches. The bulk
    import passes its own (``COPY`` on PostgreSQL)."""
    vmodel, cmodel = hierarchy.version_model, hierarchy.closure_model
    node_col, parent_col = f"{hierarchy.node_field}_id", f"{hierarchy.parent_field}_id"
    whole = node_ids is None or len(node_ids) > WHOLE
    affected: set[int] = set()
    if node_ids is not None and not whole:
        affected = descendants_ever(hierarchy, set(node_ids))
        whole = len(affected) > WHOLE  # (a re-parented province: most of the table anyway)
    if whole:
        version_qs = vmodel._default_manager.all()
    else:
        version_qs = vmodel._default_manager.filter(**{f"{node_col}__in": affected})
    versions: dict[int, list[Version]] = defaultdict(list)
    days: dict[Any, Any] = {None: None}  # one object per distinct day
    for node, parent, start, end in version_qs.values_list(
        node_col, parent_col, "valid_from", "valid_to"
    ).iterator(chunk_size=5000):
        versions[node].append((parent, days.setdefault(start, start), days.setdefault(end, end)))
    del days
    if whole:
        affected = set(versions)
    outside = {p for vs in versions.values() for p, _, _ in vs if p is not None} - affected
    known: dict[int, list[Row]] = defaultdict(list)
    if outside:
        for anc, desc, depth, start, end in cmodel._default_manager.filter(
            descendant_id__in=outside
        ).values_list("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"):
            known[desc].append((anc, depth, start, end))
    parents = {p for vs in versions.values() for p, _, _ in vs if p is not None}

    def rows() -> Iterator[ClosureRow]:
        # Level by level from the roots (a node after every parent it ever had), in batches:
        # a batch is computed with its parents' rows given as known (as the rows of parents
        # outside the rebuilt nodes are), and only the rows of nodes that are parents are
        # kept. Nodes left over by links that form a cycle at different times are computed
        # together at the end, by the same function (which refuses a cycle on some day).
        for level in _levels(versions):
            for first in range(0, len(level), BATCH):
                batch = level[first : first + BATCH]
                closure = compute_closure({node: versions[node] for node in batch}, known)
                for node, node_rows in closure.items():
                    if node in parents:
                        known[node] = node_rows
                    for anc, depth, start, end in node_rows:
                        yield anc, node, depth, start, end

    with contextlib.ExitStack() as listeners:
        for listener in REWRITE_LISTENERS:
            listeners.enter_context(listener(cmodel, None if whole else affected))
        if whole:
            cmodel._default_manager.all().delete()
        else:
            cmodel._default_manager.filter(descendant_id__in=affected).delete()
        return (insert or _create)(cmodel, CLOSURE_FIELDS, rows())


def _levels(versions: dict[int, list[Version]]) -> list[list[int]]:
    """The nodes in levels: each after every parent it ever had among ``versions``; the nodes
    of links that form a cycle at different times, if any, in one last level."""
    above: dict[int, tuple[int, ...]] = {}
    for node, node_versions in versions.items():
        linked = {p for p, _, _ in node_versions if p in versions}
        if linked:
            above[node] = tuple(linked)
    result: list[list[int]] = []
    done: set[int] = set()
    remaining = sorted(versions)
    while remaining:
        ready = [n for n in remaining if all(p in done for p in above.get(n, ()))]
        if not ready:
            result.append(remaining)
            break
        result.append(ready)
        done.update(ready)
        remaining = [n for n in remaining if n not in done]
    return result


def _create(model: type[models.Model], fields: tuple[str, ...], rows: Iterator[ClosureRow]) -> int:
    count = 0
    columns = [f"{name}_id" if name in ("ancestor", "descendant") else name for name in fields]
    while batch := list(islice(rows, 5000)):
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in batch]
        )
        count += len(batch)
    return count
