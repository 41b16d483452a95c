"""Background work of the interchange app (django-tasks; ``grassroots db_worker`` runs it).

Two queues, so that a small upload never waits behind a large one: uploads that decompress to
more than policy ``IMPORT_LARGE_BYTES`` (a small .zip may hold millions of rows) run on
:data:`LARGE_QUEUE`, the others on the default queue, and ``scripts/serve.py`` starts one worker
for each."""

from django_tasks import DEFAULT_TASK_QUEUE_NAME, task

from grassroots import policy
from grassroots.interchange.limits import unpacked_size
from grassroots.interchange.models import ImportJob
from grassroots.interchange.services import import_job_run, import_jobs_recover

#: The queue of large imports (``db_worker --queue-name imports_large``).
LARGE_QUEUE = "imports_large"


@task()
def run_import_job(job_id: int) -> str:
    """Run an uploaded import; the page polls the job's progress and shows its report. Jobs
    this process left running in an earlier life (same host and pid) are failed first."""
    import_jobs_recover(sweep=False)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    import_job_run(job=job)
    return job.status


def queue_for(job: ImportJob) -> str:
    """The queue of ``job``: the large imports' one past ``IMPORT_LARGE_BYTES`` decompressed
    (the sizes the .zip or .xlsx declares, already held to the limits by the upload form)."""
    size = 0
    if job.file:
        with job.file.open("rb") as handle:
            size = unpacked_size(handle)
    return LARGE_QUEUE if size > policy.get("IMPORT_LARGE_BYTES") else DEFAULT_TASK_QUEUE_NAME


def enqueue_import_job(job: ImportJob) -> None:
    """Queue ``job`` on its queue (a backend without the large queue, e.g. the tests'
    immediate one, runs everything on its default queue)."""
    queue = queue_for(job)
    queues = run_import_job.get_backend().queues
    if queues and queue not in queues:
        queue = DEFAULT_TASK_QUEUE_NAME
    run_import_job.using(queue_name=queue).enqueue(job.pk)
