from grassroots.core.registry import ModuleConfig


class InspectionsConfig(ModuleConfig):
    name = "grassroots.inspections"
    verbose_name = "Kiểm tra, giám sát và kỷ luật"
