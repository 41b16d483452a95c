"""Trees of a versioned hierarchy (places, organisations) for pages: the top levels loaded at
once, deeper levels on demand. One implementation for every hierarchy: the version model's
``parent_id`` names the parent node, ``key`` (``place_id``, ``organization_id``) the node."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Exists, F, Model, OuterRef, QuerySet, Subquery

from grassroots.core.temporal import valid_on

#: How many nodes a tree page renders at once; deeper levels are loaded on demand (htmx).
TREE_EAGER_NODES = 200


def with_has_children(versions: QuerySet[Any], day: date, key: str) -> QuerySet[Any]:
    """``versions`` (of one version model, valid on ``day``) annotated with ``has_children``
    (some version valid on ``day`` has the node as parent) and ``node_code`` (the node's code),
    in Vietnamese name order."""
    below = versions.model._default_manager.filter(valid_on(day), parent_id=OuterRef(key))
    node = key.removesuffix("_id")
    annotated: QuerySet[Any] = versions.annotate(
        has_children=Exists(below), node_code=F(f"{node}__code")
    )
    return annotated.order_by("name_folded", "name")


def tree_levels(
    roots: list[Any], children_of: Callable[[list[int]], QuerySet[Any]], key: str
) -> list[Any]:
    """Load the top of a tree for a page: ``roots`` and then, level by level, their children
    while the page stays under :data:`TREE_EAGER_NODES` nodes.

    ``roots`` and the rows of ``children_of(parent ids)`` are versions annotated with
    ``has_children``; ``key`` names the node id on a version (``place_id``). Each version gets
    ``children``, the versions loaded below it: empty when they are left for the page to load
    on demand (it offers that when ``has_children``)."""
    for version in roots:
        version.children = []
    total, level = len(roots), roots
    while level:
        parents = [v for v in level if v.has_children]
        if not parents:
            break
        room = TREE_EAGER_NODES - total
        children = list(children_of([getattr(v, key) for v in parents])[: room + 1])
        if len(children) > room:
            break
        by_parent: defaultdict[int, list[Any]] = defaultdict(list)
        for child in children:
            child.children = []
            by_parent[child.parent_id].append(child)
        for version in parents:
            version.children = by_parent[getattr(version, key)]
        total, level = total + len(children), children
    return roots


# --- History and lineage of a versioned hierarchy ----------------------------------------------


def name_on(version_model: type[Model], key: str, field: str, day_field: str) -> Subquery:
    """Annotation: the name of the node in ``field`` on the date in ``day_field`` (both names of
    the outer row), e.g. a version's parent when the version began. ``key`` names the node on
    ``version_model`` (``place_id``)."""
    day: Any = OuterRef(day_field)  # valid_on builds the same lookups on an outer date
    names = version_model._default_manager.filter(valid_on(day), **{key: OuterRef(field)})
    return Subquery(names.values("name")[:1])


def latest_name(version_model: type[Model], key: str, field: str) -> Subquery:
    """Annotation: the latest name of the node in ``field`` of the outer row."""
    names = version_model._default_manager.filter(**{key: OuterRef(field)}).order_by("-valid_from")
    return Subquery(names.values("name")[:1])


def lineage(
    node: Any, version_model: type[Model], name: str
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    """Where ``node``'s lineage rows (``lineage_in``/``lineage_out``, fields ``from_<name>`` and
    ``to_<name>``) came from and went to: ``(incoming, outgoing)``, each row with
    ``other_code`` and ``other_name`` (the other node's latest name)."""
    key = f"{name}_id"
    incoming = node.lineage_in.exclude(**{f"from_{name}": node}).annotate(
        other_code=F(f"from_{name}__code"),
        other_name=latest_name(version_model, key, f"from_{name}_id"),
    )
    outgoing = node.lineage_out.exclude(**{f"to_{name}": node}).annotate(
        other_code=F(f"to_{name}__code"),
        other_name=latest_name(version_model, key, f"to_{name}_id"),
    )
    return incoming, outgoing
