"""``grassroots import_cleanup``: run when the workers start (scripts/serve.py)."""

from django.core.management.base import BaseCommand

from grassroots.interchange.services import import_jobs_recover


class Command(BaseCommand):
    help = (
        "Đánh dấu thất bại các lần nhập có tiến trình đã chết, xoá thư mục tạm của chúng và "
        "các tệp đã tải lên của những lần nhập đã kết thúc (giữ tối đa IMPORT_KEEP_DAYS ngày)."
    )

    def handle(self, *args, **options):
        done = import_jobs_recover()
        self.stdout.write(
            f"{done['failed']} lần nhập được đánh dấu thất bại, {done['files']} tệp đã xoá."
        )
