"""``grassroots createtoken USERNAME [--name NAME]``: issue a personal API token and print it.

The key is printed once and only its hash is stored; keep it like a password.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.accounts.services import api_token_create
from grassroots.core.audit import acting_as


class Command(BaseCommand):
    help = "Tạo mã truy cập API cho một người dùng và in mã ra (chỉ hiện một lần)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="tên đăng nhập của người dùng")
        parser.add_argument("--name", default="", help="tên gợi nhớ của mã, ví dụ tên máy dùng mã")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng '{username}'.") from None
        if not user.is_active:
            raise CommandError(f"Người dùng '{username}' đã bị khóa.")
        with acting_as(user):
            _token, key = api_token_create(user=user, name=name)
        # The key alone on stdout, so scripts can capture it; the reminder goes to stderr.
        self.stdout.write(key)
        self.stderr.write("Hãy lưu mã này ngay: hệ thống chỉ giữ bản băm, không hiện lại được.")
