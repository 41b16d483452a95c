from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "grassroots.interchange"
    verbose_name = "Nhập/xuất dữ liệu"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.interchange import models

        # Progress ticks and reports are not worth an audit diff; the import itself writes one
        # summary entry with its counts.
        auditlog.register(
            models.ImportJob,
            exclude_fields=["progress_done", "progress_total", "report", "report_text"],
        )
