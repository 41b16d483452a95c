"""``grassroots report coverage|admissions``: a figure report as JSON or a readable table.

The JSON objects are INTERCHANGE.md's ("Figures on the command line"); the command runs without
a user, over the whole database.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from grassroots.core.temporal import parse_date
from grassroots.core.text import format_date, format_number
from grassroots.places.models import PlaceKind
from grassroots.statistics import figures
from grassroots.statistics.definitions import MEMBER_LABELS, PLACE_LABELS


def _date(value: str, option: str) -> date:
    parsed = parse_date(value)
    if parsed is None:
        raise CommandError(f"Ngày không hợp lệ cho {option}: '{value}' (dùng dạng YYYY-MM-DD).")
    return parsed


def _table(rows: list[list[str]]) -> str:
    """Left-aligned first column, right-aligned numbers."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = "In số liệu của một tổ chức đảng: bao phủ tại một ngày, hoặc kết nạp trong một kỳ."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="coverage|admissions")
        coverage = reports.add_parser("coverage", help="đảng viên, chi bộ, địa bàn tại một ngày")
        coverage.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        coverage.add_argument("--as-of", required=True, help="ngày, dạng YYYY-MM-DD")
        coverage.add_argument("--json", action="store_true", help="in một đối tượng JSON")
        admissions = reports.add_parser("admissions", help="số đảng viên kết nạp trong kỳ")
        admissions.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
        admissions.add_argument("--from", dest="start", required=True, help="từ ngày (YYYY-MM-DD)")
        admissions.add_argument("--to", dest="end", required=True, help="đến ngày (YYYY-MM-DD)")
        admissions.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args, report, org, **options):
        try:
            if report == "coverage":
                result = figures.coverage(organization=org, day=_date(options["as_of"], "--as-of"))
                text = self._coverage_text
            else:
                start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
                if start > end:
                    raise CommandError("Ngày --from phải trước hoặc trùng ngày --to.")
                result = figures.admissions(organization=org, start=start, end=end)
                text = self._admissions_text
        except Http404 as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            json.dumps(result, ensure_ascii=False) if options["json"] else text(result)
        )

    @staticmethod
    def _coverage_text(result: dict) -> str:
        day = date.fromisoformat(result["as_of"])
        head = [f"Tổ chức đảng {result['organization']}, số liệu tại ngày {format_date(day)}", ""]
        members = [
            [label, format_number(result["members"][key])] for key, label in MEMBER_LABELS.items()
        ]
        members.append(["Số chi bộ", format_number(result["cells"])])
        places = [["Địa bàn", *PLACE_LABELS.values()]]
        for kind, row in result["places"].items():
            places.append([PlaceKind(kind).label, *(format_number(row[k]) for k in PLACE_LABELS)])
        return "\n".join([*head, _table(members), "", _table(places)])

    @staticmethod
    def _admissions_text(result: dict) -> str:
        start, end = date.fromisoformat(result["from"]), date.fromisoformat(result["to"])
        head = (
            f"Tổ chức đảng {result['organization']}: kết nạp từ {format_date(start)} "
            f"đến {format_date(end)}"
        )
        rows = [["Năm", "Kết nạp"]]
        rows += [[year, format_number(n)] for year, n in result["by_year"].items()]
        rows.append(["Tổng cộng", format_number(result["admitted"])])
        return "\n".join([head, "", _table(rows)])
