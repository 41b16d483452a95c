"""Writes to party organisations: found, rename, re-parent, re-attach, merge, split, dissolve.

Each closes and opens versions (never rewrites them) and rebuilds the closure rows of the affected
subtree in the same transaction. Merges and splits come as a *plan* first (what will change), so
the restructure page can preview exactly what the service then does.

What other apps keep in an organisation (its members…) is reached through the app registry
(:func:`grassroots.core.registry.holdings`): a dissolve is refused while anything is held, a
merge or split moves every holding with the holding app's own service. This app imports none of
the apps above it.

Scope (``core.scope``): an ``acting_user`` changes only organisations inside their subtree today
(or on the day the change takes effect, when later); the organisation is checked again after
the write (moved under an organisation outside the scope: refused, rolled back). Refused writes
raise ``NotFound``. ``acting_user=None``: internal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from grassroots import policy
from grassroots.core import registry, scope
from grassroots.core.errors import RuleError
from grassroots.core.hierarchy import CycleError, Hierarchy, rebuild_closure
from grassroots.core.locking import check_not_stale
from grassroots.core.text import format_date, nfc
from grassroots.core.versioning import (
    change_from,
    check_children_kinds,
    check_new_object,
    check_parent_covers,
    check_parent_kind,
    child_kind,
    delete_created_by_mistake,
    end_on,
)
from grassroots.organizations.models import (
    Organization,
    OrganizationClosure,
    OrganizationKind,
    OrganizationLineage,
    OrganizationVersion,
    UnitType,
)
from grassroots.places.models import LineageChange, Place

HIERARCHY = Hierarchy(OrganizationVersion, "organization", "parent", OrganizationClosure)


def _rebuild(node_ids: set[int]) -> None:
    try:
        rebuild_closure(HIERARCHY, node_ids)
    except CycleError as exc:
        raise RuleError(
            "Không thể đặt một tổ chức đảng trực thuộc chính nó hoặc tổ chức cấp dưới của nó.",
            code="cycle",
        ) from exc


def _recheck(acting_user, org: Organization, day: date, valid_to: date | None = None) -> None:
    """After a write: the organisation must still be the writer's (when it exists then)."""
    if valid_to is None or valid_to > scope.change_day(day):
        scope.require(acting_user, org, scope.CHANGE, on=day)


def _label(org: Organization) -> str:
    return f"Tổ chức {org.code}"


def _check_valid(obj, day: date, what: str) -> None:
    if obj is not None and not obj.versions.valid_on(day).exists():
        raise RuleError(
            f"{what} {obj.code} không có hiệu lực vào ngày {format_date(day)}.", code="not_valid"
        )


def _check_parent_covers(parent, start: date, end: date | None) -> None:
    """An organisation never outlives its parent (the places' rule too)."""
    check_parent_covers(
        parent,
        start,
        end,
        parent_label="Tổ chức cấp trên",
        ends="kết thúc hoạt động",
        child="tổ chức trực thuộc",
    )


def check_organization_kinds(kind: str, parent_kind: str | None) -> None:
    """An organisation of ``kind`` may lie in a parent of ``parent_kind`` (policy
    ``ORGANIZATION_PARENT_KINDS``); the import calls it too."""
    check_parent_kind(
        kind=kind,
        parent_kind=parent_kind,
        allowed=policy.get("ORGANIZATION_PARENT_KINDS"),
        labels=dict(OrganizationKind.choices),
        noun="tổ chức",
    )


def _check_unit_type(unit_type: str) -> None:
    if unit_type and unit_type not in UnitType.values:
        raise RuleError(f"Loại hình đơn vị không hợp lệ: {unit_type}.", code="bad_unit_type")


def _kind_on(organization: Organization | None, day: date) -> str | None:
    version = organization.versions.valid_on(day).first() if organization is not None else None
    return version.kind if version is not None else None


def natural_child_kind(parent_code: str | None, day: date) -> str:
    """The kind a child of ``parent_code`` most likely has on ``day`` (the default of the
    "Thêm … trực thuộc" form): the first kind the policy allows directly under the parent's."""
    parent = Organization.objects.filter(code=parent_code).first() if parent_code else None
    return child_kind(
        _kind_on(parent, day),
        policy.get("ORGANIZATION_PARENT_KINDS"),
        list(OrganizationKind.values),
    )


