from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep


class CellsConfig(ModuleConfig):
    name = "grassroots.cells"
    verbose_name = "Sinh hoạt chi bộ"
    url_prefix = "cells/"
    api_prefix = "/cells"
    tracked = True
    audited = {
        "Meeting": ("version",),
        "Attendance": (),
        "IncomeBasis": ("version",),
        "FeePayment": ("version",),
        "FeeRemittance": ("version",),
        "StudyCampaign": ("version", "end_next"),
        "StudySession": ("version",),
        "StudyAttendance": (),
        "StudyPlan": ("version",),
        "SelfCriticism": ("version",),
    }
    menu = (MenuEntry("Sinh hoạt chi bộ", "cells:meetings", order=65),)
    sweep = Sweep(
        forms=(
            "cells:meeting_record",
            "cells:fee_collect",
            "cells:basis_new",
            "cells:basis_edit",
            "cells:remittance_new",
            "cells:remittance_edit",
            "cells:study_new",
            "cells:study_edit",
            "cells:study_session",
            "cells:study_plan",
            "cells:review_new",
            "cells:review_edit",
        )
    )

    def urls(self):
        from grassroots.cells import urls

        return urls

    def api_router(self):
        from grassroots.cells.api import router

        return router

    def interchange(self):
        from grassroots.cells import interchange

        return (interchange,)

    def checks(self, *, user, day):
        from grassroots.cells.hooks import checks

        return checks(user=user, day=day)

    def sweep_objects(self, home):
        from grassroots.cells.hooks import sweep_objects

        return sweep_objects(home)
