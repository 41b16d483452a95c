"""``grassroots import PATH``: import an interchange package (folder, .zip or .xlsx)."""

from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.models import User
from grassroots.core.access import Action, record_access
from grassroots.core.text import format_number
from grassroots.interchange.services import import_job_create, import_job_run


class Command(BaseCommand):
    help = (
        "Nhập một gói dữ liệu theo định dạng trao đổi (thư mục, .zip hoặc .xlsx). "
        "Tất cả hoặc không: có lỗi thì không ghi gì và liệt kê mọi lỗi."
    )
    # Data, not configuration: the system checks (every URL and API schema, ~1 s) are
    # ``grassroots check``'s and the server's business.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="thư mục, tệp .zip hoặc .xlsx")
        parser.add_argument(
            "--user", help="tên đăng nhập của người nhập (ghi vào nhật ký thay đổi)"
        )

    def handle(self, *args, path, user=None, **options):
        acting_user = None
        if user:
            acting_user = User.objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"Không có người dùng '{user}'.")
        job = import_job_create(acting_user=acting_user, source_name=path)
        shown = -1

        def progress(done: int, total: int) -> None:
            nonlocal shown
            percent = done * 100 // total
            if percent // 10 > shown // 10:
                shown = percent
                self.stderr.write(f"{percent}% ({done}/{total})")

        report = import_job_run(job=job, source=path, progress=progress)
        # Who ran it: the user given, else the operating system's user and host.
        record_access(
            None,
            user=acting_user,
            what=f"Gói dữ liệu trao đổi: {path}",
            count=report.rows,
            subject=f"lần nhập số {job.pk}",
            filter="",
            action=Action.IMPORT,
        )
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(f"Không nhập được: {format_number(report.error_total)} lỗi.")
        self.stderr.write(
            f"Xong trong {report.seconds:.1f} giây ({report.rows} dòng, lần nhập số {job.pk})."
        )