@transaction.atomic
def organization_found(
    *,
    acting_user,
    code: str,
    name: str,
    kind: str,
    place: Place,
    valid_from: date,
    parent: Organization | None = None,
    valid_to: date | None = None,
    is_sample: bool = False,
    unit_type: str = "",
) -> Organization:
    """Found an organisation attached to ``place``, under ``parent``, from ``valid_from``;
    ``unit_type`` (a :class:`UnitType` code, or blank) for a grassroots organisation."""
    _check_unit_type(unit_type)
    code = check_new_object(
        model=Organization,
        code=code,
        kind=kind,
        kinds=OrganizationKind.values,
        valid_from=valid_from,
        valid_to=valid_to,
        noun="tổ chức",
    )
    _check_parent_covers(parent, valid_from, valid_to)
    check_organization_kinds(kind, _kind_on(parent, valid_from))
    _check_valid(place, valid_from, "Địa bàn")
    if parent is not None:
        scope.require(acting_user, parent, scope.CHANGE, on=valid_from)
    scope.require(acting_user, place, scope.VIEW)
    org = Organization.objects.create(code=code, is_sample=is_sample)
    OrganizationVersion.objects.create(
        organization=org,
        name=nfc(name),
        kind=kind,
        parent=parent,
        place=place,
        unit_type=unit_type,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by=acting_user,
    )
    _rebuild({org.pk})
    _recheck(acting_user, org, valid_from, valid_to)
    return org


@transaction.atomic
def organization_change(
    *,
    acting_user,
    organization: Organization,
    day: date,
    name: str | None = None,
    kind: str | None = None,
    parent: Organization | None = None,
    clear_parent: bool = False,
    place: Place | None = None,
    based_on: str | None = None,
    unit_type: str | None = None,
) -> OrganizationVersion:
    """From ``day`` the organisation has a new name, kind, parent, attached place and/or unit
    type (blank: not recorded).
    ``based_on``: the version the edit started from (``core.locking``; None: no check)."""
    scope.require(acting_user, organization, scope.CHANGE, on=day)
    check_not_stale(organization, based_on, what=_label(organization))
    changes: dict = {}
    if name is not None:
        changes["name"] = nfc(name)
    if kind is not None:
        if kind not in OrganizationKind.values:
            raise RuleError(f"Loại tổ chức không hợp lệ: {kind}.", code="bad_kind")
        changes["kind"] = kind
    if unit_type is not None:
        _check_unit_type(unit_type)
        changes["unit_type"] = unit_type
    if parent is not None or clear_parent:
        current = organization.versions.valid_on(day).first()
        _check_parent_covers(parent, day, current.valid_to if current else None)
        changes["parent_id"] = parent.pk if parent else None
    kinds_changed = kind is not None or parent is not None or clear_parent
    new_kind, new_parent = None, None
    if kinds_changed:
        current = organization.versions.valid_on(day).first()
        new_kind = kind or (current.kind if current else None)
        new_parent = parent if parent is not None or clear_parent else None
        if new_parent is None and not clear_parent and current is not None:
            new_parent = current.parent
    if place is not None:
        _check_valid(place, day, "Địa bàn")
        scope.require(acting_user, place, scope.VIEW)
        changes["place_id"] = place.pk
    version = change_from(
        versions=organization.versions.all(),
        day=day,
        changes=changes,
        acting_user=acting_user,
        label=_label(organization),
    )
    if "parent_id" in changes:
        _rebuild({organization.pk})
        _recheck(acting_user, organization, day)
    if kinds_changed and new_kind is not None:  # after the cycle check, a clearer message
        check_organization_kinds(new_kind, _kind_on(new_parent, day))
    if kind is not None:
        children = OrganizationVersion.objects.filter(parent=organization).overlapping(
            day, version.valid_to
        )
        check_children_kinds(children, kind, check_organization_kinds)
    return version


def organization_rename(*, acting_user, organization, name: str, day: date):
    version = organization_change(
        acting_user=acting_user, organization=organization, day=day, name=name
    )
    OrganizationLineage.objects.get_or_create(
        date=day,
        from_organization=organization,
        to_organization=organization,
        change=LineageChange.RENAME,
    )
    return version


def organization_reparent(*, acting_user, organization, parent, day: date):
    return organization_change(
        acting_user=acting_user,
        organization=organization,
        day=day,
        parent=parent,
        clear_parent=parent is None,
    )


