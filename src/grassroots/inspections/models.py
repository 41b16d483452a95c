"""Inspection, supervision and discipline (kiểm tra, giám sát và kỷ luật; Quy định 296-QĐ/TW):
programmes of planned inspections and supervisions, the cases with their dated steps, the
discipline decisions with their votes and effects on the registry, and the appeals.

Cases are confidential: their queryset names ``read_role = inspector``, so the one scope
primitive (``core.scope``) shows them only to inspectors within scope (and administrators).
Discipline decisions are not: everyone in scope sees that a member or an organisation was
disciplined (level, date, decision), never the case behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.core import roles, scope
from grassroots.core.locking import Versioned
from grassroots.members.models import Member, MemberEvent
from grassroots.organizations.models import Organization
from grassroots.resolutions.models import Document


class Kind(models.TextChoices):
    """Kinds of inspection and supervision (Quy định 296-QĐ/TW)."""

    SUPERVISION_REGULAR = "supervision_regular", "Giám sát thường xuyên"
    SUPERVISION_THEMATIC = "supervision_thematic", "Giám sát chuyên đề"
    INSPECTION_SIGNS = "inspection_signs", "Kiểm tra khi có dấu hiệu vi phạm"
    INSPECTION_TASKS = "inspection_tasks", "Kiểm tra việc thực hiện nhiệm vụ"
    INSPECTION_LOWER = "inspection_lower", "Kiểm tra công tác kiểm tra của cấp dưới"
    INSPECTION_FINANCE = "inspection_finance", "Kiểm tra tài chính, thu nộp đảng phí"


class Subject(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    ORGANIZATION = "organization", "Tổ chức đảng"


class ProgrammeKind(models.TextChoices):
    TERM = "term", "Toàn khóa"
    YEAR = "year", "Hằng năm"


class Step(models.TextChoices):
    """The steps of a case, in their order; each needs the one before, on the same day or later."""

    DECIDED = "decided", "Quyết định kiểm tra, giám sát"
    PLANNED = "planned", "Kế hoạch"
    NOTIFIED = "notified", "Thông báo"
    VERIFIED = "verified", "Thẩm tra, xác minh"
    REPORTED = "reported", "Báo cáo kết quả"
    CONCLUDED = "concluded", "Kết luận"


#: The steps in order with the case's date field of each.
STEPS = (
    (Step.DECIDED, "decided_on"),
    (Step.PLANNED, "planned_on"),
    (Step.NOTIFIED, "notified_on"),
    (Step.VERIFIED, "verified_on"),
    (Step.REPORTED, "reported_on"),
    (Step.CONCLUDED, "concluded_on"),
)


class Conclusion(models.TextChoices):
    NO_VIOLATION = "no_violation", "Không vi phạm"
    VIOLATION = "violation", "Có vi phạm, chưa đến mức kỷ luật"
    DISCIPLINE = "discipline", "Có vi phạm, đến mức phải kỷ luật"


class Level(models.TextChoices):
    """Discipline levels: members reprimand to expulsion; organisations reprimand, warning,
    dissolution."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DISMISSAL = "dismissal", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"
    DISSOLUTION = "dissolution", "Giải tán"


MEMBER_LEVELS = (Level.REPRIMAND, Level.WARNING, Level.DISMISSAL, Level.EXPULSION)
PROBATIONARY_LEVELS = (Level.REPRIMAND, Level.WARNING)
ORGANIZATION_LEVELS = (Level.REPRIMAND, Level.WARNING, Level.DISSOLUTION)


class ViolationKind(models.TextChoices):
    POLITICAL = "political", "Chính trị tư tưởng"
    PRINCIPLES = "principles", "Nguyên tắc tổ chức, sinh hoạt đảng"
    DUTIES = "duties", "Thực hiện nhiệm vụ được giao"
    FINANCE = "finance", "Tài chính, đảng phí"
    LAND = "land", "Đất đai, tài nguyên"
    ETHICS = "ethics", "Đạo đức, lối sống"
    POPULATION = "population", "Chính sách dân số"
    OTHER = "other", "Khác"


