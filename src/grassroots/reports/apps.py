from grassroots.core.registry import ModuleConfig


class ReportsConfig(ModuleConfig):
    name = "grassroots.reports"
    verbose_name = "Báo cáo thống kê"
