from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "grassroots.interchange"
    verbose_name = "Nhập/xuất dữ liệu"
