from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "grassroots.core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(sender, using="default", **kwargs):
    """After every ``migrate``: the data-version triggers exist on every tracked table (a
    migration may have rebuilt a table without them), and nothing cached before survives (the
    code computing it may have changed)."""
    from django.core.cache import cache

    from grassroots.core.dataversion import install_triggers

    install_triggers(using)
    cache.clear()
