"""The project's user: a login, roles (groups) and an organisation scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from grassroots.accounts import roles


class User(AbstractUser):
    """A person who logs in. ``full_name`` is how the header greets them."""

    full_name = models.CharField("họ và tên", max_length=200, blank=True)
    scope = models.ForeignKey(
        "organizations.Organization",
        verbose_name="phạm vi dữ liệu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Người dùng chỉ thấy tổ chức này và các tổ chức trực thuộc. "
        "Để trống: toàn hệ thống (chỉ dành cho quản trị).",
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        """True for a superuser, a member of the ``admin`` group, or of the ``role`` group."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        names = self._role_names()
        return role in names or roles.ADMIN in names

    def _role_names(self) -> set[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = set(self.groups.values_list("name", flat=True))
            self._role_cache = cached
        return cached

    @property
    def can_edit(self) -> bool:
        return self.has_role(roles.EDITOR)
