from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo registry and its commands (``grassroots demo``, ``grassroots bootstrap``); no
    models. The top layer: no other app imports it."""

    name = "grassroots.demo"
    verbose_name = "Dữ liệu mẫu"
