"""Optimistic locking: no silent lost updates.

Every edit form and API write carries the version of the object it was based on (``based_on``
in a form, ``version`` in an API body). The service compares it with the object's version in
its transaction and refuses a stale write with :class:`StaleError` ("Đã có người sửa trước
bạn", code ``stale``): the form re-renders with the current values beside the user's, the API
answers 409. ``based_on=None`` means "no check" (internal callers, the import).

- A flat object (member, candidate, target, rating) inherits :class:`Versioned`: a ``version``
  column bumped by every ``save()``; :func:`check_not_stale` compares and bumps it in one
  ``UPDATE … WHERE version = expected`` (0 rows → stale), so two concurrent writers can never
  both pass.
- A versioned hierarchy (place, organisation) is never rewritten: a change opens a version and
  closes another. Its token is a fingerprint of its versions (ids and validity), compared under
  a row lock on the object (``select_for_update``), so a form started before another editor's
  change of the same object is refused.
- ``NEW`` is the token of an object that did not exist when the form was opened (a rating of a
  member for a period): if one exists now, someone else created it first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest

from grassroots.core.errors import RuleError
from grassroots.core.forms import run_service
from grassroots.core.text import format_weekday_datetime

#: The token of "nothing yet": the form was opened to create the object (versions start at 1).
NEW = "0"

STALE_MESSAGE = "Đã có người sửa trước bạn"


class StaleError(RuleError):
    """The write was based on a version that is no longer the current one."""

    def __init__(self, current: Any = None, *, what: str = "") -> None:
        changed = "đã được thay đổi"
        if current is None:
            changed = "đã bị xoá"
        else:
            by, at = last_change(current)
            if at is not None:
                changed = f"đã được {by or 'hệ thống'} thay đổi lúc {format_weekday_datetime(at)}"
        detail = f"{STALE_MESSAGE}: {what or 'dữ liệu'} {changed} sau khi bạn mở biểu mẫu."
        super().__init__(
            f"{detail} Hãy xem giá trị hiện tại rồi lưu lại nếu vẫn muốn thay đổi.",
            code="stale",
        )
        self.current = current
        self.version = token(current)


class Versioned(models.Model):
    """A ``version`` column bumped by every save of an existing row (and compared and bumped
    atomically by :func:`check_not_stale`)."""

    # ``db_default``: rows written by raw SQL (the bulk import's COPY) start at 1 too.
    version = models.PositiveIntegerField("phiên bản", default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            if getattr(self, "_claimed", False):
                self._claimed = False
            else:
                _bump(self)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "version" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)


def last_change(obj: Any) -> tuple[Any, datetime | None]:
    """Who changed ``obj`` last and when: the newest version of a hierarchy object, else the
    audit log's newest entry about it."""
    if hasattr(obj, "versions") and not isinstance(obj, Versioned):
        newest = obj.versions.select_related("recorded_by").order_by("-recorded_at").first()
        return (newest.recorded_by, newest.recorded_at) if newest else (None, None)
    entry = (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp").first()
    )
    return (entry.actor, entry.timestamp) if entry else (None, None)


def _bump(obj: Versioned) -> None:
    """``version = version + 1`` in the database (atomic), read back into ``obj``."""
    manager = type(obj)._base_manager
    manager.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()


def fingerprint(obj: Any) -> str:
    """The token of a versioned-hierarchy object: its versions' ids and validity."""
    rows = obj.versions.order_by("pk").values_list("pk", "valid_from", "valid_to")
    text = ";".join(f"{pk},{start},{end}" for pk, start, end in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def token(obj: Any) -> str:
    """The version an edit is based on, as the form and the API carry it."""
    if obj is None:
        return NEW
    if isinstance(obj, Versioned):
        return str(obj.version)
    if hasattr(obj, "versions"):
        return fingerprint(obj)
    raise TypeError(f"{type(obj).__name__} carries no version")


def check_not_stale(obj: Any, based_on: str | int | None, *, what: str = "") -> None:
    """Refuse (``StaleError``) a write based on another version than ``obj``'s current one.
    ``obj`` None: the object does not exist (yet). ``based_on`` None or blank: no check.

    Call it inside the service's transaction, before the write: for a :class:`Versioned` object
    the compare is the ``UPDATE`` that bumps the version (the row stays locked until commit); a
    hierarchy object is locked with ``select_for_update`` and its fingerprint compared."""
    if based_on is None or str(based_on).strip() == "":
        return
    expected = str(based_on).strip()
    if obj is None:
        if expected != NEW:
            raise StaleError(None, what=what)
        return
    if expected == NEW:
        raise StaleError(obj, what=what)
    if isinstance(obj, Versioned):
        manager = type(obj)._base_manager
        claimed = (
            manager.filter(pk=obj.pk, version=int(expected)).update(version=F("version") + 1)
            if expected.isdigit()
            else 0
        )
        if claimed == 0:
            obj.refresh_from_db()
            raise StaleError(obj, what=what)
        obj.version = int(expected) + 1
        obj._claimed = True  # the service's own save() writes this version, no second bump
        return
    if transaction.get_connection().in_atomic_block:
        type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
    if fingerprint(obj) != expected:
        raise StaleError(obj, what=what)


# --- Forms -----------------------------------------------------------------------------------


class VersionedFormMixin(forms.Form):
    """Adds the hidden ``based_on`` field: the version the form was opened on. Blank (a client
    that does not send it) means no check."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_based_on(self) -> str | None:
        value: str = (self.cleaned_data.get("based_on") or "").strip()
        return value or None

    def show_stale(self, error: StaleError, rows: list[tuple[str, str, str]]) -> None:
        """After a refused stale write: carry the current version (saving again overrides on
        purpose) and keep the rows (field, current value, the user's value) to show."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict (a POST)
        data[self.add_prefix("based_on")] = error.version
        self.data = data
        self.stale_rows = rows


def differences(
    form: forms.Form, current: dict[str, Any], display: Any = None
) -> list[tuple[str, str, str]]:
    """The rows shown after a stale write: each field of ``form`` whose current value (in
    ``current``, by field name) differs from the one the user sent, as (label, current, sent). A
    key that names no field of the form is a label of something the form does not edit (a
    candidate's current step): shown with its current value only."""

    def show(value: Any, field: forms.Field | None = None) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            # A choice is shown by its label ("Hoàn thành tốt nhiệm vụ", not "good").
            labels = {str(k): v for k, v in field.choices}  # type: ignore[union-attr,misc]
            value = labels.get(str(value), value)
        return display(value) if display else str(value)

    sent_values = getattr(form, "cleaned_data", {})
    rows = []
    for name, value in current.items():
        if name not in form.fields:
            rows.append((name, show(value), "—"))
            continue
        field = form.fields[name]
        sent = sent_values.get(name)
        if show(value, field) != show(sent, field):
            rows.append((str(field.label or name), show(value, field), show(sent, field)))
    return rows


def run_checked(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[], Any],
    current: Callable[[Any], dict[str, Any]],
    display: Callable[[Any], str] | None = None,
) -> Any:
    """``core.forms.run_service`` for a :class:`VersionedFormMixin` form: after a stale write the
    form carries the current version and shows, field by field, the value another editor saved
    (``current(obj)``: the form's values of the object as it is now) beside the user's."""
    stale: list[StaleError] = []

    def guarded() -> Any:
        try:
            return call()
        except StaleError as exc:
            stale.append(exc)
            raise

    result = run_service(request, form, guarded)
    if stale and isinstance(form, VersionedFormMixin):
        error = stale[0]
        now = current(error.current) if error.current is not None else {}
        form.show_stale(error, differences(form, now, display))
    return result
