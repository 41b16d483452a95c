"""Background work of the interchange app (django-tasks; ``grassroots db_worker`` runs it)."""

from django_tasks import task

from grassroots.interchange.models import ImportJob
from grassroots.interchange.services import import_job_run


@task()
def run_import_job(job_id: int) -> str:
    """Run an uploaded import; the page polls the job's progress and shows its report."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    import_job_run(job=job)
    return job.status
