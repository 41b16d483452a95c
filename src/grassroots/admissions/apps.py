from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "grassroots.admissions"
    verbose_name = "Phát triển đảng viên"

    def ready(self):
        from auditlog.registry import auditlog

        from grassroots.admissions import models

        auditlog.register(models.Candidate, exclude_fields=["name_folded", "name_key"])
        auditlog.register(models.CandidateStep)
        auditlog.register(models.AdmissionTarget)
