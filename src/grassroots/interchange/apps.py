from grassroots.core import roles
from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep


class InterchangeConfig(ModuleConfig):
    name = "grassroots.interchange"
    verbose_name = "Nhập/xuất dữ liệu"
    url_prefix = "interchange/"
    # Progress ticks and reports are not worth an audit diff; the import itself writes one
    # summary entry with its counts.
    audited = {"ImportJob": ("progress_done", "progress_total", "report", "report_text")}
    # The page is the upload form, which needs the editor role.
    # The import (upload) and its job pages are the editor's; the export is every reader's.
    sweep = Sweep(forms=("interchange:upload", "interchange:job", "interchange:jobs"))
    menu = (MenuEntry("Nhập/xuất", "interchange:upload", role=roles.EDITOR, order=90),)

    def urls(self):
        from grassroots.interchange import urls

        return urls

    def sweep_objects(self, home):
        from grassroots.core.registry import SweepObjects
        from grassroots.interchange.services import import_job_create

        # A job belongs to the editor who uploaded it (the home's editor).
        job = import_job_create(acting_user=home.editor, source_name="/srv/goi.zip")
        return SweepObjects(
            kwargs={"pk": job.pk},
            query={"interchange:export": {"organization": home.committee.code}},
        )
