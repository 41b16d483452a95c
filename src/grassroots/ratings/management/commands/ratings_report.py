"""``grassroots ratings_report --org CODE --year YYYY [--from-year YYYY] [--subject …] [--json]``:
the rating figures of an organisation as JSON or a readable table.

The JSON object is the API's (``/api/v1/ratings/figures``); the command runs without a user, over
the whole database. Without ``--from-year`` it covers the five years ending with ``--year``.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.text import format_number, format_percent
from grassroots.organizations.models import Organization
from grassroots.ratings import figures
from grassroots.ratings.models import Level, Subject


class Command(BaseCommand):
    help = "In số liệu xếp loại chất lượng của một tổ chức đảng theo năm."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        parser.add_argument("--year", required=True, type=int, help="năm cuối, ví dụ 2024")
        parser.add_argument("--from-year", type=int, help="năm đầu (mặc định: năm cuối − 4)")
        parser.add_argument(
            "--subject",
            choices=Subject.values,
            default=Subject.ORGANIZATION,
            help="organization (mặc định) hoặc member",
        )
        parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args, org, year, from_year, subject, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"Không tìm thấy tổ chức đảng mã {org}.")
        from_year = from_year or year - 4
        if not 0 <= year - from_year <= 20:
            raise CommandError("Khoảng năm không hợp lệ (tối đa 21 năm).")
        report = figures.rating_report(
            organization=organization, year_from=from_year, year_to=year, subject=subject
        )
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._text(report))

    def _text(self, report: dict) -> str:
        name = report["by_organization"][0]["name"]
        lines = [
            f"Xếp loại {Subject(report['subject']).label.lower()} thuộc {name} "
            f"({report['organization']}), {report['year_from']}–{report['year_to']}",
        ]
        header = ["Năm", *[level.label for level in Level], "Tổng", "Tốt trở lên", "Tỷ lệ"]
        rows = [header]
        for d in report["trend"]:
            share = d["share_good_or_better"]
            rows.append(
                [
                    d["period_label"],
                    *[format_number(d["counts"][level]) for level in Level.values],
                    format_number(d["total"]),
                    format_number(d["good_or_better"]),
                    format_percent(share) if share is not None else "—",
                ]
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        for r in rows:
            lines.append(
                "  ".join(
                    [r[0].ljust(widths[0])]
                    + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
                )
            )
        if report["share_change"] is not None:
            lines.append(
                "Tỷ lệ hoàn thành tốt nhiệm vụ trở lên thay đổi "
                f"{format_number(report['share_change'], decimals=1)} điểm phần trăm."
            )
        return "\n".join(lines)
