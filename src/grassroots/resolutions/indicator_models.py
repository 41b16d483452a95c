"""Congress resolutions (nghị quyết đại hội) and their indicators (chỉ tiêu), DOMAIN.md
"Congress resolutions and their indicators".

A resolution of organisation O covers the years ``term_from``..``term_to`` (inclusive) that carry
targets: the Đại hội III of a district committee, held in 2020 for the term 2020–2025, has yearly
targets for 2021..2025, so ``term_from`` is 2021 (as INTERCHANGE.md's example). Each indicator has
a direction, a method and a target, and a source: ``manual`` (a value per year, typed with its
source document and who entered it; django-auditlog keeps every change) or a figure of the
registry computed live for O's subtree (``admissions``, ``good_or_better_share``) — those have
no stored values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.organizations.models import Organization


class IndicatorDirection(models.TextChoices):
    AT_LEAST = "at_least", "Càng cao càng tốt (tối thiểu)"
    AT_MOST = "at_most", "Càng thấp càng tốt (tối đa)"


class IndicatorMethod(models.TextChoices):
    TOTAL = "total", "Tổng cả nhiệm kỳ"
    ANNUAL = "annual", "Bình quân mỗi năm"
    LEVEL = "level", "Mức phải đạt"


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", "Nhập theo năm"
    ADMISSIONS = "admissions", "Số kết nạp đảng viên trong năm (tính tự động)"
    GOOD_OR_BETTER = (
        "good_or_better_share",
        "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên (tính tự động)",
    )


class IndicatorStatus(models.TextChoices):
    EXCEEDED = "exceeded", "Vượt"
    MET = "met", "Đạt"
    NOT_MET = "not_met", "Không đạt"
    NO_DATA = "no_data", "Chưa đủ số liệu"


class ResolutionQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The resolution's organisation in the subtree (on ``day``, or ever)."""
        return scope.organization_rule("organization_id")(scope_id, day)


class IndicatorQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        return scope.organization_rule("resolution__organization_id")(scope_id, day)


class IndicatorValueQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        return scope.organization_rule("indicator__resolution__organization_id")(scope_id, day)


class Resolution(Versioned):
    """A congress resolution of an organisation for a term."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    code = models.CharField("mã nghị quyết", max_length=40, unique=True)
    number = models.CharField("số, ký hiệu", max_length=40, blank=True, help_text="01-NQ/ĐH")
    title = models.CharField("tên nghị quyết", max_length=300)
    adopted = models.DateField("ngày thông qua", null=True, blank=True)
    term_from = models.PositiveSmallIntegerField("năm đầu có chỉ tiêu")
    term_to = models.PositiveSmallIntegerField("năm cuối có chỉ tiêu")
    document = models.ForeignKey(
        "resolutions.Document",
        verbose_name="văn bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = "nghị quyết đại hội"
        verbose_name_plural = "nghị quyết đại hội"
        ordering = ["-term_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_from__lte=models.F("term_to")), name="resolution_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def years(self) -> range:
        return range(self.term_from, self.term_to + 1)


class Indicator(Versioned):
    """One indicator (chỉ tiêu) of a resolution."""

    resolution = models.ForeignKey(
        Resolution, verbose_name="nghị quyết", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField("mã chỉ tiêu", max_length=40)
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("tên chỉ tiêu", max_length=300)
    unit = models.CharField("đơn vị tính", max_length=40, blank=True)
    direction = models.CharField(
        "chiều đánh giá",
        max_length=8,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.AT_LEAST,
    )
    method = models.CharField("cách tính", max_length=8, choices=IndicatorMethod.choices)
    target = models.DecimalField("chỉ tiêu", max_digits=16, decimal_places=4)
    source = models.CharField(
        "nguồn số liệu",
        max_length=24,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["resolution", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "code"], name="indicator_code_unique"),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="indicator_target"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def manual(self) -> bool:
        return self.source == IndicatorSource.MANUAL


class IndicatorValue(Versioned):
    """The value of a manual indicator for one year, with its source document and who entered
    it. Correcting it updates the row; the audit log keeps every old and new value."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="chỉ tiêu", on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("giá trị", max_digits=16, decimal_places=4)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    document = models.ForeignKey(
        "resolutions.Document",
        verbose_name="văn bản nguồn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text="Báo cáo, văn bản có số liệu này.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("nhập lúc", auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = "số liệu chỉ tiêu"
        verbose_name_plural = "số liệu chỉ tiêu"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="indicator_value_min"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} năm {self.year}: {self.value}"


__all__ = [
    "IndicatorDirection",
    "Indicator",
    "IndicatorValue",
    "IndicatorMethod",
    "Resolution",
    "IndicatorSource",
    "IndicatorStatus",
]
