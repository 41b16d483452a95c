"""Writes to places. Each closes and opens versions, never rewrites them, and rebuilds the
closure rows of the affected subtree in the same transaction.

Scope (``core.scope``): an ``acting_user`` changes only places inside their scope's area today
(or on the day the change takes effect, when later), and the place is checked again after the
write; refused writes raise ``NotFound`` and roll back. ``acting_user=None``: internal."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from grassroots import policy
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.hierarchy import CycleError, Hierarchy, rebuild_closure
from grassroots.core.locking import check_not_stale
from grassroots.core.text import format_date, nfc
from grassroots.core.versioning import (
    change_from,
    check_children_kinds,
    check_new_object,
    check_parent_kind,
    check_parent_valid,
    child_kind,
    delete_created_by_mistake,
    end_on,
)
from grassroots.places.models import (
    LineageChange,
    Place,
    PlaceClosure,
    PlaceKind,
    PlaceLineage,
    PlaceVersion,
)

HIERARCHY = Hierarchy(PlaceVersion, "place", "parent", PlaceClosure)


def _rebuild(node_ids: set[int]) -> None:
    try:
        rebuild_closure(HIERARCHY, node_ids)
    except CycleError as exc:
        raise RuleError("Không thể đặt một địa bàn vào bên trong chính nó.", code="cycle") from exc


def _recheck(acting_user, place: Place, day: date, valid_to: date | None = None) -> None:
    """After a write: the place must still be the writer's (when it still exists then)."""
    if valid_to is None or valid_to > scope.change_day(day):
        scope.require(acting_user, place, scope.CHANGE, on=day)


def _check_parent(parent: Place | None, day: date) -> None:
    """The parent exists on the day (the organisations' rule and code). Unlike organisations, a
    place may outlive its parent for a while: administrative units are loaded with their future
    end (a commune merged on 1 July 2025) before their villages are moved."""
    check_parent_valid(parent, day, parent_label="Địa bàn cấp trên")


def check_place_kinds(kind: str, parent_kind: str | None) -> None:
    """A place of ``kind`` may lie in a parent of ``parent_kind`` (policy
    ``PLACE_PARENT_KINDS``); the import calls it too."""
    check_parent_kind(
        kind=kind,
        parent_kind=parent_kind,
        allowed=policy.get("PLACE_PARENT_KINDS"),
        labels=dict(PlaceKind.choices),
        noun="địa bàn",
    )


def _kind_on(place: Place | None, day: date) -> str | None:
    version = place.versions.valid_on(day).first() if place is not None else None
    return version.kind if version is not None else None


def natural_child_kind(parent_code: str | None, day: date) -> str:
    """The kind a child of ``parent_code`` most likely has on ``day`` (the default of the
    "Thêm … trực thuộc" form): the first kind the policy allows directly under the parent's."""
    parent = Place.objects.filter(code=parent_code).first() if parent_code else None
    return child_kind(
        _kind_on(parent, day), policy.get("PLACE_PARENT_KINDS"), list(PlaceKind.values)
    )


@transaction.atomic
def place_create(
    *,
    acting_user,
    code: str,
    name: str,
    kind: str,
    valid_from: date,
    parent: Place | None = None,
    valid_to: date | None = None,
    is_sample: bool = False,
) -> Place:
    """Create a place with its first version."""
    code = check_new_object(
        model=Place,
        code=code,
        kind=kind,
        kinds=PlaceKind.values,
        valid_from=valid_from,
        valid_to=valid_to,
        noun="địa bàn",
    )
    _check_parent(parent, valid_from)
    check_place_kinds(kind, _kind_on(parent, valid_from))
    if parent is not None:
        scope.require(acting_user, parent, scope.CHANGE, on=valid_from)
    place = Place.objects.create(code=code, is_sample=is_sample)
    PlaceVersion.objects.create(
        place=place,
        name=nfc(name),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=acting_user,
    )
    _rebuild({place.pk})
    _recheck(acting_user, place, valid_from, valid_to)
    return place


@transaction.atomic
def place_change(
    *,
    acting_user,
    place: Place,
    day: date,
    name: str | None = None,
    kind: str | None = None,
    parent: Place | None = None,
    clear_parent: bool = False,
    based_on: str | None = None,
) -> PlaceVersion:
    """From ``day`` on, the place has a new name, kind and/or parent. ``based_on``: the
    version the edit started from (``core.locking``; None: no check)."""
    scope.require(acting_user, place, scope.CHANGE, on=day)
    check_not_stale(place, based_on, what=f"Địa bàn {place.code}")
    changes: dict = {}
    if name is not None:
        changes["name"] = nfc(name)
    if kind is not None:
        if kind not in PlaceKind.values:
            raise RuleError(f"Loại địa bàn không hợp lệ: {kind}.", code="bad_kind")
        changes["kind"] = kind
    if parent is not None or clear_parent:
        _check_parent(parent, day)
        changes["parent_id"] = parent.pk if parent else None
    kinds_changed = kind is not None or parent is not None or clear_parent
    new_kind, new_parent = None, None
    if kinds_changed:
        current = place.versions.valid_on(day).first()
        new_kind = kind or (current.kind if current else None)
        new_parent = parent if parent is not None or clear_parent else None
        if new_parent is None and not clear_parent and current is not None:
            new_parent = current.parent
    version = change_from(
        versions=place.versions.all(),
        day=day,
        changes=changes,
        acting_user=acting_user,
        label=f"Địa bàn {place.code}",
    )
    if "parent_id" in changes:
        _rebuild({place.pk})
        _recheck(acting_user, place, day)
    if kinds_changed and new_kind is not None:  # after the cycle check, a clearer message
        check_place_kinds(new_kind, _kind_on(new_parent, day))
    if kind is not None:
        children = PlaceVersion.objects.filter(parent=place).overlapping(day, version.valid_to)
        check_children_kinds(children, kind, check_place_kinds)
    return version


