"""First-run setup used by ``make run``: a demo administrator the first time, then its login."""

import os
import secrets

from django.core.management.base import BaseCommand

from grassroots.accounts import roles
from grassroots.accounts.models import User
from grassroots.accounts.services import user_create

DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị mẫu lần đầu chạy và in thông tin đăng nhập."

    def handle(self, *args, **options):
        password_file = _var_file("demo_admin_password")
        if not User.objects.exists():
            password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(9)
            user_create(
                username=DEMO_ADMIN,
                password=password,
                full_name="Quản trị hệ thống",
                roles=[roles.ADMIN],
                is_staff=True,
                is_superuser=True,
            )
            password_file.write_text(password)
            password_file.chmod(0o600)
        if password_file.exists():
            self.stdout.write(
                f"Đăng nhập quản trị mẫu: tên đăng nhập '{DEMO_ADMIN}', "
                f"mật khẩu '{password_file.read_text().strip()}'"
            )


def _var_file(name: str):
    from django.conf import settings

    return settings.VAR_DIR / name
