"""``grassroots report <figure>``: any figure of the registry as JSON or a readable table.

One sub-command per registered figure (:mod:`grassroots.core.figures`), with ``--org`` and one
option per parameter (``--as-of``; ``--from`` and ``--to``; ``--year-from`` and ``--year-to``…).
The JSON objects are INTERCHANGE.md's ("Figures on the command line"), the same as
``GET /api/v1/reports/<figure>``; the command runs without a user, over the whole database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.organizations.selectors import organization_by_code


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
            sub.add_argument(
                "--org",
                required=figure.organization_of is None,
                help="mã tổ chức đảng, ví dụ DB-112",
            )
            for param in figure.params:
                sub.add_argument(
                    option(param.name),
                    dest=param.name,
                    required=param.default is None,
                    default=param.default,
                    help=param.label,
                )
            sub.add_argument("--json", action="store_true", help="in một đối tượng JSON")

    def handle(self, *args, report, org, **options):
        try:
            figure = registry.get(report)
            values = figure.parse(options)
            # a figure about a record (a resolution) finds its organisation from it
            organization = figure.organization(org, values) or organization_by_code(org)
            result = figure.report(organization, **values)
        except registry.InvalidParameter as exc:
            raise CommandError(
                exc.message(lambda n: "--org" if n == "organization" else option(n))
            ) from exc
        except NotFound as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif figure.text is not None:
            self.stdout.write(figure.text(result))
        else:
            self.stdout.write(registry.generic_text(figure, result))
