from datetime import timedelta

from grassroots.core.registry import MenuEntry, ModuleConfig, Sweep, SweepObjects, Write

#: A minimal valid PDF: what the sweep attaches to its document and its task report.
SWEEP_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ResolutionsConfig(ModuleConfig):
    name = "grassroots.resolutions"
    verbose_name = "Nghị quyết, văn bản và nhiệm vụ"
    url_prefix = "resolutions/"
    api_prefix = "/resolutions"
    tracked = True
    audited = {
        "Document": ("title_folded", "number_folded", "version"),
        "DocumentLink": (),
        "Term": ("version",),
        "Task": ("version",),
        "TaskReport": (),
        # A corrected yearly value updates its row; auditlog keeps every old and new value.
        "Resolution": ("version",),
        "Indicator": ("version",),
        "IndicatorValue": ("version", "entered_at"),
    }
    menu = (
        MenuEntry("Văn bản, nhiệm vụ", "resolutions:documents", order=55),
        MenuEntry("Nghị quyết đại hội", "resolutions:congress_list", order=65),
    )
    sweep = Sweep(
        forms=(
            "resolutions:document_create",
            "resolutions:document_edit",
            "resolutions:document_link",
            "resolutions:task_assign",
            "resolutions:task_report",
            "resolutions:term_create",
            # Congress resolutions and their indicators (resolutions.indicator_*)
            "resolutions:congress_create",
            "resolutions:congress_edit",
            "resolutions:indicator_create",
            "resolutions:indicator_edit",
            "resolutions:indicator_value",
        )
    )

    def urls(self):
        from grassroots.resolutions import urls

        return urls

    def api_router(self):
        from grassroots.resolutions.api import router

        return router

    def interchange(self):
        # terms.csv, documents.csv, document_links.csv, tasks.csv and task_reports.csv; then
        # resolutions.csv, indicators.csv and indicator_values.csv.
        from grassroots.resolutions import document_interchange, indicator_interchange

        return (document_interchange, indicator_interchange)

    def panels(self, kind):
        from grassroots.resolutions.views import OverdueTasksPanel

        return (OverdueTasksPanel(),) if kind == "home" else ()

    def sweep_objects(self, home):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from grassroots.resolutions.services import (
            document_create,
            document_link,
            task_assign,
            task_report,
            term_record,
        )

        day = home.day
        term_record(
            acting_user=None,
            organization=home.committee,
            starts_on=day - timedelta(days=60),
            label=f"{day.year - 1}-{day.year + 4}",
        )
        resolution = document_create(
            acting_user=None,
            organization=home.committee,
            doc_type="NQ",
            issued_on=day,
            title="Nghị quyết về phát triển đảng viên",
            upload=SimpleUploadedFile("nghi-quyet.pdf", SWEEP_PDF),
        )
        programme = document_create(
            acting_user=None,
            organization=home.committee,
            doc_type="KH",
            issued_on=day + timedelta(days=1),
            title="Kế hoạch thực hiện Nghị quyết về phát triển đảng viên",
        )
        document_link(acting_user=None, source=programme, target=resolution, kind="implements")
        (task,) = task_assign(
            acting_user=None,
            programme=programme,
            title="Rà soát nguồn kết nạp",
            deadline=day + timedelta(days=90),
            organizations=[home.organization],
        )
        report = task_report(
            acting_user=None,
            task=task,
            day=day + timedelta(days=10),
            percent=40,
            note="Đã rà soát một nửa số bản.",
            attachment=SimpleUploadedFile("bao-cao.pdf", SWEEP_PDF),
        )
        resolution_objects = self._indicator_objects(home)
        committee = {"organization": home.committee.code}
        later = (day + timedelta(days=20)).isoformat()
        document_routes = (
            "resolutions:document_detail",
            "resolutions:document_edit",
            "resolutions:document_file",
            "resolutions:document_word",
            "resolutions:document_link",
        )
        return SweepObjects(
            kwargs={
                "document_id": programme.pk,
                "task_id": task.pk,
                "pk": programme.pk,
                **resolution_objects.kwargs,
            },
            route_kwargs={
                **{name: {"pk": resolution.pk} for name in document_routes},
                "resolutions:task_assign": {"pk": programme.pk},
                "resolutions:task_detail": {"pk": task.pk},
                "resolutions:task_report": {"pk": task.pk},
                "resolutions:task_attachment": {"pk": report.pk},
            },
            query={
                "resolutions:documents": committee,
                "resolutions:tasks": committee,
                "resolutions:task_figures": committee,
                "GET /documents": committee,
                "GET /tasks": committee,
                **resolution_objects.query,
            },
            writes={
                "POST /documents": Write(
                    {
                        "type": "TB",
                        "issued_on": (day + timedelta(days=2)).isoformat(),
                        "title": "Thông báo kết luận của Ban Thường vụ",
                        "organization_code": home.committee.code,
                    },
                    audit={"resolutions.document": 1},
                ),
                "resolutions:document_create": Write(
                    {
                        "organization": home.committee.code,
                        "doc_type": "BC",
                        "issued_on": (day + timedelta(days=3)).isoformat(),
                        "title": "Báo cáo sơ kết",
                    },
                    audit={"resolutions.document": 1},
                ),
                "POST /documents/{document_id}/links": Write(
                    {"kind": "guides", "target_id": resolution.pk},
                    audit={"resolutions.documentlink": 1},
                ),
                "POST /documents/{document_id}/tasks": Write(
                    {
                        "title": "Tổ chức học tập nghị quyết",
                        "deadline": (day + timedelta(days=30)).isoformat(),
                        "organizations": [home.organization.code],
                    },
                    audit={"resolutions.task": 1},
                ),
                "POST /tasks/{task_id}/reports": Write(
                    {"date": later, "percent": 60, "note": "Đã rà soát thêm."},
                    audit={"resolutions.task": 1, "resolutions.taskreport": 1},
                ),
                "resolutions:task_report": Write(
                    {"day": later, "percent": 70, "note": "Tiếp tục rà soát.", "status": "open"},
                    audit={"resolutions.task": 1, "resolutions.taskreport": 1},
                ),
                **resolution_objects.writes,
            },
        )

    def _indicator_objects(self, home):
        """A congress resolution with an indicator and a yearly value (resolutions.indicator_*)."""
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
