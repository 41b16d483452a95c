"""``grassroots admissions_report targets|funnel``: admissions against the target in a year, or
the candidates at each stage on a date, as JSON or a readable table (no user: whole database)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from grassroots.admissions import figures
from grassroots.admissions.models import Stage
from grassroots.core.errors import NotFound
from grassroots.core.temporal import parse_date
from grassroots.core.text import format_date, format_number
from grassroots.organizations.selectors import organization_by_code


class Command(BaseCommand):
    help = "In số liệu phát triển đảng viên: kết nạp so với chỉ tiêu, hoặc quần chúng theo bước."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="targets|funnel")
        targets = reports.add_parser("targets", help="kết nạp so với chỉ tiêu trong một năm")
        targets.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        targets.add_argument("--year", required=True, type=int, help="năm, ví dụ 2023")
        targets.add_argument("--json", action="store_true", help="in một đối tượng JSON")
        funnel = reports.add_parser("funnel", help="quần chúng theo bước tại một ngày")
        funnel.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        funnel.add_argument("--as-of", required=True, help="ngày, dạng YYYY-MM-DD")
        funnel.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args, report, org, **options):
        try:
            organization = organization_by_code(org)
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if report == "targets":
            (row,) = figures.admissions_vs_target(
                organization=organization, year_from=options["year"], year_to=options["year"]
            )
            result = {"organization": organization.code, **row}
            text = self._targets_text
        else:
            day = parse_date(options["as_of"])
            if day is None:
                raise CommandError(
                    f"Ngày không hợp lệ cho --as-of: '{options['as_of']}' (dùng dạng YYYY-MM-DD)."
                )
            result = {
                "organization": organization.code,
                "as_of": day.isoformat(),
                "stages": figures.funnel(organization=organization, day=day),
            }
            text = self._funnel_text
        self.stdout.write(
            json.dumps(result, ensure_ascii=False) if options["json"] else text(result)
        )

    @staticmethod
    def _targets_text(r: dict) -> str:
        lines = [f"Tổ chức đảng {r['organization']}, kết nạp năm {r['year']}", ""]
        lines.append(f"Kết nạp: {format_number(r['admitted'])}")
        if r["target"] is None:
            lines.append("Chỉ tiêu: chưa đặt")
        else:
            state = "đạt" if r["met"] else "chưa đạt"
            lines.append(
                f"Chỉ tiêu: ≥ {format_number(r['target'])} ({state}, "
                f"{format_number(r['attained'] * 100, decimals=1)}%)"
            )
        for key, label in figures.PRIORITY_GROUPS.items():
            lines.append(f"{label}: {format_number(r['groups'][key])}")
        return "\n".join(lines)

    @staticmethod
    def _funnel_text(r: dict) -> str:
        from datetime import date

        day = date.fromisoformat(r["as_of"])
        lines = [f"Tổ chức đảng {r['organization']}, quần chúng theo bước ngày {format_date(day)}"]
        lines.append("")
        width = max(len(Stage(s).label) for s in r["stages"])
        for stage, n in r["stages"].items():
            lines.append(f"{Stage(stage).label.ljust(width)}  {format_number(n).rjust(6)}")
        return "\n".join(lines)
