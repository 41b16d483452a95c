"""Django's ``flush`` (remove every row of every table), which alone may remove sent reports
on SQLite (:mod:`grassroots.reports.freeze`)."""

from django.core.management.commands import flush

from grassroots.reports.freeze import thawed


class Command(flush.Command):
    def handle(self, **options):
        with thawed():
            return super().handle(**options)
