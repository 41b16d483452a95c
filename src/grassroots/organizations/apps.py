from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "grassroots.organizations"
    verbose_name = "Tổ chức đảng"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.organizations import models

        auditlog.register(models.Organization)
        auditlog.register(models.OrganizationVersion, exclude_fields=["name_folded"])
        auditlog.register(models.OrganizationLineage)
