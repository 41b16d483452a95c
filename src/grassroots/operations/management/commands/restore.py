"""``grassroots restore PATH``: replace the database with a backup of ``grassroots backup``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu từ tệp sao lưu PATH của `grassroots backup`. Từ chối ghi đè "
        "một cơ sở dữ liệu đang có dữ liệu nếu không có --force. Dừng máy chủ trước khi khôi "
        "phục. Xem docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="tệp sao lưu")
        parser.add_argument(
            "--force",
            action="store_true",
            help="thay cả một cơ sở dữ liệu đang có dữ liệu (mọi dữ liệu hiện có sẽ mất)",
        )
        parser.add_argument(
            "--database", default="default", help="bí danh cơ sở dữ liệu (mặc định: default)"
        )

    def handle(self, *args: Any, path: str, force: bool, database: str, **options: Any) -> None:
        try:
            restored = restore(path, using=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục cơ sở dữ liệu ({restored.vendor}) từ {path}; đã xóa bộ nhớ đệm số liệu."
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"Bản sao lưu của phiên bản cũ hơn: còn {len(restored.pending_migrations)} "
                "thay đổi cấu trúc chưa áp dụng. Chạy `grassroots migrate` trước khi mở lại máy chủ."
            )
        if restored.unknown_migrations:
            self.stderr.write(
                "Cảnh báo: bản sao lưu được tạo bởi phiên bản mới hơn phần mềm này (thay đổi "
                f"cấu trúc lạ: {', '.join(restored.unknown_migrations[:5])}). Hãy cài phiên bản "
                "phần mềm tương ứng."
            )
