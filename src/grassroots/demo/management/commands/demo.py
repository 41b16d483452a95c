"""``grassroots demo``: build the demo registry (Đảng bộ huyện Nậm Nhùn) once; see
:mod:`grassroots.demo`. Does nothing when the demo is already loaded."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.audit import acting_as
from grassroots.core.errors import RuleError


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: Đảng bộ huyện Nậm Nhùn (Lai Châu) với bản, trường học, trạm y tế, "
        "chi bộ và đảng viên mẫu. Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        from grassroots.demo.build import build_demo, demo_actor, demo_logins

        admin = demo_actor()
        if admin is None:
            raise CommandError("Chưa có tài khoản quản trị: hãy chạy 'grassroots bootstrap' trước.")
        try:
            with acting_as(admin):
                result = build_demo(acting_user=admin)
        except RuleError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result is None:
            self.stdout.write("Dữ liệu mẫu đã có, không thay đổi gì.")
        else:
            self.stdout.write(
                f"Đã nạp dữ liệu mẫu: {_number(result.members)} đảng viên, "
                f"{_number(result.events)} sự kiện trong {result.seconds:.1f} giây."
            )
        for line in demo_logins():
            self.stdout.write(line)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")
