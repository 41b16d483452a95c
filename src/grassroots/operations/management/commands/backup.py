"""``grassroots backup PATH``: a backup of the whole database, taken while the server runs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu vào tệp PATH (SQLite: bản sao trực tuyến; PostgreSQL: "
        "pg_dump định dạng custom), kể cả khi máy chủ đang chạy. Xem docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="tệp sao lưu sẽ ghi, ví dụ /srv/backup/grassroots-2026-12-01.backup"
        )
        parser.add_argument("--force", action="store_true", help="ghi đè tệp PATH nếu đã có")
        parser.add_argument(
            "--database", default="default", help="bí danh cơ sở dữ liệu (mặc định: default)"
        )

    def handle(self, *args: Any, path: str, force: bool, database: str, **options: Any) -> None:
        try:
            vendor = backup(path, using=database, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã sao lưu cơ sở dữ liệu ({vendor}) vào {path}.")
