"""The import page (upload, progress, report) and the export download."""

import io

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from grassroots.core import scope
from grassroots.core.access import Action, record_access
from grassroots.core.generic import Column, ListPage
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.interchange.exporter import (
    export_tables,
    exported_members,
    write_xlsx,
    write_zip,
)
from grassroots.interchange.forms import ExportForm, ImportUploadForm, column_guide
from grassroots.interchange.models import ImportJob
from grassroots.interchange.report import ImportReport
from grassroots.interchange.services import import_job_create
from grassroots.interchange.tasks import enqueue_import_job
from grassroots.organizations.selectors import organization_visible_to


def _jobs_visible_to(user, action: str = scope.VIEW):
    return ImportJob.objects.visible_to(user, action).select_related("created_by")


@editor_required
def upload(request):
    """Upload a package; the import runs in the background and the job page shows progress."""
    posted = request.method == "POST"  # bound even when the file was stopped while arriving
    form = ImportUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        refused=getattr(request, "upload_refused", ""),
    )
    if request.method == "POST" and form.is_valid():
        job = import_job_create(acting_user=request.user, upload=form.cleaned_data["file"])
        transaction.on_commit(lambda: enqueue_import_job(job))
        return redirect("interchange:job", pk=job.pk)
    context = {
        "form": form,
        "columns": column_guide(),
        "export_form": ExportForm(user=request.user, day=request.as_of),
        "jobs": _jobs_visible_to(request.user)[:10],
    }
    return render(request, "interchange/upload.html", context)


class JobList(ListPage):
    """Every import the user may see (an administrator: everyone's), newest first."""

    visible_to = _jobs_visible_to
    write = True
    title = "Các lần nhập dữ liệu"
    export_name = "cac-lan-nhap"
    dated = False
    columns = (
        Column(
            "Thời gian", lambda j: j.created_at, lambda j: reverse("interchange:job", args=[j.pk])
        ),
        Column("Nguồn", lambda j: j.source_name),
        Column("Người nhập", lambda j: j.created_by.display_name if j.created_by else ""),
        Column("Trạng thái", lambda j: j.get_status_display()),
        Column("Đã xử lý", lambda j: j.progress_done, numeric=True),
        Column("Tổng số", lambda j: j.progress_total, numeric=True),
    )

    def get_rows(self, filters):
        return self.visible().order_by("-created_at", "-pk")


jobs = JobList.as_view()


@editor_required
@require_GET
def job(request, pk: int):
    """The job page; htmx polls it every second for the progress fragment until it is done."""
    job = get_object_or_404(_jobs_visible_to(request.user), pk=pk)
    context = {"job": job, "report": ImportReport.from_json(job.report) if job.report else None}
    template = (
        "interchange/_job.html" if request.headers.get("HX-Request") else "interchange/job.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def export(request):
    """Download the package of an organisation the user sees, as a .zip of CSV files or, with
    ``format=xlsx``, as one workbook (a sheet per file)."""
    code = request.GET.get("organization", "")
    organization = visible_or_404(organization_visible_to(request.user), code=code)
    suffix = "xlsx" if request.GET.get("format") == "xlsx" else "zip"
    buffer = io.BytesIO()
    tables = export_tables(organization, user=request.user)
    (write_xlsx if suffix == "xlsx" else write_zip)(tables, buffer)
    record_access(
        request,
        what=f"Gói dữ liệu trao đổi (.{suffix})",
        count=exported_members(tables),
        subject=organization.code,
        action=Action.EXPORT,
    )
    filename = f"grassroots-{organization.code}-{timezone.localdate():%Y%m%d}.{suffix}"
    return HttpResponse(
        buffer.getvalue(),
        content_type=EXPORT_TYPES[suffix],
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


EXPORT_TYPES = {
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