def organization_reattach(*, acting_user, organization, place: Place, day: date):
    return organization_change(
        acting_user=acting_user, organization=organization, day=day, place=place
    )


def children_on(organization: Organization, day: date) -> list[Organization]:
    ids = OrganizationVersion.objects.valid_on(day).filter(parent=organization)
    return list(Organization.objects.filter(pk__in=ids.values("organization_id")))


@transaction.atomic
def organization_dissolve(
    *, acting_user, organization: Organization, day: date, restructuring: bool = False
) -> None:
    """The organisation ends at ``day`` (last day: the day before). Refused while organisations
    or holdings of other apps (members…) are still in it from ``day`` on: move them first (or
    use merge). ``restructuring``: called by a merge or split (whose message it words)."""
    scope.require(acting_user, organization, scope.CHANGE, on=day)
    label = _label(organization)
    later_children = OrganizationVersion.objects.filter(parent=organization).overlapping(day, None)
    if later_children.exists():
        names = ", ".join(sorted({v.name for v in later_children[:5]}))
        raise RuleError(
            f"{label} còn tổ chức trực thuộc từ ngày {format_date(day)}: {names}. "
            "Hãy chuyển các tổ chức này trước.",
            code="has_children",
        )
    remaining = registry.holdings(organization, day, onwards=True)
    if remaining:
        counts = Counter(h.noun for h in remaining)
        held = ", ".join(f"{count} {noun}" for noun, count in counts.items())
        raise RuleError(
            f"{label} còn {held} sinh hoạt từ ngày {format_date(day)}. "
            + (
                "Họ vào tổ chức sau ngày này nên không được chuyển cùng; hãy đính chính sự kiện "
                "của họ hoặc chọn ngày khác."
                if restructuring
                else "Hãy chuyển sinh hoạt cho họ trước (hoặc dùng sáp nhập)."
            ),
            code="has_members",
        )
    end_on(versions=organization.versions.all(), day=day, label=label, obj=organization)
    _rebuild({organization.pk})


class RestructureBlocked(RuleError):
    """A merge or split that cannot move everything: ``blocked`` lists (holding, organisation)
    for each holding (member…) that joins the organisation after the day, so the restructure
    page can say what to do about each."""

    def __init__(self, message: str, blocked: list[tuple]):
        super().__init__(message, code="blocked_holdings")
        self.blocked = blocked


def _check_nothing_left_behind(source: Organization, day: date, moved: set[str]) -> list[tuple]:
    """The holdings of ``source`` after ``day`` that a move on ``day`` does not take along."""
    return [
        (holding, source)
        for holding in registry.holdings(source, day, onwards=True)
        if holding.code not in moved
    ]


def _raise_blocked(blocked: list[tuple], day: date, action: str) -> None:
    if not blocked:
        return
    names = ", ".join(f"{h.label} ({h.code}, {s.code})" for h, s in blocked[:10])
    more = f" và {len(blocked) - 10} người khác" if len(blocked) > 10 else ""
    raise RestructureBlocked(
        f"Không thể {action} từ ngày {format_date(day)}: {names}{more} vào tổ chức sau ngày này "
        "nên không được chuyển cùng. Hãy đính chính sự kiện của từng người (ghi vào tổ chức "
        "mới) hoặc chọn ngày muộn hơn.",
        blocked,
    )


@dataclass
class RestructurePlan:
    """What a merge or split will do, shown on the restructure page before it is applied."""

    day: date
    steps: list[str] = field(default_factory=list)
    # (holding, from_org, to_org) — a merge; (holding, from_org, part index) — a split
    holding_moves: list[tuple] = field(default_factory=list)
    child_moves: list[tuple] = field(default_factory=list)  # (child_org, from_org, to_org)
    dissolved: list[Organization] = field(default_factory=list)
    founded: list[dict] = field(default_factory=list)


