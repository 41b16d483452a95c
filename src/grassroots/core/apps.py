from types import ModuleType
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep


class CoreConfig(ModuleConfig):
    name = "grassroots.core"
    verbose_name = "Lõi hệ thống"
    url_prefix = ""
    menu = (MenuEntry("Trang chủ", "core:home", order=0),)
    # The header's date picker is a form every reader posts (a session value, no data).
    sweep = Sweep(reader_posts=("core:set_as_of",), get_status={"core:set_as_of": 405})

    def urls(self) -> ModuleType:
        from grassroots.core import urls

        return urls

    def ready(self) -> None:
        from grassroots.core.registry import register_audited

        # Every app's declared audited models (apps declare, core reads).
        register_audited()
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate``: the data-version triggers exist on every tracked table (a
    migration may have rebuilt a table without them), and nothing cached before survives (the
    code computing it may have changed)."""
    from django.core.cache import cache

    from grassroots.core.dataversion import install_triggers

    install_triggers(using)
    cache.clear()
