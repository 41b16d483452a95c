"""Party members: a profile, an append-only history of events (the truth), and the membership
spans derived from those events (what figures read)."""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from grassroots.core import scope
from grassroots.core.locking import Versioned
from grassroots.core.temporal import ValidityMixin, ValidityQuerySet, valid_on
from grassroots.core.text import fold, name_collation_key
from grassroots.members import profile
from grassroots.organizations.models import Organization, OrganizationClosure
from grassroots.places.models import Place


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "Dự bị"
    OFFICIAL = "official", "Chính thức"


class EventKind(models.TextChoices):
    ADMITTED = "admitted", "Kết nạp"
    CONFIRMED = "confirmed", "Công nhận chính thức"
    JOINED_OFFICIAL = "joined_official", "Chuyển đến (chính thức)"
    JOINED_PROBATIONARY = "joined_probationary", "Chuyển đến (dự bị)"
    MOVED = "moved", "Chuyển sinh hoạt nội bộ"
    EXEMPTED = "exempted", "Miễn công tác và sinh hoạt đảng"
    EXEMPTION_ENDED = "exemption_ended", "Thôi miễn công tác và sinh hoạt"
    LEFT = "left", "Ra khỏi danh sách"
    CANCELLED = "cancelled", "Hủy sự kiện (đính chính)"


class LeftReason(models.TextChoices):
    TRANSFERRED_OUT = "transferred_out", "Chuyển sinh hoạt đi"
    DIED = "died", "Từ trần"
    REMOVED = "removed", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    NOT_CONFIRMED = "not_confirmed", "Không được công nhận chính thức"


class MemberQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """Ever (time-aware): a member with a span or an event in the subtree while the
        organisation was in it. On a day: the member's span on that day, or their last span
        before it, is in Subtree(scope, day) — a member who moved away, or whose cell moved
        away, is no longer the scope's to change."""
        ever = scope.subtree_ever(scope_id)
        if day is None:
            spans = MembershipSpan.objects.filter(
                scope.in_subtree_during(scope_id), organization_id__in=ever
            )
            events = MemberEvent.objects.filter(
                scope.in_subtree_at(scope_id), organization_id__in=ever
            )
            return Q(pk__in=spans.values("member_id")) | Q(pk__in=events.values("member_id"))
        later = MembershipSpan.objects.filter(
            member_id=OuterRef("member_id"),
            valid_from__gt=OuterRef("valid_from"),
            valid_from__lte=day,
        )
        last = MembershipSpan.objects.filter(
            ~Exists(later),
            valid_from__lte=day,
            organization_id__in=scope.subtree_on(scope_id, day),
        )
        return Q(pk__in=last.values("member_id"))


