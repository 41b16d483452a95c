"""Shared writes for versioned objects (places, organisations): a change from a date closes the
version valid then and opens a new one; nothing is rewritten."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Q

from grassroots.core.errors import RuleError
from grassroots.core.temporal import ValidityQuerySet
from grassroots.core.text import fold, format_date, nfc


def check_new_object(
    *,
    model: type[models.Model],
    code: str,
    kind: str,
    kinds: Collection[str],
    valid_from: date,
    valid_to: date | None,
    noun: str,
) -> str:
    """The checks every "create a versioned object" service starts with; returns the NFC code.
    ``noun`` names the object in messages ("địa bàn", "tổ chức")."""
    code = nfc(code)
    if not code:
        raise RuleError(f"Mã {noun} không được để trống.", code="code_required")
    if kind not in kinds:
        raise RuleError(f"Loại {noun} không hợp lệ: {kind}.", code="bad_kind")
    if model._default_manager.filter(code=code).exists():
        raise RuleError(f"Mã {noun} {code} đã tồn tại.", code="duplicate_code")
    if valid_to is not None and valid_to <= valid_from:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.", code="bad_interval")
    return code


def check_parent_valid(parent: Any, day: date, *, parent_label: str) -> None:
    """A node may only be put under a parent that exists on the day (``parent_not_valid``)."""
    if parent is not None and not parent.versions.valid_on(day).exists():
        raise RuleError(
            f"{parent_label} {parent.code} không có hiệu lực vào ngày {format_date(day)}.",
            code="parent_not_valid",
        )


def check_parent_kind(
    *,
    kind: str,
    parent_kind: str | None,
    allowed: Mapping[str, Collection[str]],
    labels: Mapping[str, str],
    noun: str,
) -> None:
    """The hierarchy's kinds rule (policy ``*_PARENT_KINDS``): a ``kind`` may only lie directly
    in a parent of one of its allowed kinds (``bad_parent_kind``). ``parent_kind`` None: no
    parent (always allowed). A kind the policy does not list may lie anywhere."""
    if parent_kind is None or kind not in allowed or parent_kind in allowed[kind]:
        return
    wanted = ", ".join(labels.get(k, k) for k in allowed[kind])
    raise RuleError(
        f"{labels.get(kind, kind)} không thể trực thuộc {noun} loại "
        f"{labels.get(parent_kind, parent_kind)}"
        + (f" (chỉ trực thuộc: {wanted})." if wanted else " (chỉ ở cấp cao nhất)."),
        code="bad_parent_kind",
    )


def check_children_kinds(
    children: Iterable[Any], parent_kind: str, check: Callable[[str, str | None], None]
) -> None:
    """After a node's kind changes: every child (a version overlapping the change) must still be
    allowed under the new kind (``check`` is the hierarchy's kinds rule), else the change is
    refused naming the child."""
    for child in children:
        try:
            check(child.kind, parent_kind)
        except RuleError as exc:
            raise RuleError(
                f"Không thể đổi loại vì cấp dưới {child.name}: {exc.message}", code=exc.code
            ) from exc


def child_kind(kind: str | None, allowed: Mapping[str, Collection[str]], order: list[str]) -> str:
    """The natural kind of a child of a ``kind`` node: the first kind (in ``order``, the
    choices' order) allowed directly under it — one whose policy names ``kind`` first, and
    another kind than its own, preferred; the first kind when none is."""
    if kind is not None:
        fitting = [c for c in order if kind in allowed.get(c, ())]
        for candidate in sorted(fitting, key=lambda c: (c == kind, next(iter(allowed[c])) != kind)):
            return candidate
    return order[0]


def check_parent_covers(
    parent: Any, start: date, end: date | None, *, parent_label: str, ends: str, child: str
) -> None:
    """The one rule of every versioned hierarchy: a child never outlives its parent. Refuse a
    version under ``parent`` during ``[start, end)`` unless the parent exists on every day of it
    (Subtree(O, D) reads both on D). ``parent_not_valid`` when the parent does not exist on
    ``start``, ``parent_ends`` when it ends before the child.

    ``parent_label`` ("Tổ chức cấp trên"), ``ends`` ("kết thúc hoạt động") and ``child``
    ("tổ chức trực thuộc") word the message for the hierarchy."""
    if parent is None:
        return
    check_parent_valid(parent, start, parent_label=parent_label)
    covered = start
    for version in parent.versions.overlapping(start, end).order_by("valid_from"):
        if version.valid_from > covered:
            break
        if version.valid_to is None:
            return
        covered = max(covered, version.valid_to)
    if end is None or covered < end:
        raise RuleError(
            f"{parent_label} {parent.code} {ends} từ ngày {format_date(covered)}, trước {child}.",
            code="parent_ends",
        )


def version_on(versions: ValidityQuerySet[Any], day: date) -> Any:
    return versions.valid_on(day).first()


def change_from(
    *,
    versions: ValidityQuerySet[Any],
    day: date,
    changes: dict[str, Any],
    acting_user: Any,
    label: str,
) -> Any:
    """Open a new version from ``day`` equal to the one valid on ``day`` with ``changes`` applied.

    The current version is closed at ``day``; the new one ends where the old one ended. Returns
    the new version, or the current one unchanged when ``changes`` change nothing.
    """
    current = version_on(versions, day)
    if current is None:
        raise RuleError(f"{label} không có hiệu lực vào ngày {format_date(day)}.", code="not_valid")
    if all(getattr(current, field) == value for field, value in changes.items()):
        return current
    if current.valid_from == day:
        raise RuleError(
            f"{label} đã có một thay đổi khác từ đúng ngày {format_date(day)}; "
            "hãy chọn ngày khác hoặc đính chính thay đổi đó.",
            code="same_day_change",
        )
    end = current.valid_to
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    new = type(current)(
        **{
            f.attname: getattr(current, f.attname)
            for f in current._meta.concrete_fields
            if not f.primary_key and f.name not in {"recorded_at", "recorded_by"}
        }
    )
    for field, value in changes.items():
        setattr(new, field, value)
    new.valid_from, new.valid_to = day, end
    new.recorded_by = acting_user
    new.save()
    return new


def end_on(*, versions: ValidityQuerySet[Any], day: date, label: str, obj: Any = None) -> Any:
    """End the object at ``day`` (its last valid day is the day before).

    Ending ``obj`` from the very day it began means it never existed: it is deleted as created by
    mistake (only while nothing refers to it, :func:`delete_created_by_mistake`) and None is
    returned."""
    current = version_on(versions, day - timedelta(days=1))
    if current is None and versions.filter(valid_from=day).exists():
        if obj is not None and not versions.filter(valid_from__lt=day).exists():
            try:
                delete_created_by_mistake(obj, label=label)
            except RuleError as exc:
                raise RuleError(
                    f"{label} bắt đầu từ ngày {format_date(day)}: kết thúc từ chính ngày đó nghĩa "
                    f"là chưa từng tồn tại, nên phải xoá hẳn — nhưng {exc.message[0].lower()}"
                    f"{exc.message[1:]}",
                    code=exc.code,
                ) from exc
            return None
        raise RuleError(
            f"{label} bắt đầu từ ngày {format_date(day)}: ngày cuối cùng sớm nhất là chính ngày "
            f"đó (kết thúc từ ngày {format_date(day + timedelta(days=1))}). Nếu tạo nhầm, hãy "
            "dùng “Xoá phiên bản tạo nhầm”.",
            code="ends_before_start",
        )
    if current is None or current.valid_from >= day:
        raise RuleError(
            f"{label} không có hiệu lực vào ngày {format_date(day - timedelta(days=1))}.",
            code="not_valid",
        )
    if versions.filter(valid_from__gte=day).exists():
        raise RuleError(
            f"{label} còn thay đổi được ghi nhận sau ngày {format_date(day)}.",
            code="later_versions",
        )
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    return current


def check_no_overlap(
    versions: ValidityQuerySet[Any], start: date, end: date | None, label: str
) -> None:
    """Refuse a version that would overlap another of the same object."""
    if versions.overlapping(start, end).exists():
        raise RuleError(f"{label}: các phiên bản không được chồng lấn thời gian.", code="overlap")


def versions_listed(
    *,
    versions: models.QuerySet[Any],
    node: str,
    visible: Any,
    search: str = "",
    kind: str = "",
    parent: Any = None,
) -> models.QuerySet[Any]:
    """Versions (already restricted to a date) of the ``visible`` objects, searched by name
    without diacritics or by exact code, of one ``kind``, directly under ``parent``, by name.
    ``node`` is the version's field for its object ("place", "organization")."""
    qs = versions.filter(**{f"{node}__in": visible})
    if search:
        qs = qs.filter(
            Q(name_folded__contains=fold(search)) | Q(**{f"{node}__code__iexact": search.strip()})
        )
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("name_folded", f"{node}__code")


def references(obj: Any) -> list[str]:
    """What still refers to ``obj`` or one of its versions ("2 phiên bản địa bàn"…): every
    relation pointing at them but the versions' own link to ``obj``."""
    own = obj.versions.field
    found: list[str] = []
    for row in [obj, *obj.versions.all()]:
        for rel in row._meta.related_objects:
            if rel.field is own or rel.field.many_to_many:
                continue
            count = rel.related_model._default_manager.filter(**{rel.field.name: row}).count()
            if count:
                found.append(f"{count} {rel.related_model._meta.verbose_name}")
    return found


def delete_created_by_mistake(obj: Any, *, label: str) -> None:
    """Delete an object created by mistake with its only version: refused (``in_use``) while
    anything refers to it (children, members, events, lineage, other versions' parent…) or
    once it has a later change (``has_history``). The delete is audited like every write."""
    versions = list(obj.versions.all())
    if len(versions) > 1:
        raise RuleError(
            f"{label} đã có thay đổi sau khi tạo; chỉ xoá được khi mới có một phiên bản "
            "(hãy kết thúc thay vì xoá).",
            code="has_history",
        )
    used = references(obj)
    if used:
        raise RuleError(
            f"{label} đang được tham chiếu ({', '.join(used)}); chỉ xoá được khi chưa có gì "
            "trỏ tới.",
            code="in_use",
        )
    for version in versions:
        version.delete()
    obj.delete()
