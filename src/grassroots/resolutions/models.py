"""Party documents (văn bản của Đảng) with their numbering, congress resolutions and their
indicators, action programmes and the tasks they assign (DOMAIN.md, "Congress resolutions and
their indicators" and "Documents, action programmes and tasks").

A document is numbered ``Số <n>-<TYPE>/<ISSUER>`` from 01 per type within one committee term
(Hướng dẫn 36-HD/VPTW). A document of a body outside the registry (05-CT/TW, 07-NQ/TU) is
recorded with its number as printed (``external``): other modules link to it all the same.

The term a number belongs to (``term_start``) is the start of the issuing organisation's term on
the day of issue: the latest :class:`Term` of the organisation starting on or before it, else the
latest of the policy's default term starts (``DOCUMENT_DEFAULT_TERM_STARTS``). Documents of a
congress (issuer ``ĐH``) share one sequence for all their types. :class:`DocumentCounter` holds
the last number given per (organisation, sequence, term): the numbering service locks its row.

An action programme or plan (:class:`Task`) assigns tasks to organisations, each with a deadline
and an expected result; the assignee reports progress (:class:`TaskReport`) and closes it done or
not done.
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


#: Types that assign tasks (chương trình, kế hoạch, đề án).
PROGRAMME_TYPES = (DocumentType.CTR, DocumentType.KH, DocumentType.DA)

#: The issuer code of a congress: its documents share one sequence (36-HD/VPTW).
CONGRESS_ISSUER = "ĐH"


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", "Thực hiện"
    REPLACES = "replaces", "Thay thế"
    GUIDES = "guides", "Hướng dẫn thực hiện"


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"


class Term(Versioned):
    """A committee term (nhiệm kỳ) of an organisation: from the day after its congress closed
    (``starts_on``) until the next term of the organisation starts."""

    organization = models.ForeignKey(
        Organization, verbose_name="tổ chức đảng", on_delete=models.CASCADE, related_name="terms"
    )
    starts_on = models.DateField("bắt đầu từ ngày", help_text="ngày sau ngày bế mạc Đại hội")
    label = models.CharField("nhiệm kỳ", max_length=20, blank=True, help_text="2020-2025")

    objects = scope.ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        ordering = ["organization_id", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "starts_on"], name="term_unique_start")
        ]

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.label or self.starts_on.year} của {self.organization}"


scope.register_rule("resolutions.Term")(scope.organization_rule("organization_id"))


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
    number_folded = models.CharField(max_length=40, editable=False, default="")
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, default="")
    summary = models.TextField("tóm tắt", blank=True)
    signer = models.CharField("người ký", max_length=120, blank=True)
    external = models.BooleanField("văn bản ngoài hệ thống", default=False)
    superior_name = models.CharField("cơ quan cấp trên", max_length=200, blank=True)
    issuer_name = models.CharField("tên cơ quan ban hành", max_length=200, blank=True)
    place_name = models.CharField(
        "địa danh", max_length=80, blank=True, help_text="nơi ban hành, trên dòng ngày tháng"
    )
    sequence_group = models.CharField("dãy số", max_length=4, blank=True, editable=False)
    term_start = models.DateField("nhiệm kỳ từ ngày", null=True, blank=True, editable=False)
    file = models.FileField("tệp văn bản", upload_to="documents/%Y/", blank=True)
    file_name = models.CharField("tên tệp", max_length=200, blank=True)
    file_type = models.CharField("loại tệp", max_length=4, choices=FileType.choices, blank=True)
    file_size = models.PositiveIntegerField("dung lượng (byte)", null=True, blank=True)
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
            models.Index(fields=["number_folded"]),
        ]
        constraints = [
            # The database's guard behind the numbering service's counter: one number per
            # organisation, sequence and term.
            models.UniqueConstraint(
                fields=["organization", "sequence_group", "term_start", "sequence"],
                condition=models.Q(organization__isnull=False, sequence__isnull=False),
                name="document_number_unique_in_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} số {self.number}"

    @property
    def is_programme(self) -> bool:
        return self.type in PROGRAMME_TYPES

    @property
    def full_number(self) -> str:
        return f"Số {self.number}"


class DocumentCounter(models.Model):
    """The last number given in one sequence (a type, or a congress's documents) of one
    organisation's term. The numbering service locks this row (``select_for_update``)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    sequence_group = models.CharField(max_length=4)
    term_start = models.DateField()
    last = models.PositiveIntegerField(default=0)

    objects = scope.ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "sequence_group", "term_start"],
                name="document_counter_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.sequence_group} {self.term_start}: {self.last}"


scope.register_rule("resolutions.DocumentCounter")(scope.organization_rule("organization_id"))


class DocumentLinkQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """A link is seen with the document it starts from."""
        inside = scope.organization_rule("source__organization_id")(scope_id, day)
        return inside | models.Q(source__organization__isnull=True)


class DocumentLink(models.Model):
    """``source`` implements, replaces or guides ``target`` (11-CTr/HU implements 07-NQ/TU)."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="linked_from")
    kind = models.CharField("quan hệ", max_length=12, choices=LinkKind.choices)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)

    objects = DocumentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "liên kết văn bản"
        verbose_name_plural = "liên kết văn bản"
        ordering = ["source_id", "kind", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="document_link_once"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="document_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} {self.get_kind_display().lower()} {self.target.number}"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    NOT_DONE = "not_done", "Không hoàn thành"


class TaskQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        """Tasks assigned to an organisation of the subtree (a cell sees its own, a committee
        those of its subtree)."""
        return scope.organization_rule("organization_id")(scope_id, day)


class Task(Versioned):
    """One task of an action programme or plan, assigned to one organisation."""

    programme = models.ForeignKey(
        Document,
        verbose_name="chương trình, kế hoạch",
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="đơn vị thực hiện",
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    title = models.CharField("nhiệm vụ", max_length=500)
    expected_result = models.TextField("kết quả cần đạt", blank=True)
    deadline = models.DateField("thời hạn")
    status = models.CharField(
        "tình trạng", max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người giao",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["deadline", "programme_id", "organization_id", "id"]
        indexes = [
            models.Index(fields=["organization", "status", "deadline"]),
            models.Index(fields=["programme", "organization"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_max"),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_on__isnull=False)),
                name="task_closed_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.organization}"


class TaskReportQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id, day):
        return scope.organization_rule("task__organization_id")(scope_id, day)


class TaskReport(models.Model):
    """A dated progress report of a task: a note, the percent done, an optional attachment;
    ``status`` is the task's status after it (a report may close the task)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    date = models.DateField("ngày")
    percent = models.PositiveSmallIntegerField("tiến độ (%)")
    note = models.TextField("nội dung")
    status = models.CharField("tình trạng", max_length=8, choices=TaskStatus.choices)
    attachment = models.FileField("tệp kèm theo", upload_to="tasks/%Y/", blank=True)
    attachment_name = models.CharField("tên tệp", max_length=200, blank=True)
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người báo cáo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["task_id", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__lte=100), name="task_report_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.date:%d/%m/%Y}: {self.percent}%"
