from grassroots.core.registry import ModuleConfig


class OperationsConfig(ModuleConfig):
    """Backup and restore of the whole database (commands only: no pages, no models)."""

    name = "grassroots.operations"
    verbose_name = "Vận hành"
