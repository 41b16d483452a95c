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
    """
    known = dict(known or {})
    result: dict[int, list[Row]] = {}
    visiting: set[int] = set()

    def rows_of(node: int) -> list[Row]:
        if node in result:
            return result[node]
        if node not in versions:
            return known.get(node, [])
        if node in visiting:
            raise CycleError(node)
        visiting.add(node)
        rows: list[Row] = []
        for parent, start, end in versions[node]:
            rows.append((node, 0, start, end))
            if parent is None:
                continue
            for ancestor, depth, p_start, p_end in rows_of(parent):
                if ancestor == node:
                    raise CycleError(node)
                span = intersect(start, end, p_start, p_end)
                if span:
                    rows.append((ancestor, depth + 1, span[0], span[1]))
        visiting.discard(node)
        result[node] = _coalesce(rows)
        return result[node]

    for node in versions:
        rows_of(node)
    return result


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
