from grassroots.core.registry import ModuleConfig


class NewsConfig(ModuleConfig):
    name = "grassroots.news"
    verbose_name = "Tin tức"
