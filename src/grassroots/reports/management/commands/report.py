"""``grassroots report <figure>``: any figure of the registry as JSON or a readable table.

One sub-command per registered figure (:mod:`grassroots.core.figures`), with ``--org`` and one
option per parameter (``--as-of``; ``--from`` and ``--to``; ``--year-from`` and ``--year-to``…).
The JSON objects are INTERCHANGE.md's ("Figures on the command line"), the same as
``GET /api/v1/reports/<figure>``; the command runs without a user, over the whole database.

``--submit`` sends the report upward (INTERCHANGE.md, "Submitted reports"): the result is frozen
as a :class:`~grassroots.reports.models.Submission` and the command prints
``{"submission": ID, "sha256": "…", "report": {…}}``. The command lives in the ``reports`` app
(above ``statistics``) because sending is a reports feature.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound, RuleError
from grassroots.organizations.selectors import organization_by_code
from grassroots.reports.services import as_sent, submit


def option(name: str) -> str:
    """The command-line option of a parameter: ``as_of`` → ``--as-of``."""
    return "--" + name.replace("_", "-")


class Command(BaseCommand):
    help = "In số liệu của một tổ chức đảng: một chỉ tiêu bất kỳ (xem trang Cách tính)."

    def add_arguments(self, parser):
        figures = registry.all_figures()
        reports = parser.add_subparsers(
            dest="report", required=True, metavar="|".join(f.name for f in figures)
        )
        for figure in figures:
            sub = reports.add_parser(figure.name, help=figure.label)
            sub.add_argument("--org", required=True, help="mã tổ chức đảng, ví dụ DB-112")
            for param in figure.params:
                sub.add_argument(
                    option(param.name),
                    dest=param.name,
                    required=param.default is None,
                    default=param.default,
                    help=param.label,
                )
            sub.add_argument("--json", action="store_true", help="in một đối tượng JSON")
            sub.add_argument(
                "--submit", action="store_true", help="gửi báo cáo lên cấp trên (đóng băng số liệu)"
            )
            sub.add_argument(
                "--period", default="", help="kỳ báo cáo khi gửi, ví dụ 2024 hoặc 2024-H1"
            )

    def handle(self, *args, report, org, **options):
        if options["submit"]:
            self.submit(report, org, options)
            return
        try:
            figure = registry.get(report)
            values = figure.parse(options)
            result = figure.report(organization_by_code(org), **values)
        except registry.InvalidParameter as exc:
            raise CommandError(exc.message(option)) from exc
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif figure.text is not None:
            self.stdout.write(figure.text(result))
        else:
            self.stdout.write(registry.generic_text(figure, result))

    def submit(self, report: str, org: str, options: dict) -> None:
        try:
            figure = registry.get(report)
            params: dict[str, Any] = {"organization": org}
            params.update({p.name: options.get(p.name) for p in figure.params})
            submission = submit(report, params, None, period=options.get("period") or "")
        except registry.InvalidParameter as exc:
            raise CommandError(exc.message(option)) from exc
        except (NotFound, RuleError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(json.dumps(as_sent(submission), ensure_ascii=False))
