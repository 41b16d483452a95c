"""Quality ratings (đánh giá, xếp loại chất lượng) of members and party organisations for a period
(a year, a term or a quarter), at the four levels, with the optional 100-point score.

One rating per subject and period. Re-rating updates the row in place; django-auditlog keeps the
old and new values (the history), so a correction needs no second row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.members.models import Member
from grassroots.organizations.models import Organization, OrganizationKind


class Level(models.TextChoices):
    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "completed", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "not_completed", "Không hoàn thành nhiệm vụ"


#: Levels counted as "hoàn thành tốt nhiệm vụ trở lên".
GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)


class PeriodKind(models.TextChoices):
    YEAR = "year", "Năm"
    TERM = "term", "Nhiệm kỳ"
    QUARTER = "quarter", "Quý"


class Subject(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    ORGANIZATION = "organization", "Tổ chức đảng"


class RatingQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The rated organisation (or the rated member's cell) in the subtree: ever, during the
        rated period; or on ``day``."""
        return scope.organization_rule("organization_id", "period_start", "period_end")(
            scope_id, day
        )


class Rating(Versioned):
    """The rating of one member or one organisation for one period.

    ``organization`` is the rated organisation, or for a member the organisation (cell) the member
    belonged to at the end of the period: scope and the quota group read it. ``parent`` and
    ``kind`` snapshot the rated organisation's parent and kind at the end of the period (the quota
    group "organisations of the same kind under the same parent")."""

    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    period_kind = models.CharField("kỳ đánh giá", max_length=8, choices=PeriodKind.choices)
    period_label = models.CharField("kỳ", max_length=9, help_text="2024, 2020-2025 hoặc 2024-Q1")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến trước ngày")
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    parent = models.ForeignKey(
        Organization,
        verbose_name="trực thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        "loại tổ chức", max_length=24, choices=OrganizationKind.choices, blank=True
    )
    level = models.CharField("mức xếp loại", max_length=16, choices=Level.choices)
    score = models.DecimalField("điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = "xếp loại chất lượng"
        verbose_name_plural = "xếp loại chất lượng"
        ordering = ["-period_start", "period_kind", "subject", "organization_id", "member_id"]
        indexes = [
            models.Index(fields=["period_kind", "period_label", "subject", "level"]),
            models.Index(fields=["organization", "period_kind", "period_label"]),
            models.Index(fields=["parent", "kind", "period_kind", "period_label"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(subject="member") & models.Q(member__isnull=False))
                | (models.Q(subject="organization") & models.Q(member__isnull=True)),
                name="rating_subject_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                name="rating_score_range",
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lt=models.F("period_end")),
                name="rating_period_order",
            ),
            models.UniqueConstraint(
                fields=["member", "period_kind", "period_label"],
                condition=models.Q(subject="member"),
                name="rating_one_per_member_period",
            ),
            models.UniqueConstraint(
                fields=["organization", "period_kind", "period_label"],
                condition=models.Q(subject="organization"),
                name="rating_one_per_organization_period",
            ),
        ]

    def __str__(self) -> str:
        who = self.member if self.subject == Subject.MEMBER else self.organization
        return f"{who} — {self.period_label}: {self.get_level_display()}"

    @property
    def subject_code(self) -> str:
        if self.subject == Subject.MEMBER:
            assert self.member is not None  # the rating_subject_matches constraint
            return self.member.code
        return self.organization.code
