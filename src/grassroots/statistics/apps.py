from grassroots.core.registry import MenuEntry, ModuleConfig


class StatisticsConfig(ModuleConfig):
    name = "grassroots.statistics"
    verbose_name = "Số liệu"
    url_prefix = "statistics/"
    api_prefix = "/reports"
    menu = (MenuEntry("Số liệu", "statistics:dashboard", order=10),)

    def urls(self):
        from grassroots.statistics import urls

        return urls

    def api_router(self):
        from grassroots.statistics.api import router

        return router

    def sweep_objects(self, home):
        from grassroots.core.registry import SweepObjects

        committee = {"organization": home.committee.code}
        return SweepObjects(
            # The generic route is swept with one registered figure; every figure is tested by
            # tests/statistics/test_registry.py.
            kwargs={"figure": "coverage"},
            query={
                "GET /{figure}": {**committee, "as_of": home.day.isoformat()},
                "statistics:dashboard": committee,
                "statistics:drilldown": {**committee, "figure": "coverage.cells"},
                "GET /coverage": {**committee, "as_of": home.day.isoformat()},
                "GET /admissions": {
                    **committee,
                    "from": f"{home.day.year}-01-01",
                    "to": f"{home.day.year + 1}-12-31",
                },
            },
        )
