"""First-run setup used by ``make run``: a demo administrator the first time, the demo registry
when the registry is empty (no place yet), then the logins (administrator and demo users).

A production installation creates its users with ``grassroots createuser`` instead."""

import os
import secrets

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.accounts.services import user_create
from grassroots.core import roles

DEMO_ADMIN = "admin"


class Command(BaseCommand):
    help = (
        "Tạo tài khoản quản trị mẫu và dữ liệu mẫu lần đầu chạy, "
        "rồi in thông tin đăng nhập (quản trị và người dùng mẫu)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-demo", action="store_true", help="không nạp dữ liệu mẫu khi danh mục trống"
        )

    def handle(self, *args, no_demo=False, **options):
        from grassroots.core.audit import acting_as
        from grassroots.core.errors import RuleError
        from grassroots.demo.build import build_demo, demo_actor, demo_logins
        from grassroots.places.models import Place

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
        if not no_demo and not Place.objects.exists():
            admin = demo_actor()
            try:
                with acting_as(admin):
                    result = build_demo(acting_user=admin)
            except RuleError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            if result is not None:
                self.stdout.write(
                    f"Đã nạp dữ liệu mẫu (Đảng bộ huyện Nậm Nhùn): {result.members} đảng viên, "
                    f"{result.events} sự kiện trong {result.seconds:.1f} giây."
                )
        if password_file.exists():
            self.stdout.write(
                f"Đăng nhập quản trị mẫu: tên đăng nhập '{DEMO_ADMIN}', "
                f"mật khẩu '{password_file.read_text().strip()}'"
            )
        for line in demo_logins():
            self.stdout.write(line)


def _var_file(name: str):
    from django.conf import settings

    return settings.VAR_DIR / name
