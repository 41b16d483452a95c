"""Party documents (văn bản của Đảng) with their numbering, congress resolutions and their
indicators, action programmes and the tasks they assign (DOMAIN.md, "Congress resolutions and
their indicators" and "Documents, action programmes and tasks").

A document is numbered ``Số <n>-<TYPE>/<ISSUER>`` from 01 per type within one committee term
(Hướng dẫn 36-HD/VPTW). A document of a body outside the registry (05-CT/TW, 07-NQ/TU) is
recorded with its number as printed (``external``): other modules link to it all the same.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.organizations.models import Organization


class DocumentType(models.TextChoices):
    NQ = "NQ", "Nghị quyết"
    CT = "CT", "Chỉ thị"
    KL = "KL", "Kết luận"
    QD = "QĐ", "Quyết định"
    QDI = "QĐi", "Quy định"
    QC = "QC", "Quy chế"
    HD = "HD", "Hướng dẫn"
    TT = "TT", "Thông tri"
    TB = "TB", "Thông báo"
    BC = "BC", "Báo cáo"
    KH = "KH", "Kế hoạch"
    CTR = "CTr", "Chương trình"
    DA = "ĐA", "Đề án"
    TTR = "TTr", "Tờ trình"
    BB = "BB", "Biên bản"
    CV = "CV", "Công văn"


class DocumentQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """Documents issued by an organisation of the subtree; documents of bodies outside the
        registry (no issuing organisation) are readable by every signed-in user."""
        inside = scope.organization_rule("organization_id")(scope_id, day)
        return inside | models.Q(organization__isnull=True)


class Document(Versioned):
    """One party document: its number, type, issuer, date, title and summary."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="cơ quan ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Trống với văn bản của cơ quan ngoài hệ thống (Trung ương, Tỉnh ủy…).",
    )
    type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    sequence = models.PositiveIntegerField("số thứ tự", null=True, blank=True)
    issuer_code = models.CharField(
        "ký hiệu cơ quan", max_length=16, help_text="HU, TU, TW, ĐH… (sau dấu gạch chéo)"
    )
    number = models.CharField("số, ký hiệu", max_length=40, help_text="07-NQ/TU")
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, default="")
    summary = models.TextField("tóm tắt", blank=True)
    signer = models.CharField("người ký", max_length=120, blank=True)
    external = models.BooleanField("văn bản ngoài hệ thống", default=False)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["number"]),
            models.Index(fields=["organization", "type", "issued_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} số {self.number}"


from grassroots.resolutions.indicator_models import *  # noqa: E402, F401, F403
