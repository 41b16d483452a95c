"""Closure tables with validity, maintained from versioned parent links.

A hierarchy is described by its version model (rows ``node, parent, valid_from, valid_to``) and its
closure model (rows ``ancestor, descendant, depth, valid_from, valid_to``). Whenever versions of
some nodes change, :func:`rebuild_closure` recomputes the closure rows of those nodes and of every
node that was ever below them, in the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

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
    versions: dict[int, list[tuple[int | None, date, date | None]]],
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
            model.objects.filter(**{f"{hierarchy.parent_field}_id__in": frontier}).values_list(
                f"{hierarchy.node_field}_id", flat=True
            )
        )
        frontier = children - found
        found |= frontier
    return found


def rebuild_closure(hierarchy: Hierarchy, node_ids: set[int] | None = None) -> int:
    """Recompute the closure rows of ``node_ids`` and all their descendants (all nodes when
    None). Returns the number of rows written. Raises :class:`CycleError` on a cycle."""
    vmodel, cmodel = hierarchy.version_model, hierarchy.closure_model
    node_col, parent_col = f"{hierarchy.node_field}_id", f"{hierarchy.parent_field}_id"
    if node_ids is None:
        affected = set(vmodel.objects.values_list(node_col, flat=True))
        version_qs = vmodel.objects.all()
    else:
        affected = descendants_ever(hierarchy, set(node_ids))
        version_qs = vmodel.objects.filter(**{f"{node_col}__in": affected})
    versions: dict[int, list] = defaultdict(list)
    for node, parent, start, end in version_qs.values_list(
        node_col, parent_col, "valid_from", "valid_to"
    ).iterator(chunk_size=5000):
        versions[node].append((parent, start, end))
    outside_parents = {p for vs in versions.values() for p, _, _ in vs if p is not None} - affected
    known: dict[int, list[Row]] = defaultdict(list)
    if outside_parents:
        for anc, desc, depth, start, end in cmodel.objects.filter(
            descendant_id__in=outside_parents
        ).values_list("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"):
            known[desc].append((anc, depth, start, end))
    closure = compute_closure(dict(versions), known)

    if node_ids is None:
        cmodel.objects.all().delete()
    else:
        cmodel.objects.filter(descendant_id__in=affected).delete()
    objs = [
        cmodel(ancestor_id=anc, descendant_id=node, depth=depth, valid_from=start, valid_to=end)
        for node, rows in closure.items()
        for anc, depth, start, end in rows
    ]
    cmodel.objects.bulk_create(objs, batch_size=5000)
    return len(objs)
