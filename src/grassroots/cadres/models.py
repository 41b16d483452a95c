"""Cadres (cán bộ): congresses and the committees they elect, the catalogue of positions and the
appointments that hold them over time, succession planning (quy hoạch) with its yearly review,
and rotation and reassignment (luân chuyển, điều động). DOMAIN.md, "Cadres".

Every appointment is valid on ``[valid_from, valid_to)`` like the rest of the registry: "who held
this post on D" and "the committee on D" are plain as-of-date queries. A congress's result is a set
of appointments (``how = elected``, ``congress`` set); changes during the term are appointments
and departures.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.core.temporal import ValidityMixin, ValidityQuerySet
from grassroots.core.text import name_collation_key
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import Organization
from grassroots.resolutions.models import Document


class Body(models.TextChoices):
    PARTY = "party", "Đảng"
    STATE = "state", "Chính quyền"
    MASS = "mass", "Mặt trận, đoàn thể"


class Committee(models.TextChoices):
    """Which elected body a party position belongs to (blank: none)."""

    EXECUTIVE = "executive", "Ban Chấp hành"
    STANDING = "standing", "Ban Thường vụ"
    INSPECTION = "inspection", "Ủy ban Kiểm tra"


class How(models.TextChoices):
    ELECTED = "elected", "Bầu tại đại hội"
    APPOINTED = "appointed", "Bổ nhiệm, chỉ định"
    DESIGNATED = "designated", "Phân công"


class EndReason(models.TextChoices):
    TERM_ENDED = "term_ended", "Hết nhiệm kỳ"
    MOVED = "moved", "Chuyển công tác"
    DISMISSED = "dismissed", "Cách chức, kỷ luật"
    RESIGNED = "resigned", "Thôi giữ chức"
    RETIRED = "retired", "Nghỉ hưu"
    DIED = "died", "Từ trần"
    OTHER = "other", "Khác"


class Discipline(models.TextChoices):
    """Disciplinary measures against members, mildest first (Quy định 296-QĐ/TW)."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DISMISSAL = "dismissal", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"


class RemovalReason(models.TextChoices):
    OVER_AGE = "over_age", "Quá tuổi"
    DISCIPLINED = "disciplined", "Bị kỷ luật từ khiển trách trở lên"
    STANDARDS = "standards", "Không còn đủ tiêu chuẩn"
    APPOINTED = "appointed", "Đã được bố trí vào chức danh"
    OTHER = "other", "Lý do khác"


class Direction(models.TextChoices):
    """Columns of Biểu 11-BTCTW (luân chuyển cán bộ)."""

    DOWN = "upper_to_lower", "Từ trên xuống"
    UP = "lower_to_upper", "Từ dưới lên"
    ACROSS_LOCALITIES = "across_localities", "Giữa các địa phương"
    ACROSS_BODIES = "across_bodies", "Giữa các cơ quan cùng cấp"


class MoveKind(models.TextChoices):
    ROTATION = "rotation", "Luân chuyển"
    REASSIGNMENT = "reassignment", "Điều động"


# --- Scope rules ------------------------------------------------------------------------------


class PositionQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The catalogue of positions is shared reference data: every signed-in user reads it."""
        return Q()


class OrganizationScoped(scope.ScopedQuerySet):
    """Rows of an organisation (``organization_id``): ever, or on a day, inside the subtree."""

    def scope_rule(self, scope_id, day):
        return scope.organization_rule("organization_id")(scope_id, day)


# As ``members.SpanQuerySet``: django-stubs reports the validity queryset's manager as an
# incompatible override of ``ValidityMixin.objects``.
class AppointmentQuerySet(  # type: ignore[override]
    scope.ScopedQuerySet["Appointment"], ValidityQuerySet["Appointment"]
):
    def scope_rule(self, scope_id, day):
        """The appointment's organisation inside the subtree during the appointment (ever), or
        on ``day``."""
        return scope.organization_rule("organization_id", "valid_from", "valid_to")(scope_id, day)


class PlanEntryQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        return scope.organization_rule("plan__organization_id")(scope_id, day)


class RotationQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """A rotation belongs to both ends: the organisation the cadre left and the one they
        went to."""
        rule = scope.organization_rule
        return rule("from_organization_id")(scope_id, day) | rule("to_organization_id")(
            scope_id, day
        )


# --- Models -----------------------------------------------------------------------------------


#: Codes of the catalogue's party posts (the data migration creates them).
SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
STANDING_MEMBER = "standing_member"
EXECUTIVE_MEMBER = "executive_member"
INSPECTION_CHAIR = "inspection_chair"
INSPECTION_DEPUTY = "inspection_deputy"
INSPECTION_MEMBER = "inspection_member"


class Position(models.Model):
    """One post of the catalogue: a party post (secretary…), or a post of the state or a mass
    organisation of the organisation's place. ``committee`` says which elected body a party
    post belongs to; ``order`` sorts posts as a committee lists them."""

    code = models.CharField("mã chức danh", max_length=40, unique=True)
    name = models.CharField("chức danh", max_length=120)
    body = models.CharField("khối", max_length=8, choices=Body.choices)
    committee = models.CharField(
        "thuộc", max_length=12, choices=Committee.choices, blank=True, default=""
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=50)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party(self) -> bool:
        return self.body == Body.PARTY


class Person(Versioned):
    """Someone who is not in the member registry but holds a non-party post (a village head,
    a mass-organisation chair): the profile the cadre figures read."""

    code = models.CharField("mã", max_length=40, unique=True)
    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức quản lý", on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField("họ và tên", max_length=200)
    name_key = models.CharField(max_length=400, db_index=True, editable=False, default="")
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=60, blank=True)
    education = models.CharField("trình độ học vấn", max_length=60, blank=True)
    political_theory = models.CharField("lý luận chính trị", max_length=60, blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = OrganizationScoped.as_manager()

    class Meta:
        verbose_name = "người ngoài Đảng"
        verbose_name_plural = "người ngoài Đảng"
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = name_collation_key(self.full_name)
        super().save(*args, **kwargs)


class Congress(Versioned):
    """A congress of a party organisation (Đại hội lần thứ III), opening the term
    ``term_from``–``term_to``; its result is recorded as appointments."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField("lần thứ")
    term_from = models.PositiveSmallIntegerField("nhiệm kỳ từ năm")
    term_to = models.PositiveSmallIntegerField("nhiệm kỳ đến năm")
    starts_on = models.DateField("khai mạc")
    ends_on = models.DateField("bế mạc")
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganizationScoped.as_manager()

    class Meta:
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="congress_number"),
            models.CheckConstraint(
                condition=Q(term_from__lt=models.F("term_to")), name="congress_term_order"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="congress_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Đại hội lần thứ {self.roman} ({self.term_from}–{self.term_to})"

    @property
    def roman(self) -> str:
        return roman(self.number)

    @property
    def term(self) -> str:
        return f"{self.term_from}–{self.term_to}"


def roman(number: int) -> str:
    """``3`` → ``III`` (congress numbers are written in Roman numerals)."""
    out = []
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class Appointment(Versioned, ValidityMixin):
    """A person holds ``position`` in ``organization`` during ``[valid_from, valid_to)``.

    The person is a registry member or, for a non-party post only, a :class:`Person`."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        Position, verbose_name="chức danh", on_delete=models.PROTECT, related_name="appointments"
    )
    member = models.ForeignKey(
        Member,
        verbose_name="đảng viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="người ngoài Đảng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    how = models.CharField("hình thức", max_length=12, choices=How.choices)
    congress = models.ForeignKey(
        Congress,
        verbose_name="đại hội",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    decision = models.ForeignKey(
        Document,
        verbose_name="quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.CharField(
        "lý do thôi", max_length=12, choices=EndReason.choices, blank=True
    )
    end_decision = models.ForeignKey(
        Document,
        verbose_name="quyết định thôi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AppointmentQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta(ValidityMixin.Meta):
        verbose_name = "bổ nhiệm"
        verbose_name_plural = "bổ nhiệm"
        ordering = ["organization_id", "position__order", "valid_from", "id"]
        indexes = [
            models.Index(fields=["organization", "position", "valid_from"]),
            models.Index(fields=["member", "valid_from"]),
            models.Index(fields=["position", "valid_from"]),
        ]
        constraints = [
            *ValidityMixin.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(person__isnull=True))
                | (Q(member__isnull=True) & Q(person__isnull=False)),
                name="appointment_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} — {self.position}"

    @property
    def holder(self):
        return self.member if self.member_id else self.person

    @property
    def holder_name(self) -> str:
        holder = self.holder
        return holder.full_name if holder else ""

    @property
    def holder_code(self) -> str:
        holder = self.holder
        return holder.code if holder else ""


class Plan(Versioned):
    """The succession plan (quy hoạch) of an organisation for the term ``term_from``–``term_to``,
    whose congress is expected on ``term_starts_on`` (the day the age rule is judged on)."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.PROTECT, related_name="+"
    )
    term_from = models.PositiveSmallIntegerField("nhiệm kỳ từ năm")
    term_to = models.PositiveSmallIntegerField("nhiệm kỳ đến năm")
    term_starts_on = models.DateField("ngày bắt đầu nhiệm kỳ (dự kiến đại hội)")
    approved_on = models.DateField("ngày phê duyệt")
    decision = models.ForeignKey(
        Document,
        verbose_name="quyết định phê duyệt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganizationScoped.as_manager()

    class Meta:
        verbose_name = "quy hoạch"
        verbose_name_plural = "quy hoạch"
        ordering = ["-term_from", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "term_from"], name="plan_one_per_term"),
            models.CheckConstraint(
                condition=Q(term_from__lt=models.F("term_to")), name="plan_term_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Quy hoạch nhiệm kỳ {self.term_from}–{self.term_to}"


class PlanEntry(Versioned):
    """One member planned for one position of a plan, from ``added_on`` until ``removed_on``
    (with its reason). The discipline fields hold the member's discipline until the inspections
    module records it (``services.remove_from_plans_for_discipline``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries")
    position = models.ForeignKey(
        Position, verbose_name="chức danh", on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name="đảng viên", on_delete=models.PROTECT, related_name="plan_entries"
    )
    added_on = models.DateField("ngày đưa vào")
    removed_on = models.DateField("ngày đưa ra", null=True, blank=True)
    removal_reason = models.CharField(
        "lý do đưa ra", max_length=12, choices=RemovalReason.choices, blank=True
    )
    removal_note = models.TextField("ghi chú đưa ra", blank=True)
    discipline = models.CharField("kỷ luật", max_length=12, choices=Discipline.choices, blank=True)
    disciplined_on = models.DateField("ngày kỷ luật", null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "người trong quy hoạch"
        verbose_name_plural = "người trong quy hoạch"
        ordering = ["plan_id", "position__order", "added_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="plan_entry_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.position}"

    def active_on(self, day) -> bool:
        return self.added_on <= day and (self.removed_on is None or day < self.removed_on)


class PlanReview(Versioned):
    """The yearly review of a plan: who was added and who removed that year are the entries
    dated in it; the review records when it was done and its conclusion."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField("năm rà soát")
    reviewed_on = models.DateField("ngày rà soát")
    note = models.TextField("kết luận", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "rà soát quy hoạch"
        verbose_name_plural = "rà soát quy hoạch"
        ordering = ["plan_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="plan_review_one_per_year")
        ]

    def __str__(self) -> str:
        return f"Rà soát năm {self.year}"


class Rotation(Versioned):
    """A cadre moved from one post to another (rotation or reassignment), from ``starts_on`` to
    ``planned_end`` (the actual end once it is known)."""

    member = models.ForeignKey(
        Member, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="rotations"
    )
    kind = models.CharField("hình thức", max_length=12, choices=MoveKind.choices)
    direction = models.CharField("hướng", max_length=20, choices=Direction.choices)
    from_organization = models.ForeignKey(
        Organization, verbose_name="từ tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    from_post = models.CharField("chức vụ trước", max_length=200, blank=True)
    to_organization = models.ForeignKey(
        Organization, verbose_name="đến tổ chức", on_delete=models.PROTECT, related_name="+"
    )
    to_post = models.CharField("chức vụ mới", max_length=200, blank=True)
    starts_on = models.DateField("ngày bắt đầu")
    planned_end = models.DateField("dự kiến kết thúc", null=True, blank=True)
    actual_end = models.DateField("ngày kết thúc", null=True, blank=True)
    decision = models.ForeignKey(
        Document,
        verbose_name="quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RotationQuerySet.as_manager()

    class Meta:
        verbose_name = "luân chuyển, điều động"
        verbose_name_plural = "luân chuyển, điều động"
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["starts_on"]), models.Index(fields=["planned_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=models.F("starts_on")),
                name="rotation_planned_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_end__gt=models.F("starts_on")),
                name="rotation_actual_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.member}: {self.from_organization} → {self.to_organization}"