class Member(Versioned):
    """A party member's profile. ``code`` is the stable ``member_id`` of the interchange format."""

    code = models.CharField("mã đảng viên", max_length=40, unique=True)
    full_name = models.CharField("họ và tên", max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    name_key = models.CharField(max_length=400, db_index=True, editable=False)
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=60, blank=True)
    religion = models.CharField("tôn giáo", max_length=60, blank=True)
    education = models.CharField("trình độ học vấn", max_length=60, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=120, blank=True)
    hometown = models.CharField("quê quán", max_length=200, blank=True)
    national_id = models.CharField("số CCCD", max_length=20, blank=True)
    party_card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True)
    #: From the Phiếu đảng viên, known even when the registry has no event on that day (a
    #: veteran admitted before the registry's history): party age counts from ``admitted_on``.
    admitted_on = models.DateField("ngày vào Đảng", null=True, blank=True)
    confirmed_on = models.DateField("ngày chính thức", null=True, blank=True)
    #: Membership lost and restored before the registry's history (``replay.parse_gaps``:
    #: ``YYYY-MM-DD/YYYY-MM-DD;…``): party age counts from ``admitted_on`` minus these.
    earlier_gaps = models.CharField(
        "gián đoạn trước khi có lịch sử", max_length=400, blank=True, default=""
    )
    # The Phiếu đảng viên (Mẫu 2-HSĐV); the dated fields change through MemberProfileChange.
    other_names = models.CharField("tên gọi khác", max_length=200, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=300, blank=True)
    occupation_group = models.CharField(
        "nhóm nghề nghiệp", max_length=24, choices=profile.OccupationGroup.choices, blank=True
    )
    youth_union_date = models.DateField("ngày vào Đoàn TNCS Hồ Chí Minh", null=True, blank=True)
    general_education = models.CharField(
        "giáo dục phổ thông", max_length=16, choices=profile.GeneralEducation.choices, blank=True
    )
    specialist_training = models.CharField(
        "chuyên môn, nghiệp vụ",
        max_length=16,
        choices=profile.SpecialistTraining.choices,
        blank=True,
    )
    degree = models.CharField("học vị, chuyên ngành", max_length=200, blank=True)
    academic_title = models.CharField(
        "học hàm", max_length=24, choices=profile.AcademicTitle.choices, blank=True
    )
    political_theory = models.CharField(
        "lý luận chính trị", max_length=16, choices=profile.PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField("quản lý nhà nước", max_length=100, blank=True)
    foreign_language = models.CharField("ngoại ngữ", max_length=100, blank=True)
    it_skill = models.CharField("tin học", max_length=100, blank=True)
    file_number = models.CharField("số lý lịch", max_length=40, blank=True)
    photo = models.ImageField("ảnh", upload_to="members/photos/", blank=True)
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    if TYPE_CHECKING:
        # Set on loaded members by the lists and the API (``selectors.attach_spans``): the span
        # on the day shown (None: not a member that day), and that day (API detail).
        span: "MembershipSpan | None"
        as_of: date

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def earlier_gaps_display(self) -> str:
        from grassroots.members.replay import gaps_display

        return gaps_display(self.earlier_gaps)

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.name_key = name_collation_key(self.full_name)
        super().save(*args, **kwargs)


class MemberEventQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """Ever: events dated while the member was inside the subtree (a span covering the
        date, its end included, whose organisation was in the subtree on that date), and
        events naming an organisation of the subtree on their date. On a day: the events of
        the members the scope may change on that day."""
        if day is not None:
            return Q(
                member__in=Member.objects.filter(Member.objects.all().scope_rule(scope_id, day))
            )
        inside = OrganizationClosure.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(OuterRef("date"))),
            ancestor_id=scope_id,
            descendant_id=OuterRef("organization_id"),
            valid_from__lte=OuterRef(OuterRef("date")),
        )
        covering = MembershipSpan.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("date")),
            Exists(inside),
            member_id=OuterRef("member_id"),
            valid_from__lte=OuterRef("date"),
        )
        # first the members the scope reads (an indexed IN), then each of their events
        members = Member.objects.filter(Member.objects.all().scope_rule(scope_id, None))
        return Q(member_id__in=members.values("pk")) & (
            Q(Exists(covering))
            | Q(scope.in_subtree_at(scope_id), organization_id__in=scope.subtree_ever(scope_id))
        )


class MemberEvent(models.Model):
    """One fact of a member's history, effective on ``date``. Append-only: a correction is a new
    event that ``supersedes`` an earlier one (kind ``cancelled`` withdraws it); both stay."""

    # db_index=False where a composite index below starts with the column: one index less to
    # maintain for every imported row.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    date = models.DateField("ngày hiệu lực")
    kind = models.CharField("sự kiện", max_length=24, choices=EventKind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="tổ chức đảng",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_events",
        db_index=False,
    )
    place = models.ForeignKey(
        Place,
        verbose_name="địa bàn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_events",
    )
    reason = models.CharField("lý do", max_length=20, choices=LeftReason.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="đính chính cho",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MemberEventQuerySet.as_manager()

    class Meta:
        verbose_name = "sự kiện đảng viên"
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["member", "date"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["organization", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="left") | models.Q(reason=""), name="event_reason_only_left"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="left") | ~models.Q(reason=""), name="event_left_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


# django-stubs generates a manager class per ``as_manager()`` and does not relate the one of a
# subclass to its base's: a queryset (and a manager) extending ``ValidityQuerySet`` (and
# ``ValidityMixin.objects``) is reported as an incompatible override.
class SpanQuerySet(  # type: ignore[override]
    scope.ScopedQuerySet["MembershipSpan"], ValidityQuerySet["MembershipSpan"]
):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """Ever: spans while their organisation was in the subtree; on a day: spans valid on
        that day in Subtree(scope, day)."""
        if day is not None:
            return valid_on(day) & Q(organization_id__in=scope.subtree_on(scope_id, day))
        return Q(scope.in_subtree_during(scope_id)) & Q(
            organization_id__in=scope.subtree_ever(scope_id)
        )


class MembershipSpan(ValidityMixin):
    """Derived from the events, in the same transaction as every change: during the interval the
    member had ``status`` in ``organization`` at ``place`` (and was exempted or not)."""

    # Each column leads a composite index below, which serves its joins and look-ups.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="spans", db_index=False
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=16, choices=Status.choices)
    exempted = models.BooleanField(default=False)
    #: ``valid_from`` moved back by the member's days of membership before this span: the party
    #: age on a day D inside the span is D − ``served_since`` (gaps do not count). Derived by
    #: ``members.replay`` with the span.
    served_since = models.DateField()

    if TYPE_CHECKING:
        # Set by ``selectors.attach_spans``: the names of the organisation and the place that day.
        organization_name: str
        place_name: str

    objects = SpanQuerySet.as_manager()  # type: ignore[assignment,misc]  # see SpanQuerySet

    class Meta(ValidityMixin.Meta):
        ordering = ["member_id", "valid_from"]
        indexes = [
            models.Index(fields=["organization", "valid_from", "valid_to"]),
            models.Index(fields=["place", "valid_from", "valid_to"]),
            models.Index(fields=["member", "valid_from"]),
        ]


class ProfileChangeQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """The changes of the members the scope reads (on ``day``: may change on that day)."""
        members = Member.objects.filter(Member.objects.all().scope_rule(scope_id, day))
        return Q(member_id__in=members.values("pk"))


class MemberProfileChange(models.Model):
    """A dated change of one field of the member record (Phiếu bổ sung hồ sơ đảng viên, Mẫu
    3-HSĐV): from ``date`` on, ``field`` has ``value``. Append-only; the member's own field holds
    the value before the first change, and a form for day D reads the last change dated on or
    before D (``members.selectors.profile_on``)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="profile_changes", db_index=False
    )
    date = models.DateField("ngày hiệu lực")
    field = models.CharField(
        "thông tin", max_length=24, choices=[(f, f) for f in profile.DATED_FIELDS]
    )
    value = models.CharField("giá trị mới", max_length=300, blank=True)
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

    objects = ProfileChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "bổ sung hồ sơ đảng viên"
        verbose_name_plural = "bổ sung hồ sơ đảng viên"
        ordering = ["member_id", "date", "id"]
        indexes = [models.Index(fields=["member", "field", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "field", "date"], name="profile_change_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field} = {self.value} từ {self.date:%d/%m/%Y}"

    @property
    def field_label(self) -> str:
        return profile.field_label(self.field)

    @property
    def value_label(self) -> str:
        choices = profile.DATED_FIELDS.get(self.field)
        if choices is not None and self.value in choices.values:
            return str(choices(self.value).label)
        return self.value


class ProcedureKind(models.TextChoices):
    """The procedures of Biểu 7-BTCTW recorded for a member (the transfers are member events)."""

    BADGE = "badge", "Trao tặng Huy hiệu Đảng"
    CARD = "card", "Phát thẻ đảng viên"


class ProcedureQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """The procedures of the members the scope reads (on ``day``: may change on that day)."""
        members = Member.objects.filter(Member.objects.all().scope_rule(scope_id, day))
        return Q(member_id__in=members.values("pk"))


class MemberProcedure(models.Model):
    """A procedure done for a member on ``date`` (Biểu 7-BTCTW): a party badge awarded for
    ``badge_years`` years of party age (Huy hiệu Đảng), or a party card issued (``number``:
    the card's number). Append-only, like the dated changes of the record."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="procedures", db_index=False
    )
    date = models.DateField("ngày")
    kind = models.CharField("thủ tục", max_length=8, choices=ProcedureKind.choices)
    badge_years = models.PositiveSmallIntegerField(
        "huy hiệu (năm tuổi đảng)", null=True, blank=True
    )
    number = models.CharField("số thẻ, số quyết định", max_length=40, blank=True)
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

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = "thủ tục đảng viên"
        verbose_name_plural = "thủ tục đảng viên"
        ordering = ["member_id", "date", "id"]
        indexes = [
            models.Index(fields=["member", "date"]),
            models.Index(fields=["kind", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="badge", badge_years__isnull=False)
                | Q(kind="card", badge_years__isnull=True),
                name="procedure_badge_years",
            ),
            models.UniqueConstraint(
                fields=["member", "badge_years"],
                condition=Q(kind="badge"),
                name="procedure_one_badge_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "date"], name="procedure_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.date:%d/%m/%Y}"

    @property
    def label(self) -> str:
        if self.kind == ProcedureKind.BADGE:
            return f"Huy hiệu {self.badge_years} năm tuổi Đảng"
        return str(self.get_kind_display())


#: The date of the row that marks an organisation's tally as kept.
TALLY_ANCHOR = date(1, 1, 1)


class SubtreeTally(models.Model):
    """Derived, in the same transaction as every change: on ``date`` the members of
    Subtree(``organization``, ·) changed by these amounts (``official``, ``probationary``,
    ``exempted``: spans that begin or end there, and organisations that enter or leave the
    subtree with their members), and so many effective events of each movement of DOMAIN.md
    were dated there, judged against the subtree on that day (``admitted`` … ``left_*``, one
    column per reason).

    Kept only for the organisations above the grassroots (kind ``committee``: the country,
    provinces, districts), whose subtrees are large: their members on D are the sums of the
    changes up to D, their movements over D1..D2 the sums between — a few thousand rows at the
    country's root instead of millions of spans and events. Each such organisation has an
    anchor row dated :data:`TALLY_ANCHOR` (all zeros), which says its tally is complete.
    Maintained by :mod:`grassroots.members.tally`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField()
    official = models.IntegerField(default=0)
    probationary = models.IntegerField(default=0)
    exempted = models.IntegerField(default=0)
    admitted = models.IntegerField(default=0)
    joined = models.IntegerField(default=0)
    confirmed = models.IntegerField(default=0)
    moved_in = models.IntegerField(default=0)
    moved_out = models.IntegerField(default=0)
    left_transferred_out = models.IntegerField(default=0)
    left_died = models.IntegerField(default=0)
    left_removed = models.IntegerField(default=0)
    left_expelled = models.IntegerField(default=0)
    left_resigned = models.IntegerField(default=0)
    left_not_confirmed = models.IntegerField(default=0)

    #: Changed only with the spans, events and closure rows it derives from (core.dataversion).
    untracked_derived = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "date"], name="tally_one_per_day")
        ]
        # Which organisations are tallied: the anchor rows alone, not the millions of others.
        indexes = [
            models.Index(
                fields=["organization"], condition=Q(date=TALLY_ANCHOR), name="tally_anchors"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date:%d/%m/%Y}"


class StructureTally(models.Model):
    """Derived, in the same transaction as every change: on ``date`` the members of
    Subtree(``organization``, ·) with ``value`` in ``dimension`` changed by ``change`` —
    ``gender``, ``ethnicity``, ``education`` (the profile field), ``age`` and ``party_age`` (the
    band's key: a member enters the next band on the day the years are full). The members'
    structure on D is the sum of the changes up to D (``statistics.figures.members_structure``).

    Kept only for the roots of the tree of organisations (organisations that never have a
    parent): the one subtree too large to count member by member (the country's, 5.5 million
    members), where every other is at most a province's. The anchor row (dated
    :data:`TALLY_ANCHOR`, blank dimension) says the tally is complete. Maintained by
    :mod:`grassroots.members.tally`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField()
    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=60)
    change = models.IntegerField()

    #: Changed only with the spans, members and closure rows it derives from (core.dataversion).
    untracked_derived = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date", "dimension", "value"],
                name="structure_tally_one_per_value",
            )
        ]
        indexes = [
            models.Index(
                fields=["organization"],
                condition=Q(date=TALLY_ANCHOR),
                name="structure_tally_anchors",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.date:%d/%m/%Y} {self.dimension}={self.value}"


#: Counts a :class:`PlaceTally` stops at: the place figures ask "any member?" and "at least 3
#: official members?" (policy ``CELL_MIN_OFFICIAL_MEMBERS``); a policy above it is answered from
#: the spans.
PLACE_TALLY_CAP = 3


class PlaceTally(models.Model):
    """Derived, in the same transaction as every change: over [``valid_from``, ``valid_to``)
    ``members`` members (probationary or official) and ``official`` official members had this
    place, each count capped at :data:`PLACE_TALLY_CAP` — so a place has a row only for the
    periods in which it has members, and a new row only when a capped count changes (a few rows
    per place, where its spans are hundreds). The coverage figures test a place in one look-up
    (``statistics.selectors.area_place_versions_on``). Maintained by
    :mod:`grassroots.members.tally`."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="member_tallies", db_index=False
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    members = models.SmallIntegerField()
    official = models.SmallIntegerField()

    #: Changed only with the spans it derives from (core.dataversion).
    untracked_derived = True

    class Meta:
        indexes = [models.Index(fields=["place", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.place_id} {self.valid_from:%d/%m/%Y}: {self.members}/{self.official}"