class DecisionStatus(models.TextChoices):
    IN_FORCE = "in_force", "Có hiệu lực"
    CHANGED = "changed", "Đã thay đổi khi giải quyết khiếu nại"
    CANCELLED = "cancelled", "Đã hủy khi giải quyết khiếu nại"


class Outcome(models.TextChoices):
    PENDING = "pending", "Đang giải quyết"
    UPHELD = "upheld", "Giữ nguyên"
    CHANGED = "changed", "Thay đổi hình thức kỷ luật"
    CANCELLED = "cancelled", "Hủy quyết định kỷ luật"


class OwnedQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The organisation the record belongs to in the subtree (ever, or on ``day``)."""
        return scope.organization_rule("organization_id")(scope_id, day)


class ConfidentialQuerySet(OwnedQuerySet):
    """Inspection records: only the inspector role (and administrators) read them."""

    read_role = roles.INSPECTOR


class Programme(Versioned):
    """A committee's programme of inspection and supervision for its term or for one year."""

    organization = models.ForeignKey(
        Organization, verbose_name="cấp ủy", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại chương trình", max_length=8, choices=ProgrammeKind.choices)
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")
    title = models.CharField("tên chương trình", max_length=300)
    issued_by = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    note = models.TextField("ghi chú", blank=True)
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "chương trình kiểm tra, giám sát"
        verbose_name_plural = "chương trình kiểm tra, giám sát"
        ordering = ["-year_from", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_from__lte=models.F("year_to")),
                name="programme_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        years = str(self.year_from)
        if self.year_to != self.year_from:
            years += f"–{self.year_to}"
        return f"{self.title} ({years})"


class ProgrammeItem(models.Model):
    """One planned inspection or supervision of a programme: its kind, subject, topic and
    period; done when a case carries it out (``Case.item``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    organization = models.ForeignKey(
        Organization, verbose_name="cấp ủy", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    subject_organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng được kiểm tra",
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên được kiểm tra",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField("nội dung", max_length=300)
    year = models.PositiveSmallIntegerField("năm")
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "nội dung kiểm tra, giám sát theo chương trình"
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="programme_item_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(subject="organization", member__isnull=True)
                | models.Q(subject="member", member__isnull=False),
                name="programme_item_subject_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"


class Case(Versioned):
    """One inspection or supervision: its kind, deciding body, decision, team, dated steps,
    findings and conclusion. ``organization`` is the organisation inspected, or the member's
    organisation on the decision's day: scope reads it. Confidential (inspector role)."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ProgrammeItem,
        verbose_name="theo chương trình",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    code = models.CharField("mã cuộc kiểm tra", max_length=40, unique=True)
    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên được kiểm tra",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField("nội dung", max_length=300)
    deciding_body = models.CharField("cơ quan quyết định", max_length=200)
    decision_number = models.CharField("số quyết định", max_length=40)
    document = models.ForeignKey(
        Document,
        verbose_name="văn bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.TextField("đoàn (tổ) kiểm tra", blank=True)
    decided_on = models.DateField("ngày quyết định")
    planned_on = models.DateField("ngày kế hoạch", null=True, blank=True)
    notified_on = models.DateField("ngày thông báo", null=True, blank=True)
    verified_on = models.DateField("ngày thẩm tra, xác minh", null=True, blank=True)
    reported_on = models.DateField("ngày báo cáo", null=True, blank=True)
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    findings = models.TextField("kết quả thẩm tra, xác minh", blank=True)
    conclusion = models.CharField("kết luận", max_length=16, choices=Conclusion.choices, blank=True)
    violation_kind = models.CharField(
        "loại vi phạm", max_length=16, choices=ViolationKind.choices, blank=True
    )
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)

    objects = ConfidentialQuerySet.as_manager()

    class Meta:
        verbose_name = "cuộc kiểm tra, giám sát"
        verbose_name_plural = "cuộc kiểm tra, giám sát"
        ordering = ["-decided_on", "code"]
        indexes = [models.Index(fields=["kind", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="organization", member__isnull=True)
                | models.Q(subject="member", member__isnull=False),
                name="case_subject_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(concluded_on__isnull=True) | ~models.Q(conclusion=""),
                name="case_concluded_has_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.topic}"

    @property
    def step(self) -> Step:
        """The latest step taken (the case's state)."""
        current = Step.DECIDED
        for step, field in STEPS:
            if getattr(self, field) is not None:
                current = step
        return current

    @property
    def steps(self) -> list[tuple[str, object]]:
        return [(step.label, getattr(self, field)) for step, field in STEPS]


class DisciplineDecision(Versioned):
    """A discipline decision on a member or an organisation. ``organization`` is the disciplined
    organisation or the member's organisation on the decision's day (scope). ``left_event`` and
    ``dissolved_on`` are its effects on the registry (expulsion, dissolution), recorded through
    the registry's services; an appeal that cancels or changes it withdraws them."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("mã quyết định kỷ luật", max_length=40, unique=True)
    subject = models.CharField("đối tượng", max_length=16, choices=Subject.choices)
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên bị kỷ luật",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_decisions",
    )
    case = models.ForeignKey(
        Case,
        verbose_name="cuộc kiểm tra",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    level = models.CharField("hình thức kỷ luật", max_length=16, choices=Level.choices)
    violation_kind = models.CharField("loại vi phạm", max_length=16, choices=ViolationKind.choices)
    violation_date = models.DateField("ngày vi phạm")
    decided_on = models.DateField("ngày quyết định")
    deciding_body = models.CharField("cơ quan quyết định", max_length=200)
    decision_number = models.CharField("số quyết định", max_length=40)
    document = models.ForeignKey(
        Document,
        verbose_name="văn bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    votes_for = models.PositiveIntegerField("số phiếu tán thành")
    votes_total = models.PositiveIntegerField("tổng số thành viên biểu quyết")
    status = models.CharField(
        "hiệu lực", max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    left_event = models.ForeignKey(
        MemberEvent,
        verbose_name="sự kiện ra khỏi Đảng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dissolved_on = models.DateField("giải tán từ ngày", null=True, blank=True)
    #: What the decision changed in the cadres app (``effects``), to withdraw exactly that on
    #: appeal: ``{"appointments": [[id, valid_to before or null], …], "plan_entries": [id, …]}``.
    cadre_effects = models.JSONField("tác động đến cán bộ", default=dict, blank=True)
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
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "quyết định kỷ luật"
        verbose_name_plural = "quyết định kỷ luật"
        ordering = ["-decided_on", "code"]
        indexes = [models.Index(fields=["subject", "level", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="organization", member__isnull=True)
                | models.Q(subject="member", member__isnull=False),
                name="discipline_subject_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(votes_for__lte=models.F("votes_total")),
                name="discipline_votes_le_total",
            ),
        ]

    def __str__(self) -> str:
        who = self.member if self.member else self.organization
        return f"{self.get_level_display()} {who} ({self.decision_number})"

    @property
    def subject_code(self) -> str:
        return self.member.code if self.member else self.organization.code


class Appeal(models.Model):
    """An appeal (khiếu nại) against a discipline decision: lodged, then decided — upheld,
    changed to another level, or the decision cancelled."""

    decision = models.ForeignKey(
        DisciplineDecision, on_delete=models.CASCADE, related_name="appeals"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    lodged_on = models.DateField("ngày khiếu nại")
    decided_on = models.DateField("ngày giải quyết", null=True, blank=True)
    outcome = models.CharField(
        "kết quả", max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    new_level = models.CharField("hình thức mới", max_length=16, choices=Level.choices, blank=True)
    deciding_body = models.CharField("cơ quan giải quyết", max_length=200, blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "khiếu nại kỷ luật"
        verbose_name_plural = "khiếu nại kỷ luật"
        ordering = ["lodged_on", "id"]

    def __str__(self) -> str:
        return f"Khiếu nại ngày {self.lodged_on:%d/%m/%Y}"
