"""Rebuilding a closure table after a bulk import, without a model instance per row.

The same computation as :func:`grassroots.core.hierarchy.rebuild_closure` (its
:func:`~grassroots.core.hierarchy.compute_closure` and
:func:`~grassroots.core.hierarchy.descendants_ever`), but the rows are streamed to the database
with the importer's bulk insert (``COPY`` on PostgreSQL) instead of ``bulk_create`` of model
instances: a national registry has millions of closure rows, and an instance each cost
gigabytes and minutes. When the import touches many nodes, the whole closure is recomputed from
the versions (the result is the same: the closure is a function of the versions), which avoids
queries with hundreds of thousands of parameters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from grassroots.core.hierarchy import Hierarchy, compute_closure, descendants_ever

#: Above this many touched nodes the whole closure is recomputed.
WHOLE = 5000
#: Nodes computed together.
BATCH = 20_000


def rebuild_closure_bulk(hierarchy: Hierarchy, node_ids: set[int], insert: Callable) -> int:
    """Recompute the closure rows of ``node_ids`` and all their descendants; returns the number
    of rows written. Raises :class:`~grassroots.core.hierarchy.CycleError` on a cycle.
    ``insert(model, fields, rows)`` writes rows (the importer's ``_insert``)."""
    vmodel, cmodel = hierarchy.version_model, hierarchy.closure_model
    node_col, parent_col = f"{hierarchy.node_field}_id", f"{hierarchy.parent_field}_id"
    whole = len(node_ids) > WHOLE
    if not whole:
        affected = descendants_ever(hierarchy, set(node_ids))
        whole = len(affected) > WHOLE  # (a re-parented province: most of the table anyway)
    if whole:
        version_qs = vmodel.objects.all()
    else:
        version_qs = vmodel.objects.filter(**{f"{node_col}__in": affected})
    versions: dict[int, list] = defaultdict(list)
    days: dict = {None: None}  # one object per distinct day
    for node, parent, start, end in version_qs.values_list(
        node_col, parent_col, "valid_from", "valid_to"
    ).iterator(chunk_size=5000):
        versions[node].append((parent, days.setdefault(start, start), days.setdefault(end, end)))
    del days
    if whole:
        affected = set(versions)
    outside = {p for vs in versions.values() for p, _, _ in vs if p is not None} - affected
    known: dict[int, list] = defaultdict(list)
    if outside:
        for anc, desc, depth, start, end in cmodel.objects.filter(
            descendant_id__in=outside
        ).values_list("ancestor_id", "descendant_id", "depth", "valid_from", "valid_to"):
            known[desc].append((anc, depth, start, end))
    # Level by level from the roots (a node after every parent it ever had), in batches: the
    # rows of a batch are computed with its parents' rows given as known (as the rows of
    # parents outside the rebuilt nodes are), and only the rows of nodes that are parents are
    # kept. The computation never holds the closure of the whole country with every date
    # window. Nodes left over by links that form a cycle at different times are computed
    # together at the end, by the same function (which refuses a cycle on some day).
    parents = {p for vs in versions.values() for p, _, _ in vs if p is not None}

    def levels() -> list[list[int]]:
        above = {}
        for node, vs in versions.items():
            linked = {p for p, _, _ in vs if p in versions}
            if linked:
                above[node] = tuple(linked)
        result, done = [], set()
        remaining = sorted(versions)
        while remaining:
            ready = [n for n in remaining if all(p in done for p in above.get(n, ()))]
            if not ready:
                result.append(remaining)  # links that form a cycle at different times
                break
            result.append(ready)
            done.update(ready)
            remaining = [n for n in remaining if n not in done]
        return result

    def batches():
        for level in levels():
            for start in range(0, len(level), BATCH):
                yield level[start : start + BATCH]

    def rows():
        for batch in batches():
            closure = compute_closure({node: versions[node] for node in batch}, known)
            for node, node_rows in closure.items():
                if node in parents:
                    known[node] = node_rows
                for anc, depth, start, end in node_rows:
                    yield anc, node, depth, start.isoformat(), end.isoformat() if end else None

    if whole:
        cmodel.objects.all().delete()
    else:
        cmodel.objects.filter(descendant_id__in=affected).delete()
    return insert(cmodel, ("ancestor", "descendant", "depth", "valid_from", "valid_to"), rows())
