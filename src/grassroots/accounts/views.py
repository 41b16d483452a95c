"""The accesses page: who read or exported personal data (``core.access``), for
administrators only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import timezone

from grassroots.core import roles
from grassroots.core.generic import Column, ListPage, Rows
from grassroots.core.models import AccessLog
from grassroots.core.permissions import role_required
from grassroots.core.text import local_time_zone


def _access_visible_to(user: Any, action: str = "view") -> QuerySet[AccessLog]:
    """Every entry for an administrator; nothing for anyone else."""
    if user.is_authenticated and user.has_role(roles.ADMIN):
        return AccessLog.objects.select_related("user")
    return AccessLog.objects.none()


class AccessFilterForm(forms.Form):
    user = forms.CharField(label="Người dùng (tên đăng nhập)", required=False, max_length=300)
    start = forms.DateField(label="Từ ngày", required=False)
    end = forms.DateField(label="Đến ngày", required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        return data


def _local_midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), local_time_zone())


class AccessList(ListPage):
    """Reads and exports of personal data, newest first, filtered by user and dates."""

    visible_to = _access_visible_to
    title = "Truy cập dữ liệu cá nhân"
    export_name = "truy-cap-du-lieu-ca-nhan"
    filter_form = AccessFilterForm
    dated = False
    columns = (
        Column("Thời gian", lambda a: a.at),
        Column("Người dùng", lambda a: a.username),
        Column("Thao tác", lambda a: a.get_action_display()),
        Column("Dữ liệu", lambda a: a.what),
        Column("Đối tượng", lambda a: a.subject),
        Column("Số người", lambda a: a.count, numeric=True),
        Column("Bộ lọc", lambda a: a.filter),
    )

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        view: Callable[..., HttpResponseBase] = role_required(roles.ADMIN)(
            super().as_view(**initkwargs)
        )
        return view

    def get_rows(self, filters: dict[str, Any]) -> Rows:
        rows = self.visible()
        if filters.get("user"):
            rows = rows.filter(username__icontains=filters["user"])
        if filters.get("start"):
            rows = rows.filter(at__gte=_local_midnight(filters["start"]))
        if filters.get("end"):
            rows = rows.filter(at__lt=_local_midnight(filters["end"] + timedelta(days=1)))
        return rows.order_by("-at", "-pk")


accesses = AccessList.as_view()
