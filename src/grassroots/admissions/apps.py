from django.apps import AppConfig


class AdmissionsConfig(AppConfig):
    name = "grassroots.admissions"
    verbose_name = "Phát triển đảng viên"
