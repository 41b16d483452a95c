"""Báo cáo thống kê: reports sent upward.

A :class:`Submission` is a figure (or official form) frozen when an organisation sends it to the
committee above ("Gửi báo cáo"): the figure's name, its parameters, every number of its JSON
object in canonical form, the organisation, who sent it and when, and the SHA-256 of the
canonical content. A submission never changes: the service only inserts, and a database trigger
(migration 0002, on SQLite and PostgreSQL) refuses every UPDATE and DELETE of the table.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scope
from grassroots.organizations.models import Organization


class SubmissionQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """A report is readable by the scopes that held its organisation on the report's day
        (the end of its period, its day): the sender's own committee and every committee above
        it then. ``day`` given: also the organisation inside the subtree on that day."""
        if day is not None:
            return Q(organization_id__in=scope.subtree_on(scope_id, day)) & Q(
                scope.in_subtree_at(scope_id, "organization_id", "report_day")
            )
        return Q(scope.in_subtree_at(scope_id, "organization_id", "report_day"))


class Submission(models.Model):
    """A report as sent: never changed after it is inserted (see the module text)."""

    figure = models.CharField("chỉ tiêu, biểu", max_length=60)
    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    organization_code = models.CharField("mã tổ chức đảng", max_length=40)
    params = models.JSONField("tham số")
    report_day = models.DateField("ngày số liệu")
    period = models.CharField("kỳ báo cáo", max_length=9, blank=True, db_index=True)
    content = models.TextField("nội dung (JSON chuẩn tắc)")
    sha256 = models.CharField("SHA-256", max_length=64)
    submitted_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người gửi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by_name = models.CharField("người gửi", max_length=200, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo đã gửi"
        verbose_name_plural = "báo cáo đã gửi"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "figure", "period"]),
            models.Index(fields=["figure", "period", "report_day"]),
        ]

    def __str__(self) -> str:
        return f"{self.figure} — {self.organization_code} — {self.report_day.isoformat()}"

    @property
    def document(self) -> dict[str, Any]:
        """The canonical content: ``{"figure": …, "params": …, "report": …}``."""
        parsed: dict[str, Any] = json.loads(self.content)
        return parsed

    @property
    def report(self) -> dict[str, Any]:
        """The figure's JSON object as sent."""
        report: dict[str, Any] = self.document["report"]
        return report
