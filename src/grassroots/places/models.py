"""Places: administrative units and the villages, schools, health stations… party cells sit in.

A :class:`Place` is only a stable code; everything that can change (name, kind, parent) lives in
its :class:`PlaceVersion` rows, each valid over ``[valid_from, valid_to)``.
"""

from django.db import models

from grassroots.core.models import ClosureBase, VersionBase, VersionedObject
from grassroots.core.scope import ScopedQuerySet
from grassroots.core.text import fold


class PlaceKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố"
    DISTRICT = "district", "Huyện, quận, thị xã"
    COMMUNE = "commune", "Xã, phường, thị trấn"
    VILLAGE = "village", "Bản, thôn"
    RESIDENTIAL_GROUP = "residential_group", "Tổ dân phố"
    SCHOOL = "school", "Trường học"
    HEALTH_STATION = "health_station", "Trạm y tế"
    AGENCY = "agency", "Cơ quan"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    OTHER = "other", "Khác"


class LineageChange(models.TextChoices):
    SPLIT = "split", "Chia tách"
    MERGE = "merge", "Sáp nhập"
    RENAME = "rename", "Đổi tên"
    TRANSFER = "transfer", "Điều chỉnh địa giới"


class PlaceQuerySet(ScopedQuerySet):
    """Places answer ``visible_to(user, action, on)``; their rule reads organisations (which
    stand above places), so the organisations app registers it (``core.scope.register_rule``)."""


class Place(VersionedObject):
    """A place with a stable code (GSO code for administrative units, own code otherwise)."""

    objects = PlaceQuerySet.as_manager()

    class Meta(VersionedObject.Meta):
        verbose_name = "địa bàn"
        verbose_name_plural = "địa bàn"


class PlaceVersion(VersionBase):
    """Name, kind and parent of a place during ``[valid_from, valid_to)``; never overlapping."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField("tên", max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField("loại", max_length=24, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        Place,
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_versions",
    )

    class Meta(VersionBase.Meta):
        verbose_name = "phiên bản địa bàn"
        ordering = ["place_id", "valid_from"]
        indexes = [
            models.Index(fields=["place", "valid_from"]),
            models.Index(fields=["kind", "valid_from"]),
            models.Index(fields=["parent", "valid_from"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class PlaceLineage(models.Model):
    """Where territory went on a date: split, merge, rename or transfer."""

    date = models.DateField("ngày")
    from_place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="lineage_out")
    to_place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="lineage_in")
    change = models.CharField("thay đổi", max_length=12, choices=LineageChange.choices)
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "biến động địa giới"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "from_place", "to_place", "change"], name="place_lineage_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_change_display()} {self.date:%d/%m/%Y}: {self.from_place} → {self.to_place}"
        )


class PlaceClosure(ClosureBase):
    """Derived: ``ancestor`` contains ``descendant`` during the interval."""

    ancestor = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")

    class Meta(ClosureBase.Meta):
        indexes = [
            models.Index(fields=["ancestor", "valid_from", "descendant"]),
            models.Index(fields=["descendant", "valid_from"]),
        ]
