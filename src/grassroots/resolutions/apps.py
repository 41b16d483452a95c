from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class ResolutionsConfig(ModuleConfig):
    name = "grassroots.resolutions"
    verbose_name = "Nghị quyết, văn bản và nhiệm vụ"
    sweep = Sweep(
        unbuilt={"Document": "no page or service writes documents yet"},
        # --- Congress resolutions and their indicators (resolutions.indicator_*) ---
        forms=(
            "resolutions:congress_create",
            "resolutions:congress_edit",
            "resolutions:indicator_create",
            "resolutions:indicator_edit",
            "resolutions:indicator_value",
        ),
    )

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
    menu = (MenuEntry("Nghị quyết đại hội", "resolutions:congress_list", order=65),)

    def urls(self):
        from grassroots.resolutions import urls

        return urls

    def api_router(self):
        from grassroots.resolutions.api import router

        return router

    def interchange(self):
        # resolutions.csv, indicators.csv and indicator_values.csv.
        from grassroots.resolutions import indicator_interchange

        return indicator_interchange

    def sweep_objects(self, home):
        from grassroots.resolutions import indicator_services as services

        year = home.day.year
        resolution = services.resolution_create(
            acting_user=None,
            organization=home.organization,
            code=f"NQ-{home.organization.code}",
            title=f"Nghị quyết Đại hội {home.organization.code}",
            term_from=year,
            term_to=year + 4,
        )
        indicator = services.indicator_create(
            acting_user=None,
            resolution=resolution,
            code="CT1",
            name="Trồng mới rừng",
            unit="ha",
            method="total",
            target="100",
        )
        services.value_set(acting_user=None, indicator=indicator, year=year, value="10")
        return SweepObjects(
            kwargs={"code": resolution.code, "indicator": indicator.code, "year": year},
            query={"GET /congress/{code}/review": {"through": str(year)}},
            writes={
                "PUT /congress/{code}/indicators/{indicator}/values/{year}": Write(
                    {"value": "12.5", "note": "Báo cáo năm"},
                    audit={"resolutions.indicatorvalue": 1},
                ),
            },
        )
