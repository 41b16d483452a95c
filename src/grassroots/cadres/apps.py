from grassroots.core.registry import ModuleConfig


class CadresConfig(ModuleConfig):
    name = "grassroots.cadres"
    verbose_name = "Cán bộ"
