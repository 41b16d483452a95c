from grassroots.core.registry import ModuleConfig


class CellsConfig(ModuleConfig):
    name = "grassroots.cells"
    verbose_name = "Sinh hoạt chi bộ"