def place_rename(*, acting_user, place: Place, name: str, day: date) -> PlaceVersion:
    """Rename from ``day``; lineage records the rename."""
    version = place_change(acting_user=acting_user, place=place, day=day, name=name)
    PlaceLineage.objects.get_or_create(
        date=day, from_place=place, to_place=place, change=LineageChange.RENAME
    )
    return version


def place_reparent(*, acting_user, place: Place, parent: Place | None, day: date) -> PlaceVersion:
    """From ``day`` the place lies in ``parent``."""
    return place_change(
        acting_user=acting_user, place=place, day=day, parent=parent, clear_parent=parent is None
    )


@transaction.atomic
def place_end(*, acting_user, place: Place, day: date) -> None:
    """The place no longer exists from ``day``. Refused while places still lie in it."""
    scope.require(acting_user, place, scope.CHANGE, on=day)
    children = PlaceVersion.objects.filter(parent=place).overlapping(day, None)
    if children.exists():
        names = ", ".join(sorted({v.name for v in children[:5]}))
        raise RuleError(
            f"Còn địa bàn trực thuộc sau ngày {format_date(day)}: {names}.", code="has_children"
        )
    end_on(versions=place.versions.all(), day=day, label=f"Địa bàn {place.code}", obj=place)
    _rebuild({place.pk})


@transaction.atomic
def place_merge(
    *, acting_user, places: list[Place], into: Place, day: date, note: str = ""
) -> Place:
    """Merge ``places`` into ``into`` on ``day``: their children move to ``into`` and they end."""
    if into in places:
        places = [p for p in places if p != into]
    if not places:
        raise RuleError("Chọn ít nhất một địa bàn để sáp nhập.", code="nothing_to_merge")
    if not into.versions.valid_on(day).exists():
        raise RuleError(
            f"Địa bàn nhận sáp nhập không có hiệu lực vào ngày {format_date(day)}.",
            code="not_valid",
        )
    for place in places:
        for child in _children_on(place, day):
            place_reparent(acting_user=acting_user, place=child, parent=into, day=day)
        place_end(acting_user=acting_user, place=place, day=day)
        PlaceLineage.objects.create(
            date=day, from_place=place, to_place=into, change=LineageChange.MERGE, note=note
        )
    return into


@transaction.atomic
def place_split(
    *,
    acting_user,
    place: Place,
    day: date,
    parts: list[dict],
    end_original: bool = True,
    note: str = "",
) -> list[Place]:
    """Split ``place`` on ``day`` into new places (``parts``: dicts with code, name and optional
    kind); each gets the original's parent. The original ends unless ``end_original`` is False."""
    current = place.versions.valid_on(day).first()
    if current is None:
        raise RuleError(
            f"Địa bàn {place.code} không có hiệu lực vào ngày {format_date(day)}.", code="not_valid"
        )
    if not parts:
        raise RuleError("Cần ít nhất một địa bàn mới khi chia tách.", code="no_parts")
    created = []
    for part in parts:
        new = place_create(
            acting_user=acting_user,
            code=part["code"],
            name=part["name"],
            kind=part.get("kind") or current.kind,
            parent=current.parent,
            valid_from=day,
        )
        PlaceLineage.objects.create(
            date=day, from_place=place, to_place=new, change=LineageChange.SPLIT, note=note
        )
        created.append(new)
    if end_original:
        place_end(acting_user=acting_user, place=place, day=day)
    return created


def _children_on(place: Place, day: date) -> list[Place]:
    ids = PlaceVersion.objects.valid_on(day).filter(parent=place).values_list("place_id", flat=True)
    return list(Place.objects.filter(pk__in=list(ids)))


def place_lineage_add(*, day: date, from_place: Place, to_place: Place, change: str, note=""):
    """Record where territory went (used by imports that carry lineage)."""
    return PlaceLineage.objects.get_or_create(
        date=day,
        from_place=from_place,
        to_place=to_place,
        change=change,
        defaults={"note": note},
    )[0]


@transaction.atomic
def place_delete(*, acting_user, place) -> None:
    """Delete a place created by mistake ("Xoá phiên bản tạo nhầm"): only while it has one
    version and nothing refers to it (``core.versioning.delete_created_by_mistake``); audited."""
    current = place.versions.first()
    scope.require(acting_user, place, scope.CHANGE, on=current.valid_from if current else None)
    delete_created_by_mistake(place, label=f"Địa bàn {place.code}")
