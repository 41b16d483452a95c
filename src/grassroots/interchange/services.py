"""Import jobs: create one (an upload or a path given to ``grassroots import``), run it.

Running reads the package, validates it and writes it through :mod:`grassroots.interchange
.importer`, updating the job's progress as it goes and storing the report. The validation reads
outside the write transaction so that its progress is visible to the upload page while it runs;
the writes themselves happen in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from grassroots.core.audit import acting_as
from grassroots.interchange.importer import import_package
from grassroots.interchange.models import ImportJob
from grassroots.interchange.reader import PackageError, read_package
from grassroots.interchange.report import ImportReport, Problem


def import_job_create(
    *, acting_user, upload: UploadedFile | None = None, source_name: str = ""
) -> ImportJob:
    """A queued job for an uploaded file (stored under MEDIA_ROOT) or a path on this machine."""
    job = ImportJob(created_by=acting_user, source_name=source_name)
    if upload is not None:
        name = upload.name or "upload"
        job.source_name = source_name or name
        job.file.save(Path(name).name, upload, save=False)
    job.save()
    return job


def import_job_run(
    *, job: ImportJob, source: str | Path | None = None, progress: Callable | None = None
) -> ImportReport:
    """Run ``job`` on its stored file (or ``source``, a path). ``progress(done, total)`` is
    called besides the job's own progress fields being updated."""
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])

    def on_progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)
        if progress:
            progress(done, total)

    try:
        if source is not None:
            package = read_package(source)
        else:
            with job.file.open("rb") as handle:
                package = read_package(cast(BinaryIO, handle), name=job.file.name)
        with acting_as(job.created_by):
            report = import_package(
                package, acting_user=job.created_by, progress=on_progress, job=job
            )
    except PackageError as exc:
        report = ImportReport(errors=[Problem(job.source_name, 0, "-", str(exc))])
    except Exception:
        job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
        job.save(update_fields=["status", "finished_at"])
        raise
    job.status = ImportJob.Status.SUCCEEDED if report.ok else ImportJob.Status.REJECTED
    job.report, job.report_text = report.as_json(), report.as_text()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "report_text", "finished_at"])
    return report
