"""``grassroots document_word NUMBER [--org CODE] [--out FILE]``: the Word export of a
document's first page (Hướng dẫn 36-HD/VPTW), as the document's page gives it.

``NUMBER`` is the number as printed (``11-CTr/HU``); ``--org`` chooses among documents of
several organisations or terms with the same number (the latest issued is taken otherwise). The
command runs without a user, over the whole database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grassroots.resolutions.models import Document
from grassroots.resolutions.word import document_docx, docx_name


class Command(BaseCommand):
    help = "Xuất trang đầu của một văn bản ra tệp Word theo thể thức Hướng dẫn 36-HD/VPTW."

    def add_arguments(self, parser):
        parser.add_argument("number", help="số, ký hiệu, ví dụ 11-CTr/HU")
        parser.add_argument("--org", help="mã tổ chức ban hành, ví dụ DB-112")
        parser.add_argument("--out", help="tệp .docx ghi ra (mặc định: theo số văn bản)")

    def handle(self, *args, number, org, out, **options):
        documents = Document.objects.filter(number=number.strip())
        if org:
            documents = documents.filter(organization__code=org)
        document = documents.order_by("-issued_on", "-id").first()
        if document is None:
            where = f" của tổ chức {org}" if org else ""
            raise CommandError(f"Không tìm thấy văn bản số {number}{where}.")
        path = Path(out or docx_name(document))
        path.write_bytes(document_docx(document))
        self.stdout.write(
            f"Đã ghi {document.get_type_display().lower()} số {document.number}: {path}"
        )
