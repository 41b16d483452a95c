from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "grassroots.statistics"
    verbose_name = "Số liệu"
