"""Import jobs: create one (an upload or a path given to ``grassroots import``), run it.

Running reads the package, validates it and writes it through :mod:`grassroots.interchange
.importer`, updating the job's progress as it goes and storing the report. The validation reads
outside the write transaction so that its progress is visible to the upload page while it runs;
the writes themselves happen in one transaction.

An uploaded file lives only as long as its job: it is deleted when the job ends, and
:func:`import_jobs_recover` (run when a worker starts, ``grassroots import_cleanup``) fails the
jobs whose worker died, removes their staging folders and deletes files left behind (at most
policy ``IMPORT_KEEP_DAYS`` days).
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, cast

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from grassroots import policy
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
    job.worker = _this_worker()
    job.save(update_fields=["status", "started_at", "worker"])

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
        _delete_file(job)
        job.save(update_fields=["status", "finished_at", "file"])
        raise
    job.status = ImportJob.Status.SUCCEEDED if report.ok else ImportJob.Status.REJECTED
    job.report, job.report_text = report.as_json(), report.as_text()
    job.finished_at = timezone.now()
    _delete_file(job)
    job.save(update_fields=["status", "report", "report_text", "finished_at", "file"])
    return report


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _delete_file(job: ImportJob) -> None:
    """The job's uploaded file is deleted when it ends (its name stays in ``source_name``)."""
    if job.file:
        job.file.delete(save=False)


def _alive(worker: str) -> bool:
    """Whether the process ``host:pid`` runs (not this one: a worker that checks is not running
    the job it finds; a pid reused after a restart reads as dead); another host's: unknown, so
    assumed alive."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return bool(worker)
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


DIED = (
    "Tiến trình nhập đã dừng giữa chừng (máy chủ khởi động lại hoặc hết bộ nhớ): không dữ liệu "
    "nào được ghi. Hãy nhập lại gói dữ liệu."
)


def import_jobs_recover(*, sweep: bool = True) -> dict[str, int]:
    """Fail the running jobs whose worker died (this host's, by pid) and remove their staging
    folders and files; with ``sweep``, also delete the files of jobs that ended and every
    uploaded file older than ``IMPORT_KEEP_DAYS`` days (a queued job that waited that long is
    failed). Returns counts of what was done."""
    done = {"failed": 0, "files": 0}
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING):
        if _alive(job.worker):
            continue
        if job.staging:
            shutil.rmtree(job.staging, ignore_errors=True)
        job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
        report = ImportReport(errors=[Problem(job.source_name, 0, "-", DIED)])
        job.report, job.report_text = report.as_json(), report.as_text()
        done["files"] += bool(job.file)
        _delete_file(job)
        job.save(update_fields=["status", "finished_at", "report", "report_text", "file"])
        done["failed"] += 1
    if not sweep:
        return done
    cutoff = timezone.now() - timedelta(days=policy.get("IMPORT_KEEP_DAYS"))
    for job in ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=cutoff):
        job.status, job.finished_at = ImportJob.Status.FAILED, timezone.now()
        _delete_file(job)
        job.save(update_fields=["status", "finished_at", "file"])
        done["failed"] += 1
    for job in ImportJob.objects.filter(status__in=ImportJob.FINISHED).exclude(file=""):
        _delete_file(job)
        job.save(update_fields=["file"])
        done["files"] += 1
    done["files"] += _delete_old_uploads(cutoff.timestamp())
    return done


def _delete_old_uploads(before: float) -> int:
    """Files under the uploads' folder no live job holds, older than ``before``."""
    field = ImportJob._meta.get_field("file")
    root = Path(default_storage.path(str(field.upload_to).split("%")[0].rstrip("/")))
    if not root.is_dir():
        return 0
    held = {
        Path(default_storage.path(name))
        for name in ImportJob.objects.exclude(file="").values_list("file", flat=True)
    }
    count = 0
    for path in root.rglob("*"):
        if path.is_file() and path not in held and path.stat().st_mtime < before:
            path.unlink(missing_ok=True)
            count += 1
    return count