def organization_merge_plan(
    *, sources: list[Organization], into: Organization, day: date
) -> RestructurePlan:
    """Plan: the holdings (members…) and child organisations of ``sources`` move to ``into`` on
    ``day``, then the sources are dissolved."""
    sources = [s for s in sources if s.pk != into.pk]
    if not sources:
        raise RuleError("Chọn ít nhất một tổ chức để sáp nhập.", code="nothing_to_merge")
    _check_valid(into, day, "Tổ chức nhận sáp nhập")
    plan = RestructurePlan(day=day)
    blocked: list[tuple] = []
    for source in sources:
        _check_valid(source, day, "Tổ chức bị sáp nhập")
        for child in children_on(source, day):
            plan.child_moves.append((child, source, into))
        held = registry.holdings(source, day)
        for holding in held:
            plan.holding_moves.append((holding, source, into))
        blocked += _check_nothing_left_behind(source, day, {h.code for h in held})
        plan.dissolved.append(source)
    _raise_blocked(blocked, day, "sáp nhập")
    plan.steps = (
        [f"Chuyển tổ chức {c} từ {s} sang {t}" for c, s, t in plan.child_moves]
        + [f"{h.verb} {h.label} từ {s} sang {t}" for h, s, t in plan.holding_moves]
        + [f"Kết thúc hoạt động {s} (ngày cuối: trước {format_date(day)})" for s in plan.dissolved]
    )
    return plan


@transaction.atomic
def organization_merge(
    *, acting_user, sources: list[Organization], into: Organization, day: date, note: str = ""
) -> RestructurePlan:
    """Merge ``sources`` into ``into`` on ``day`` (see :func:`organization_merge_plan`)."""
    plan = organization_merge_plan(sources=sources, into=into, day=day)
    for child, _source, target in plan.child_moves:
        organization_reparent(acting_user=acting_user, organization=child, parent=target, day=day)
    for holding, _source, target in plan.holding_moves:
        holding.move(
            acting_user=acting_user,
            organization=target,
            day=day,
            note=f"Sáp nhập tổ chức. {note}".strip(),
        )
    for source in plan.dissolved:
        organization_dissolve(
            acting_user=acting_user, organization=source, day=day, restructuring=True
        )
        OrganizationLineage.objects.create(
            date=day,
            from_organization=source,
            to_organization=into,
            change=LineageChange.MERGE,
            note=note,
            recorded_by=acting_user,
        )
    return plan


def organization_reparent_plan(
    *, organizations: list[Organization], parent: Organization, day: date
) -> RestructurePlan:
    """What moving ``organizations`` under ``parent`` on ``day`` will do, in the shape of the
    merge and split plans so the restructure page shows all three alike."""
    if not parent.versions.valid_on(day).exists():
        raise RuleError(
            f"Tổ chức cấp trên {parent.code} không có hiệu lực vào ngày {format_date(day)}.",
            code="not_valid",
        )
    plan = RestructurePlan(day=day)
    for organization in organizations:
        current = organization.versions.valid_on(day).select_related("parent").first()
        if current is None:
            raise RuleError(
                f"Tổ chức {organization.code} không có hiệu lực vào ngày {format_date(day)}.",
                code="not_valid",
            )
        if current.parent_id != parent.pk:
            plan.child_moves.append((organization, current.parent, parent))
    if not plan.child_moves:
        raise RuleError("Các tổ chức đã chọn đã trực thuộc tổ chức này.", code="nothing_to_move")
    plan.steps = [
        f"Chuyển tổ chức {child} từ {source or '(không trực thuộc)'} sang {target}"
        for child, source, target in plan.child_moves
    ]
    return plan


@transaction.atomic
def organization_reparent_many(
    *, acting_user, organizations: list[Organization], parent: Organization, day: date
) -> RestructurePlan:
    """Move several organisations under ``parent`` on ``day``: one decision, all or none."""
    plan = organization_reparent_plan(organizations=organizations, parent=parent, day=day)
    for child, _source, target in plan.child_moves:
        organization_reparent(acting_user=acting_user, organization=child, parent=target, day=day)
    return plan


