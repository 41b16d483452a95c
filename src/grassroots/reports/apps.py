from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write


class ReportsConfig(ModuleConfig):
    name = "grassroots.reports"
    verbose_name = "Báo cáo thống kê"
    url_prefix = "reports/"
    # A submission is only ever inserted (triggers refuse UPDATE and DELETE): the audit log
    # records who sent what.
    audited = {"Submission": ()}
    menu = (MenuEntry("Biểu thống kê", "reports:index", order=55),)
    sweep = Sweep(forms=("reports:send",))

    def ready(self):
        from django.db.backends.signals import connection_created

        from grassroots.reports.freeze import register_function

        connection_created.connect(register_function, dispatch_uid="reports_thawed")

    def urls(self):
        from grassroots.reports import urls

        return urls

    def panels(self, kind):
        from grassroots.reports.hooks import ReminderPanel

        return (ReminderPanel(),) if kind == "home" else ()

    def sweep_objects(self, home):
        from grassroots.reports.services import submit

        year = str(home.day.year)
        submission = submit(
            "form3",
            {"organization": home.organization.code, "as_of": f"{year}-12-31"},
            None,
            period=year,
        )
        chosen = {"organization": home.organization.code, "period": year}
        return SweepObjects(
            kwargs={"pk": submission.pk, "name": "form3"},
            query={
                "reports:form": chosen,
                "reports:index": {},
                "reports:send": chosen,
                "reports:calendar": {
                    "organization": home.committee.code,
                    "figure": "form3",
                    "period": year,
                },
            },
            writes={
                "reports:send": Write(
                    {"figure": "form3", "organization": home.organization.code, "period": year},
                    audit={"reports.submission": 1},
                )
            },
        )
