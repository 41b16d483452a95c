"""Party development (phát triển đảng viên): candidates on their way to membership, each step they
pass dated and signed, and the admission targets an organisation sets itself."""

from django.conf import settings
from django.db import models

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.core.text import fold, name_collation_key
from grassroots.members.models import Gender, Member
from grassroots.organizations.models import Organization
from grassroots.places.models import Place


class Source(models.TextChoices):
    YOUTH_UNION = "youth_union", "Đoàn Thanh niên"
    WOMENS_UNION = "womens_union", "Hội Liên hiệp Phụ nữ"
    FARMERS_UNION = "farmers_union", "Hội Nông dân"
    VETERANS = "veterans", "Hội Cựu chiến binh"
    SCHOOL = "school", "Trường học"
    OTHER = "other", "Khác"


class Stage(models.TextChoices):
    """The steps in their order (DOMAIN.md, "Admission"); ``dropped`` ends the path anywhere."""

    IDENTIFIED = "identified", "Xác định nguồn"
    TRAINED = "trained", "Học lớp nhận thức về Đảng"
    APPLIED = "applied", "Làm đơn xin vào Đảng"
    VERIFIED = "verified", "Thẩm tra lý lịch"
    SPONSORED = "sponsored", "Giới thiệu vào Đảng"
    VOTED = "voted", "Chi bộ biểu quyết"
    DECIDED = "decided", "Quyết định kết nạp"
    ADMITTED = "admitted", "Lễ kết nạp (dự bị)"
    CONFIRMED = "confirmed", "Công nhận chính thức"
    NOT_CONFIRMED = "not_confirmed", "Không công nhận chính thức"
    DROPPED = "dropped", "Dừng (không tiếp tục)"


#: The path in order; each step needs the one before it.
PATH = (
    Stage.IDENTIFIED,
    Stage.TRAINED,
    Stage.APPLIED,
    Stage.VERIFIED,
    Stage.SPONSORED,
    Stage.VOTED,
    Stage.DECIDED,
    Stage.ADMITTED,
    Stage.CONFIRMED,
)
#: Stages after which nothing more happens.
FINAL = (Stage.CONFIRMED, Stage.NOT_CONFIRMED, Stage.DROPPED)


class CandidateQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The candidate's cell in the subtree (ever, or on ``day``)."""
        return scope.organization_rule("organization_id")(scope_id, day)


class Candidate(Versioned):
    """A person who is not (yet) a member, identified as a source by a cell. ``stage`` is the
    latest step (kept with every step); ``member`` is set by the admission ceremony."""

    code = models.CharField("mã quần chúng", max_length=40, unique=True)
    full_name = models.CharField("họ và tên", max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    name_key = models.CharField(max_length=400, db_index=True, editable=False)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=60, blank=True)
    education = models.CharField("trình độ học vấn", max_length=60, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    hometown = models.CharField("quê quán", max_length=200, blank=True)
    source = models.CharField("nguồn từ", max_length=16, choices=Source.choices)
    is_local = models.BooleanField("người tại chỗ", default=True)
    organization = models.ForeignKey(
        Organization, verbose_name="chi bộ", on_delete=models.PROTECT, related_name="candidates"
    )
    place = models.ForeignKey(
        Place, verbose_name="nơi cư trú", on_delete=models.PROTECT, related_name="candidates"
    )
    stage = models.CharField("bước hiện tại", max_length=16, choices=Stage.choices)
    member = models.OneToOneField(
        Member,
        verbose_name="đảng viên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate",
    )
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "quần chúng ưu tú"
        verbose_name_plural = "quần chúng ưu tú"
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.name_key = name_collation_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def stage_label(self) -> str:
        """The stage on the date a list was read for (``stage_on``), else the current one."""
        return Stage(getattr(self, "stage_on", None) or self.stage).label


class CandidateStep(models.Model):
    """One step a candidate passed, on ``date``, recorded by ``recorded_by``. Only the fields of
    its stage are filled: the certificate date is ``date`` of ``trained``; sponsors on
    ``sponsored``; the vote on ``voted`` (and on the confirmation); the decision number on
    ``decided``; the reason on ``dropped``/``not_confirmed``."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField("bước", max_length=16, choices=Stage.choices)
    date = models.DateField("ngày")
    sponsor_1 = models.ForeignKey(
        Member,
        verbose_name="người giới thiệu 1",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sponsor_2 = models.ForeignKey(
        Member,
        verbose_name="người giới thiệu 2",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    youth_union_sponsor = models.BooleanField("BCH Đoàn cơ sở giới thiệu", default=False)
    eligible = models.PositiveIntegerField("số đảng viên chính thức", null=True, blank=True)
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=40, blank=True)
    reason = models.CharField("lý do", max_length=300, blank=True)
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

    class Meta:
        verbose_name = "bước phát triển đảng viên"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["stage", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "stage"], name="candidate_step_once"),
            models.CheckConstraint(
                condition=models.Q(votes_for__isnull=True)
                | models.Q(eligible__isnull=False, votes_for__lte=models.F("eligible")),
                name="candidate_step_votes_le_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.date:%d/%m/%Y}"


class AdmissionTargetQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """The target's organisation in the subtree (ever, or on ``day``)."""
        return scope.organization_rule("organization_id")(scope_id, day)


class AdmissionTarget(Versioned):
    """An organisation's admission target for the years ``year_from``..``year_to`` (inclusive):
    at least ``per_year`` a year, and/or ``total`` over the whole period (e.g. a congress
    resolution's term target)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="admission_targets",
    )
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")
    per_year = models.PositiveIntegerField("mỗi năm ít nhất", null=True, blank=True)
    total = models.PositiveIntegerField("cả giai đoạn ít nhất", null=True, blank=True)
    source = models.CharField("căn cứ", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)

    objects = AdmissionTargetQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu kết nạp đảng viên"
        verbose_name_plural = "chỉ tiêu kết nạp đảng viên"
        ordering = ["organization_id", "year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year_from", "year_to"], name="admission_target_once"
            ),
            models.CheckConstraint(
                condition=models.Q(year_from__lte=models.F("year_to")),
                name="admission_target_years_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(per_year__isnull=False) | models.Q(total__isnull=False),
                name="admission_target_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_from}–{self.year_to}"

    def for_year(self, year: int) -> int | None:
        """The number to reach in ``year``: ``per_year``, else the term total spread evenly."""
        if self.per_year is not None:
            return self.per_year
        years = self.year_to - self.year_from + 1
        assert self.total is not None  # the admission_target_has_value constraint
        return -(-self.total // years)
