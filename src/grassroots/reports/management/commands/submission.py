"""``grassroots submission ID``: a report sent upward, as sent (``--json``) or compared with the
figure recomputed today (``--compare --json``) — INTERCHANGE.md, "Submitted reports"."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.errors import NotFound
from grassroots.core.text import format_number
from grassroots.reports.services import as_sent, compare, submission_by_id


class Command(BaseCommand):
    help = "In một báo cáo đã gửi lên cấp trên, hoặc so sánh nó với số liệu hiện tại."

    def add_arguments(self, parser):
        parser.add_argument("id", help="số của báo cáo đã gửi")
        parser.add_argument("--compare", action="store_true", help="so sánh với hiện tại")
        parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args, id, **options):
        try:
            submission = submission_by_id(id)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        result = compare(submission) if options["compare"] else as_sent(submission)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        head = (
            f"Báo cáo đã gửi số {submission.pk}: {submission.figure}, tổ chức đảng "
            f"{submission.organization_code}, gửi lúc {submission.submitted_at:%d/%m/%Y %H:%M}"
            f"\nSHA-256: {submission.sha256}"
        )
        lines = [head, ""]
        if options["compare"]:
            if not result["differences"]:
                lines.append("Không có số liệu nào khác với hiện tại.")
            for diff in result["differences"]:
                lines.append(f"{diff['path']}: đã gửi {diff['sent']}, hiện tại {diff['now']}")
            for row in result["corrections"]:
                lines.append(
                    f"Ghi nhận sau khi gửi: {row['kind']} ngày {row['date']} "
                    f"(lúc {row['recorded_at']})"
                )
        else:
            from grassroots.core.figures import walk

            for path, number in walk(result["report"]):
                lines.append(f"{path}: {format_number(number)}")
        self.stdout.write("\n".join(lines))
