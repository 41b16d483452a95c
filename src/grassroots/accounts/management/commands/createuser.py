"""``grassroots createuser USERNAME --role ROLE [--role …] --scope CODE [--password-file F]``:
set up a member of staff without the Django admin.

The password is read from the first line of ``--password-file`` (``-`` reads standard input),
or asked twice at the terminal. An unknown role, an unknown scope code or a login already taken
is refused with a Vietnamese message and a non-zero exit; nothing is written.
"""

import getpass
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.accounts.services import user_register, user_register_check
from grassroots.core import roles
from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError


class Command(BaseCommand):
    help = (
        "Tạo tài khoản người dùng với vai trò và phạm vi dữ liệu (mã tổ chức đảng); mật khẩu "
        "đọc từ tệp hoặc nhập hai lần."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument(
            "--role",
            action="append",
            dest="roles",
            default=[],
            metavar="ROLE",
            help="vai trò, lặp lại được: " + ", ".join(roles.ROLES),
        )
        parser.add_argument(
            "--scope", required=True, metavar="CODE", help="mã tổ chức đảng: phạm vi dữ liệu"
        )
        parser.add_argument("--full-name", default="", help="họ và tên")
        parser.add_argument(
            "--password-file",
            metavar="F",
            help="tệp chứa mật khẩu ở dòng đầu ('-': đọc từ đầu vào chuẩn)",
        )
        parser.add_argument(
            "--by", metavar="LOGIN", help="người tạo, ghi vào nhật ký (mặc định: hệ thống)"
        )

    def handle(
        self,
        *args: Any,
        username: str,
        roles: list[str],
        scope: str,
        full_name: str,
        password_file: str | None,
        by: str | None,
        **options: Any,
    ) -> None:
        acting_user = None
        if by:
            acting_user = User.objects.filter(username=by, is_active=True).first()
            if acting_user is None:
                raise CommandError(f"Không có người dùng '{by}'.")
        try:
            user_register_check(username=username, roles=roles, scope_code=scope)
            password = self._password(password_file)
            with acting_as(acting_user):
                user = user_register(
                    acting_user=acting_user,
                    username=username,
                    password=password,
                    roles=roles,
                    scope_code=scope,
                    full_name=full_name,
                )
        except RuleError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Đã tạo người dùng '{user.username}' (vai trò: {', '.join(sorted(set(roles)))}; "
            f"phạm vi: {scope.strip()})."
        )

    def _password(self, password_file: str | None) -> str:
        if password_file:
            try:
                if password_file == "-":
                    text = sys.stdin.readline()
                else:
                    text = Path(password_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Không đọc được tệp mật khẩu {password_file}: {exc}") from None
            lines = text.splitlines()
            password = lines[0] if lines else ""
            if not password:
                raise CommandError("Tệp mật khẩu trống: mật khẩu là dòng đầu của tệp.")
            return password
        try:
            password = getpass.getpass("Mật khẩu: ")
            again = getpass.getpass("Nhập lại mật khẩu: ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError(
                "Không nhập được mật khẩu: hãy nhập ở bàn phím hoặc dùng --password-file TỆP."
            ) from None
        if password != again:
            raise CommandError("Hai lần nhập mật khẩu không khớp; chưa tạo người dùng.")
        if not password:
            raise CommandError("Mật khẩu không được để trống.")
        return password
