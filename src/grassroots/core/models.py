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
