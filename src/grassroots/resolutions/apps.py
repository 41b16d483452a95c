from grassroots.core.registry import ModuleConfig, Sweep


class ResolutionsConfig(ModuleConfig):
    name = "grassroots.resolutions"
    verbose_name = "Nghị quyết, văn bản và nhiệm vụ"
    sweep = Sweep(unbuilt={"Document": "no page or service writes documents yet"})
