"""Imports of the interchange format: one :class:`ImportJob` per uploaded or command-line
package, with its progress while it runs and its report afterwards."""

from django.conf import settings
from django.db import models

from grassroots.core import roles, scope


class ImportJobQuerySet(scope.ScopedQuerySet):
    def visible_to(self, user, action: str = scope.VIEW, on=None):
        """A job belongs to who started it, not to a subtree: administrators see every job,
        others their own (internal calls, ``user`` None, everything)."""
        if user is None or user.has_role(roles.ADMIN):
            return self.all()
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One import of an interchange package (folder, .zip or .xlsx).

    The upload page stores the file and runs the import as a background task that updates
    ``progress_done``/``progress_total``; ``grassroots import`` records a job too (without a
    stored file), so every import is listed with its report. The uploaded file is deleted when
    the job ends; ``worker`` (host:pid) and ``staging`` (its temporary folder) let the next start
    of a worker mark a job whose process died as failed and remove what it left."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang nhập"
        SUCCEEDED = "succeeded", "Hoàn tất"
        REJECTED = "rejected", "Bị từ chối (có lỗi)"
        FAILED = "failed", "Lỗi hệ thống"

    FINISHED = (Status.SUCCEEDED, Status.REJECTED, Status.FAILED)

    file = models.FileField("tệp", upload_to="interchange/imports/%Y/%m/", blank=True)
    source_name = models.CharField("nguồn", max_length=255)
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField("đã xử lý", default=0)
    progress_total = models.PositiveIntegerField("tổng số", default=0)
    report = models.JSONField("báo cáo", default=dict, blank=True)
    report_text = models.TextField("báo cáo (văn bản)", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    worker = models.CharField(
        "tiến trình", max_length=255, blank=True, help_text="máy:pid của tiến trình đang chạy"
    )
    staging = models.CharField(
        "thư mục tạm", max_length=1024, blank=True, help_text="xoá khi tiến trình chết giữa chừng"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "các lần nhập dữ liệu"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")),
                name="interchange_importjob_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.is_finished else 0
        return min(100, self.progress_done * 100 // self.progress_total)
