"""Cell life: meetings with attendance (sinh hoạt chi bộ), party fees (đảng phí).

- :class:`Meeting`: a cell's regular monthly meeting (sinh hoạt thường kỳ) or a thematic one
  (chuyên đề), with its theme and the documents discussed; at most one meeting of a kind per cell
  and day, and one regular meeting per cell and month (the services check it).
- :class:`Attendance`: one row per member of the cell on the meeting's day: present, excused or
  absent without reason; ``exempted`` records that the member was exempted from activities that
  day (an exempted member's absence is no fault).
- :class:`IncomeBasis`: what a member's monthly fee is computed from, from a date on (salary,
  pension, student, or a fixed amount set by the committee).
- :class:`FeePayment`: the fee a cell collected from a member for a month (integers in đồng).
- :class:`FeeRemittance`: an amount a cell sent upward for a period of months.
- :class:`StudyCampaign`: a campaign of studying a document (học tập, quán triệt) run by an
  organisation for its subtree, with its period, target group and whether each member records
  an individual plan of action (kế hoạch làm theo); :class:`StudySession` its sessions at each
  level with the members who attended (:class:`StudyAttendance`); :class:`StudyPlan` a member's
  individual plan.
- :class:`SelfCriticism`: the yearly self-criticism review (tự phê bình và phê bình) of a
  member or an organisation, done or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.members.models import Member
from grassroots.organizations.models import Organization, OrganizationClosure
from grassroots.resolutions.models import Document


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Sinh hoạt thường kỳ"
    THEMATIC = "thematic", "Sinh hoạt chuyên đề"


class Presence(models.TextChoices):
    PRESENT = "present", "Có mặt"
    EXCUSED = "excused", "Vắng có lý do"
    ABSENT = "absent", "Vắng không lý do"


class BasisKind(models.TextChoices):
    SALARY = "salary", "Tiền lương đóng bảo hiểm xã hội"
    PENSION = "pension", "Lương hưu"
    STUDENT = "student", "Học sinh, sinh viên"
    FIXED = "fixed", "Mức cố định do cấp ủy quy định"


class MeetingQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The meeting's cell inside the subtree on the meeting's day (reading follows time);
        on ``day``: inside it that day."""
        if day is not None:
            return models.Q(organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(scope.in_subtree_at(scope_id, "organization_id", "date"))


class AttendanceQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        if day is not None:
            return models.Q(meeting__organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(
            meeting__in=Meeting.objects.filter(
                scope.in_subtree_at(scope_id, "organization_id", "date")
            )
        )


class FeePaymentQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        if day is not None:
            return models.Q(organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(scope.in_subtree_at(scope_id, "organization_id", "month"))


class FeeRemittanceQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        if day is not None:
            return models.Q(organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(scope.in_subtree_at(scope_id, "organization_id", "sent_on"))


class IncomeBasisQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The member was in the subtree on ``day`` (or on some day, as members are read)."""
        members = Member._default_manager.all()
        return models.Q(member__in=members.filter(members.scope_rule(scope_id, day)))


class Meeting(Versioned):
    """One meeting of a cell."""

    organization = models.ForeignKey(
        Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("ngày sinh hoạt")
    kind = models.CharField("loại", max_length=16, choices=MeetingKind.choices)
    theme = models.CharField("nội dung, chủ đề", max_length=300, blank=True)
    documents = models.ManyToManyField(
        Document, verbose_name="văn bản quán triệt", blank=True, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "buổi sinh hoạt chi bộ"
        verbose_name_plural = "buổi sinh hoạt chi bộ"
        ordering = ["-date", "organization_id", "kind"]
        indexes = [models.Index(fields=["organization", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date", "kind"], name="meeting_one_per_cell_day_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    """A member's attendance at a meeting."""

    # Each foreign key leads a composite index below, which serves its joins and look-ups.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", db_index=False
    )
    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    presence = models.CharField("tình hình dự", max_length=16, choices=Presence.choices)
    exempted = models.BooleanField("miễn sinh hoạt", default=False)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        ordering = ["meeting_id", "member_id"]
        indexes = [models.Index(fields=["member", "presence"])]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_presence_display()}"


class IncomeBasis(Versioned):
    """What a member's fee is computed from, from ``valid_from`` until the next basis."""

    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("căn cứ", max_length=16, choices=BasisKind.choices)
    amount = models.PositiveBigIntegerField(
        "số tiền (đồng)", default=0, help_text="lương, lương hưu, hoặc mức cố định; 0 với HS-SV"
    )
    valid_from = models.DateField("áp dụng từ ngày")
    note = models.CharField("ghi chú", max_length=200, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    objects = IncomeBasisQuerySet.as_manager()

    class Meta:
        verbose_name = "căn cứ đóng đảng phí"
        verbose_name_plural = "căn cứ đóng đảng phí"
        ordering = ["member_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="basis_one_per_day")
        ]


class FeePayment(Versioned):
    """The fee collected by a cell from a member for a month (``month`` = its first day)."""

    # Each foreign key leads a composite index below, which serves its joins and look-ups.
    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="chi bộ thu",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    month = models.DateField("tháng")
    due = models.PositiveBigIntegerField("phải đóng (đồng)")
    paid = models.PositiveBigIntegerField("đã đóng (đồng)")
    paid_on = models.DateField("ngày đóng")
    note = models.CharField("ghi chú", max_length=200, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FeePaymentQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng phí đã thu"
        verbose_name_plural = "đảng phí đã thu"
        ordering = ["-month", "organization_id", "member_id"]
        indexes = [models.Index(fields=["organization", "month"])]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="fee_one_per_member_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="fee_month_first_day"),
        ]


class FeeRemittance(Versioned):
    """An amount of party fees a cell sent upward for the months ``month_from``..``month_to``."""

    organization = models.ForeignKey(
        Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="+"
    )
    month_from = models.DateField("từ tháng")
    month_to = models.DateField("đến tháng")
    amount = models.PositiveBigIntegerField("số tiền nộp lên (đồng)")
    sent_on = models.DateField("ngày nộp")
    note = models.CharField("ghi chú", max_length=200, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    objects = FeeRemittanceQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng phí nộp cấp trên"
        verbose_name_plural = "đảng phí nộp cấp trên"
        ordering = ["-month_from", "organization_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month_from__lte=models.F("month_to")),
                name="remittance_period_order",
            )
        ]


# --- Study campaigns ---------------------------------------------------------------------------


class StudyTarget(models.TextChoices):
    ALL = "all", "Toàn thể đảng viên"
    OFFICIAL = "official", "Đảng viên chính thức"
    PROBATIONARY = "probationary", "Đảng viên dự bị"


class StudyCampaignQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The campaign's organisation inside the subtree (during the campaign; on ``day``), or
        above the scope's organisation then: a campaign of the district covers the commune, whose
        users read it and record its sessions."""
        inside = scope.organization_rule("organization_id", "start", "end_next")(scope_id, day)
        above = OrganizationClosure.objects.filter(
            ancestor_id=OuterRef("organization_id"), descendant_id=scope_id
        )
        if day is not None:
            above = above.filter(valid_from__lte=day).exclude(valid_to__lte=day)
        else:
            above = above.filter(scope.overlapping("start", "end_next"))
        return inside | models.Q(Exists(above))


class StudyCampaign(Versioned):
    """Studying one document in the subtree of ``organization`` from ``start`` to ``end``."""

    organization = models.ForeignKey(
        Organization, verbose_name="cấp tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        Document, verbose_name="văn bản", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("tên đợt học tập", max_length=300)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    #: The day after ``end`` (the scope rule's half-open interval), kept by ``save``.
    end_next = models.DateField(editable=False)
    target = models.CharField(
        "đối tượng", max_length=16, choices=StudyTarget.choices, default=StudyTarget.ALL
    )
    target_note = models.CharField(
        "đối tượng (ghi rõ)", max_length=300, blank=True, help_text="ví dụ: cán bộ chủ chốt"
    )
    plan_required = models.BooleanField("yêu cầu kế hoạch làm theo của cá nhân", default=False)
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StudyCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "đợt học tập, quán triệt"
        verbose_name_plural = "đợt học tập, quán triệt"
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="study_period_order"
            )
        ]

    def save(self, *args, **kwargs):
        from datetime import timedelta

        self.end_next = self.end + timedelta(days=1)
        if kwargs.get("update_fields") is not None and "end" in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "end_next"]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title


class StudySessionQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        if day is not None:
            return models.Q(organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(scope.in_subtree_at(scope_id, "organization_id", "date"))


class StudySession(Versioned):
    """A session of a campaign held by an organisation (a cell, a commune's committee…)."""

    campaign = models.ForeignKey(
        StudyCampaign, verbose_name="đợt học tập", on_delete=models.CASCADE, related_name="sessions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("ngày học tập")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    objects = StudySessionQuerySet.as_manager()

    class Meta:
        verbose_name = "buổi học tập, quán triệt"
        verbose_name_plural = "buổi học tập, quán triệt"
        ordering = ["campaign_id", "date", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization", "date"], name="study_session_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.date:%d/%m/%Y}"


class StudyAttendanceQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        sessions = StudySession.objects.all()
        return models.Q(session__in=sessions.filter(sessions.scope_rule(scope_id, day)))


class StudyAttendance(models.Model):
    """A member who attended a study session."""

    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="+"
    )

    objects = StudyAttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "đảng viên dự học tập"
        verbose_name_plural = "đảng viên dự học tập"
        ordering = ["session_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="study_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.session}"


class StudyPlan(Versioned):
    """A member's individual plan of action (kế hoạch làm theo) for a campaign."""

    campaign = models.ForeignKey(
        StudyCampaign, verbose_name="đợt học tập", on_delete=models.CASCADE, related_name="plans"
    )
    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField("ngày nộp")
    content = models.TextField("nội dung", blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    objects = IncomeBasisQuerySet.as_manager()  # the member's scope

    class Meta:
        verbose_name = "kế hoạch làm theo"
        verbose_name_plural = "kế hoạch làm theo"
        ordering = ["campaign_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="study_plan_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"


# --- Yearly self-criticism review ------------------------------------------------------------


class ReviewSubject(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    ORGANIZATION = "organization", "Tổ chức đảng"


class ReviewStatus(models.TextChoices):
    DONE = "done", "Đã kiểm điểm"
    NOT_DONE = "not_done", "Chưa kiểm điểm"


class SelfCriticismQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The reviewed organisation (a member's: their organisation on ``day``, the review's
        reference day) inside the subtree on that day; on ``day``: that day."""
        if day is not None:
            return models.Q(organization_id__in=scope.subtree_on(scope_id, day))
        return models.Q(scope.in_subtree_at(scope_id, "organization_id", "day"))


class SelfCriticism(Versioned):
    """The self-criticism review (tự phê bình và phê bình) of a member or an organisation for a
    year. ``organization`` is the reviewed organisation, or the member's organisation on ``day``
    (the review's day when done, else the day recorded, within the year)."""

    subject = models.CharField("đối tượng", max_length=16, choices=ReviewSubject.choices)
    year = models.PositiveSmallIntegerField("năm")
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("ngày tham chiếu", editable=False)
    status = models.CharField("tình trạng", max_length=16, choices=ReviewStatus.choices)
    reviewed_on = models.DateField("ngày kiểm điểm", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SelfCriticismQuerySet.as_manager()

    class Meta:
        verbose_name = "kiểm điểm tự phê bình và phê bình"
        verbose_name_plural = "kiểm điểm tự phê bình và phê bình"
        ordering = ["-year", "organization_id", "member_id"]
        indexes = [models.Index(fields=["year", "subject", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=models.Q(subject="member"),
                name="review_one_per_member_year",
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=models.Q(subject="organization"),
                name="review_one_per_organization_year",
            ),
            models.CheckConstraint(
                condition=models.Q(subject="organization", member__isnull=True)
                | models.Q(subject="member", member__isnull=False),
                name="review_subject_member",
            ),
            models.CheckConstraint(
                condition=models.Q(status="not_done") | models.Q(reviewed_on__isnull=False),
                name="review_done_has_day",
            ),
        ]

    def __str__(self) -> str:
        who = self.member if self.member_id else self.organization
        return f"{who} — {self.year}"
