from grassroots.core.registry import ModuleConfig


class ReportsConfig(ModuleConfig):
    name = "grassroots.reports"
    verbose_name = "Báo cáo thống kê"
    # A submission is only ever inserted (triggers refuse UPDATE and DELETE): the audit log
    # records who sent what.
    audited = {"Submission": ()}

    def ready(self):
        from django.db.backends.signals import connection_created

        from grassroots.reports.freeze import register_function

        connection_created.connect(register_function, dispatch_uid="reports_thawed")
