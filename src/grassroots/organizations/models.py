"""Party organisations (đảng bộ, chi bộ…): a stable code plus versions carrying name, kind,
parent organisation and attached place over ``[valid_from, valid_to)``."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from grassroots.core import scope
from grassroots.core.models import ClosureBase, VersionBase, VersionedObject
from grassroots.core.temporal import valid_on
from grassroots.core.text import fold
from grassroots.places.models import LineageChange, Place, PlaceClosure


class OrganizationKind(models.TextChoices):
    COMMITTEE = "committee", "Đảng bộ (cấp trên cơ sở)"
    GRASSROOTS_COMMITTEE = "grassroots_committee", "Đảng bộ cơ sở"
    GRASSROOTS_CELL = "grassroots_cell", "Chi bộ cơ sở"
    CELL = "cell", "Chi bộ"
    PARTY_GROUP = "party_group", "Tổ đảng"


class UnitType(models.TextChoices):
    """The type of unit a grassroots organisation is formed in (loại hình đơn vị, Biểu
    5-BTCTW; DOMAIN.md, "Official statistical forms")."""

    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    TOWNSHIP = "township", "Thị trấn"
    PARTY_MASS = "party_mass", "Cơ quan Đảng, Mặt trận Tổ quốc, đoàn thể"
    STATE_BODY = "state_body", "Cơ quan nhà nước"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp công lập"
    NON_PUBLIC_SERVICE = "non_public_service", "Đơn vị sự nghiệp ngoài công lập"
    ARMY = "army", "Quân đội"
    POLICE = "police", "Công an"
    STATE_ENTERPRISE = "state_enterprise", "Doanh nghiệp nhà nước nắm giữ 100% vốn điều lệ"
    STATE_MAJORITY = "state_majority", "Doanh nghiệp nhà nước nắm giữ từ 50% vốn điều lệ trở lên"
    STATE_MINORITY = "state_minority", "Doanh nghiệp nhà nước nắm giữ dưới 50% vốn điều lệ"
    JOINT_STOCK = "joint_stock", "Công ty cổ phần (không có vốn nhà nước)"
    PRIVATE = "private", "Doanh nghiệp tư nhân"
    LIMITED = "limited", "Công ty trách nhiệm hữu hạn"
    PARTNERSHIP = "partnership", "Công ty hợp danh"
    FOREIGN_INVESTED = "foreign_invested", "Doanh nghiệp có vốn đầu tư nước ngoài"
    COOPERATIVE = "cooperative", "Hợp tác xã"
    OTHER = "other", "Khác"


#: Kinds counted as "cells" in figures (DOMAIN.md: ``cells``).
CELL_KINDS = (OrganizationKind.CELL, OrganizationKind.GRASSROOTS_CELL)
#: Kinds that make a place "have a cell" (DOMAIN.md: ``without_cell``).
PLACE_COVERING_KINDS = (*CELL_KINDS, OrganizationKind.GRASSROOTS_COMMITTEE)


class OrganizationQuerySet(scope.ScopedQuerySet):
    def scope_rule(self, scope_id: int, day: date | None) -> Q:
        """Ever (time-aware): every organisation that was in the subtree on some day (it
        stays readable after it left; what happened in it afterwards does not). On a day:
        Subtree(scope, day)."""
        return scope.organization_rule("pk")(scope_id, day)


class Organization(VersionedObject):
    """A party organisation with a stable code, e.g. ``DB-112`` for Đảng bộ huyện Nậm Nhùn."""

    objects = OrganizationQuerySet.as_manager()

    class Meta(VersionedObject.Meta):
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"


class OrganizationVersion(VersionBase):
    """Name, kind, parent, attached place and unit type (grassroots organisations, Biểu
    5-BTCTW) of an organisation during the interval."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="versions"
    )
    name = models.CharField("tên", max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField("loại", max_length=24, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        Organization,
        verbose_name="trực thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="child_versions",
    )
    place = models.ForeignKey(
        Place,
        verbose_name="địa bàn",
        on_delete=models.PROTECT,
        related_name="organization_versions",
    )
    unit_type = models.CharField(
        "loại hình đơn vị", max_length=20, choices=UnitType.choices, blank=True, default=""
    )

    class Meta(VersionBase.Meta):
        verbose_name = "phiên bản tổ chức đảng"
        ordering = ["organization_id", "valid_from"]
        indexes = [
            models.Index(fields=["organization", "valid_from"]),
            models.Index(fields=["place", "valid_from"]),
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["kind", "valid_from"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class OrganizationLineage(models.Model):
    """Where an organisation's members and duties went: split, merge, rename, transfer."""

    date = models.DateField("ngày")
    from_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="lineage_out"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="lineage_in"
    )
    change = models.CharField("thay đổi", max_length=12, choices=LineageChange.choices)
    note = models.TextField("ghi chú", blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "biến động tổ chức"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_change_display()} {self.date:%d/%m/%Y}: {self.from_organization} → {self.to_organization}"


class OrganizationClosure(ClosureBase):
    """Derived: ``ancestor`` is above ``descendant`` during the interval."""

    ancestor = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")

    class Meta(ClosureBase.Meta):
        indexes = [
            models.Index(fields=["ancestor", "valid_from", "descendant"]),
            models.Index(fields=["descendant", "valid_from"]),
        ]


scope.register_hierarchy(OrganizationClosure)


@scope.register_rule("places.Place")
def place_scope_rule(scope_id: int, day: date | None) -> Q:
    """A place is in a scope while it lies inside the place the scope organisation is attached
    to, or while an organisation of the subtree is attached to it — on ``day``, or (None) on
    some day, matching the intervals of the versions and closure rows (time-aware)."""
    if day is not None:
        roots = OrganizationVersion.objects.filter(valid_on(day), organization_id=scope_id)
        inside = PlaceClosure.objects.filter(
            valid_on(day), ancestor_id__in=roots.values("place_id")
        ).values("descendant_id")
        attached = OrganizationVersion.objects.filter(
            valid_on(day), organization_id__in=scope.subtree_on(scope_id, day)
        ).values("place_id")
        return Q(pk__in=inside) | Q(pk__in=attached)
    roots = OrganizationVersion.objects.filter(organization_id=scope_id)
    inside = (
        PlaceClosure.objects.filter(ancestor_id__in=roots.values("place_id"))
        .filter(Exists(roots.filter(scope.overlapping(), place_id=OuterRef("ancestor_id"))))
        .values("descendant_id")
    )
    attached = OrganizationVersion.objects.filter(
        scope.in_subtree_during(scope_id), organization_id__in=scope.subtree_ever(scope_id)
    ).values("place_id")
    return Q(pk__in=inside) | Q(pk__in=attached)
