from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    verbose_name = "Đảng viên"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.members import models

        auditlog.register(models.Member, exclude_fields=["name_folded", "name_key", "updated_at"])
        auditlog.register(models.MemberEvent)
