"""Abstract building blocks shared by the registry apps: versioned objects and closure tables."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from grassroots.core.temporal import ValidityMixin


class VersionedObject(models.Model):
    """Something with a stable code whose changing properties live in ``versions`` rows
    (a :class:`VersionBase` subclass with ``related_name="versions"``)."""

    code = models.CharField("mã", max_length=40, unique=True)
    is_sample = models.BooleanField("dữ liệu mẫu", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        # The reverse relation each concrete subclass's version model declares.
        versions: Any

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        latest = self.latest_version
        return latest.name if latest else self.code

    @property
    def latest_version(self) -> Any:
        cached = getattr(self, "_latest_version", None)
        if cached is None:
            cached = self.versions.order_by("-valid_from").first()
            self._latest_version = cached
        return cached

    def version_on(self, day: date) -> Any:
        return self.versions.valid_on(day).first()


class VersionBase(ValidityMixin):
    """One version of a thing that changes over time: carries ``recorded_at``/``recorded_by``
    (transaction time) besides the valid interval."""

    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(ValidityMixin.Meta):
        abstract = True


class ClosureBase(ValidityMixin):
    """A derived row of a hierarchy's closure table: ``ancestor`` is ``depth`` levels above
    ``descendant`` during ``[valid_from, valid_to)``. Depth 0 rows say the node itself exists.

    Rebuilt by :func:`grassroots.core.hierarchy.rebuild_closure` in the same transaction as every
    version change, so "the subtree of X on D" is one indexed query."""

    depth = models.PositiveSmallIntegerField()

    class Meta(ValidityMixin.Meta):
        abstract = True


class DataVersion(models.Model):
    """One row whose ``token`` changes with every committed change to the registry: database
    triggers (:mod:`grassroots.core.dataversion`) write a new random token in the same
    transaction as any insert, update or delete of the tables the figures read. Cached figures
    are keyed by it, so they never outlive the data they were computed from."""

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "phiên bản dữ liệu"

    def __str__(self) -> str:
        return str(self.token)


class AccessLog(models.Model):
    """Who read or exported personal data (members): one row per request — a page, an API
    read, a download, a command — with how many people it showed and the filter that chose
    them, never one row per person (:func:`grassroots.core.access.record_access`)."""

    class Action(models.TextChoices):
        VIEW = "view", "Xem"
        PRINT = "print", "In danh sách"
        XLSX = "xlsx", "Tải .xlsx"
        API = "api", "Đọc qua API"
        EXPORT = "export", "Xuất gói dữ liệu"
        IMPORT = "import", "Nhập gói dữ liệu"

    at = models.DateTimeField("thời gian", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The login (kept when the user is deleted), or ``os-user@host`` for a command run
    #: without ``--user``.
    username = models.CharField("tên đăng nhập", max_length=300)
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    what = models.CharField("dữ liệu", max_length=200)
    subject = models.CharField("đối tượng", max_length=200, blank=True)
    count = models.PositiveIntegerField("số người")
    filter = models.TextField("bộ lọc", blank=True)
    path = models.CharField("địa chỉ", max_length=500, blank=True)

    class Meta:
        verbose_name = "truy cập dữ liệu cá nhân"
        verbose_name_plural = "truy cập dữ liệu cá nhân"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["username", "at"], name="core_access_user_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.what} ({self.count})"