def organization_split_plan(
    *, organization: Organization, day: date, parts: list[dict], assignments: dict
) -> RestructurePlan:
    """Plan a split: ``parts`` are new organisations (code, name, kind, place); ``assignments``
    maps holding codes (member codes…) to the index of the part they go to. Holdings not
    assigned go to part 0; a code the organisation does not hold on ``day`` is refused."""
    current = organization.versions.valid_on(day).first()
    if current is None:
        raise RuleError(
            f"{_label(organization)} không có hiệu lực vào ngày {format_date(day)}.",
            code="not_valid",
        )
    if len(parts) < 2:
        raise RuleError("Chia tách cần ít nhất hai tổ chức mới.", code="no_parts")
    plan = RestructurePlan(day=day)
    plan.founded = parts
    held = registry.holdings(organization, day)
    unknown = sorted(set(assignments) - {h.code for h in held})
    if unknown:
        raise RuleError(
            f"{_label(organization)} không có mã {', '.join(unknown)} vào ngày {format_date(day)}.",
            code="not_held",
        )
    for index in assignments.values():
        if not 0 <= index < len(parts):
            raise RuleError(f"Số thứ tự tổ chức mới phải từ 1 đến {len(parts)}.", code="bad_part")
    for holding in held:
        plan.holding_moves.append((holding, organization, assignments.get(holding.code, 0)))
    _raise_blocked(
        _check_nothing_left_behind(organization, day, {h.code for h in held}), day, "chia tách"
    )
    for child in children_on(organization, day):
        plan.child_moves.append((child, organization, 0))
    plan.dissolved = [organization]
    plan.steps = (
        [f"Thành lập {p['name']} ({p['code']})" for p in parts]
        + [f"{h.verb} {h.label} sang {parts[i]['name']}" for h, _, i in plan.holding_moves]
        + [f"Chuyển tổ chức {c} sang {parts[i]['name']}" for c, _, i in plan.child_moves]
        + [f"Kết thúc hoạt động {organization}"]
    )
    return plan


@transaction.atomic
def organization_split(
    *,
    acting_user,
    organization: Organization,
    day: date,
    parts: list[dict],
    assignments: dict | None = None,
    note: str = "",
) -> list[Organization]:
    """Split ``organization`` on ``day`` into new organisations under the same parent."""
    plan = organization_split_plan(
        organization=organization, day=day, parts=parts, assignments=assignments or {}
    )
    current = organization.versions.valid_on(day).get()  # the plan checked it exists
    created = [
        organization_found(
            acting_user=acting_user,
            code=p["code"],
            name=p["name"],
            kind=p.get("kind") or current.kind,
            place=p.get("place") or current.place,
            parent=current.parent,
            valid_from=day,
            unit_type=current.unit_type,
        )
        for p in parts
    ]
    for holding, _source, index in plan.holding_moves:
        holding.move(
            acting_user=acting_user,
            organization=created[index],
            day=day,
            note=f"Chia tách tổ chức. {note}".strip(),
        )
    for child, _source, index in plan.child_moves:
        organization_reparent(
            acting_user=acting_user, organization=child, parent=created[index], day=day
        )
    organization_dissolve(
        acting_user=acting_user, organization=organization, day=day, restructuring=True
    )
    for new in created:
        OrganizationLineage.objects.create(
            date=day,
            from_organization=organization,
            to_organization=new,
            change=LineageChange.SPLIT,
            note=note,
            recorded_by=acting_user,
        )
    return created


def organization_rebuild_closure() -> int:
    """Rebuild the whole closure table (after bulk imports)."""
    return rebuild_closure(HIERARCHY, None)


@transaction.atomic
def organization_delete(*, acting_user, organization) -> None:
    """Delete a organization created by mistake ("Xoá phiên bản tạo nhầm"): only while it has one
    version and nothing refers to it (``core.versioning.delete_created_by_mistake``); audited."""
    current = organization.versions.first()
    scope.require(
        acting_user, organization, scope.CHANGE, on=current.valid_from if current else None
    )
    delete_created_by_mistake(organization, label=f"Tổ chức {organization.code}")


@transaction.atomic
def organization_end_cancel(*, acting_user, organization: Organization, day: date) -> None:
    """Withdraw the end of ``organization`` at ``day`` (a dissolution cancelled, e.g. on appeal):
    the version that ended at ``day`` is open again, as if the end had never been recorded. The
    counterpart of :func:`organization_dissolve`; refused when the organisation did not end on
    that day, had a later version, or its parent no longer covers it. The closure is rebuilt and
    the writer's scope checked after the write (the organisation is back in today's subtree)."""
    label = _label(organization)
    scope.require(acting_user, organization, scope.VIEW)
    last = organization.versions.order_by("-valid_from").first()
    if last is None or last.valid_to != day:
        raise RuleError(
            f"{label} không kết thúc hoạt động từ ngày {format_date(day)}.", code="not_ended"
        )
    _check_parent_covers(last.parent, last.valid_from, None)
    last.valid_to = None
    last.save(update_fields=["valid_to"])
    _rebuild({organization.pk})
    scope.require(acting_user, organization, scope.CHANGE)
