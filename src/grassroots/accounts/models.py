"""The project's user: a login, roles (groups) and an organisation scope; and personal API
tokens."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from grassroots.core import roles


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


class ApiToken(models.Model):
    """A personal API token (``Authorization: Bearer <key>``). Only the SHA-256 of the key is
    stored: a leaked database does not leak working tokens. Revoke a token by deleting it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="personal_api_tokens",
    )
    name = models.CharField("tên", max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["user_id", "-created_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.name or f'mã #{self.pk}'}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
