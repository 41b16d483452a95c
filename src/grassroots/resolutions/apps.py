from grassroots.core.registry import ModuleConfig, Sweep


class ResolutionsConfig(ModuleConfig):
    name = "grassroots.resolutions"
    verbose_name = "Nghị quyết, văn bản và nhiệm vụ"
    sweep = Sweep(unbuilt={"Document": "no page or service writes documents yet"})

    # --- Congress resolutions and their indicators (resolutions.indicator_*) -----------------
    url_prefix = "resolutions/"
    api_prefix = "/resolutions"
    tracked = True
    # A corrected yearly value updates its row; auditlog keeps every old and new value.
    audited = {
        "Resolution": ("version",),
        "Indicator": ("version",),
        "IndicatorValue": ("version", "entered_at"),
    }
